"""rule-crashed: a rule raised an exception, so the check is incomplete.

Reported by the checker itself, never by a plugin: when a rule (built-in or from a plugin) raises, the
run goes on with the other rules, this finding names the rule and the exception (and how many roles it
failed on), and `competency check` exits with code 3 so that an incomplete check is never mistaken for a
clean one. An installed plugin package that cannot be loaded is reported the same way.

This finding cannot be suppressed in a profile.

What to do: report the exception to the rule's author; meanwhile `--ignore RULE` runs the rest
cleanly.
"""

from __future__ import annotations

from collections.abc import Iterator

from competency._findings import Severity

from .._api import Problem, ProfileView, Rule, RuleContext


def _never(profile: ProfileView, ctx: RuleContext) -> Iterator[Problem]:
    return iter(())


rule = Rule(
    id="rule-crashed",
    summary="a rule raised an exception; the check is incomplete (exit 3)",
    severity=Severity.ERROR,
    scope="engine",
    check=_never,
    docs=__doc__ or "",
)
