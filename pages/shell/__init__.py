"""The Streamlit shell's helpers, one concern a module: session state
(:mod:`.state`), what a session computes once (:mod:`.cache`), shared
widgets (:mod:`.widgets`) and text from data (:mod:`.texts`)."""

from pages.shell.cache import current_analysis, memo, require_analysis, workshop_store
from pages.shell.state import (
    DEFAULTS,
    PAGE_FILES,
    bind,
    clear_dataset,
    init_state,
    instrument,
    lang,
    large,
    restore,
    set_dataset,
    set_plan,
    tr,
    working_state,
)
from pages.shell.texts import escape_md
from pages.shell.widgets import group_choice, report_downloads, show_chart, show_table

__all__ = [
    "DEFAULTS", "PAGE_FILES", "bind", "clear_dataset", "current_analysis", "escape_md", "group_choice",
    "init_state", "instrument", "lang", "large", "memo", "report_downloads", "require_analysis", "restore", "set_dataset",
    "set_plan",
    "show_chart", "show_table", "tr", "working_state", "workshop_store",
]  # fmt: skip
