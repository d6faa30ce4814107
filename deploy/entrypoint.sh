#!/bin/sh
# Start the LEARN dashboard: the container's entry point, usable outside one
# too (LEARN_APP_DIR: the folder with app.py, default /app). Streamlit's own
# variables set the address and port (STREAMLIT_SERVER_ADDRESS, _PORT).
set -eu
cd "${LEARN_APP_DIR:-/app}"
# The settings first: a bad value stops here with one German sentence (exit 2),
# before a server starts that would refuse every page.
python -m learn_core settings >/dev/null
exec python -m streamlit run app.py "$@"
