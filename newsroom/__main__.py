"""`python -m newsroom`: the same command line as `newsroom` and `python build.py`."""

try:
    from newsroom.cli import main
except KeyboardInterrupt:  # Ctrl-C before newsroom had even started: nothing was done
    raise SystemExit(130) from None

raise SystemExit(main())
