"""Bounded fuzzing of the gate and the isolated parsers.

Random bytes and mutations of small intact files (.xlsx, .ods, .xls, CSV,
mapping JSON) built in code go through the same entry points as uploads:
``read_survey``, ``read_plan`` and ``read_column_map``. The only outcomes
allowed are a result or a documented error (:class:`ReadError`,
:class:`ActionPlanError`) – a parser that dies or runs out of a limit in its
child is a ReadError too, so the test process survives every input – and a
valid file still reads afterwards. Zip members and the .xls workbook stream
are mutated inside their container (and the container rebuilt), so the
mutations reach the parsers instead of failing at the archive's checksum.

The run takes ``LEARN_FUZZ_SECONDS`` (default 10; CI sets 60 in .ci/run),
split between the targets, in batches of examples with their own seed.
``LEARN_FUZZ_STRICT=1`` also fails on a parse that had to be stopped in its
child (the checks before parsing should have refused that file), and
``LEARN_FUZZ_SAVE=DIR`` keeps such inputs for new regression tests.
"""

from __future__ import annotations

import io
import signal
import time
import warnings
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, given, seed, settings
from hypothesis import strategies as st

from learn_core.actionplan import (
    ActionPlanError,
    add_measures,
    empty_plan,
    plan_to_csv,
    plan_to_xlsx,
)
from learn_core.errors import ReadError
from learn_core.reading import isolation, read_survey
from learn_core.reading.mapping import read_column_map
from learn_core.reading.plans import read_plan
from learn_core.recommendations import catalogue
from learn_core.settings import read_settings
from tests.reading.fixtures_reading import csv_text, ods_bytes, xls_bytes, xlsx_bytes
from tests.reading.hostile_files import sst, survey_cells, workbook_stream, xls

_SETTINGS = read_settings()  # the test settings are declared in the registry too (README: Settings)
BUDGET = float(_SETTINGS["LEARN_FUZZ_SECONDS"])
STRICT = bool(_SETTINGS["LEARN_FUZZ_STRICT"])
SAVE = _SETTINGS["LEARN_FUZZ_SAVE"] or None
ROWS = [["Abteilung", "M1", "M2", "F1", "K6"], ["Bauamt", 4, 5, 3, 2], ["Kämmerei", 2, "trifft eher zu", 5, 1]]


def _seeds() -> dict[str, bytes]:
    plan = add_measures(empty_plan(), list(catalogue()[:2]))
    return {
        "xlsx": xlsx_bytes(ROWS),
        "ods": ods_bytes(ROWS),
        "xls": xls_bytes(ROWS),
        "xls mini": xls(workbook_stream(survey_cells(4), globals_extra=sst(2, ["a", "b"]))).bytes(),
        "csv": csv_text(ROWS).encode("utf-8"),
        "plan xlsx": plan_to_xlsx(plan),
        "plan csv": plan_to_csv(plan),
    }


SEEDS = _seeds()
#: byte values that tend to mean "huge", "negative", "end" or a digit run in a reference
SPECIAL = [b"\xff\xff\xff\xff", b"\xfe\xff\xff\xff", b"\x00\x00\x00\x80", b"\x7f", b"999999", b"XFD", b"\x00"]


@st.composite
def mutation(draw, data: bytes) -> bytes:
    """``data`` with a few edits: flips, special values, inserted or deleted
    runs, a cut at the end."""
    out = bytearray(data)
    for _ in range(draw(st.integers(1, 6))):
        if not out:
            break
        at = draw(st.integers(0, len(out) - 1))
        how = draw(st.sampled_from(["flip", "special", "insert", "delete", "repeat"]))
        if how == "flip":
            out[at] ^= 1 << draw(st.integers(0, 7))
        elif how == "special":
            value = draw(st.sampled_from(SPECIAL))
            out[at : at + len(value)] = value
        elif how == "insert":
            out[at:at] = draw(st.binary(min_size=1, max_size=16))
        elif how == "delete":
            del out[at : at + draw(st.integers(1, 64))]
        else:
            out[at:at] = bytes(out[at : at + 8]) * draw(st.integers(2, 200))
    if draw(st.booleans()) and len(out) > 8:
        out = out[: draw(st.integers(8, len(out)))]
    return bytes(out)


