"""A TOML writer that always spells tables and arrays of tables with headers.

tomli-w writes every value correctly but folds short arrays of tables into inline tables; a profile
file whose ``[[roles.competencies]]`` became one long inline array would be hard to edit by hand and
would lose the line numbers findings point at. This module decides only the *layout* (headers for every
table and array of tables); each key = value line is still written by tomli-w.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

import tomli_w

__all__ = ["dumps"]

_BARE_KEY = re.compile(r"^[A-Za-z0-9_-]+$")


def _key(part: str) -> str:
    return part if _BARE_KEY.match(part) else json.dumps(part, ensure_ascii=False)


def _is_aot(value: Any) -> bool:
    return isinstance(value, list) and bool(value) and all(isinstance(v, Mapping) for v in value)


def dumps(data: Mapping[str, Any]) -> str:
    """TOML text for ``data``: scalars first, then every table and array of tables under a header."""
    chunks: list[str] = []
    _table(data, (), chunks, header=None)
    return "".join(chunks).lstrip("\n")


def _table(data: Mapping[str, Any], path: tuple[str, ...], chunks: list[str], header: str | None) -> None:
    literals = {k: v for k, v in data.items() if not isinstance(v, Mapping) and not _is_aot(v)}
    if header is not None:
        chunks.append(f"\n{header}\n")
    if literals:
        chunks.append(tomli_w.dumps(literals, indent=2))
    for key, value in data.items():
        sub = (*path, key)
        dotted = ".".join(_key(p) for p in sub)
        if isinstance(value, Mapping):
            _table(value, sub, chunks, header=f"[{dotted}]")
        elif _is_aot(value):
            for item in value:
                _table(item, sub, chunks, header=f"[[{dotted}]]")
