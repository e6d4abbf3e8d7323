"""``python -m competency``: the command line."""

from competency.cli.main import entry

entry()
