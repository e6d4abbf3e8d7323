"""competency_rules: the moderation-rule plugin API of `competency`, and the built-in rules.

Writing a rule (docs/plugins.md walks through it)::

    from competency_rules import Option, Severity, hookimpl, profile_rule

    @profile_rule(id="director-external-moderation", summary="...", severity=Severity.ERROR)
    def rule(profile, ctx):
        if ...:
            yield ctx.problem("...")

    @hookimpl
    def competency_register_rules():
        return [rule]
"""

from __future__ import annotations

from competency._findings import Finding, Severity

from ._api import (
    Option,
    Problem,
    ProfileView,
    Resolution,
    ResolvedEntry,
    Rule,
    RuleContext,
    Scope,
    ShardedSetRule,
    profile_rule,
    set_rule,
)
from ._manager import ENTRY_POINT_GROUP, LoadedRules, load_rules
from .hookspecs import PROJECT, hookimpl, hookspec

__all__ = [
    "ENTRY_POINT_GROUP",
    "PROJECT",
    "Finding",
    "LoadedRules",
    "Option",
    "Problem",
    "ProfileView",
    "Resolution",
    "ResolvedEntry",
    "Rule",
    "RuleContext",
    "Scope",
    "Severity",
    "ShardedSetRule",
    "hookimpl",
    "hookspec",
    "load_rules",
    "profile_rule",
    "set_rule",
]
