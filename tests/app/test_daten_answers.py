"""AppTest of the Daten page's answer mapping step and sheet choice: a file
with answer texts the dashboard does not know is refused, the texts are
assigned on the page, and the file is then scored like the clean one."""

from __future__ import annotations

import hashlib
import io
from pathlib import Path

from streamlit.testing.v1 import AppTest

from learn_core.instrument import default_instrument

ROOT = Path(__file__).resolve().parents[2]
SCALE = ["gar nicht", "wenig", "mittelmäßig", "ziemlich", "völlig"]
ITEMS = list(default_instrument().item_ids)


def _rows() -> list[list]:
    rows = [["Abteilung", *ITEMS]]
    for r in range(12):
        rows.append([("Bauamt", "Kämmerei")[r % 2], *(1 + (r + j) % 5 for j in range(24))])
    return rows


def _dataset(name: str, data: bytes) -> dict:
    return {"name": name, "data": data, "frame": None, "source": "upload", "digest": hashlib.sha256(data).hexdigest()}


def _app(data: bytes, name: str) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.run()
    at.session_state["dataset"] = _dataset(name, data)
    at.run()
    return at


def _labelled_csv() -> bytes:
    rows = _rows()
    lines = [";".join(rows[0])] + [";".join([r[0], *(SCALE[v - 1] for v in r[1:])]) for r in rows[1:]]
    return "\n".join(lines).encode("utf-8")


def test_unknown_answers_are_refused_then_mapped_on_the_page():
    at = _app(_labelled_csv(), "umfrage.csv")
    assert not at.exception
    assert at.error and "keinem Wert von 1 bis 5 sicher zuzuordnen" in at.error[0].value
    boxes = {b.label: b for b in at.selectbox if b.key and b.key.startswith("_ans_")}
    assert sorted(boxes) == sorted(SCALE)
    for code, label in enumerate(SCALE, start=1):
        boxes[label].set_value(code)
    next(b for b in at.button if b.label == "Zuordnung übernehmen").click().run()
    assert not at.exception and not at.error
    assert at.session_state["answer_map"] == {t: k for k, t in enumerate(SCALE, start=1)}
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Antwortende"] == "12"
    # the same figures as the file with numbers
    numbers = "\n".join(";".join(str(v) for v in r) for r in _rows()).encode("utf-8")
    from learn_core.analysis import analyse_upload

    clean = analyse_upload(name="zahlen.csv", data=numbers).result.to_json()
    mapped = at.session_state["_analysis"][1].result.to_json()
    assert mapped["organisation"] == clean["organisation"]
    saved = next(d for d in at.get("download_button") if d.proto.label == "Antwortzuordnung speichern")
    assert not saved.proto.disabled


def test_a_workbook_with_several_sheets_offers_the_sheet_choice():
    from openpyxl import Workbook

    wb = Workbook()
    wb.active.title = "Legende"
    wb.active.append(["Item", "Aussage"])
    data = wb.create_sheet("Daten")
    for row in _rows():
        data.append(row)
    data.append(["Mittelwert", *[3.0] * 24])
    buf = io.BytesIO()
    wb.save(buf)
    at = _app(buf.getvalue(), "mappe.xlsx")
    assert not at.exception and not at.error
    assert {m.label: m.value for m in at.metric}["Antwortende"] == "12"
    assert any("Ausgewertet wurde das Tabellenblatt „Daten“; weitere Blätter: „Legende“" in c.value for c in at.caption)
    assert any(e.label == "Nicht gezählte Zeilen: 1" for e in at.expander)
    choice = next(b for b in at.selectbox if b.label == "Tabellenblatt")
    assert choice.options == ["automatisch (das mit den meisten Antworten)", "Legende", "Daten"]
    choice.set_value("Legende").run()
    assert not at.exception
    assert at.session_state["sheet"] == "Legende" and at.error  # no items there: the refusal says so
