"""The shipped sample (sample_data/generate.py): regenerating it gives the
same files, whatever the default instrument version of new surveys is (the
sample is a survey of version 1.0, pinned in the generator)."""

from __future__ import annotations

import importlib.util
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "sample_data"


@pytest.fixture(scope="module")
def regenerated(tmp_path_factory) -> Path:
    spec = importlib.util.spec_from_file_location("sample_generate", SAMPLE / "generate.py")
    if spec is None or spec.loader is None:
        raise RuntimeError("sample_data/generate.py cannot be loaded")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    folder = tmp_path_factory.mktemp("sample")
    module.main(folder)
    return folder


def test_the_generator_pins_version_1():
    text = (SAMPLE / "generate.py").read_text("utf-8")
    assert 'SAMPLE_VERSION = "1.0"' in text and "default_instrument" not in text


def test_the_csv_is_byte_identical(regenerated):
    assert (regenerated / "beispielstadt.csv").read_bytes() == (SAMPLE / "beispielstadt.csv").read_bytes()


@pytest.mark.parametrize("name", ["beispielstadt.xlsx", "beispielstadt_2025.xlsx"])
def test_the_workbooks_hold_the_same_parts(regenerated, name):
    """Every part of the workbook but docProps/core.xml, whose "modified" time
    openpyxl sets to the moment of saving."""
    new, shipped = zipfile.ZipFile(regenerated / name), zipfile.ZipFile(SAMPLE / name)
    assert new.namelist() == shipped.namelist()
    differ = [part for part in new.namelist() if new.read(part) != shipped.read(part)]
    assert set(differ) <= {"docProps/core.xml"}
