"""The participants' light path: what a phone's page asks the server and what
it gets back, as plain JSON-ready dicts (no web framework here).

A phone in a workshop only needs the questionnaire, one submit, the room's
released result and a few dot taps. Served as dashboard sessions, each phone
held a script run per tap and per reveal on the server (about 7 phones at
once stayed under one second; benchmarks/load_app.py). Served as one static
page that asks small questions (:class:`PhoneDesk`), a tap is one store
write and the room's result is computed once per snapshot for all phones.

The rules are those of the former dashboard page: a participant is one random id per
workshop and browser (a cookie the server sets, see
:func:`learn_core.workshop.room.participant_cookie`), answers are never
given back, the room's result only from the workshop's k answers on, wrong
codes slow the client down (:class:`learn_core.workshop.guard.JoinGuard`).
Every refusal is a :class:`PhoneRefusal` with an HTTP status and one
sentence in the participant's language.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass

from learn_core.i18n import t
from learn_core.instrument import Instrument
from learn_core.settings import Settings
from learn_core.workshop import room as live
from learn_core.workshop.errors import WorkshopInputError
from learn_core.workshop.guard import JoinGuard
from learn_core.workshop.memo import RoomMemo, phone_phase
from learn_core.workshop.store import WorkshopInfo, WorkshopStore

__all__ = ["PhoneDesk", "PhoneRefusal", "phone_texts"]

#: Most answers, groups or measures one request may carry (a phone sends 24 answers).
_MAX_ENTRIES = 200

#: The texts of the phone's page, by the name the page uses (``teilnehmen.*``
#: unless the key names its own section); ``{…}`` left in a text is filled by the page.
_PAGE_TEXTS = (
    "page_title", "code_intro", "code_label", "code_button", "step", "group_label", "group_none", "no_answer",
    "back", "next", "submit", "answered", "none_answered", "thanks", "change", "change_help", "closed", "waiting",
    "results_title", "table", "vote_title", "dots_left", "no_measures", "why", "dot_add", "dot_take", "dots_on",
    "dot_on", "results_caption_room", "this_workshop",
)  # fmt: skip
_EXTRA_TEXTS = {"privacy_title": "server.privacy_title", "privacy_short": "server.privacy_short",
                "imprint": "server.imprint", "accessibility": "server.accessibility",
                "language": "phone.language", "offline": "phone.offline", "reload": "phone.reload",
                "radar_label": "phone.radar_label", "sending": "phone.sending", "saved": "phone.saved",
                "no_cookie": "phone.no_cookie"}  # fmt: skip
_LABELLED = re.compile(r"^\*\*(?P<label>[^*]+?):?\*\*:?\s*(?P<text>.*)$", re.S)
_LINK = re.compile(r"^\[(?P<label>[^\]]+)\]\((?P<url>[^)\s]+)\)$")


class PhoneRefusal(Exception):
    """A phone's request that is not answered: ``status`` (HTTP) and
    ``message``, one sentence for the participant."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status, self.message = status, message


def _lang(value: object) -> str:
    return "en" if value == "en" else "de"


def _privacy(settings: Settings, lang: str) -> dict:
    """The Art. 13 notice as labelled lines and the link to the full statement (plain text, no markup)."""
    lines = []
    if settings["LEARN_PRIVACY_CONTROLLER"]:
        lines.append(t("server.privacy_controller", lang, value=settings["LEARN_PRIVACY_CONTROLLER"]))
    lines += [t("server.privacy_purpose", lang), t("server.privacy_voluntary", lang),
              t("server.privacy_anonymity", lang)]  # fmt: skip
    days = settings["LEARN_RETENTION_DAYS"]
    lines.append(t("server.privacy_retention", lang, days=days) if days else t("server.privacy_retention_none", lang))
    if settings["LEARN_PRIVACY_CONTACT"]:
        lines.append(t("server.privacy_contact", lang, value=settings["LEARN_PRIVACY_CONTACT"]))
    out = []
    for line in lines:
        m = _LABELLED.match(line)
        out.append({"label": m["label"].strip(), "text": m["text"].strip()} if m else {"label": "", "text": line})
    more = None
    if settings["LEARN_PRIVACY_URL"]:  # an http(s) address (checked by the settings registry)
        m = _LINK.match(t("server.privacy_more", lang, url=settings["LEARN_PRIVACY_URL"]))
        more = {"label": m["label"], "url": m["url"]} if m else None
    return {"lines": out, "more": more}


