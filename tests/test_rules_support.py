"""Shared helpers for the built-in rule tests (tests/test_rules_*.py): frameworks, clean profiles, findings.

Imported by the rule tests as ``from test_rules_support import ...`` (pytest puts tests/ on sys.path).
Besides the helpers it holds one test: the "clean" profiles really are clean, so that every "does not
fire" test starts from a profile no rule objects to.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping

from check_data import CORE, MANAGEMENT  # the CDC/SNC competency names, spelled once for all tests
from competency import CheckConfig, Checker, Finding, Framework, RoleProfile, load_framework
from competency_rules.testing import EntrySpec, make_profile

CDC_ID = "cdc-snc-2015"
GLASGOW_ID = "glasgow-leadership"
CDC_ORG = "Cherwell District Council"
SNC_ORG = "South Northamptonshire Council"


@functools.cache
def framework(framework_id: str) -> Framework:
    """A bundled framework, loaded once per test session."""
    return load_framework(framework_id)


def cdc() -> Framework:
    return framework(CDC_ID)


def glasgow() -> Framework:
    return framework(GLASGOW_ID)


def cdc_levels(level: str = "D", *, managerial: bool = False) -> dict[str, EntrySpec]:
    """Every competency a CDC/SNC role needs, at ``level``."""
    names = CORE + (MANAGEMENT if managerial else ())
    return {name: level for name in names}


def glasgow_levels(level: str = "2") -> dict[str, EntrySpec]:
    """All fifteen Glasgow competencies (by name) at ``level`` (every one has at least three levels)."""
    return {comp.name: level for comp in glasgow().competencies}


def cdc_role(
    role_id: str = "CDC-1",
    level: str = "D",
    *,
    managerial: bool = False,
    levels: Mapping[str, EntrySpec] | None = None,
    **kwargs: object,
) -> RoleProfile:
    """A clean CDC/SNC RCP (every rule quiet), optionally with some entries replaced."""
    merged = cdc_levels(level, managerial=managerial)
    merged.update(levels or {})
    kwargs.setdefault("title", f"Role {role_id}")
    return make_profile(merged, id=role_id, managerial=managerial, **kwargs)  # type: ignore[arg-type]


def all_findings(profiles: Iterable[RoleProfile], fw: Framework, **config: object) -> list[Finding]:
    """Every built-in rule's findings (installed plugins not loaded)."""
    checker = Checker(fw, CheckConfig(entry_points=False, **config))  # type: ignore[arg-type]
    return list(checker.check(list(profiles)).findings)


def brief(findings: Iterable[Finding]) -> list[tuple[str, str | None, str | None, str]]:
    """``(rule, role, competency, severity)`` per finding, sorted — what most assertions compare."""
    return sorted((f.rule, f.role, f.competency, f.severity.value) for f in findings)


def test_clean_profiles_are_clean() -> None:
    profiles = [
        cdc_role("CDC-1"),
        cdc_role("CDC-2", "E", managerial=True),
        make_profile(glasgow_levels("3"), id="GCC-1"),
    ]
    assert all_findings(profiles[:2], cdc()) == []
    assert all_findings(profiles[2:], glasgow()) == []
