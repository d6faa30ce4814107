"""learn_core – the functional core of the LEARN dashboard.

Reading, validating and scoring LEARN self-check surveys, privacy
(minimum group size), statistics, Kaizen recommendations, charts, reports
and the live-workshop store. Free of any UI framework; nothing is read or
written at import time.
"""

__version__ = "0.1.0"
