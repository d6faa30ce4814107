#!/bin/sh
# Start the LEARN dashboard: the container's entry point, usable outside one
# too (LEARN_APP_DIR: the folder with app.py, default /app). Streamlit's own
# variables set the address and port (STREAMLIT_SERVER_ADDRESS, _PORT).
set -eu
cd "${LEARN_APP_DIR:-/app}"
# The settings first: a bad value stops here with one German sentence (exit 2),
# before a server starts that would refuse every page.
python -m learn_core settings >/dev/null
# One BLAS thread per server process unless set otherwise: the analysis' matrices are
# respondents × 24, and OpenBLAS's idle threads wait by spinning, taking the CPU the other
# sessions need (on a 100,000-respondent file 0.3 s of CPU per analysis, no wall time saved).
export OPENBLAS_NUM_THREADS="${OPENBLAS_NUM_THREADS:-1}" OMP_NUM_THREADS="${OMP_NUM_THREADS:-1}" \
    MKL_NUM_THREADS="${MKL_NUM_THREADS:-1}"
exec python -m streamlit run app.py "$@"
