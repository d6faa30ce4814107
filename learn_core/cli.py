"""The command line: ``python -m learn_core …``.

A stable contract for automation: JSON on stdout (``--format json``), exit 0
on success, exit 2 with one line on stderr (no traceback) when an input
cannot be used, in the language of ``--lang`` (German by default).
"""

from __future__ import annotations

import argparse
import errno
import json
import math
import os
import sys

from learn_core.errors import LearnError, Phrase, WorkshopError, file_reason
from learn_core.i18n import LANGUAGES, t
from learn_core.instrument import (
    DEFAULT_VERSION,
    DIMENSION_KEYS,
    Instrument,
    InstrumentError,
    instrument_version,
    instrument_versions,
    levels,
    load_instrument,
)

__all__ = ["UsageError", "argv_lang", "build_parser", "instrument_dict", "main"]


class UsageError(LearnError):
    """A problem with the command's input; printed as one line, exit 2."""


def _clean(obj):
    """JSON-safe: NaN → null, numpy scalars → Python."""
    if isinstance(obj, dict):
        return {str(k): _clean(v) for k, v in obj.items()}
    if isinstance(obj, list | tuple):
        return [_clean(v) for v in obj]
    if isinstance(obj, float):
        return None if math.isnan(obj) or math.isinf(obj) else obj
    if hasattr(obj, "item") and not isinstance(obj, str | bytes):
        return _clean(obj.item())
    return obj


