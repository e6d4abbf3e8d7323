"""Helpers for testing moderation rules: run one rule over a few profiles, and build profiles tersely.

For plugin authors (docs/plugins.md) and for the project's own tests. :func:`run_rule` runs a rule
through a real :class:`competency.Checker` — the same option checking, severity overrides, suppressions
and crash isolation as ``competency check`` — so a test sees exactly what a council's HR officer would::

    from competency_rules.testing import make_profile, run_rule
    from my_council_rules import rule

    def test_director_needs_external_moderation():
        director = make_profile({"Communication": ("G", "Leads the council's communications strategy.")},
                                title="Director of Place", managerial=True)
        findings = run_rule(rule, [director], "cdc-snc-2015")
        assert [f.rule for f in findings] == ["director-external-moderation"]

:func:`make_profile` builds a :class:`~competency.RoleProfile` from a dict of competency → level (or
``(level, rationale)``, or a full :class:`~competency.ProfileEntry`), with defaults for everything else.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import attrs

from competency._findings import Finding, Severity
from competency._framework import Framework
from competency._profile import (
    FrameworkRef,
    MetadataValue,
    ProfileEntry,
    Provenance,
    RoleProfile,
    SourceLocation,
    Suppression,
)

from ._api import Rule
from .hookspecs import hookimpl

__all__ = ["EntrySpec", "make_profile", "run_rule", "suppressions"]

#: What :func:`make_profile` accepts per competency: a level (``None``: no level), ``(level, rationale)``,
#: ``(level, rationale, type)``, or a ready-made :class:`~competency.ProfileEntry`.
EntrySpec = str | int | None | tuple[Any, ...] | ProfileEntry


class _InlinePlugin:
    """A plugin contributing one rule object, for :func:`run_rule` given a rule rather than an id."""

    def __init__(self, rule: Rule) -> None:
        self._rule = rule

    @hookimpl
    def competency_register_rules(self) -> Sequence[Rule]:
        return [self._rule]


def run_rule(
    rule_or_id: Rule | str,
    profiles: Iterable[RoleProfile],
    framework: Framework | str,
    *,
    options: Mapping[str, Any] | None = None,
    plugins: Sequence[object] = (),
    severity: Severity | str | None = None,
) -> list[Finding]:
    """Run one rule over ``profiles`` with a real checker and return its findings.

    ``rule_or_id`` is a rule object (made with ``@profile_rule`` / ``@set_rule``; it is registered for
    this run unless a plugin already provides it) or the id of a built-in rule or of a rule from
    ``plugins`` (plugin objects, module names or paths, as ``--plugin`` takes). ``options`` are the
    rule's options, checked as configuration is; ``severity`` overrides its default severity.

    Installed plugin packages are not loaded, so a test does not depend on what else is installed.
    A rule that raises gives a ``rule-crashed`` finding naming the exception, as on the command line.
    Unknown rule ids and bad options raise :class:`~competency.UnknownRuleError` /
    :class:`~competency.ConfigError`.
    """
    from competency.checking import CheckConfig, Checker

    from ._manager import load_rules

    extra: list[object] = list(plugins)
    if isinstance(rule_or_id, Rule):
        rule_id = rule_or_id.id
        known = load_rules(extra, entry_points=False).rules
        existing = known.get(rule_id)
        if existing is None:
            extra.append(_InlinePlugin(rule_or_id))
        elif existing.check is not rule_or_id.check:
            from competency._errors import PluginError

            raise PluginError(
                f"rule id {rule_id!r} is already provided by {existing.source!r}; give the rule a new id"
            )
    else:
        rule_id = rule_or_id
    config = CheckConfig(
        select=(rule_id,),
        options={rule_id: dict(options)} if options else {},
        severity={rule_id: Severity.parse(severity)} if severity is not None else {},
        entry_points=False,
    )
    checker = Checker(framework, config, plugins=extra)
    return list(checker.check(list(profiles)).findings)


def suppressions(spec: Mapping[str, str] | Iterable[Suppression] | None) -> tuple[Suppression, ...]:
    """``{"rule-id": "reason"}`` (or suppressions as they are) -> a tuple of :class:`Suppression`."""
    if spec is None:
        return ()
    if isinstance(spec, Mapping):
        return tuple(Suppression(rule, reason) for rule, reason in spec.items())
    return tuple(spec)


def _entry(name: str, spec: EntrySpec, title: str, location: SourceLocation | None) -> ProfileEntry:
    if isinstance(spec, ProfileEntry):
        if spec.location is not None or location is None:
            return spec
        return attrs.evolve(spec, location=location)
    rationale: str | None = None
    type_: str | None = None
    if isinstance(spec, tuple):
        level, *rest = spec
        if rest:
            rationale = rest[0]
        if len(rest) > 1:
            type_ = rest[1]
    else:
        level = spec
    text = None if level is None else str(level)
    if rationale is None:
        rationale = f"The {title} role needs {name} at level {text} for the duties in its job description."
    return ProfileEntry(name, text, rationale, type_, (), location)


def make_profile(
    levels: Mapping[str, EntrySpec] | Iterable[tuple[str, EntrySpec]] | None = None,
    *,
    id: str = "R1",
    title: str | None = None,
    organisation: str | None = None,
    family: str | None = None,
    managerial: bool = False,
    framework: str | FrameworkRef | tuple[str, str] | None = None,
    ignore: Mapping[str, str] | Iterable[Suppression] | None = None,
    entry_ignore: Mapping[str, Mapping[str, str]] | None = None,
    grade: str | None = None,
    provenance: Provenance | None = None,
    metadata: Mapping[str, MetadataValue] | None = None,
    path: str | None = None,
) -> RoleProfile:
    """A :class:`~competency.RoleProfile` for tests, from competency → level.

    ``levels`` maps a competency name (as an RCP would write it) to a level, ``(level, rationale)``,
    ``(level, rationale, type)`` or a :class:`~competency.ProfileEntry`; entries keep the dict's order.
    A list of ``(competency, spec)`` pairs works too, for a profile that names a competency twice.
    A level without a rationale gets a distinct, realistic one, so that ``missing-rationale`` and
    ``copied-rationale`` stay quiet unless a test asks for them. ``ignore`` holds role-level
    suppressions (``{"rule-id": "reason"}``), ``entry_ignore`` entry-level ones per competency.
    With ``path``, the role gets location line 1 and its entries lines 2, 3, … of that file.
    """
    title = title if title is not None else f"Role {id}"
    ref: FrameworkRef | None
    if isinstance(framework, tuple):
        ref = FrameworkRef(*framework)
    elif isinstance(framework, str):
        ref = FrameworkRef(framework)
    else:
        ref = framework
    entries = []
    pairs = levels.items() if isinstance(levels, Mapping) else (levels or ())
    for pos, (name, spec) in enumerate(pairs):
        location = SourceLocation(path, pos + 2) if path is not None else None
        entry = _entry(name, spec, title, location)
        if entry_ignore and name in entry_ignore:
            entry = attrs.evolve(entry, ignore=entry.ignore + suppressions(entry_ignore[name]))
        entries.append(entry)
    return RoleProfile(
        id=id,
        title=title,
        competencies=tuple(entries),
        organisation=organisation,
        family=family,
        managerial=managerial,
        grade=grade,
        framework=ref,
        provenance=provenance,
        ignore=suppressions(ignore),
        metadata=dict(metadata or {}),
        location=SourceLocation(path, 1) if path is not None else None,
    )
