"""`python -m newsroom`: the same command line as `newsroom` and `python build.py`."""

from newsroom.cli import main

raise SystemExit(main())
