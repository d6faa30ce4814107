"""Structured logs (learn_core/logs.py): one JSON object a line."""

from __future__ import annotations

import io
import json
import logging

from learn_core import logs


def test_json_lines_for_our_loggers_only():
    out = io.StringIO()
    handler = logs.configure("json", out)
    try:
        logging.getLogger("learn_core.workshop.store").error("The workshop database refused a %s", "write")
        logging.getLogger("pages.shell.budget").warning("upload refused: session budget")
        logging.getLogger("learn_core.x").debug("not at INFO")
        logging.getLogger("somebody.else").error("not ours")
        try:
            raise OSError("disk full")
        except OSError:
            logging.getLogger("learn_core.workshop.store").exception("write failed")
    finally:
        for name in logs.LOGGERS:
            logging.getLogger(name).removeHandler(handler)
            logging.getLogger(name).propagate = True
            logging.getLogger(name).setLevel(logging.NOTSET)
    lines = [json.loads(line) for line in out.getvalue().splitlines()]
    assert [(e["level"], e["logger"], e["message"]) for e in lines] == [
        ("ERROR", "learn_core.workshop.store", "The workshop database refused a write"),
        ("WARNING", "pages.shell.budget", "upload refused: session budget"),
        ("ERROR", "learn_core.workshop.store", "write failed"),
    ]
    assert lines[2]["error"] == "OSError" and "disk full" not in json.dumps(lines[2])
    assert all(e["time"].endswith("+00:00") for e in lines)


def test_text_leaves_the_logging_as_it_is():
    before = list(logging.getLogger("learn_core").handlers)
    assert logs.configure("text") is None
    assert logging.getLogger("learn_core").handlers == before
