"""``python -m learn_core`` – see :mod:`learn_core.cli`."""

import sys

from learn_core.cli import main

sys.exit(main())
