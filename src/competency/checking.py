"""Checking RCPs from Python: the same rules, configuration and results as ``competency check``.

>>> from competency import Checker, CheckConfig, load_framework, load_profiles
>>> checker = Checker(load_framework("cdc-snc-2015"), CheckConfig(ignore=("copied-rationale",)))
>>> result = checker.check(load_profiles("examples/cdc-snc/toml"))   # doctest: +SKIP
>>> result.complete, result.summary.by_severity                              # doctest: +SKIP

A :class:`Checker` loads its rule plugins once and keeps everything it needs on the instance: two
checkers with different configurations or plugins never affect each other, in one thread or several.
Build one per configuration and reuse it; :meth:`Checker.check_profile` checks a single RCP with the
per-profile rules, fast enough to run whenever a line manager saves a profile.
"""

from __future__ import annotations

import operator
import os
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import attrs

from ._errors import ConfigError, UnknownRuleError
from ._findings import JSON_OUTPUT_VERSION, CheckResult, Finding, Severity, Summary
from ._framework import Competency, Framework
from ._loading import load_framework
from ._profile import ProfileEntry, RoleProfile
from ._scale import Level

__all__ = [
    "JSON_OUTPUT_VERSION",
    "CheckConfig",
    "CheckResult",
    "Checker",
    "Finding",
    "Severity",
    "Summary",
    "check",
    "result_from_json",
    "result_to_json",
]

#: Rules whose findings no suppression can hide (they are about the check itself).
UNSUPPRESSIBLE = frozenset({"rule-crashed", "invalid-suppression"})


@attrs.frozen
class CheckConfig:
    """How to check: which rules, their severities and options, extra plugins, and the failure bar."""

    #: Rule ids to run; empty means every rule.
    select: tuple[str, ...] = ()
    #: Rule ids not to run.
    ignore: tuple[str, ...] = ()
    #: Severity per rule id, overriding the rule's default.
    severity: Mapping[str, Severity] = attrs.field(factory=dict)
    #: Options per rule id: ``{"sibling-inconsistency": {"max_steps": 3}}``.
    options: Mapping[str, Mapping[str, Any]] = attrs.field(factory=dict)
    #: Local plugins: module names or paths to ``.py`` files.
    plugins: tuple[str, ...] = ()
    #: Findings at or above this severity make the check fail (exit 1).
    fail_on: Severity = Severity.ERROR
    #: Framework id or path for profiles that name none.
    framework: str | None = None
    #: Whether to load rules from installed packages (entry-point group ``competency.rules``).
    entry_points: bool = True


