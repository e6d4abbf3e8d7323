"""The hooks a `competency` plugin implements (pluggy project name ``competency``).

A plugin is any module or object with functions marked ``@competency_rules.hookimpl``. Built-in rules,
rules from installed packages (entry-point group ``competency.rules``) and local rules named with
``--plugin`` all register through these same hooks.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import pluggy

if TYPE_CHECKING:
    from ._api import Rule

__all__ = ["PROJECT", "competency_register_rules", "hookimpl", "hookspec"]

#: The pluggy project name.
PROJECT = "competency"

hookspec = pluggy.HookspecMarker(PROJECT)
#: Mark a plugin's implementation of a hook: ``@hookimpl def competency_register_rules(): ...``.
hookimpl = pluggy.HookimplMarker(PROJECT)


@hookspec
def competency_register_rules() -> Sequence[Rule]:
    """Return the rules this plugin contributes (objects made by ``@profile_rule`` / ``@set_rule``).

    Called once per checker. Every rule id must be unique across all plugins; a clash is an error that
    names both sources.
    """
    raise NotImplementedError
