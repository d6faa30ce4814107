"""Builders for the reader tests: an instrument in code, answers from a fixed
seed, and every export shape (xlsx, ods, xls, CSV variants) written in code."""

from __future__ import annotations

import io
import struct
import zipfile
from xml.sax.saxutils import escape

import numpy as np

from learn_core.instrument import parse_instrument

SEED = 20261122

_TEXTS = {
    "M": [
        ("Ich lerne gern Neues für meine Arbeit.", "I like learning new things for my work."),
        ("Verbesserungen im Arbeitsalltag sind mir wichtig.", "Improvements in daily work matter to me."),
        ("Ich bringe eigene Ideen ein.", "I contribute my own ideas."),
        ("Fehler sehe ich als Chance zum Lernen.", "I see mistakes as a chance to learn."),
        ("Ich probiere gern neue Arbeitsweisen aus.", "I like trying new ways of working."),
        ("Veränderungen empfinde ich als Belastung.", "I experience change as a burden."),
    ],
    "F": [
        ("Meine Führungskraft fördert das Lernen im Team.", "My manager fosters learning in the team."),
        ("Meine Führungskraft gibt mir hilfreiche Rückmeldungen.", "My manager gives me helpful feedback."),
        ("Ideen werden von der Leitung ernst genommen.", "Ideas are taken seriously by management."),
        ("Die Leitung lebt kontinuierliche Verbesserung vor.", "Management models continuous improvement."),
        ("Für Verbesserungen bekomme ich Zeit.", "I get time for improvements."),
        ("Kritik an Abläufen ist unerwünscht.", "Criticism of processes is unwelcome."),
    ],
    "K": [
        ("Ich kenne Methoden zur Verbesserung von Abläufen.", "I know methods for improving processes."),
        ("Ich kann Probleme systematisch analysieren.", "I can analyse problems systematically."),
        ("Ich habe Zugang zu passenden Fortbildungen.", "I have access to suitable training."),
        ("Wissen wird im Team geteilt.", "Knowledge is shared in the team."),
        ("Ich kann digitale Werkzeuge sicher nutzen.", "I can use digital tools confidently."),
        ("Mir fehlt das Wissen, um Abläufe zu verbessern.", "I lack the knowledge to improve processes."),
    ],
    "L": [
        ("Wir setzen Verbesserungsideen tatsächlich um.", "We actually implement improvement ideas."),
        ("Unsere Abläufe sind in letzter Zeit besser geworden.", "Our processes have recently improved."),
        ("Erfolge von Verbesserungen werden sichtbar gemacht.", "Successes of improvements are made visible."),
        ("Wir lernen aus Beschwerden der Bürgerinnen und Bürger.", "We learn from citizens' complaints."),
        ("Gute Lösungen werden auf andere Bereiche übertragen.", "Good solutions are transferred to other areas."),
        ("Bei uns bleibt alles, wie es ist.", "With us, everything stays as it is."),
    ],
}
_DIMS = {"M": "motivation", "F": "fuehrung", "K": "kompetenz", "L": "lernerfolg"}
LABELS_DE = ["trifft überhaupt nicht zu", "trifft eher nicht zu", "teils/teils", "trifft eher zu", "trifft voll zu"]
LABELS_EN = ["strongly disagree", "disagree", "neither agree nor disagree", "agree", "strongly agree"]


def instrument_dict() -> dict:
    """The raw instrument table (the schema of ``data/instrument.toml``)."""
    names = {
        "motivation": ("Motivation", "Motivation"),
        "fuehrung": ("Führung", "Leadership"),
        "kompetenz": ("Kompetenz", "Competence"),
        "lernerfolg": ("Lernerfolg", "Learning success"),
    }
    return {
        "schema": 1,
        "version": "test",
        "name_de": "LEARN-Selbstcheck",
        "name_en": "LEARN self-check",
        "scale": {"labels_de": LABELS_DE, "labels_en": LABELS_EN},
        "dimensions": [
            {"key": k, "name_de": de, "name_en": en, "description_de": de, "description_en": en}
            for k, (de, en) in names.items()
        ],
        "items": [
            {
                "id": f"{p}{i}",
                "dimension": _DIMS[p],
                "reverse": i == 6,
                "text_de": de,
                "text_en": en,
            }
            for p, texts in _TEXTS.items()
            for i, (de, en) in enumerate(texts, start=1)
        ],
    }


INSTRUMENT = parse_instrument(instrument_dict(), source="test")
ITEMS = INSTRUMENT.item_ids
GROUPS = ["Bürgeramt", "Bauamt", "Kämmerei", "10", "Straßenverkehr"]


def answers(n: int = 40, seed: int = SEED) -> tuple[np.ndarray, list[str]]:
    """``n`` respondents' answers (float, NaN = no answer) and their groups."""
    rng = np.random.default_rng(seed)
    values = rng.integers(1, 6, size=(n, len(ITEMS))).astype(float)
    values[rng.random(values.shape) < 0.05] = np.nan
    groups = [GROUPS[i] for i in rng.integers(0, len(GROUPS), size=n)]
    return values, groups