class Checker:
    """Runs the configured rules over RCPs. Build once, call :meth:`check` as often as needed."""

    def __init__(
        self,
        framework: Framework | str | None = None,
        config: CheckConfig | None = None,
        *,
        plugins: Iterable[object] = (),
    ) -> None:
        from competency_rules._api import ProfileView, RuleContext
        from competency_rules._manager import load_rules

        self.config = config or CheckConfig()
        loaded = load_rules((*self.config.plugins, *plugins), entry_points=self.config.entry_points)
        self._rules = loaded.rules
        self._plugin_failures = loaded.failures
        self._validate_config()
        active = [r for r in self._rules.values() if self._selected(r.id) and r.scope != "engine"]
        self._profile_rules = [r for r in active if r.scope == "profile"]
        self._set_rules = [r for r in active if r.scope == "set"]
        self._options = {
            rule_id: {**rule.default_options(), **self._coerced_options(rule_id)}
            for rule_id, rule in self._rules.items()
        }
        self._context_type = RuleContext
        self._view_type = ProfileView  # imported here, once: view() runs once per RCP
        self._frameworks: dict[str, Framework] = {}
        self._default_framework: Framework | None = None
        if framework is not None:
            self._default_framework = load_framework(framework)
        elif self.config.framework is not None:
            self._default_framework = load_framework(self.config.framework)
        if self._default_framework is not None:
            self._frameworks[self._default_framework.id] = self._default_framework
        self._contexts: dict[tuple[str, str], Any] = {}
        #: Per framework id: (name as written, level as written) -> (competency, level). Profiles repeat
        #: the same few spellings 10⁵ times; each is resolved once per checker.
        self._resolved: dict[str, _Resolutions] = {}
        #: Threads collecting the worker processes of this checker's last shared-out check.
        self._reapers: list[Any] = []

    # -- configuration ---------------------------------------------------------------------------------
    @property
    def rules(self) -> Mapping[str, Any]:
        """Every rule known to this checker, selected or not, by id."""
        return dict(self._rules)

    @property
    def active_rules(self) -> tuple[str, ...]:
        """Ids of the rules this checker runs."""
        return tuple(r.id for r in (*self._profile_rules, *self._set_rules))

    def _unknown(self, rule_id: str, where: str) -> UnknownRuleError:
        import difflib  # only for suggestions: kept off the start-up path

        close = difflib.get_close_matches(rule_id, list(self._rules), n=1)
        hint = f"; did you mean {close[0]!r}?" if close else " (see 'competency rules')"
        return UnknownRuleError(f"unknown rule id {rule_id!r}{hint}", where=where)

    def _validate_config(self) -> None:
        cfg = self.config
        for where, ids in (("select", cfg.select), ("ignore", cfg.ignore)):
            for rule_id in ids:
                if rule_id not in self._rules:
                    raise self._unknown(rule_id, where)
        for rule_id in cfg.severity:
            if rule_id not in self._rules:
                raise self._unknown(rule_id, f"severity.{rule_id}")
        for rule_id in cfg.options:
            if rule_id not in self._rules:
                raise self._unknown(rule_id, f"rules.{rule_id}")

    def _coerced_options(self, rule_id: str) -> dict[str, Any]:
        given = self.config.options.get(rule_id, {})
        rule = self._rules[rule_id]
        out: dict[str, Any] = {}
        for name, value in given.items():
            try:
                option = rule.option(name)
            except KeyError:
                known = ", ".join(o.name for o in rule.options) or "none"
                raise ConfigError(
                    f"rule {rule_id!r} has no option {name!r} (options: {known})",
                    where=f"rules.{rule_id}.{name}",
                ) from None
            try:
                out[name] = option.coerce(value, rule=rule_id)
            except ValueError as exc:
                raise ConfigError(str(exc), where=f"rules.{rule_id}.{name}") from None
        return out

    def _selected(self, rule_id: str) -> bool:
        if self.config.select and rule_id not in self.config.select:
            return False
        return rule_id not in self.config.ignore

    # -- frameworks and resolution ---------------------------------------------------------------------
    def framework_for(self, profile: RoleProfile) -> Framework:
        """The framework a profile is checked against: the checker's own, else the one it names."""
        if self._default_framework is not None:
            return self._default_framework
        ref = profile.framework
        if ref is None:
            raise ConfigError(
                f"role {profile.id!r} names no framework; give one with --framework, in configuration, "
                "or in the profile file",
                path=profile.location.path if profile.location else None,
            )
        fw = self._frameworks.get(ref.id)
        if fw is None:
            fw = self._frameworks[ref.id] = load_framework(ref.id)
        return fw

    def view(self, profile: RoleProfile, framework: Framework | None = None) -> Any:
        """The :class:`~competency_rules.ProfileView` rules see for ``profile``."""
        fw = framework or self.framework_for(profile)
        cache = self._resolved.get(fw.id)
        if cache is None:
            cache = self._resolved[fw.id] = _Resolutions(fw)
        # C-level passes over the entries (this runs for every entry of 10⁵ RCPs): the (name, level)
        # key of each entry, looked up in the cache, which resolves a key it meets for the first time.
        resolved = tuple(map(cache.__getitem__, map(_written, profile.competencies)))
        view: Any = self._view_type(profile, fw, resolved)
        return view

    def _context(self, rule: Any, fw: Framework) -> Any:
        key = (rule.id, fw.id)
        ctx = self._contexts.get(key)
        if ctx is None:
            ctx = self._contexts[key] = self._context_type(
                rule=rule, framework=fw, options=self._options[rule.id], known_rules=frozenset(self._rules)
            )
        return ctx

    # -- running ---------------------------------------------------------------------------------------
    def check(self, profiles: Iterable[RoleProfile]) -> CheckResult:
        """Run every selected rule over ``profiles`` (per-profile rules, then per-set rules)."""
        return self._run(list(profiles), set_rules=True)

    def check_files(
        self,
        *paths: str | os.PathLike[str],
        jobs: int = 1,
        encoding: str = "utf-8-sig",
        sheet: str | None = None,
    ) -> CheckResult:
        """Check the RCPs in ``paths`` (files and folders, as :func:`~competency.load_profiles` reads
        them): ``check(load_profiles(*paths))``, with the same findings.

        With ``jobs`` above 1, a large input (several megabytes) is cut into consecutive shares checked
        at once in up to ``jobs`` forked processes, when every set rule has a sharded form
        (:class:`~competency_rules.ShardedSetRule`, as every built-in one has); otherwise, and where the
        platform cannot fork, it is checked here. ``competency check`` uses one process per core.
        """
        from ._loading import iter_profile_files, load_profiles
        from ._parallel import check_files

        files = list(iter_profile_files(*paths))
        if jobs > 1:
            shared = check_files(self, files, jobs=jobs, encoding=encoding, sheet=sheet)
            if shared is not None:
                return shared.result
        return self.check(load_profiles(*files, encoding=encoding, sheet=sheet))

    def check_profile(self, profile: RoleProfile) -> CheckResult:
        """Check one RCP with the per-profile rules only (set rules need the whole set)."""
        return self._run([profile], set_rules=False)

    def _plan(self, rules: Sequence[Any], fw: Framework) -> list[tuple[Any, Any, Any]]:
        """``(rule, check function, context)`` for each rule, looked up once per run, not per profile."""
        return [(rule, rule.check, self._context(rule, fw)) for rule in rules]

    def _run(self, profiles: list[RoleProfile], *, set_rules: bool) -> CheckResult:
        run = _Run(self)
        groups = self._check_share(profiles, run)
        if set_rules:
            for fw_id, views in groups.items():
                fw = self._frameworks.get(fw_id) or views[0].framework
                for rule, check, ctx in self._plan(self._set_rules, fw):
                    try:
                        problems = check(views, ctx)
                        if problems is not None:
                            for problem in problems:
                                run.add(rule, problem, None)
                    except Exception as exc:
                        run.crashed(rule, exc, None)
        return self._finish(run, len(profiles), set_rules=set_rules)

    def _check_share(self, profiles: Sequence[RoleProfile], run: _Run) -> dict[str, list[Any]]:
        """Run the per-profile rules over ``profiles``; the views, grouped by framework id, for the set
        rules. One share of a check shared out over processes goes through here too."""
        add, crashed = run.add, run.crashed
        groups: dict[str, list[Any]] = {}
        plans: dict[str, list[tuple[Any, Any, Any]]] = {}
        framework_for, view_of = self.framework_for, self.view
        for profile in profiles:
            fw = framework_for(profile)
            view = view_of(profile, fw)
            plan = plans.get(fw.id)
            if plan is None:
                plan = plans[fw.id] = self._plan(self._profile_rules, fw)
                groups[fw.id] = []
            groups[fw.id].append(view)
            for rule, check, ctx in plan:
                try:
                    problems = check(view, ctx)
                    if problems is not None:  # a rule may return None, a list, or be a generator
                        for problem in problems:
                            add(rule, problem, profile)
                except Exception as exc:  # a rule's bug must not end the run
                    crashed(rule, exc, profile)
        return groups

    def _finish(self, run: _Run, roles: int, *, set_rules: bool) -> CheckResult:
        for source, reason in self._plugin_failures:
            run.plugin_failed(source, reason)
        rules_run = tuple(r.id for r in self._profile_rules) + (
            tuple(r.id for r in self._set_rules) if set_rules else ()
        )
        return run.result(roles, rules_run)


