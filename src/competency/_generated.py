"""Keeping generated files (schemas, rendered framework pages) in step with the code that makes them.

Each generator knows *what* its files should say; this module alone decides what to do about a file
that differs: write it, or report it as stale with the command that regenerates it.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

__all__ = ["sync_generated"]


def sync_generated(files: Mapping[Path, str], *, write: bool, command: str) -> int:
    """Write (``write=True``) or check each ``path -> text``; returns 1 when a file is stale, else 0."""
    stale = 0
    for path, text in files.items():
        if path.is_file() and path.read_text(encoding="utf-8") == text:
            continue
        if write:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
            print(f"wrote {path}")
        else:
            print(f"stale: {path} (run: {command})")
            stale += 1
    return 1 if stale else 0
