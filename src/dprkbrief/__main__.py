"""``python -m dprkbrief``."""

import sys

from dprkbrief.cli import main

sys.exit(main())
