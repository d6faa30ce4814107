"""The sheet scan before parsing, over many chunks: the threaded scan gives the
same extent as a plain sequential pass, also when cells lose their references
part-way through or a far cell sits in a late chunk."""

from __future__ import annotations

import numpy as np
import pytest

from learn_core.reading import limits


def _sequential(pieces) -> tuple[int, int]:
    """The scan as one loop in one thread (the reference)."""
    max_row = max_col = 0
    slow = False
    state = [0, 0]
    for buf in limits._read_chunks(pieces, b">"):
        if not slow:
            row, col, refs = limits._refs_extent(buf)
            slow = limits._cell_tags(buf) > refs
            max_row, max_col = max(max_row, row), max(max_col, col)
        if slow:
            state[0] = max(state[0], max_row)
            row, col = limits._extent_by_elements(buf, state)
            max_row, max_col = max(max_row, row), max(max_col, col)
    return max_row, max_col


def _col(n: int) -> str:
    out = ""
    while n:
        n, r = divmod(n - 1, 26)
        out = chr(65 + r) + out
    return out


def _sheet(rows: int, cols: int, rng, *, refless_from: int | None = None, far: tuple[int, int] | None = None):
    parts = ["<worksheet><sheetData>"]
    for r in range(1, rows + 1):
        refs = refless_from is None or r < refless_from
        parts.append(f'<row r="{r}">' if refs else "<row>")
        for c in range(1, cols + 1):
            value = int(rng.integers(1, 6))
            parts.append(f'<c r="{_col(c)}{r}"><v>{value}</v></c>' if refs else f"<c><v>{value}</v></c>")
        if far and r == far[0]:
            parts.append(f'<c r="{_col(far[1])}{far[0]}"><v>1</v></c>')
        parts.append("</row>")
    parts.append("</sheetData></worksheet>")
    return "".join(parts).encode()


def _pieces(data: bytes, size: int):
    return (data[i : i + size] for i in range(0, len(data), size))


@pytest.mark.parametrize(
    ("rows", "cols", "kwargs"),
    [
        (400, 27, {}),
        (400, 27, {"refless_from": 250}),  # a writer that drops references part-way
        (400, 27, {"far": (333, 700)}),  # one far cell in a late chunk
        (50, 3, {"refless_from": 1}),
    ],
)
@pytest.mark.parametrize("piece", [997, 4096, 1 << 20])
def test_threaded_scan_equals_the_sequential_one(rows, cols, kwargs, piece):
    data = _sheet(rows, cols, np.random.default_rng(5), **kwargs)
    expected = _sequential(_pieces(data, piece))
    assert limits._sheet_extent(_pieces(data, piece)) == expected
    assert expected[0] >= rows and expected[1] >= cols


def test_far_cell_in_a_late_chunk_is_refused():
    data = _sheet(300, 10, np.random.default_rng(1), far=(290, 3000))  # column DKJ: beyond 2,000 columns
    with pytest.raises(limits.ReadError, match="2.000 Spalten"):
        limits.check_shape(*limits._sheet_extent(_pieces(data, 2048)))
