"""``python -m competency.cli``."""

from competency.cli.main import entry

entry()
