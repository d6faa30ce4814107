"""The built-in sample data of the fictional municipality "Beispielstadt"."""

from __future__ import annotations

from pathlib import Path

__all__ = ["SAMPLE_CSV", "SAMPLE_XLSX", "sample_bytes"]

SAMPLE_DIR = Path(__file__).resolve().parent.parent / "sample_data"
SAMPLE_XLSX = SAMPLE_DIR / "beispielstadt.xlsx"
SAMPLE_CSV = SAMPLE_DIR / "beispielstadt.csv"


def sample_bytes(kind: str = "xlsx") -> bytes:
    """The sample export as bytes (``"xlsx"`` or ``"csv"``).

    Raises
    ------
    FileNotFoundError
        when the project's ``sample_data`` folder is missing.
    """
    return (SAMPLE_XLSX if kind == "xlsx" else SAMPLE_CSV).read_bytes()
