"""Reports that leave the dashboard: the PDF and Excel reports of an
analysis (:mod:`.api`, layouts in :mod:`.pdf` and :mod:`.xlsx` on the shared
pieces of :mod:`.common` and :mod:`.pdfdoc`) and the blank questionnaires
(:mod:`.templates`)."""

from learn_core.reports.api import report_bytes, report_pdf, report_xlsx
from learn_core.reports.common import ReportError, check_report_name, method_blocks

__all__ = ["ReportError", "check_report_name", "method_blocks", "report_bytes", "report_pdf", "report_xlsx"]
