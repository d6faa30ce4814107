"""The action plan: measures picked from the recommendations, with owner,
due date, PDCA status and success indicator; written to and read back from
Excel or CSV.

Column names are fixed (German) so that a plan saved in English can be read
back in German and vice versa. A plan saved before the column
"Erfolgsindikator" existed reads with that column empty.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from learn_core.errors import LearnError, shown
from learn_core.instrument import DIMENSION_KEYS, Instrument
from learn_core.recommendations import Recommendation, indicator_text
from learn_core.spreadsheet import fit_cell, workbook_bytes

__all__ = [
    "COLUMNS",
    "HEADERS",
    "MAX_PLAN_ROWS",
    "PDCA",
    "ActionPlanError",
    "add_measures",
    "apply_edits",
    "dimension_names",
    "empty_plan",
    "plan_from_rows",
    "plan_to_csv",
    "plan_to_xlsx",
    "safe_cell",
]

#: PDCA status values of a measure.
PDCA = ("Plan", "Do", "Check", "Act")
#: The plan's columns; "Erfolgsindikator" is last, so the columns of plans
#: saved before it keep their places.
COLUMNS = ("ID", "Maßnahme", "Dimension", "Verantwortlich", "Fällig bis", "Status", "Notiz", "Erfolgsindikator")
#: The column headers of a plan file in each language (read back in either).
HEADERS = {"de": COLUMNS,
           "en": ("ID", "Measure", "Dimension", "Owner", "Due", "Status", "Note", "Success indicator")}
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
#: Most measures a plan file may hold.
MAX_PLAN_ROWS = 500


class ActionPlanError(LearnError, ValueError):
    """An uploaded action plan cannot be read (a code of ``errors.plan``, in German or English)."""


def safe_cell(value: object) -> object:
    """Text that a spreadsheet could take for a formula gets a leading apostrophe
    (OWASP CSV injection); other values are returned unchanged."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def empty_plan() -> pd.DataFrame:
    """A plan with the fixed columns and no rows."""
    frame = pd.DataFrame({c: pd.Series(dtype="object") for c in COLUMNS})
    frame["Fällig bis"] = pd.Series(dtype="datetime64[ns]")
    return frame


def _with_columns(plan: pd.DataFrame) -> pd.DataFrame:
    """A copy with exactly the plan's columns; a column the plan lacks (one
    made before "Erfolgsindikator" existed) comes empty and takes text."""
    out = plan.reindex(columns=list(COLUMNS)).copy()
    for column in COLUMNS:
        if column not in plan.columns and column != "Fällig bis":
            out[column] = pd.Series([""] * len(out), index=out.index, dtype="object")
    return out


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip()) or (
        not isinstance(value, str) and bool(pd.isna(value)))


def add_measures(plan: pd.DataFrame, measures: list[Recommendation], lang: str = "de") -> pd.DataFrame:
    """The plan with the given measures appended, "Verantwortlich" set to the
    measure's owner role and "Erfolgsindikator" to its success indicator (in
    ``lang``).

    A measure already in the plan is not added again; only its
    "Verantwortlich" and "Erfolgsindikator" are filled in where they are
    empty (what the user typed stays). The input plan is not changed.
    """
    out = _with_columns(plan)
    by_id = {m.id: m for m in measures}
    for i, row_id in out["ID"].items():
        m = by_id.get(row_id)
        if m is None:
            continue
        for column, value in (("Verantwortlich", m.owner_name(lang)), ("Erfolgsindikator", indicator_text(m, lang))):
            if _blank(out.at[i, column]):
                out.at[i, column] = value
    present = set(out["ID"].dropna())
    rows = [
        {
            "ID": m.id,
            "Maßnahme": m.title(lang),
            "Dimension": m.dimension,
            "Verantwortlich": m.owner_name(lang),
            "Fällig bis": pd.NaT,
            "Status": "Plan",
            "Notiz": "",
            "Erfolgsindikator": indicator_text(m, lang),
        }
        for m in dict.fromkeys(measures)
        if m.id not in present
    ]
    if not rows:
        return out
    return pd.concat([out, pd.DataFrame(rows, columns=list(COLUMNS))], ignore_index=True)


