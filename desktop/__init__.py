"""gaitdeck's desktop app: the only package that imports PySide6 and pyqtgraph.

``view_models`` and ``palette`` stay Qt-free so their logic is testable without a display.
"""
