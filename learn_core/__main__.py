"""``python -m learn_core`` – see :mod:`learn_core.cli`."""

import os
import sys

# One BLAS thread for the command line, set before numpy loads: its matrices are
# respondents × 24 at most, and OpenBLAS's idle threads wait by spinning, which cost
# 0.3 s of CPU on a 100,000-respondent file and saved no wall time. Set by the caller, it stays.
for _name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_name, "1")

from learn_core.cli import main  # noqa: E402

sys.exit(main())