def apply_edits(plan: pd.DataFrame, edits: dict) -> pd.DataFrame:
    """The plan with the changes of a table editor applied.

    Parameters
    ----------
    edits
        ``{"edited_rows": {row: {column: value}}, "added_rows": [{column: value}],
        "deleted_rows": [row]}`` (the shape a table editor of the dashboard reports);
        dates as ``datetime.date``, ISO text or dd.mm.yyyy; unknown columns
        and a status outside Plan/Do/Check/Act are ignored.

    Returns
    -------
    pandas.DataFrame
        a new plan (the input is not changed), rows renumbered.
    """
    out = _with_columns(plan)

    def cell(column: str, value: object) -> object:
        if column == "Fällig bis":
            try:
                return _parse_date(value)
            except ActionPlanError:
                return pd.NaT
        if column == "Status":
            return value if value in PDCA else None
        return "" if value is None else str(value)

    for row, changes in (edits.get("edited_rows") or {}).items():
        r = int(row)
        if 0 <= r < len(out):
            for column, value in changes.items():
                if column in COLUMNS and (column != "Status" or value in PDCA):
                    out.at[out.index[r], column] = cell(column, value)
    added = [{c: cell(c, row.get(c)) for c in COLUMNS} for row in (edits.get("added_rows") or [])]
    for row in added:
        row["Status"] = row["Status"] or "Plan"
    deleted = {int(r) for r in (edits.get("deleted_rows") or [])}
    keep = [i for i in range(len(out)) if i not in deleted]
    out = out.iloc[keep]
    if added:
        out = pd.concat([out, pd.DataFrame(added, columns=list(COLUMNS))], ignore_index=True)
    out = out.reset_index(drop=True)
    out["Fällig bis"] = pd.to_datetime(out["Fällig bis"])
    return out.iloc[:MAX_PLAN_ROWS]


def _export_frame(plan: pd.DataFrame) -> pd.DataFrame:
    out = plan.reindex(columns=list(COLUMNS)).copy()
    for col in COLUMNS:
        if col != "Fällig bis":
            out[col] = out[col].map(lambda v: safe_cell(v) if isinstance(v, str) else ("" if pd.isna(v) else v))
    return out


def plan_to_xlsx(plan: pd.DataFrame, lang: str = "de", instrument: Instrument | None = None) -> bytes:
    """The plan as an Excel workbook in ``lang`` (one sheet, headers and
    dimension names in that language, the names of ``instrument``, by default
    the built-in one; dates as dates); :func:`plan_from_rows` reads it back in
    either language."""
    from openpyxl import Workbook
    from openpyxl.worksheet.datavalidation import DataValidation

    wb = Workbook()
    ws = wb.active
    ws.title = "Maßnahmenplan" if lang == "de" else "Action plan"
    ws.append(list(HEADERS["en" if lang == "en" else "de"]))
    names = dimension_names(lang, instrument)
    for row in _export_frame(plan).itertuples(index=False):
        values = [fit_cell(v) if isinstance(v, str) else v for v in row]  # already neutralised
        values[2] = names.get(values[2], values[2])
        due = values[4]
        values[4] = due.date() if isinstance(due, pd.Timestamp) and not pd.isna(due) else None
        ws.append(values)
        if values[4] is not None:
            ws.cell(ws.max_row, 5).number_format = "DD.MM.YYYY"
    dv = DataValidation(type="list", formula1='"Plan,Do,Check,Act"', allow_blank=True)
    ws.add_data_validation(dv)
    dv.add(f"F2:F{max(2, MAX_PLAN_ROWS)}")
    ws.freeze_panes = "A2"
    for col, width in zip("ABCDEFGH", (10, 50, 14, 30, 12, 10, 40, 60), strict=True):
        ws.column_dimensions[col].width = width
    return workbook_bytes(wb)


def dimension_names(lang: str, instrument: Instrument | None = None) -> dict[str, str]:
    """Dimension key → its name in ``lang`` in ``instrument`` (by default the built-in one)."""
    from learn_core.instrument import default_instrument

    return {d.key: d.name(lang) for d in (instrument or default_instrument()).dimensions}


