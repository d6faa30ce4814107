"""How a measure of the catalogue is shown so that a Kommune can act on it:
who carries it, what it costs, when a first result shows, how to see
success at the next survey wave, and what to settle before the start
(Personalrat, data protection) — always as words, never as a colour only.

The Maßnahmen page, the PDF and the Excel report take these texts from
here, so all three say the same.
"""

from __future__ import annotations

from learn_core.i18n import t
from learn_core.recommendations import AREAS, Recommendation, indicator_text

__all__ = ["by_area", "check_sentences", "checks_text", "indicator_text", "measure_facts", "measure_markdown"]


def check_sentences(rec: Recommendation, lang: str = "de") -> list[str]:
    """One sentence per check the measure needs before its start: involve the
    Personalrat (``codetermination``), check data protection
    (``data_protection``); empty when it needs neither."""
    keys = [key for key, needed in (("codetermination", rec.codetermination),
                                    ("data_protection", rec.data_protection)) if needed]
    return [t(f"massnahmen.{key}", lang) for key in keys]


def checks_text(rec: Recommendation, lang: str = "de") -> str:
    """The check sentences joined, or the sentence that neither is needed."""
    return " ".join(check_sentences(rec, lang)) or t("massnahmen.no_checks", lang)


def measure_facts(rec: Recommendation, lang: str = "de") -> list[tuple[str, str]]:
    """(label, text) pairs for acting on a measure: owner, costs, first
    result, success indicator, what to settle before the start."""
    return [
        (t("massnahmen.col_owner", lang), rec.owner_name(lang)),
        (t("massnahmen.cost", lang), rec.cost_name(lang)),
        (t("massnahmen.first_result", lang), rec.first_result_name(lang)),
        (t("massnahmen.indicator", lang), indicator_text(rec, lang)),
        (t("massnahmen.checks", lang), checks_text(rec, lang)),
    ]


def measure_markdown(rec: Recommendation, dimension_name: str, lang: str = "de") -> str:
    """A measure's card as Markdown: title, tags, why, then its facts one per
    line (the catalogue is the product's own text, not user data)."""
    tags = " · ".join([dimension_name, rec.method(lang), rec.area_name(lang),
                       f"{t('massnahmen.effort', lang)}: {rec.effort_name(lang)}", rec.horizon_name(lang)])
    facts = "  \n".join(f"**{label}:** {text}" for label, text in measure_facts(rec, lang))
    return f"**{rec.title(lang)}**  \n{tags}\n\n{rec.why(lang)}\n\n{facts}"


def by_area(measures: list[Recommendation], lang: str = "de") -> list[tuple[str, list[Recommendation]]]:
    """The measures under the four action areas of the study's
    recommendations: (area name in ``lang``, its measures), in
    :data:`~learn_core.recommendations.AREAS` order; each area is there (an
    empty list when none of the measures belongs to it), the measures keep
    their order within an area."""
    return [(names[1] if lang == "en" else names[0], [m for m in measures if m.area == area])
            for area, names in AREAS.items()]
