"""Importers of sessions recorded by other tools (pure readers and writers, no Qt)."""

from drivers.imports.pod_csv import (
    CsvFormatError,
    pod_files,
    read_calibration,
    read_pod_csv,
    read_pod_folder,
    write_calibration,
    write_pod_csv,
    write_pod_folder,
)

__all__ = [
    "CsvFormatError",
    "pod_files",
    "read_calibration",
    "read_pod_csv",
    "read_pod_folder",
    "write_calibration",
    "write_pod_csv",
    "write_pod_folder",
]
