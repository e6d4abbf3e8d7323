"""The `competency` command line: a thin client of the library's public API."""