def _dimension_key(value: str, instrument: Instrument | None) -> str:
    """A plan's dimension cell as its key: the key itself or its name in
    either language, in ``instrument`` or any built-in version."""
    from learn_core.instrument import instrument_versions

    for inst in (*((instrument,) if instrument else ()), *instrument_versions()):
        for d in inst.dimensions:
            if value.casefold() in (d.name_de.casefold(), d.name_en.casefold()):
                return d.key
    return value


def plan_to_csv(plan: pd.DataFrame) -> bytes:
    """The plan as CSV for German Excel (semicolons, UTF-8 with BOM, dates dd.mm.yyyy)."""
    out = _export_frame(plan)
    out["Fällig bis"] = [d.strftime("%d.%m.%Y") if isinstance(d, pd.Timestamp) and not pd.isna(d) else ""
                         for d in out["Fällig bis"]]
    return out.to_csv(sep=";", index=False).encode("utf-8-sig")


def _parse_date(value: object) -> pd.Timestamp:
    if value is None or value == "" or (isinstance(value, float) and pd.isna(value)):
        return pd.NaT
    if isinstance(value, dt.datetime | dt.date | pd.Timestamp):
        return pd.Timestamp(value).normalize()
    text = str(value).strip()
    for fmt in ("%d.%m.%Y", "%Y-%m-%d", "%d.%m.%y", "%Y-%m-%d %H:%M:%S"):
        try:
            return pd.Timestamp(dt.datetime.strptime(text, fmt))
        except ValueError:
            continue
    raise ActionPlanError(code="errors.plan.bad_date", params={"value": shown(text)})


def plan_from_rows(rows: list[list], instrument: Instrument | None = None) -> pd.DataFrame:
    """The plan in a table's rows (the header first), checked; a dimension
    may be named as in ``instrument`` or in a built-in version.

    The file is read by :func:`learn_core.reading.plans.read_plan`, which
    calls this in its limited child process.

    Raises
    ------
    ActionPlanError
        when the rows are not a plan (missing columns, bad status or date, too many rows).
    """
    frame = (pd.DataFrame(rows[1:], columns=[str(c).strip() for c in rows[0]], dtype=object)
             if rows else pd.DataFrame())
    english = dict(zip(HEADERS["en"], COLUMNS, strict=True))
    if "Measure" in frame.columns and "Maßnahme" not in frame.columns:
        frame = frame.rename(columns=english)
    missing = [c for c in ("ID", "Maßnahme", "Status") if c not in frame.columns]
    if missing:
        raise ActionPlanError(code="errors.plan.missing_columns", params={"columns": ", ".join(missing)})
    if len(frame) > MAX_PLAN_ROWS:
        raise ActionPlanError(code="errors.plan.too_many_rows", params={"most": MAX_PLAN_ROWS})
    frame = frame.loc[:, ~frame.columns.duplicated()].reindex(columns=list(COLUMNS))
    for col in COLUMNS:
        if col != "Fällig bis":
            frame[col] = [
                "" if v is None or (isinstance(v, float) and pd.isna(v)) else str(v).removeprefix("'")
                for v in frame[col]
            ]
    frame = frame[(frame["ID"] != "") | (frame["Maßnahme"] != "")].reset_index(drop=True)
    bad = sorted(set(frame["Status"]) - set(PDCA) - {""})
    if bad:
        raise ActionPlanError(code="errors.plan.bad_status", params={"value": shown(bad[0])})
    frame["Status"] = frame["Status"].replace("", "Plan")
    frame["Dimension"] = [_dimension_key(v, instrument) for v in frame["Dimension"]]
    unknown = sorted(set(frame["Dimension"]) - set(DIMENSION_KEYS) - {""})
    if unknown:
        raise ActionPlanError(code="errors.plan.bad_dimension", params={"value": shown(unknown[0])})
    frame["Fällig bis"] = pd.to_datetime(pd.Series([_parse_date(v) for v in frame["Fällig bis"]], dtype="object"))
    return frame