def phone_texts(lang: str, info: WorkshopInfo) -> dict[str, str]:
    """The page's texts in ``lang``, those with the workshop's k, dots and
    dots per measure filled in; the rest keep their ``{n}``-style holes."""
    out = {name: t(f"teilnehmen.{name}", lang) for name in _PAGE_TEXTS}
    out |= {name: t(key, lang) for name, key in _EXTRA_TEXTS.items()}
    out["intro"] = t("teilnehmen.intro", lang, k=info.min_group_size)
    out["too_few"] = t("teilnehmen.too_few", lang, k=info.min_group_size)
    rule = "teilnehmen.vote_rule_spread" if info.dots_per_measure == 1 else "teilnehmen.vote_rule_stack"
    out["vote_rule"] = t(rule, lang, dots=info.dots, per=info.dots_per_measure)
    return out


def _instrument(inst: Instrument, lang: str) -> dict:
    return {
        "dimensions": [{"key": d.key, "name": d.name(lang), "description": d.description(lang),
                        "items": [{"id": i.id, "text": i.text(lang)} for i in inst.items_of(d.key)]}
                       for d in inst.dimensions],
        "scale": [{"value": v, "label": label}
                  for v, label in zip(range(inst.scale.minimum, inst.scale.maximum + 1), inst.scale.labels(lang),
                                      strict=True)],
        "no_answer": live.NO_ANSWER,
    }  # fmt: skip


def _phase(info: WorkshopInfo) -> dict:
    revealed, seq, closed = phone_phase(info)
    return {"revealed": revealed, "seq": seq, "closed": closed}


