"""Build the site whose site_config.yaml is in the current folder: `python build.py --help`."""

try:
    from newsroom.cli import main
except KeyboardInterrupt:  # Ctrl-C before newsroom had even started: nothing was done
    raise SystemExit(130) from None

if __name__ == "__main__":
    raise SystemExit(main())
