"""Hostile files built in code, for the gate's and the fuzzer's tests: a
compound file (.xls container) with big and small streams whose structure
can be forged part by part, BIFF workbook streams, and the small .xlsx that
made the spreadsheet library allocate terabytes."""

from __future__ import annotations

import struct
from dataclasses import dataclass, field

from tests.reading.fixtures_reading import _biff, xlsx_raw

END, FREE, FATSECT = 0xFFFFFFFE, 0xFFFFFFFF, 0xFFFFFFFD
SECTOR = 512


@dataclass
class Compound:
    """A version-3 compound file laid out as

    [big streams][mini stream][mini FAT][directory][FAT]

    with every field kept as a number, so that a test can forge one and
    :meth:`bytes` writes the file."""

    sectors: list[bytes] = field(default_factory=list)
    fat: list[int] = field(default_factory=list)
    entries: list[list] = field(default_factory=list)  # [name, kind, start, size]
    header: dict[str, int] = field(default_factory=dict)
    difat: list[int] = field(default_factory=list)

    @classmethod
    def build(cls, streams: dict[str, bytes]) -> Compound:
        cf = cls()
        big = {n: s for n, s in streams.items() if len(s) >= 4096}
        small = {n: s for n, s in streams.items() if len(s) < 4096}
        placed = {}
        for name, payload in big.items():
            placed[name] = (cf._put(payload), len(payload))
        mini, mini_at = b"", {}
        for name, payload in small.items():
            mini_at[name] = (len(mini) // 64, len(payload))
            mini += payload + b"\0" * (-len(payload) % 64)
        root_start = cf._put(mini) if mini else END
        minifat_start, n_minifat = END, 0
        if small:
            links = []
            for _name, (first, size) in mini_at.items():
                count = max(1, -(-size // 64))
                links += [first + k + 1 for k in range(count - 1)] + [END]
            minifat_start, n_minifat = cf._put(struct.pack(f"<{len(links)}I", *links).ljust(SECTOR, b"\xff")), 1
        cf.entries = [["Root Entry", 5, root_start, len(mini)]]
        cf.entries += [[n, 2, *placed[n]] for n in big] + [[n, 2, *mini_at[n]] for n in small]
        cf.header = {"n_dir": 0, "dir_start": 0, "minifat_start": minifat_start, "n_minifat": n_minifat,
                     "difat_start": END, "n_difat": 0, "n_fat": 0, "shift": 9, "mini_shift": 6, "cutoff": 4096}
        return cf

    def _put(self, payload: bytes) -> int:
        """Append ``payload`` in consecutive sectors chained in the FAT; its first sector."""
        payload = payload + b"\0" * (-len(payload) % SECTOR)
        first = len(self.sectors)
        count = len(payload) // SECTOR
        self.sectors += [payload[i : i + SECTOR] for i in range(0, len(payload), SECTOR)]
        self.fat += [first + k + 1 for k in range(count - 1)] + [END]
        return first

    def finish(self) -> Compound:
        """Place the directory and the FAT (call once, before forging those)."""
        raw = b"".join(self._entry(*e) for e in self.entries)
        self.header["dir_start"] = self._put(raw)
        n_fat = 1
        while len(self.sectors) + n_fat > n_fat * 128:
            n_fat += 1
        first = len(self.sectors)
        self.sectors += [b"\0" * SECTOR] * n_fat
        self.fat += [FATSECT] * n_fat
        self.fat += [FREE] * (n_fat * 128 - len(self.fat))
        self.header["n_fat"] = n_fat
        self.difat = [first + k for k in range(n_fat)] + [FREE] * (109 - n_fat)
        return self

    @staticmethod
    def _entry(name: str, kind: int, start: int, size: int) -> bytes:
        raw = name.encode("utf-16-le") + b"\0\0"
        return (raw.ljust(64, b"\0") + struct.pack("<HBB", len(raw), kind, 1)
                + struct.pack("<III", FREE, FREE, FREE) + b"\0" * 36 + struct.pack("<IQ", start, size))

    def rewrite_directory(self) -> None:
        raw = b"".join(self._entry(*e) for e in self.entries).ljust(SECTOR, b"\0")
        at = self.header["dir_start"]
        for k in range(0, len(raw), SECTOR):
            self.sectors[at + k // SECTOR] = raw[k : k + SECTOR]

    def bytes(self) -> bytes:
        h = self.header
        fat_sectors = [i for i in self.difat if i != FREE and i < len(self.sectors)]
        sectors = list(self.sectors)
        fat = self.fat + [FREE] * (len(fat_sectors) * 128 - len(self.fat))
        for k, i in enumerate(fat_sectors):
            sectors[i] = struct.pack("<128I", *fat[k * 128 : (k + 1) * 128])
        head = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 16 + struct.pack("<HHH", 0x3E, 3, 0xFFFE)
                + struct.pack("<HH", h["shift"], h["mini_shift"]) + b"\0" * 6
                + struct.pack("<IIIIIIIII", h["n_dir"], h["n_fat"], h["dir_start"], 0, h["cutoff"],
                              h["minifat_start"], h["n_minifat"], h["difat_start"], h["n_difat"])
                + struct.pack("<109I", *self.difat))
        return head + b"".join(sectors)


def _bof(kind: int) -> bytes:
    return _biff(0x0809, struct.pack("<HHHHII", 0x0600, kind, 0x0DBB, 0x07CC, 0, 0x06))


def _label(row: int, col: int, text: str) -> bytes:
    return _biff(0x0204, struct.pack("<HHH", row, col, 15) + struct.pack("<HB", len(text), 1) + text.encode("utf-16-le"))


def _number(row: int, col: int, value: float) -> bytes:
    return _biff(0x0203, struct.pack("<HHHd", row, col, 15, value))


def survey_cells(n: int = 6) -> bytes:
    """Cell records of a small survey: header M1, M2 and ``n`` answers."""
    cells = _label(0, 0, "M1") + _label(0, 1, "M2")
    for r in range(1, n + 1):
        cells += _number(r, 0, 1 + r % 5) + _number(r, 1, 1 + (r * 2) % 5)
    return cells


def workbook_stream(sheet_records: bytes = b"", *, sheets: int = 1, pos_shift: int = 0,
                    globals_extra: bytes = b"") -> bytes:
    """A BIFF8 workbook stream: globals (with ``sheets`` BoundSheet records all
    pointing to one sheet, ``pos_shift`` bytes off its BOF) and that sheet."""
    xf = _biff(0x00E0, struct.pack("<HHHBBBBIIH", 0, 0, 0xFFF5, 0x20, 0, 0, 0, 0, 0, 0x20C0))
    font = _biff(0x0031, struct.pack("<HHHHHBBBB", 200, 0, 0x7FFF, 400, 0, 0, 0, 0, 0) + struct.pack("<BB", 5, 1)
                 + "Arial".encode("utf-16-le"))
    head = _bof(0x0005) + _biff(0x0042, struct.pack("<H", 1200)) + font + xf * 16 + globals_extra
    names = [f"Blatt{k + 1}" for k in range(sheets)]
    bound_len = sum(4 + 8 + len(n) * 2 for n in names)
    offset = len(head) + bound_len + 4
    bound = b"".join(_biff(0x0085, struct.pack("<IBB", offset + pos_shift, 0, 0) + struct.pack("<BB", len(n), 1)
                           + n.encode("utf-16-le")) for n in names)
    sheet = _bof(0x0010) + sheet_records + _biff(0x000A, b"")
    return head + bound + _biff(0x000A, b"") + sheet


def dimensions(first_row: int, last_row: int, first_col: int, last_col: int) -> bytes:
    return _biff(0x0200, struct.pack("<IIHHH", first_row, last_row, first_col, last_col, 0))


def sst(count: int, strings: list[str]) -> bytes:
    body = struct.pack("<ii", count, count)
    for s in strings:
        body += struct.pack("<HB", len(s), 1) + s.encode("utf-16-le")
    return _biff(0x00FC, body)


def xls(stream: bytes, extra: dict[str, bytes] | None = None) -> Compound:
    """A compound file holding the workbook ``stream`` (and ``extra`` streams), finished."""
    return Compound.build({"Workbook": stream, **(extra or {})}).finish()


def far_plan_xlsx() -> bytes:
    """The 1.4 kB action plan that made the library allocate 512 GB and abort:
    a header cell and one cell at XFD1048576."""
    return xlsx_raw('<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>ID</t></is></c>'
                    '<c r="XFD1048576"><v>1</v></c></row></sheetData>')