def _dump(obj) -> None:
    json.dump(_clean(obj), sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")


def _instrument(path: str | None, version: str | None = None) -> Instrument:
    """The own instrument file at ``path``, else the built-in ``version``
    (default :data:`~learn_core.instrument.DEFAULT_VERSION`)."""
    try:
        return load_instrument(path) if path else instrument_version(version or DEFAULT_VERSION)
    except InstrumentError as exc:
        raise UsageError.like(exc) from None


def instrument_dict(instrument: Instrument) -> dict:
    """The instrument as the JSON of ``instrument --format json``."""
    return {
        "name": instrument.name_de,
        "version": instrument.version,
        "items": [
            {
                "id": it.id,
                "dimension": it.dimension,
                "text_de": it.text_de,
                "text_en": it.text_en,
                "reverse": it.reverse,
            }
            for it in instrument.items
        ],
        "dimensions": [
            {
                "key": d.key,
                "name_de": d.name_de,
                "name_en": d.name_en,
                "items": [it.id for it in instrument.items_of(d.key)],
                "min_valid": instrument.min_valid(d.key),
            }
            for d in instrument.dimensions
        ],
        "scale": {
            "min": instrument.scale.minimum,
            "max": instrument.scale.maximum,
            "labels_de": list(instrument.scale.labels_de),
            "labels_en": list(instrument.scale.labels_en),
        },
        "levels": [
            {"level": lv.level, "from": lv.lower, "name_de": lv.name_de, "name_en": lv.name_en}
            for lv in levels()
        ],
    }


def _cmd_settings(args) -> int:
    """Every setting's value as this process reads it (passwords in URLs
    hidden) and which are locked; a bad value has already ended the run (exit 2)."""
    from urllib.parse import urlsplit, urlunsplit

    from learn_core.settings import read_settings, registry

    settings = read_settings()
    values = {}
    for name, value in settings.values.items():
        if isinstance(value, str) and "://" in value and urlsplit(value).password:
            parts = urlsplit(value)
            value = urlunsplit(parts._replace(netloc=parts.netloc.replace(f":{parts.password}@", ":***@", 1)))
        values[name] = value
    if args.format == "json":
        _dump({"settings": values, "locked": sorted(settings.locked)})
    else:
        for name, value in values.items():
            lock = f" ({t('cli_help.locked', args.lang)})" if settings.is_locked(name) else ""
            print(f"{name} = {value!r}{lock}  – {registry()[name].help(args.lang)}")
    return 0


def _cmd_purge(args) -> int:
    """Delete now what the retention period (LEARN_RETENTION_DAYS or
    ``--days``) says is due: closed workshops quiet for that many days."""
    from learn_core.settings import read_settings
    from learn_core.workshop.room import store_settings
    from learn_core.workshop.store import WorkshopStore

    days = args.days if args.days is not None else read_settings().integer("LEARN_RETENTION_DAYS")
    if days < 1:
        raise UsageError(code="errors.cli.no_retention")
    url, data_dir = store_settings()
    with WorkshopStore(url, data_dir=data_dir) as store:
        deleted = store.purge_closed(days)
    _dump({"days": days, "deleted": deleted})
    return 0


def _cmd_instrument(args) -> int:
    inst = _instrument(args.instrument, args.instrument_version)
    if args.format == "json":
        _dump(instrument_dict(inst))
        return 0
    from learn_core.i18n import t

    labels = inst.scale.labels(args.lang)
    print(f"{inst.name(args.lang)} {inst.version}")
    print(t("cli_text.scale", args.lang, labels=", ".join(f"{i} = {lab}" for i, lab in enumerate(labels, 1))))
    for d in inst.dimensions:
        print(f"\n{d.name(args.lang)}")
        for it in inst.items_of(d.key):
            flag = t("cli_text.reversed", args.lang) if it.reverse else ""
            print(f"  {it.id}{flag}: {it.text(args.lang)}")
    return 0


def _load(args):
    from concurrent.futures import ThreadPoolExecutor

    from learn_core.reading.gate import admit
    from learn_core.reading.source import ReadError

    # without an own file the reader tells the built-in version from the file's columns:
    # a 1.0 export read as the default 2.0 would lose the statements 2.0 rewrote
    path = getattr(args, "instrument", None)
    inst = _instrument(path) if path else None
    if args.min_group_size < 3:
        raise UsageError(code="errors.cli.k_below_3", params={"k": str(args.min_group_size)})
    # the file is read and checked (the gate: archive, sheet extent) while pandas and the
    # analysis load; read_survey then parses it in a limited child process
    with ThreadPoolExecutor(max_workers=1) as pool:
        pending = pool.submit(admit, args.file)
        from learn_core.analysis import analyse
        from learn_core.analysis.comments import DEFAULT_COMMENT_MIN_GROUP
        from learn_core.reading import read_survey

        try:
            checked = pending.result()
        except ReadError as exc:
            raise UsageError.like(exc) from None
    answer_map = _answer_map(getattr(args, "answer_map", None))
    try:
        survey = read_survey(
            checked,
            instrument=inst,
            sheet=getattr(args, "sheet", None),
            group_column=args.group_column,
            answer_map=answer_map,
        )
    except ReadError as exc:
        raise UsageError.like(exc) from None
    from learn_core.errors import PrivacyError

    try:
        analysis = analyse(survey, args.min_group_size,
                           comment_min_group=getattr(args, "comment_min_group", None) or DEFAULT_COMMENT_MIN_GROUP,
                           within=_within(getattr(args, "filter", None)))
    except PrivacyError as exc:
        raise UsageError.like(exc) from None
    if getattr(args, "headcounts", None):
        from learn_core.analysis.participation import HeadcountError, with_participation

        try:
            analysis = with_participation(analysis, _headcounts(args.headcounts))
        except HeadcountError as exc:
            raise UsageError.like(exc) from None
    return analysis


def _within(text: str | None) -> tuple[str, str] | None:
    """``--filter SPALTE=WERT`` as (column, value)."""
    if text is None:
        return None
    column, sep, value = text.partition("=")
    if not sep or not column.strip() or not value.strip():
        raise UsageError(code="errors.cli.filter_form", params={"text": text})
    return " ".join(column.split()), " ".join(value.split())


def _headcounts(path: str) -> dict[str, int]:
    """The headcount table of ``--headcounts`` (through the gate)."""
    from learn_core.reading.headcounts import read_headcounts

    return read_headcounts(_side_file(path, "errors.cli.headcounts_unreadable"),
                           os.path.basename(path))


def _side_file(path: str, code: str) -> bytes:
    """The bytes of a file beside the survey (at most the upload limit and one
    byte, so the gate can refuse a larger one); the sentence ``code`` (with
    ``path`` and ``reason``) when it cannot be opened."""
    from learn_core.reading.limits import MAX_FILE_BYTES

    try:
        with open(path, "rb") as fh:
            return fh.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise UsageError(code=code, params={"path": path, "reason": file_reason(exc)}) from None


def _answer_map(path: str | None) -> dict[str, int] | None:
    """The answer mapping of ``--answer-map`` (read through the gate), or None."""
    if path is None:
        return None
    from learn_core.reading.mapping import read_answer_map
    from learn_core.reading.source import ReadError

    data = _side_file(path, "errors.cli.answer_map_unreadable")
    try:
        return read_answer_map(data, file_name=os.path.basename(path))
    except ReadError as exc:
        raise UsageError.like(exc) from None


def _text_summary(result: dict, lang: str = "de", inst=None) -> str:
    """The analysis in a few lines for a terminal, in ``lang``, with the
    dimension names of the analysis's instrument ``inst`` (default: the built-in)."""
    from learn_core.i18n import fmt_int, fmt_number, fmt_percent
    from learn_core.recommendations import catalogue

    def tt(key: str, **values: object) -> str:
        return t(f"cli_text.{key}", lang, **values)

    def num(value: float | None) -> str:
        return fmt_number(value, 1, lang)

    def ci(pair) -> str:
        return f"[{num(pair[0])}; {num(pair[1])}]" if pair else "–"

    inst = inst or load_instrument()
    names = {d.key: d.name(lang) for d in inst.dimensions}
    width = max(12, *(len(n) for n in names.values()))
    lvl = {lv.level: lv.name(lang) for lv in levels()}
    lines = [tt("file", name=result["file"]),
             tt("rows", rows=fmt_int(result["rows_read"], lang), n=fmt_int(result["respondents"], lang),
                k=result["min_group_size"])]  # fmt: skip
    if result.get("filter"):
        lines.append(tt("filter", column=result["filter"]["column"], value=result["filter"]["value"]))
    org = result["organisation"]
    if org is None:
        lines.append(tt("no_org"))
    else:
        lines.append("\n" + tt("index", index=num(org["index"]), level=org["level"], name=lvl.get(org["level"], "–")))
        for key in DIMENSION_KEYS:
            d = org["dimensions"][key]
            body = tt("hidden", reason=t(f"privacy.reason_{d['hidden']}", lang, k=result["min_group_size"])) if d["hidden"] else tt(
                "dimension", score=f"{num(d['score']):>6}", ci=f"{ci(d['ci95']):<16}",
                fav=f"{fmt_percent(d['favourable'], 0, lang):>6}", level=d["level"] or "–", n=fmt_int(d["n"], lang))
            lines.append(f"  {names[key]:<{width}} {body}")
    part = result.get("participation")
    if part:
        lines.append(tt("participation", rate=fmt_percent(part["rate"], 0, lang), n=fmt_int(part["respondents"], lang),
                        headcount=fmt_int(part["headcount"], lang))
                     + (tt("participation_low", threshold=fmt_percent(part["threshold"], 0, lang)) if part["low"] else ""))
    comments = result.get("comments") or {}
    for col in comments.get("columns", []):
        org_c = col["organisation"]
        counts = (fmt_int(org_c["count"], lang) + "".join(f", {g['name']} {fmt_int(g['count'], lang)}" for g in col["groups"])
                  if org_c else tt("comments_none", t=comments["threshold"]))
        lines.append(tt("comments", header=col["header"], counts=counts))
    gap = result.get("leader_gap")
    if gap:
        lines.append("\n" + tt("gap", column=gap["column"], leaders=gap["leader_value"], staff=gap["staff_value"]))
        for key in DIMENSION_KEYS:
            d = gap["dimensions"][key]
            body = tt("hidden", reason=t(f"privacy.reason_{d['hidden']}", lang, k=result["min_group_size"])) if d["hidden"] else tt(
                "gap_line", gap=f"{num(d['gap']):>6}", ci=ci(d["ci95"]), leaders=d["leaders_n"], staff=d["staff_n"])
            lines.append(f"  {names[key]:<{width}} {body}")
    bands = (result.get("benchmark") or {}).get("groups", {})
    if result["groups"]:
        lines.append("\n" + tt("groups"))
        for name, g in result["groups"].items():
            dims = "  ".join(f"{names[k][:4]} {num(g['dimensions'][k]['score'])}" for k in DIMENSION_KEYS)
            band = bands.get(name, {}).get("index")
            lines.append("  " + tt("group_line", name=name, n=fmt_int(g["n"], lang), index=num(g["index"]), dims=dims)
                         + (tt("position", band=tt(f"band_{band}")) if band in ("top", "middle", "bottom") else ""))
    if result["suppressed_groups"]:
        lines.append(tt("suppressed", k=result["min_group_size"], names=", ".join(result["suppressed_groups"])))
    if result["recommendations"]:
        titles = {r.id: r.title(lang) for r in catalogue()}
        lines.append("\n" + tt("recommendations"))
        for rec in result["recommendations"]:
            lines.append(f"  {rec['id']} ({names[rec['dimension']]}): {titles.get(rec['id'], rec['title'])}")
    if result["problems"]:
        lines.append("\n" + tt("problems"))
        for p in result["problems"]:
            where = ", ".join(x for x in (tt("row", row=p["row"]) if p["row"] else "", p["column"] or "") if x)
            lines.append(f"  [{p['severity']}] {where + ': ' if where else ''}{p['message_en' if lang == 'en' else 'message']}")
    return "\n".join(lines)


def _cmd_score(args) -> int:
    analysis = _load(args)
    if args.format == "json":
        _dump(analysis.result.to_json(comment_texts=args.comments))
    else:
        print(_text_summary(analysis.result.to_json(), args.lang, analysis.survey.instrument))
    return 0


def _cmd_compare(args) -> int:
    from learn_core.analysis.privacy import GroupSizeError, check_min_group_size
    from learn_core.analysis.waves import WavesError, compare_waves, default_labels
    from learn_core.display.waves import compare_text

    if len(args.files) < 2:
        raise UsageError(code="errors.cli.compare_two")
    labels = default_labels(args.files)
    if args.labels is not None:
        labels = [x.strip() for x in args.labels.split(",")]
        if len(labels) != len(args.files):
            raise UsageError(code="errors.cli.labels_count", params={"labels": len(labels), "files": len(args.files)})
    try:
        check_min_group_size(args.min_group_size)
    except GroupSizeError as exc:
        raise UsageError.like(exc) from None
    analyses = []
    for path in args.files:
        try:
            analyses.append(_load(argparse.Namespace(**{**vars(args), "file": path})))
        except UsageError as exc:
            raise UsageError(code="errors.cli.in_file", params={"name": os.path.basename(path), "error": exc}) from None
    try:
        result = compare_waves(analyses, labels)
    except WavesError as exc:
        raise UsageError.like(exc) from None
    if args.format == "json":
        _dump(result)
    else:
        print(compare_text(result, analyses[0].survey.instrument, args.lang))
    return 0


def _write(path: str, data: bytes) -> None:
    """Write an output file; a path that cannot be written is a usage error."""
    try:
        with open(path, "wb") as fh:
            fh.write(data)
    except OSError as exc:
        reason = Phrase(_OS_REASONS.get(exc.errno, "errors.phrase.write_failure"))
        raise UsageError(code="errors.cli.not_written", params={"path": path, "reason": reason}) from None


_OS_REASONS: dict[int | None, str] = {
    errno.ENOENT: "errors.phrase.no_such_folder",
    errno.EACCES: "errors.phrase.no_write_permission",
    errno.EPERM: "errors.phrase.no_write_permission",
    errno.EISDIR: "errors.phrase.is_folder",
    errno.ENOSPC: "errors.phrase.disk_full",
    errno.EROFS: "errors.phrase.read_only",
}


def _cmd_report(args) -> int:
    from learn_core.reports import ReportError, check_report_name, report_bytes

    try:  # before the survey is read: a wrong ending fails at once
        suffix = check_report_name(args.output, args.lang)
    except ReportError as exc:
        raise UsageError.like(exc) from None
    plan = None
    if args.plan:
        from learn_core.actionplan import ActionPlanError
        from learn_core.reading.limits import MAX_FILE_BYTES
        from learn_core.reading.plans import read_plan

        try:
            with open(args.plan, "rb") as fh:
                data = fh.read(MAX_FILE_BYTES + 1)
        except OSError as exc:
            raise UsageError(code="errors.cli.plan_unreadable",
                             params={"path": args.plan, "reason": file_reason(exc)}) from None
        try:  # the plan passes the same gate as a survey, and is parsed in a limited child
            own = getattr(args, "instrument", None)  # a dimension may be named as in the own questionnaire
            plan = read_plan(data, os.path.basename(args.plan), _instrument(own) if own else None)
        except ActionPlanError as exc:
            raise UsageError.like(exc) from None
    analysis = _load(args)
    try:
        data = report_bytes(analysis, args.output, args.lang, plan=plan, organisation=args.organisation,
                            comments=args.comments)
    except ReportError as exc:
        raise UsageError.like(exc) from None
    _write(args.output, data)
    _dump({"output": args.output, "format": suffix.lstrip("."),
           "bytes": len(data), "respondents": analysis.result.respondents,
           "groups": list(analysis.groups), "suppressed_groups": analysis.suppressed_groups})
    return 0


def _cmd_aggregate(args) -> int:
    import datetime as dt

    from learn_core.aggregate import AggregateError, aggregate_bytes

    analysis = _load(args)
    try:
        data = aggregate_bytes(analysis.result, dt.date.today(), with_groups=args.with_groups)
    except AggregateError as exc:
        raise UsageError.like(exc) from None
    if args.out is None:
        sys.stdout.write(data.decode("utf-8"))
        return 0
    _write(args.out, data)
    _dump({"output": args.out, "format": "json", "bytes": len(data),
           "groups": len(analysis.groups) if args.with_groups else 0})
    return 0


def _cmd_template(args) -> int:
    from learn_core.reports.templates import template_pdf, template_xlsx

    suffix = os.path.splitext(args.output)[1].lower()
    if suffix not in (".xlsx", ".pdf"):
        raise UsageError(code="errors.cli.template_suffix", params={"output": args.output})
    inst = _instrument(args.instrument, args.instrument_version)
    data = template_xlsx(args.lang, inst) if suffix == ".xlsx" else template_pdf(args.lang, inst)
    _write(args.output, data)
    _dump({"output": args.output, "format": suffix.lstrip("."), "bytes": len(data)})
    return 0


class _Help:
    """The parser's help texts (``cli_help.*`` of the texts file) in one language."""

    def __init__(self, lang: str) -> None:
        self.lang = lang

    def __call__(self, key: str, **values: object) -> str:
        return t(f"cli_help.{key}", self.lang, **values)

    def metavar(self, key: str) -> str:
        return self(f"metavar.{key}")


def argv_lang(argv: list[str]) -> str:
    """The language ``--lang en`` / ``--lang=en`` asks for anywhere in ``argv``
    (the last one given, as argparse takes it; nothing after ``--``), else
    ``"de"``: the parser's help is built in it before argparse meets ``--help``."""
    lang = "de"
    for i, arg in enumerate(argv):
        if arg == "--":
            break
        if arg == "--lang" and i + 1 < len(argv):
            value = argv[i + 1]
        elif arg.startswith("--lang="):
            value = arg.partition("=")[2]
        else:
            continue
        if value in LANGUAGES:
            lang = value
    return lang


def _reading_args(p: argparse.ArgumentParser, h: _Help) -> None:
    """The arguments of every command that reads one survey file."""
    p.add_argument("file", metavar=h.metavar("file"), help=h("survey_file"))
    _group_args(p, h)
    p.add_argument("--sheet", metavar=h.metavar("name"), help=h("sheet"))
    p.add_argument("--instrument", metavar=h.metavar("path"), help=h("instrument"))
    p.add_argument("--headcounts", metavar=h.metavar("headcounts"), help=h("headcounts"))
    _answer_map_arg(p, h)


def _group_args(p: argparse.ArgumentParser, h: _Help) -> None:
    """The group column and k (every command that reads surveys)."""
    p.add_argument("--group-column", metavar=h.metavar("name"), help=h("group_column"))
    p.add_argument("--min-group-size", type=int, default=None, metavar=h.metavar("k"), help=h("min_group_size"))


def _instrument_args(p: argparse.ArgumentParser, h: _Help) -> None:
    """An own instrument file or a built-in version (the commands that print or write the questionnaire)."""
    versions = [inst.version for inst in instrument_versions()]
    group = p.add_mutually_exclusive_group()
    group.add_argument("--instrument", metavar=h.metavar("path"), help=h("instrument"))
    group.add_argument("--instrument-version", choices=versions, default=None, metavar=h.metavar("version"),
                       help=h("instrument_version", versions=", ".join(versions), default=DEFAULT_VERSION))


def _filter_arg(p: argparse.ArgumentParser, h: _Help) -> None:
    p.add_argument("--filter", metavar=h.metavar("column_value"), help=h("filter"))


def _answer_map_arg(p: argparse.ArgumentParser, h: _Help) -> None:
    p.add_argument("--answer-map", metavar=h.metavar("file"), help=h("answer_map", example='{"Somewhat agree": 4}'))


def _format_arg(p: argparse.ArgumentParser, default: str) -> None:
    p.add_argument("--format", choices=["json", "text"], default=default)


def _lang_arg(p: argparse.ArgumentParser, h: _Help) -> None:
    # no default: a subcommand's would overwrite the one given before the subcommand; main sets "de"
    p.add_argument("--lang", choices=LANGUAGES, default=argparse.SUPPRESS, help=h("lang"))


def _min_group_size(k: int | None, settings) -> int:
    """The k of this run: the one given, else the server's default; never
    below the administrator's floor (LEARN_MIN_GROUP_SIZE_FLOOR)."""
    if k is None:
        return settings.min_group_size
    if k < settings.k_floor:
        raise UsageError(code="errors.cli.k_below_floor", params={"floor": str(settings.k_floor), "k": str(k)})
    return k


def build_parser(lang: str = "de") -> argparse.ArgumentParser:
    """The command line's parser, its help, summaries and metavars in ``lang``
    (argparse's own words, such as "usage:", stay as argparse prints them)."""
    h = _Help(lang)
    parser = argparse.ArgumentParser(prog="python -m learn_core", description=h("description"))
    _lang_arg(parser, h)
    sub = parser.add_subparsers(dest="command", required=True, metavar=h.metavar("command"))

    p = sub.add_parser("settings", help=h("command.settings"))
    _format_arg(p, "json")
    _lang_arg(p, h)
    p.set_defaults(func=_cmd_settings)

    p = sub.add_parser("purge", help=h("command.purge"))
    p.add_argument("--days", type=int, metavar=h.metavar("days"), help=h("days"))
    _lang_arg(p, h)  # of the error line
    p.set_defaults(func=_cmd_purge)

    p = sub.add_parser("instrument", help=h("command.instrument"))
    _format_arg(p, "text")
    _instrument_args(p, h)
    _lang_arg(p, h)
    p.set_defaults(func=_cmd_instrument)

    p = sub.add_parser("score", help=h("command.score"))
    _reading_args(p, h)
    _filter_arg(p, h)
    p.add_argument("--comments", action="store_true", help=h("score_comments"))
    _format_arg(p, "json")
    _lang_arg(p, h)
    p.set_defaults(func=_cmd_score)

    p = sub.add_parser("compare", help=h("command.compare"))
    p.add_argument("files", nargs="+", metavar=h.metavar("file"), help=h("compare_files"))
    _group_args(p, h)
    p.add_argument("--labels", metavar=h.metavar("names"), help=h("labels"))
    _answer_map_arg(p, h)
    _format_arg(p, "json")
    _lang_arg(p, h)
    p.set_defaults(func=_cmd_compare)

    p = sub.add_parser("report", help=h("command.report"))
    _reading_args(p, h)
    _filter_arg(p, h)
    p.add_argument("--output", "-o", required=True, metavar=h.metavar("report"), help=h("report_output"))
    p.add_argument("--organisation", metavar=h.metavar("name"), help=h("organisation"))
    p.add_argument("--plan", metavar=h.metavar("plan"), help=h("plan"))
    p.add_argument("--comments", action="store_true", help=h("report_comments"))
    _lang_arg(p, h)
    p.set_defaults(func=_cmd_report)

    p = sub.add_parser("aggregate", help=h("command.aggregate"))
    _reading_args(p, h)
    p.add_argument("--out", "-o", metavar=h.metavar("file"), help=h("aggregate_out"))
    p.add_argument("--with-groups", action="store_true", help=h("with_groups"))
    _lang_arg(p, h)  # of the error line
    p.set_defaults(func=_cmd_aggregate)

    p = sub.add_parser("template", help=h("command.template"))
    p.add_argument("output", metavar=h.metavar("file"), help=h("template_output"))
    _instrument_args(p, h)
    _lang_arg(p, h)
    p.set_defaults(func=_cmd_template)

    return parser


def _error(exc: LearnError, lang: str) -> None:
    """Print the error as one line on stderr, in the language of ``--lang``."""
    print(t("errors.cli.line", lang, message=exc.message(lang)), file=sys.stderr)


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    from learn_core.settings import SettingError, read_settings

    argv = sys.argv[1:] if argv is None else list(argv)
    parser = build_parser(argv_lang(argv))
    args = parser.parse_args(argv)
    lang = args.lang = getattr(args, "lang", "de")
    try:
        settings = read_settings()
    except SettingError as exc:
        _error(exc, lang)
        return 2
    try:
        if hasattr(args, "min_group_size"):
            args.min_group_size = _min_group_size(args.min_group_size, settings)
            args.comment_min_group = settings.comment_min_group(args.min_group_size)
        return args.func(args)
    except (UsageError, WorkshopError) as exc:  # the workshop store's (purge): a setting or the database
        _error(exc, lang)
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0
    except MemoryError:
        _error(LearnError(code="errors.cli.out_of_memory"), lang)
        return 2
    except Exception as exc:  # a bug, not a user error: one line, details on request
        if settings["LEARN_DEBUG"]:
            raise
        _error(LearnError(code="errors.cli.internal", params={"kind": type(exc).__name__}), lang)
        return 1

