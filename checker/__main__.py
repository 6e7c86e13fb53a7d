"""Entry point: ``python -m checker``."""

import sys

from .present.cli import main

sys.exit(main())
