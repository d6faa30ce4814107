"""The built-in sample data of the fictional municipality "Beispielstadt"."""

from __future__ import annotations

from pathlib import Path

__all__ = ["SAMPLE_2025", "SAMPLE_CSV", "SAMPLE_HEADCOUNTS", "SAMPLE_XLSX", "sample_bytes", "sample_headcounts",
           "sample_waves"]

SAMPLE_DIR = Path(__file__).resolve().parent.parent / "sample_data"
SAMPLE_XLSX = SAMPLE_DIR / "beispielstadt.xlsx"
SAMPLE_CSV = SAMPLE_DIR / "beispielstadt.csv"
#: The same administration a year earlier (a second wave for the Verlauf page).
SAMPLE_2025 = SAMPLE_DIR / "beispielstadt_2025.xlsx"
#: The sample's headcount per department (for the participation rates).
SAMPLE_HEADCOUNTS = SAMPLE_DIR / "beispielstadt_kopfzahlen.csv"


def sample_bytes(kind: str = "xlsx") -> bytes:
    """The sample export as bytes (``"xlsx"`` or ``"csv"``).

    Raises
    ------
    FileNotFoundError
        when the project's ``sample_data`` folder is missing.
    """
    return (SAMPLE_XLSX if kind == "xlsx" else SAMPLE_CSV).read_bytes()


def sample_waves() -> list[tuple[str, str, bytes]]:
    """The two sample surveys, oldest first: (label, file name, bytes)."""
    return [("Herbst 2025", SAMPLE_2025.name, SAMPLE_2025.read_bytes()),
            ("Herbst 2026", SAMPLE_XLSX.name, SAMPLE_XLSX.read_bytes())]


def sample_headcounts() -> dict[str, int]:
    """The sample's headcounts, department → staff (our own file: read without the gate)."""
    lines = SAMPLE_HEADCOUNTS.read_text("utf-8").splitlines()[1:]
    return {name: int(count) for name, count in (line.split(";") for line in lines if line.strip())}
