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
