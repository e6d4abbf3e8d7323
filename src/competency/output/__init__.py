"""Renderers for check results: one module per output format of ``competency check``.

Each module has ``render(result, *, profiles=None, framework=None, rules=None, color=False)``, returning
``str`` (``bytes`` for :mod:`~competency.output.csv`, which carries a byte-order mark for Excel).
``profiles``, ``framework`` and ``rules`` are optional context a format may use (the text report names
the framework; SARIF describes the rules); the findings themselves always come from ``result``.
docs/output.md documents every format.

Modules are imported only when their format is asked for, so the command line pays for one.
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from competency._findings import CheckResult
    from competency._framework import Framework
    from competency._profile import RoleProfile

__all__ = ["FORMATS", "render"]

#: Output formats, by name, and the module that renders each.
FORMATS: dict[str, str] = {"text": "text", "json": "json", "sarif": "sarif", "csv": "csv"}


def render(
    format: str,
    result: CheckResult,
    *,
    profiles: Sequence[RoleProfile] | None = None,
    framework: Framework | None = None,
    rules: Mapping[str, Any] | None = None,
    color: bool = False,
) -> str | bytes:
    """``result`` in ``format`` ("text", "json", "sarif" or "csv")."""
    module_name = FORMATS.get(format)
    if module_name is None:
        raise ValueError(f"unknown output format {format!r} (expected {', '.join(FORMATS)})")
    module = importlib.import_module(f"{__name__}.{module_name}")
    out: str | bytes = module.render(result, profiles=profiles, framework=framework, rules=rules, color=color)
    return out