@dataclass(frozen=True)
class PhoneDesk:
    """Answers a phone's requests for the workshops of ``store``.

    Parameters
    ----------
    store
        the server's workshop store.
    memo
        the server process's memo (facts read at most every ``memo.ttl``
        seconds for all phones, results once per snapshot).
    guard
        the process's rate limit of wrong codes.
    settings
        the server's settings (the data-protection notice, footer links).
    """

    store: WorkshopStore
    memo: RoomMemo
    guard: JoinGuard
    settings: Settings

    # ----------------------------------------------------------------- reading the workshop

    def _info(self, code: object, lang: str) -> WorkshopInfo:
        if not isinstance(code, str) or not re.fullmatch(r"[A-Za-z0-9 -]{1,16}", code):
            raise PhoneRefusal(404, t("errors.workshop.unknown_code", lang))
        info = self.memo.state(code.upper(), lambda c: live.attempt(self.store.workshop, c)[0])
        if info is None:  # unknown, or the store cannot be read now: ask the store once for the reason
            _, error = live.attempt(self.store.workshop, code, lang=lang)
            raise PhoneRefusal(404 if error == t("errors.workshop.unknown_code", lang) else 503,
                               error or t("errors.workshop.unknown_code", lang))
        return info

    def join(self, code: object, cookies: Mapping[str, str] | None, keys: list[str],
             lang: object = "de") -> tuple[dict, str]:  # fmt: skip
        """A phone opens the workshop ``code``: its facts, the questionnaire,
        the texts and this participant's state (submitted or not, own dots).

        ``cookies`` are the browser's (its participant id for this workshop,
        if it has one; else a new id is made); ``keys`` identify the client
        for the rate limit of wrong codes (e.g. ``address:…``: a whole room
        may share one address, so a right code does not forget its count).
        Returns the payload and the participant id for the cookie.

        Raises
        ------
        PhoneRefusal
            404 for an unknown code, 429 while the client has to wait, 503 when the store cannot be read.
        """
        lang = _lang(lang)
        if not isinstance(code, str) or not code.strip() or len(code) > 16:
            raise PhoneRefusal(404, t("errors.workshop.unknown_code", lang))
        wait = self.guard.wait(keys)
        if wait > 0:
            raise PhoneRefusal(429, t("teilnehmen.too_many", lang, seconds=math.ceil(wait)))
        info, error = live.find_workshop(self.store, code.strip(), self.guard,
                                         [f"session:{live.new_participant_id()}", *keys], lang)  # fmt: skip
        if info is None:
            raise PhoneRefusal(404 if error == t("errors.workshop.unknown_code", lang) else 503,
                               error or t("errors.workshop.unknown_code", lang))
        pid = live.known_participant(cookies, info.code)
        pid = pid or live.new_participant_id()
        sent, _ = live.attempt(self.store.has_submitted, info.code, pid)
        dots, _ = live.attempt(self.store.vote_of, info.code, pid)
        links = [{"label": t(f"server.{key}", lang), "url": self.settings[name]}
                 for key, name in (("imprint", "LEARN_IMPRINT_URL"), ("accessibility", "LEARN_ACCESSIBILITY_URL"))
                 if self.settings[name]]  # fmt: skip
        return {
            "code": info.code, "title": info.title, "groups": list(info.groups), "k": info.min_group_size,
            "dots": info.dots, "per_measure": info.dots_per_measure, "lang": lang, **_phase(info),
            "submitted": bool(sent), "given": live.allocation_of(dots or []),
            "instrument": _instrument(info.instrument, lang), "texts": phone_texts(lang, info),
            "privacy": _privacy(self.settings, lang), "links": links,
        }, pid  # fmt: skip

    def state(self, code: object, lang: object = "de") -> dict:
        """The workshop's phase for a polling phone: revealed, snapshot, closed
        (from the process's memo: 60 phones asking every second cost one
        store read per ``memo.ttl``).

        Raises
        ------
        PhoneRefusal
            404 for an unknown code, 503 when the store cannot be read.
        """
        return _phase(self._info(code, _lang(lang)))

    def results(self, code: object, lang: object = "de") -> dict:
        """The room's released result: ``n``, one entry per dimension (name,
        score 0–100, its text, level, favourable share, interval) and the
        measures to vote on; ``{"too_few": sentence}`` below the workshop's k.

        Raises
        ------
        PhoneRefusal
            409 before a reveal, 404/503 as :meth:`state`.
        """
        lang = _lang(lang)
        info = self._info(code, lang)
        if not info.revealed:
            raise PhoneRefusal(409, t("teilnehmen.waiting", lang))
        key = (info.code, info.snapshot_seq, info.min_group_size, info.title, lang, "phone")
        out = self.memo.results(key, lambda: self._compute(info, lang))
        if not isinstance(out, dict):  # never: the memo gives back what _compute returned
            raise TypeError(f"the memo holds no results for {key!r}")
        return out

    def _compute(self, info: WorkshopInfo, lang: str) -> dict:
        from learn_core.display.views import dimension_cards, matched_for

        snap = self.store.snapshot(info.code)
        inst = info.instrument  # the workshop's own version, not the default
        analysis = None if snap is None else live.room_analysis(snap[1], info.min_group_size, info.title, inst)
        if analysis is None or analysis.organisation is None:
            return {"too_few": t("teilnehmen.too_few", lang, k=info.min_group_size)}
        cards = dimension_cards(analysis, inst, lang)
        names = {d.key: d.name(lang) for d in inst.dimensions}
        return {
            "n": analysis.organisation.n,
            "dimensions": [{"key": c["key"], "name": c["name"], "score": None if c["hidden"] else c["score"],
                            "score_text": c["score_text"], "level_text": c["level_text"],
                            "favourable_text": c["favourable_text"], "ci_text": c["ci_text"],
                            "hidden_text": c["hidden_text"] if c["hidden"] else ""} for c in cards],
            "columns": [t("col.dimension", lang), t("col.score", lang), t("col.ci95", lang),
                        t("col.favourable", lang), t("col.level", lang)],
            "measures": [{"id": r.id, "title": r.title(lang), "why": r.why(lang),
                          "dimension": names.get(r.dimension, r.dimension)} for r in matched_for(analysis)[1]],
        }  # fmt: skip

    # ----------------------------------------------------------------- writing

    @staticmethod
    def _participant(cookies: Mapping[str, str] | None, info: WorkshopInfo, lang: str) -> str:
        pid = live.known_participant(cookies, info.code)
        if pid is None:
            raise PhoneRefusal(400, t("phone.no_cookie", lang))
        return pid

    def submit(self, code: object, cookies: Mapping[str, str] | None, answers: object, group: object,
               lang: object = "de") -> dict:  # fmt: skip
        """Store (or replace) this participant's answers: ``answers`` maps item
        ids to a scale value, :data:`learn_core.workshop.room.NO_ANSWER` or
        None; ``group`` is one of the workshop's groups or None.

        Raises
        ------
        PhoneRefusal
            400 without this workshop's participant cookie, for no answer or a malformed
            request; 409 when the workshop is closed; 404/503 as :meth:`state`.
        """
        lang = _lang(lang)
        info = self._info(code, lang)
        pid = self._participant(cookies, info, lang)
        if not isinstance(answers, Mapping) or len(answers) > _MAX_ENTRIES or (group is not None and not isinstance(group, str)):
            raise PhoneRefusal(400, t("phone.bad_request", lang))
        inst = info.instrument
        known = set(inst.item_ids)
        options = set(live.answer_options(inst))
        if any(k not in known or (v is not None and (type(v) is not int or v not in options)) for k, v in answers.items()):
            raise PhoneRefusal(400, t("phone.bad_request", lang))
        if not live.answered(answers):
            raise PhoneRefusal(400, t("teilnehmen.none_answered", lang))
        _, error = live.attempt(self.store.submit, info.code, pid, live.clean_answers(answers, inst),
                                group or None, lang=lang)  # fmt: skip
        if error:
            raise PhoneRefusal(409, error)
        return {"submitted": True}

    def vote(self, code: object, cookies: Mapping[str, str] | None, given: object, lang: object = "de") -> dict:
        """Store this participant's dots as a whole: ``given`` maps measure ids
        to dots (the page sends its whole allocation after each tap, so a
        repeated or reordered request cannot count a dot twice). Returns the
        stored allocation.

        Raises
        ------
        PhoneRefusal
            400 without this workshop's participant cookie, for a malformed request, too many
            dots (in all or on one measure) or an unknown measure; 409 when
            the workshop is closed or not revealed; 404/503 as :meth:`state`.
        """
        lang = _lang(lang)
        info = self._info(code, lang)
        pid = self._participant(cookies, info, lang)
        if not info.revealed:
            raise PhoneRefusal(409, t("teilnehmen.waiting", lang))
        if (not isinstance(given, Mapping) or len(given) > _MAX_ENTRIES
                or any(not isinstance(k, str) or type(v) is not int or v < 0 for k, v in given.items())):
            raise PhoneRefusal(400, t("phone.bad_request", lang))
        allocation = {k: v for k, v in given.items() if v}
        try:
            ids = live.vote_ids(allocation, info.dots)
        except WorkshopInputError:
            raise PhoneRefusal(400, t("phone.too_many_dots", lang, dots=info.dots)) from None
        _, error = live.attempt(self.store.vote, info.code, pid, ids, lang=lang)
        if error:
            raise PhoneRefusal(409 if info.closed else 400, error)
        return {"given": live.allocation_of(ids)}
