"""The analysis of a decoded survey: scoring (:mod:`.scoring`), privacy
(:mod:`.privacy`), statistics (:mod:`.statistics`, :mod:`.distributions`),
the whole analysis (:mod:`.compute`) with the open comments it may show
(:mod:`.comments`), the leader-vs-staff gap (:mod:`.gaps`), the departments'
rank bands (:mod:`.benchmark`) and the comparison of survey waves (:mod:`.waves`)."""

from learn_core.analysis.compute import (
    NO_GROUPS,
    STRENGTH_MARGIN,
    Analysis,
    analyse,
    analyse_upload,
)

__all__ = ["NO_GROUPS", "STRENGTH_MARGIN", "Analysis", "analyse", "analyse_upload"]
