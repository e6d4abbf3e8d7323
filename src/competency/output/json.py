"""``--format json``: the versioned findings document, for other programs.

The document is :func:`competency.checking.result_to_json` (the project's cattrs converter, so a
council system calling :func:`competency.check` gets exactly the same data), dumped with two-space
indentation and without escaping non-ASCII text. docs/output.md documents every field and the
versioning policy (fields may be added without changing ``version``).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from competency._findings import CheckResult
    from competency._framework import Framework
    from competency._profile import RoleProfile

__all__ = ["render"]


def render(
    result: CheckResult,
    *,
    profiles: Sequence[RoleProfile] | None = None,
    framework: Framework | None = None,
    rules: Mapping[str, Any] | None = None,
    color: bool = False,
) -> str:
    """The JSON document for ``result``, ending with a newline."""
    from competency.checking import result_to_json

    return json.dumps(result_to_json(result), indent=2, ensure_ascii=False) + "\n"
