"""Processing stages: each has parameters in ``__init__``, a streaming ``update`` keeping state
across calls, and results in attributes ending in ``_``. ``shoe`` and ``segment`` compose them
per pod; ``processing.pipeline.GaitPipeline`` composes the pods."""
