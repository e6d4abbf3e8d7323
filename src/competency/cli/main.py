"""Entry point of the ``competency`` command: argument parsing, dispatch, and exit codes.

Each sub-command lives in its own module (``cmd_<name>.py``) with ``register(subparsers)`` and
``run(args) -> int``. Modules are imported only to register their arguments, and each keeps its heavy
imports inside ``run`` so that ``competency check`` on one file starts fast.

Exit codes (docs/cli.md): 0 no finding at or above ``--fail-on``; 1 findings at or above it; 2 usage,
configuration or input error (nothing checked); 3 a rule crashed (check incomplete); 4 internal error.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence
from typing import Any

__all__ = ["COMMANDS", "EXIT_CRASH", "EXIT_FINDINGS", "EXIT_INTERNAL", "EXIT_OK", "EXIT_USAGE", "main"]

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_USAGE = 2
EXIT_CRASH = 3
EXIT_INTERNAL = 4

#: Sub-command name -> module (in competency.cli) implementing it, in the order `--help` lists them.
COMMANDS: dict[str, str] = {
    "check": "cmd_check",
    "report": "cmd_report",
    "frameworks": "cmd_frameworks",
    "show": "cmd_show",
    "rules": "cmd_rules",
    "template": "cmd_template",
    "diff": "cmd_diff",
    "lint-framework": "cmd_lint_framework",
    "schema": "cmd_schema",
}


def _columns() -> int:
    """The terminal's width as ``shutil.get_terminal_size`` finds it: ``COLUMNS``, the terminal, or 80."""
    try:
        columns = int(os.environ["COLUMNS"])
    except (KeyError, ValueError):
        columns = 0
    if columns <= 0:
        try:
            columns = os.get_terminal_size(sys.__stdout__.fileno()).columns  # type: ignore[union-attr]
        except (AttributeError, ValueError, OSError):
            columns = 0
    return columns or 80


class _Formatter(argparse.HelpFormatter):
    """argparse's help layout at argparse's width, without importing shutil for it: argparse builds a
    formatter for every argument added, so that import was on the start-up path of every command."""

    def __init__(
        self, prog: str, indent_increment: int = 2, max_help_position: int = 24, width: int | None = None
    ) -> None:
        super().__init__(
            prog, indent_increment, max_help_position, _columns() - 2 if width is None else width
        )


class _Parser(argparse.ArgumentParser):
    """argparse, with usage errors on one line and exit code 2."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", _Formatter)
        super().__init__(*args, **kwargs)

    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message} (see '{self.prog} --help')\n")


def build_parser() -> argparse.ArgumentParser:
    """The full argument parser (every available sub-command)."""
    from competency import __version__

    parser = _Parser(
        prog="competency",
        description="Competency frameworks and Role Competencies Profiles: show, check, report.",
    )
    parser.add_argument("--version", action="version", version=f"competency {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for name, module_name in COMMANDS.items():
        try:
            module = importlib.import_module(f"competency.cli.{module_name}")
        except ModuleNotFoundError as exc:
            if exc.name == f"competency.cli.{module_name}":
                continue  # not part of this build
            raise
        module.register(subparsers, name)
    return parser


def _parser_for(argv: Sequence[str]) -> argparse.ArgumentParser:
    """Only the sub-command being run is registered, so start-up imports one command module."""
    name = next((a for a in argv if not a.startswith("-")), None)
    if name not in COMMANDS:
        return build_parser()
    from competency import __version__

    parser = _Parser(prog="competency")
    parser.add_argument("--version", action="version", version=f"competency {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    try:
        module = importlib.import_module(f"competency.cli.{COMMANDS[name]}")
    except ModuleNotFoundError as exc:
        if exc.name != f"competency.cli.{COMMANDS[name]}":
            raise
        return build_parser()  # not part of this build: argparse reports the unknown command
    module.register(subparsers, name)
    return parser


def main(argv: Sequence[str] | None = None, *, leave_quickly: bool = False) -> int:
    """Run the command line; returns the exit code (and exits with it when run as a script).

    ``leave_quickly`` (the console script's choice) lets a command that has built a model end the
    process as soon as its report is written, rather than free its objects one by one first (10⁶ of
    them after 10⁵ roles).
    """
    args_list = list(sys.argv[1:] if argv is None else argv)
    parser = _parser_for(args_list)
    args = parser.parse_args(args_list)
    args.leave_quickly = leave_quickly
    if not getattr(args, "command", None):
        parser.print_help()
        return EXIT_USAGE
    from competency._errors import CompetencyError

    try:
        code: int = args.run(args)
    except CompetencyError as exc:
        print(f"competency: error: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("competency: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_OK
    except Exception as exc:  # a bug: one line, unless debugging
        if os.environ.get("COMPETENCY_DEBUG"):
            raise
        print(
            f"competency: internal error: {type(exc).__name__}: {exc} "
            "(set COMPETENCY_DEBUG=1 for details, and please report it)",
            file=sys.stderr,
        )
        return EXIT_INTERNAL
    return code


def entry() -> None:
    """Console-script entry point.

    Once the command has written everything, a normal exit would still have the interpreter free every
    module and object one by one: 10 ms, a tenth of a one-role check (mypy ends the same way, for the
    same reason). The streams are flushed first, so no output is lost; if flushing fails (a closed
    pipe, a full disk), the process exits normally and reports it as it always has.
    """
    code = main(leave_quickly=True)
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except BaseException:
        sys.exit(code)
    os._exit(code)


if __name__ == "__main__":
    entry()
