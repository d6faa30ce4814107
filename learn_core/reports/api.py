"""Reports that leave the dashboard: a PDF for readers, an Excel workbook for
further work, both from one :class:`~learn_core.analysis.Analysis`.

Both contain only what the analysis reports: the organisation (when it has at
least k respondents), the reported groups, and the hidden groups by name
without any figure. Text from the data (group names, the action plan) is
written as plain text; in the workbook, text that a spreadsheet could take
for a formula is neutralised (OWASP CSV injection).

The layouts live in :mod:`learn_core.reports.pdf` and
:mod:`learn_core.reports.xlsx`; this module holds the public entry points and
the file-ending rule.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from learn_core.analysis import Analysis
from learn_core.reports.common import check_report_name, report_input

__all__ = ["report_bytes", "report_pdf", "report_xlsx"]


def report_pdf(
    analysis: Analysis,
    lang: str = "de",
    plan: pd.DataFrame | None = None,
    *,
    organisation: str | None = None,
    today: dt.date | None = None,
    comments: bool = False,
) -> bytes:
    """The PDF report (several A4 pages, page numbers, charts as images).

    ``comments=True`` (the user ticked it) adds the open comments the
    analysis may show (:mod:`learn_core.analysis.comments`); without it no
    comment text is in the report.

    Returns
    -------
    bytes of a PDF file: title page, summary with radar chart, the four
    dimensions, the department comparison with heatmap (reported groups
    only; hidden groups by name), the statements, the matched measures with
    first steps, the action plan (when given) and the method.

    Raises
    ------
    ReportError
        when the organisation is not reported (fewer than k respondents).
    ValueError
        for an unknown ``lang``.
    """
    from learn_core.reports.pdf import build_pdf

    return build_pdf(report_input(analysis, lang, plan, organisation, today, comments))


def report_xlsx(
    analysis: Analysis,
    lang: str = "de",
    plan: pd.DataFrame | None = None,
    *,
    organisation: str | None = None,
    today: dt.date | None = None,
    comments: bool = False,
) -> bytes:
    """The Excel report: sheets Überblick, Abteilungen, Items, Maßnahmen,
    (Maßnahmenplan, Kommentare when ``comments`` is ticked,) Methodik — numbers
    as numbers with number formats, frozen header rows, text from the data
    never a formula.

    Raises
    ------
    ReportError, ValueError
        as :func:`report_pdf`.
    """
    from learn_core.reports.xlsx import build_xlsx

    return build_xlsx(report_input(analysis, lang, plan, organisation, today, comments))


def report_bytes(analysis: Analysis, file_name: str, lang: str = "de", **kwargs) -> bytes:
    """The report in the format the file ending names (``.pdf`` or ``.xlsx``).

    Raises
    ------
    ReportError
        for another ending, or as :func:`report_pdf`.
    """
    build = report_pdf if check_report_name(file_name, lang) == ".pdf" else report_xlsx
    return build(analysis, lang, **kwargs)