# --------------------------------------------------------------------------- writers


def xlsx_bytes(rows: list[list], *, start_row: int = 1, start_col: int = 1, title: str = "Antworten",
               sheets_before: int = 0) -> bytes:
    """An .xlsx workbook with ``rows`` from cell (start_row, start_col) on."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    for k in range(sheets_before):
        ws.title = f"Info{k + 1}"
        ws["A1"] = "Hinweise zur Umfrage"
        ws = wb.create_sheet()
    ws.title = title
    for i, row in enumerate(rows):
        for j, value in enumerate(row):
            if value is not None and value != "":
                ws.cell(row=start_row + i, column=start_col + j, value=value)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _ods_cell(value) -> str:
    if value is None or value == "":
        return "<table:table-cell/>"
    if isinstance(value, int | float) and not isinstance(value, bool):
        return (f'<table:table-cell office:value-type="float" office:value="{value}">'
                f"<text:p>{value}</text:p></table:table-cell>")
    return f'<table:table-cell office:value-type="string"><text:p>{escape(str(value))}</text:p></table:table-cell>'


def ods_bytes(rows: list[list], *, name: str = "Tabelle1", raw_table: str | None = None) -> bytes:
    """An OpenDocument spreadsheet with ``rows`` (or the given table XML)."""
    body = raw_table or "".join(
        "<table:table-row>" + "".join(_ods_cell(v) for v in row) + "</table:table-row>" for row in rows
    )
    content = (
        '<?xml version="1.0" encoding="UTF-8"?><office:document-content '
        'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
        f'<office:body><office:spreadsheet><table:table table:name="{name}">{body}'
        "</table:table></office:spreadsheet></office:body></office:document-content>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
        'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
        '<manifest:file-entry manifest:full-path="/" '
        'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        "</manifest:manifest>"
    )
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet", compress_type=zipfile.ZIP_STORED)
        z.writestr("content.xml", content, compress_type=zipfile.ZIP_DEFLATED)
        z.writestr("META-INF/manifest.xml", manifest, compress_type=zipfile.ZIP_DEFLATED)
    return buf.getvalue()


def xlsx_raw(sheet_xml: str, sheet_path: str = "xl/worksheets/sheet1.xml") -> bytes:
    """A minimal .xlsx whose only sheet is ``sheet_xml``, stored at
    ``sheet_path`` (for hostile files)."""
    ns_main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    ns_rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    ns_pkg = "http://schemas.openxmlformats.org/package/2006/relationships"
    parts = {
        "[Content_Types].xml": (
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            f'<Override PartName="/{sheet_path}" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>'
        ),
        "_rels/.rels": (
            f'<?xml version="1.0"?><Relationships xmlns="{ns_pkg}"><Relationship Id="rId1" '
            f'Type="{ns_rel}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
        ),
        "xl/workbook.xml": (
            f'<?xml version="1.0"?><workbook xmlns="{ns_main}" xmlns:r="{ns_rel}"><sheets>'
            '<sheet name="Daten" sheetId="1" r:id="rId1"/></sheets></workbook>'
        ),
        "xl/_rels/workbook.xml.rels": (
            f'<?xml version="1.0"?><Relationships xmlns="{ns_pkg}"><Relationship Id="rId1" '
            f'Type="{ns_rel}/worksheet" Target="/{sheet_path}"/></Relationships>'
        ),
        sheet_path: f'<?xml version="1.0"?><worksheet xmlns="{ns_main}">{sheet_xml}</worksheet>',
    }
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, text in parts.items():
            z.writestr(name, text)
    return buf.getvalue()


def csv_text(rows: list[list], delimiter: str = ";", decimal_comma: bool = False) -> str:
    """CSV text as a spreadsheet program saves it (quotes where needed)."""
    import csv

    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    for row in rows:
        cells = []
        for v in row:
            if v is None or (isinstance(v, float) and np.isnan(v)):
                cells.append("")
            elif isinstance(v, float) and decimal_comma:
                cells.append(f"{v:.1f}".replace(".", ","))
            elif isinstance(v, float) and v.is_integer():
                cells.append(str(int(v)))
            else:
                cells.append(str(v))
        writer.writerow(cells)
    return out.getvalue()


# --------------------------------------------------------------------------- OLE containers


def ole_bytes(streams: dict[str, bytes]) -> bytes:
    """A compound file (the container of .xls and of encrypted .xlsx) holding
    ``streams``, each padded to at least 4096 bytes (no mini stream)."""
    sector = 512
    data_sectors: list[bytes] = []
    entries = []  # (name, start sector, size)
    for name, payload in streams.items():
        payload = payload + b"\0" * max(0, 4096 - len(payload))
        payload += b"\0" * (-len(payload) % sector)
        start = len(data_sectors)
        data_sectors += [payload[i : i + sector] for i in range(0, len(payload), sector)]
        entries.append((name, start, len(payload)))
    n_data = len(data_sectors)
    dir_sector = n_data
    n_fat = 1
    while (n_data + 1 + n_fat) > n_fat * 128:
        n_fat += 1
    fat_start = n_data + 1
    fat = []
    for _name, start, size in entries:
        count = size // sector
        fat += [start + k + 1 for k in range(count - 1)] + [0xFFFFFFFE]
    fat += [0xFFFFFFFE]  # directory
    fat += [0xFFFFFFFD] * n_fat
    fat += [0xFFFFFFFF] * (n_fat * 128 - len(fat))

    def entry(name: str, kind: int, start: int, size: int, child: int = 0xFFFFFFFF,
              right: int = 0xFFFFFFFF) -> bytes:
        raw = name.encode("utf-16-le") + b"\0\0"
        return (raw.ljust(64, b"\0") + struct.pack("<HBB", len(raw), kind, 1)
                + struct.pack("<III", 0xFFFFFFFF, right, child) + b"\0" * 16 + b"\0" * 4 + b"\0" * 16
                + struct.pack("<IQ", start, size))

    dirs = [entry("Root Entry", 5, 0xFFFFFFFE, 0, child=1)]
    for k, (name, start, size) in enumerate(entries):
        right = k + 2 if k + 1 < len(entries) else 0xFFFFFFFF
        dirs.append(entry(name, 2, start, size, right=right))
    directory = b"".join(dirs).ljust(sector, b"\0")  # up to four entries: one sector
    header = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 16 + struct.pack("<HHHH", 0x3E, 3, 0xFFFE, 9)
              + struct.pack("<H", 6) + b"\0" * 6 + struct.pack("<I", 0) + struct.pack("<I", n_fat)
              + struct.pack("<I", dir_sector) + struct.pack("<I", 0) + struct.pack("<I", 4096)
              + struct.pack("<I", 0xFFFFFFFE) + struct.pack("<I", 0) + struct.pack("<I", 0xFFFFFFFE)
              + struct.pack("<I", 0))
    difat = [fat_start + k for k in range(n_fat)] + [0xFFFFFFFF] * (109 - n_fat)
    header += struct.pack("<109I", *difat)
    fat_bytes = struct.pack(f"<{len(fat)}I", *fat)
    return header + b"".join(data_sectors) + directory + fat_bytes


def _biff(kind: int, payload: bytes) -> bytes:
    return struct.pack("<HH", kind, len(payload)) + payload


def xls_bytes(rows: list[list], sheet: str = "Antworten") -> bytes:
    """A BIFF8 .xls workbook (Excel 97–2003) with ``rows``: numbers as NUMBER
    records, texts as LABEL records."""
    def bof(kind: int) -> bytes:
        return _biff(0x0809, struct.pack("<HHHHII", 0x0600, kind, 0x0DBB, 0x07CC, 0, 0x06))

    def text(s: str) -> bytes:
        return struct.pack("<HB", len(s), 1) + s.encode("utf-16-le")

    xf = _biff(0x00E0, struct.pack("<HHHBBBBIIH", 0, 0, 0xFFF5, 0x20, 0, 0, 0, 0, 0, 0x20C0))
    font = _biff(0x0031, struct.pack("<HHHHHBBBB", 200, 0, 0x7FFF, 400, 0, 0, 0, 0, 0) + struct.pack("<BB", 5, 1)
                 + "Arial".encode("utf-16-le"))
    globals_head = bof(0x0005) + _biff(0x0042, struct.pack("<H", 1200)) + font + xf * 16
    records = []
    for r, row in enumerate(rows):
        for c, v in enumerate(row):
            if v is None or v == "" or (isinstance(v, float) and np.isnan(v)):
                continue
            if isinstance(v, int | float) and not isinstance(v, bool):
                records.append(_biff(0x0203, struct.pack("<HHHd", r, c, 15, float(v))))
            else:
                records.append(_biff(0x0204, struct.pack("<HHH", r, c, 15) + text(str(v))))
    cells = b"".join(records)
    width = max((len(r) for r in rows), default=0)
    sheet_stream = (bof(0x0010) + _biff(0x0200, struct.pack("<IIHHH", 0, len(rows), 0, width, 0))
                    + cells + _biff(0x000A, b""))
    name = struct.pack("<BB", len(sheet), 1) + sheet.encode("utf-16-le")
    boundsheet_len = 10 + len(name)
    offset = len(globals_head) + boundsheet_len + 4
    workbook = globals_head + _biff(0x0085, struct.pack("<IBB", offset, 0, 0) + name) + _biff(0x000A, b"")
    return ole_bytes({"Workbook": workbook + sheet_stream})
