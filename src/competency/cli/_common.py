"""Helpers shared by the sub-commands: output destinations and common arguments."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def add_output_argument(parser: argparse.ArgumentParser) -> None:
    """``-o/--output FILE``: write there (atomically) instead of standard output."""
    parser.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead of standard output")


def emit(text: str, output: str | None, *, encoding: str = "utf-8") -> None:
    """Print ``text``, or write it atomically to ``output``."""
    if output in (None, "-"):
        sys.stdout.write(text)
        if text and not text.endswith("\n"):
            sys.stdout.write("\n")
        return
    from competency._loading import write_bytes_atomic

    write_bytes_atomic(Path(output), text.encode(encoding))


def wrap(text: str, indent: str = "", width: int = 100) -> str:
    """``text`` wrapped for a terminal, each line starting with ``indent``."""
    import textwrap

    return textwrap.fill(text, width=width, initial_indent=indent, subsequent_indent=" " * len(indent))


#: Severity names accepted by ``--fail-on`` and ``--severity RULE=LEVEL``.
SEVERITIES = ("error", "warning", "info")


def rule_ids(text: str) -> list[str]:
    """``"a, b,c"`` -> ``["a", "b", "c"]`` (comma-separated rule ids, for --select and --ignore)."""
    return [part.strip() for part in text.split(",") if part.strip()]


def severity_override(text: str) -> tuple[str, str]:
    """``"missing-rationale=warning"`` -> ``("missing-rationale", "warning")`` (for --severity)."""
    rule, sep, level = text.partition("=")
    if not sep or not rule.strip() or not level.strip():
        raise argparse.ArgumentTypeError(
            f"expected RULE=LEVEL (e.g. missing-rationale=warning), got {text!r}"
        )
    return rule.strip(), level.strip()


def add_check_arguments(parser: argparse.ArgumentParser) -> None:
    """The flags every command that runs the checker shares (``check``, ``report``): the framework,
    rule selection and severities, plugins, configuration, and how to read the inputs."""
    parser.add_argument(
        "--framework", metavar="ID_OR_PATH", help="framework to check against (bundled id or TOML file)"
    )
    parser.add_argument(
        "--select", metavar="IDS", type=rule_ids, help="run only these rules (comma-separated)"
    )
    parser.add_argument(
        "--ignore", metavar="IDS", type=rule_ids, help="do not run these rules (comma-separated)"
    )
    parser.add_argument(
        "--severity",
        metavar="RULE=LEVEL",
        type=severity_override,
        action="append",
        default=[],
        help="report RULE's findings at LEVEL (error, warning, info); repeatable",
    )
    parser.add_argument(
        "--plugin",
        metavar="MODULE_OR_PATH",
        action="append",
        default=[],
        dest="plugins",
        help="load rules from a local plugin module or .py file; repeatable",
    )
    parser.add_argument(
        "--config", metavar="FILE", help="configuration file (default: found from here upwards)"
    )
    parser.add_argument(
        "--encoding", metavar="ENC", help="encoding of CSV files (e.g. cp1252 for Excel exports)"
    )
    parser.add_argument(
        "--sheet", metavar="NAME", help="worksheet to read in .xlsx files (default: the first)"
    )
    parser.add_argument("--baseline", metavar="FILE", help="show only findings that are not in this baseline")
