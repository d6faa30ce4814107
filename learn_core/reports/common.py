"""What the report layouts share: the checked input, the method text as
blocks, the action plan as rows, the file-ending rule and the report error.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from learn_core.analysis import Analysis
from learn_core.analysis.results import GroupResult
from learn_core.errors import LearnError
from learn_core.i18n import methodology_markdown, t
from learn_core.instrument import Instrument

__all__ = ["SUFFIXES", "ReportError", "ReportInput", "check_report_name", "method_blocks", "plain", "plan_rows", "report_input"]

SUFFIXES = (".pdf", ".xlsx")
#: Endings of survey files, left out of the organisation's name on the title page.
DATA_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods", ".csv", ".txt")


class ReportError(LearnError, ValueError):
    """A report cannot be made (one sentence in the chosen language)."""


@dataclass(frozen=True)
class ReportInput:
    """Everything a report layout needs, checked once.

    ``organisation`` is the name on the title page (default: the data file's
    name without ending); ``plan`` the user's action plan (columns of
    :data:`learn_core.actionplan.COLUMNS`) or None; ``comments`` whether the
    user ticked to include the open comments (only the lists the analysis
    may show).
    """

    analysis: Analysis
    lang: str
    plan: pd.DataFrame | None
    organisation: str
    today: dt.date
    comments: bool = False

    @property
    def org(self) -> GroupResult:
        """The organisation's figures (:func:`report_input` refuses an analysis without them).

        Raises
        ------
        ReportError
            when the analysis has no organisation figures (fewer than k respondents).
        """
        org = self.analysis.organisation
        if org is None:
            raise ReportError(code="report.unusable", params={"k": self.analysis.min_group_size})
        return org

    @property
    def comment_lists(self) -> bool:
        """Whether the report carries comments: ticked, and some may be shown."""
        c = self.analysis.result.comments
        return bool(self.comments) and c is not None and c.any_shown


#: The longest name of the organisation a report prints (longer ones are cut with "…").
ORGANISATION_CHARS = 200


def report_input(analysis: Analysis, lang: str, plan, organisation: str | None, today: dt.date | None,
                 comments: bool = False) -> ReportInput:
    if lang not in ("de", "en"):
        raise ValueError(f"lang must be 'de' or 'en', not {lang!r}")
    if analysis.organisation is None:
        raise ReportError(code="report.unusable", params={"k": analysis.min_group_size})
    if organisation is None:  # the file's name without its ending (a workshop's title as it is)
        name = str(analysis.result.file or "")
        path = Path(name)
        organisation = path.stem if path.suffix.lower() in DATA_SUFFIXES else name
        organisation = organisation or t("label.organisation", lang)
    if plan is not None and (not isinstance(plan, pd.DataFrame) or plan.empty):
        plan = None
    organisation = organisation.strip()
    if len(organisation) > ORGANISATION_CHARS:  # a title, not a text: laid out in a moment, on one page
        organisation = organisation[: ORGANISATION_CHARS - 1].rstrip() + "…"
    return ReportInput(analysis, lang, plan, organisation or t("label.organisation", lang),
                       today or dt.date.today(), comments is True)


def check_report_name(file_name: str, lang: str = "de") -> str:
    """The report format a file name asks for: ``".pdf"`` or ``".xlsx"``.

    Raises
    ------
    ReportError
        for any other ending (one sentence in ``lang``).
    """
    suffix = Path(file_name).suffix.lower()
    if suffix not in SUFFIXES:
        raise ReportError(code="report.bad_output", params={"name": Path(file_name).name})
    return suffix


_BOLD = re.compile(r"\*\*(.+?)\*\*")
#: *a page name*: one asterisk on each side, touching the words (not an escaped \* nor "5 * 3")
_ITALIC = re.compile(r"(?<![\\*\w])\*(?=[^\s*])([^*\n]*?[^\s*\\])\*(?![*\w])")


def plain(text: str) -> str:
    """Markdown emphasis (bold and italic) removed (our own method text, not data)."""
    return _ITALIC.sub(r"\1", _BOLD.sub(r"\1", text)).replace("\\*", "*")


def method_blocks(lang: str = "de", min_group_size: int = 5, instrument: Instrument | None = None) -> list[tuple]:
    """The method text of the Methodik page (for ``instrument``, by default the built-in one) as simple blocks.

    Returns
    -------
    list of ``("h", text)``, ``("p", text)``, ``("li", text)`` and
    ``("table", header, rows)``; Markdown emphasis is removed.
    """
    blocks: list[tuple] = []
    table: list[list[str]] = []
    for raw in methodology_markdown(lang, min_group_size, instrument).splitlines():
        line = raw.strip()
        if line.startswith("|"):
            cells = [plain(c.strip()) for c in line.strip("|").split("|")]
            if not all(set(c) <= {"-", ":"} for c in cells):
                table.append(cells)
            continue
        if table:
            blocks.append(("table", table[0], table[1:]))
            table = []
        if not line:
            continue
        if line.startswith("#"):
            blocks.append(("h", plain(line.lstrip("#").strip())))
        elif line.startswith(("- ", "* ")):
            blocks.append(("li", plain(line[2:].strip())))
        else:
            blocks.append(("p", plain(line)))
    if table:
        blocks.append(("table", table[0], table[1:]))
    return blocks


def plan_rows(plan: pd.DataFrame, lang: str, instrument: Instrument | None = None) -> list[dict]:
    """The action plan as plain rows: id, measure, dimension name (in
    ``instrument``, by default the built-in one), owner, due (a
    ``datetime.date`` or None), status, note, indicator (empty for a plan
    saved before the success indicator existed)."""
    from learn_core.actionplan import dimension_names

    names = dimension_names(lang, instrument)
    rows = []
    for rec in plan.to_dict("records"):
        due = rec.get("Fällig bis")
        if isinstance(due, pd.Timestamp | dt.datetime):
            due = None if pd.isna(due) else due.date()
        elif not isinstance(due, dt.date):
            due = None

        def text(key: str, rec: dict = rec) -> str:
            value = rec.get(key)
            return "" if value is None or (isinstance(value, float) and pd.isna(value)) else str(value)

        rows.append(
            {
                "id": text("ID"),
                "measure": text("Maßnahme"),
                "dimension": names.get(text("Dimension"), text("Dimension")),
                "owner": text("Verantwortlich"),
                "due": due,
                "status": text("Status"),
                "note": text("Notiz"),
                "indicator": text("Erfolgsindikator"),
            }
        )
    return rows
