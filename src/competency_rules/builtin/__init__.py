"""The built-in moderation rules, registered as an ordinary plugin through the public hook.

Each rule lives in its own module (its docstring is its documentation); this module only lists them.
"""

from __future__ import annotations

import importlib
from collections.abc import Sequence

from .._api import Rule
from ..hookspecs import hookimpl

#: Modules of the built-in rules, in the order `competency rules` lists them.
RULE_MODULES = (
    "unknown_competency",
    "duplicate_competency",
    "level_off_scale",
    "missing_core",
    "management_on_non_manager",
    "missing_management",
    "kind_mismatch",
    "missing_rationale",
    "framework_mismatch",
    "invalid_suppression",
    "duplicate_role",
    "sibling_inconsistency",
    "cross_organisation_inconsistency",
    "copied_rationale",
    "rule_crashed",
)


@hookimpl
def competency_register_rules() -> Sequence[Rule]:
    """Every built-in rule."""
    rules = []
    for name in RULE_MODULES:
        module = importlib.import_module(f"{__name__}.{name}")
        rules.append(module.rule)
    return rules