@st.composite
def inside_zip(draw, data: bytes) -> bytes:
    """A zip-based workbook with one member mutated and the archive rebuilt."""
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        members = {i.filename: zf.read(i) for i in zf.infolist()}
    name = draw(st.sampled_from(sorted(members)))
    members[name] = draw(mutation(members[name]))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for member, body in members.items():
            zf.writestr(member, body)
    return buf.getvalue()


@st.composite
def inside_xls(draw) -> bytes:
    """An .xls whose workbook stream is mutated and the compound file rebuilt."""
    stream = workbook_stream(survey_cells(draw(st.integers(1, 150))), globals_extra=sst(2, ["a", "b"]))
    return xls(draw(mutation(stream))).bytes()


def table_files():
    names = sorted(SEEDS)
    return st.one_of(
        st.binary(max_size=4096),
        st.sampled_from(names).flatmap(lambda n: mutation(SEEDS[n])),
        st.sampled_from(["xlsx", "ods", "plan xlsx"]).flatmap(lambda n: inside_zip(SEEDS[n])),
        inside_xls(),
    )


def mapping_files():
    texts = st.text(max_size=40)
    objects = st.dictionaries(texts, st.one_of(texts, st.sampled_from(["M1", "L6", "Z9"]), st.integers()), max_size=8)
    return st.one_of(
        st.binary(max_size=2048),
        objects.map(lambda d: __import__("json").dumps(d).encode()),
        st.integers(1, 20_000).map(lambda n: b'{"a": ' * n + b'"M1"' + b"}" * n),
        st.text(alphabet='{}[]":,M1 \\', max_size=400).map(str.encode),
    )


class _Slow(Exception):
    pass


def _alarm(_signum, _frame):
    raise _Slow("one input took more than 60 s before its child was even asked")


stopped: list[bytes] = []


def _check(call, data: bytes, allowed: tuple[type[BaseException], ...]) -> None:
    old = signal.signal(signal.SIGALRM, _alarm)
    signal.alarm(60)  # the checks before parsing run in this process: a hang there is a bug
    try:
        call(data)
    except isolation.UnsafeFileError:
        stopped.append(data)
        if SAVE:
            Path(SAVE).mkdir(parents=True, exist_ok=True)
            (Path(SAVE) / f"stopped-{len(stopped)}.bin").write_bytes(data)
        if STRICT:
            raise
    except allowed as exc:
        text = str(exc)
        assert text and "\n" not in text and "Traceback" not in text, text
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)


TARGETS = {
    "survey": (table_files, lambda d: read_survey(d, file_name="upload.xlsx"), (ReadError,)),
    "plan": (table_files, lambda d: read_plan(d, "plan.xlsx"), (ActionPlanError,)),
    "mapping": (mapping_files, read_column_map, (ReadError,)),
}


@pytest.mark.parametrize("target", TARGETS)
def test_fuzz_through_the_gate(target, monkeypatch):
    """As many examples as the target's share of the budget allows."""
    monkeypatch.setenv("LEARN_PARSER_MEMORY_MB", "768")  # a parser gone astray stops sooner
    monkeypatch.setenv("LEARN_PARSER_CPU_SECONDS", "10")
    strategy, call, allowed = TARGETS[target]
    share = BUDGET / len(TARGETS)
    deadline = time.monotonic() + share
    examples = batch = 0

    def one(data):
        nonlocal examples
        examples += 1
        _check(call, data, allowed)

    while time.monotonic() < deadline:
        run = settings(max_examples=20, deadline=None, database=None, phases=[Phase.generate, Phase.shrink],
                       suppress_health_check=list(HealthCheck))(given(strategy())(one))
        seed(20261202 + batch)(run)()
        batch += 1
    print(f"fuzz {target}: {examples} examples in {batch} batches, {len(stopped)} stopped in their child")
    assert examples >= 20
    good = read_survey(SEEDS["xlsx"], file_name="gut.xlsx")  # the process and its children still work
    assert good.answers["M1"].tolist() == [4.0, 2.0]
    if stopped:
        warnings.warn(f"{len(stopped)} inputs had to be stopped in their child (see LEARN_FUZZ_SAVE)", stacklevel=1)
