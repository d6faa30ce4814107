"""The Streamlit shell's helpers, one concern a module: the server's
settings (:mod:`.config`), session state (:mod:`.state`), the Daten page's
sheet and answer mapping steps (:mod:`.answers`), what a session computes
once (:mod:`.cache`), what it may
keep of uploads (:mod:`.budget`), adding survey waves (:mod:`.waves`),
shared widgets (:mod:`.widgets`) and text from data (:mod:`.texts`)."""

from pages.shell.answers import (
    answer_mapping_step,
    column_mapping_step,
    left_out_rows,
    sheet_choice,
)
from pages.shell.budget import MAX_WAVES, dataset_refusal, limit_text, refusal, upload_limit
from pages.shell.cache import (
    chart_engine,
    current_analysis,
    memo,
    page_icon,
    parser_pool,
    require_analysis,
    workshop_store,
)
from pages.shell.config import min_group_size, server_settings, sign_in_required
from pages.shell.state import (
    DEFAULTS,
    PAGE_FILES,
    bind,
    clear_dataset,
    error_text,
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
from pages.shell.waves import add_wave, take_wave_file, tell
from pages.shell.widgets import group_choice, report_downloads, show_chart, show_table

__all__ = [
    "DEFAULTS", "MAX_WAVES", "PAGE_FILES", "add_wave", "answer_mapping_step", "bind", "column_mapping_step", "clear_dataset", "error_text",
    "current_analysis", "dataset_refusal", "escape_md", "group_choice", "init_state", "instrument", "lang", "large",
    "chart_engine", "left_out_rows", "limit_text", "memo", "min_group_size", "page_icon", "parser_pool", "refusal", "report_downloads",
    "require_analysis", "restore", "server_settings", "set_dataset", "set_plan", "sheet_choice", "show_chart",
    "show_table", "sign_in_required", "take_wave_file", "tell", "tr", "upload_limit", "working_state", "workshop_store",
]  # fmt: skip