class _Run:
    """The mutable state of one check run (never shared between runs)."""

    def __init__(self, checker: Checker) -> None:
        self.checker = checker
        self.findings: list[Finding] = []
        self.crashes: dict[str, tuple[int, str]] = {}
        self.complete = True

    def severity(self, rule: Any, problem_severity: Severity | None) -> Severity:
        override = self.checker.config.severity.get(rule.id)
        if override is not None:
            return Severity.parse(override)
        return problem_severity or rule.severity

    def add(self, rule: Any, problem: Any, profile: RoleProfile | None) -> None:
        profile = problem.profile or profile
        entry: ProfileEntry | None = problem.entry
        if rule.id not in UNSUPPRESSIBLE and _suppressed(rule.id, profile, entry):
            return
        location = (entry.location if entry is not None else None) or (profile.location if profile else None)
        competency = problem.competency or (entry.competency if entry is not None else None)
        if entry is not None and profile is not None and problem.competency is None:
            fw = self.checker.framework_for(profile)
            comp = fw.find_competency(entry.competency)
            competency = comp.name if comp is not None else entry.competency
        self.findings.append(
            Finding(
                rule=rule.id,
                severity=self.severity(rule, problem.severity),
                message=problem.message,
                role=profile.id if profile else None,
                competency=competency,
                level=entry.level if entry is not None else None,
                role_title=profile.title if profile else None,
                organisation=profile.organisation if profile else None,
                path=location.path if location else None,
                line=location.line if location else None,
                sheet=location.sheet if location else None,
            )
        )

    def crashed(self, rule: Any, exc: BaseException, profile: RoleProfile | None) -> None:
        self.complete = False
        count, first = self.crashes.get(rule.id, (0, ""))
        if not first:
            where = f" on role {profile.id!r}" if profile is not None else ""
            first = f"{where}: {type(exc).__name__}: {exc}"
        self.crashes[rule.id] = (count + 1, first)

    def plugin_failed(self, source: str, reason: str) -> None:
        self.complete = False
        self.findings.append(
            Finding(
                rule="rule-crashed",
                severity=Severity.ERROR,
                message=f"plugin {source!r} could not be loaded, so its rules did not run: {reason}",
            )
        )

    def result(self, roles: int, rules_run: tuple[str, ...]) -> CheckResult:
        for rule_id, (count, first) in self.crashes.items():
            times = f" ({count} times; first{first})" if count > 1 else first
            self.findings.append(
                Finding(
                    rule="rule-crashed",
                    severity=Severity.ERROR,
                    message=f"rule {rule_id!r} crashed{times}; its checks are incomplete — "
                    "report this to the rule's author",
                )
            )
        self.findings.sort(key=_order)
        findings = tuple(self.findings)
        return CheckResult(findings, Summary.of(findings, roles), self.complete, rules_run)


