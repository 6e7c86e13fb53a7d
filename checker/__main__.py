"""Entry point: ``python -m checker``."""

import os
import sys
import threading

from .present.cli import main

code = main()
if any(t.is_alive() and not t.daemon for t in threading.enumerate() if t is not threading.main_thread()):
    # a real thread some model started (refused when loading it) must not keep the command from exiting
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)
sys.exit(code)
