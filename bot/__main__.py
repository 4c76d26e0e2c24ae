"""``python -m bot`` is the same as the ``staffroom`` command."""

import sys

from bot.cli import main

sys.exit(main())
