"""Build the site whose site_config.yaml is in the current folder: `python build.py --help`."""

from newsroom.cli import main

if __name__ == "__main__":
    raise SystemExit(main())