#: An entry's competency and level as written: its key in :class:`_Resolutions`.
_written = operator.attrgetter("competency", "level")


class _Resolutions(dict[tuple[str, str | None], tuple[Competency | None, Level | None]]):
    """(name as written, level as written) -> what they mean on one framework, resolved on first use."""

    def __init__(self, fw: Framework) -> None:
        super().__init__()
        self._fw = fw

    def __missing__(self, key: tuple[str, str | None]) -> tuple[Competency | None, Level | None]:
        resolution = self[key] = _resolve(self._fw, *key)
        return resolution


def _resolve(fw: Framework, name: str, raw_level: str | None) -> tuple[Competency | None, Level | None]:
    """What an entry's competency and level mean on ``fw`` (``None`` where they mean nothing)."""
    comp = fw.find_competency(name)
    if comp is None or raw_level is None:
        return comp, None
    return comp, fw.find_level(comp, raw_level)


def _order(f: Finding) -> tuple[str, int, str, str, str]:
    return (f.path or "", f.line or 0, f.role or "", f.rule, f.competency or "")


def _suppressed(rule_id: str, profile: RoleProfile | None, entry: ProfileEntry | None) -> bool:
    """Whether a suppression *with a reason* on the entry or its role covers ``rule_id``."""
    for holder in (entry, profile):
        if holder is None:
            continue
        for suppression in holder.ignore:
            if suppression.rule == rule_id and suppression.reason.strip():
                return True
    return False


def check(
    profiles: Iterable[RoleProfile],
    framework: Framework | str | None = None,
    *,
    config: CheckConfig | None = None,
    plugins: Sequence[object] = (),
) -> CheckResult:
    """Check ``profiles`` once: ``Checker(framework, config, plugins=plugins).check(profiles)``."""
    return Checker(framework, config, plugins=plugins).check(profiles)


def result_to_json(result: CheckResult) -> dict[str, Any]:
    """The ``--format json`` document for a result: the data the project's cattrs converter gives.

    ``{"version": 1, "complete": …, "findings": [...], "summary": {...}, "rules_run": [...]}``;
    docs/output.md documents every field and the versioning policy.

    Results hold only strings, numbers, severities, tuples and mappings, for which ``attr.asdict`` gives
    exactly what ``json_converter().unstructure`` gives, lists for tuples (a test holds them equal); it
    spares a one-role check from importing cattrs and generating its hooks, a fifth of its start-up.
    """
    import attr  # attrs' classic namespace: its asdict turns tuples into lists, as cattrs does

    data: dict[str, Any] = attr.asdict(result, retain_collection_types=False)
    return {"version": JSON_OUTPUT_VERSION, **data}


def result_from_json(data: Mapping[str, Any]) -> CheckResult:
    """A :class:`CheckResult` from a ``--format json`` document (for baselines and other tools)."""
    from ._converter import json_converter

    version = data.get("version")
    if version != JSON_OUTPUT_VERSION:
        raise ConfigError(
            f"unsupported findings document version {version!r} (expected {JSON_OUTPUT_VERSION})"
        )
    body = {k: v for k, v in data.items() if k != "version"}
    try:
        result: CheckResult = json_converter().structure(body, CheckResult)
    except Exception as exc:
        raise ConfigError(f"not a findings document: {exc}") from None
    return result
