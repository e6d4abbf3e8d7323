"""The rule API: what a moderation rule declares and what it is given to look at.

A rule is one readable module: its docstring is its user documentation, and one decorated function
(``@profile_rule`` or ``@set_rule``) declares its id, summary, default severity and options beside the
code that checks. The built-in rules use exactly this API, the same a council developer uses.

Rules never resolve names or levels themselves: the engine hands them a :class:`ProfileView` whose
entries are already resolved against the framework, once, so every rule agrees on what "Technical
Expertise" or " d " means, and a whole organisation's profiles are resolved only once.
"""

from __future__ import annotations

import inspect
import re
import sys
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import Any, Literal, Protocol

import attrs

from competency._findings import Severity
from competency._framework import Competency, Framework
from competency._profile import ProfileEntry, RoleProfile
from competency._scale import Level

__all__ = [
    "Option",
    "Problem",
    "ProfileView",
    "Resolution",
    "ResolvedEntry",
    "Rule",
    "RuleContext",
    "Scope",
    "ShardedSetRule",
    "profile_rule",
    "set_rule",
]

#: Whether a rule sees one RCP at a time ("profile") or every RCP being checked ("set").
Scope = Literal["profile", "set", "engine"]

_RULE_ID = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")

OptionValue = bool | int | float | str | tuple[str, ...]


@attrs.frozen
class Option:
    """One option of a rule: its name, default and help; its type is the default's type."""

    name: str
    default: OptionValue
    help: str = ""

    def coerce(self, value: Any, *, rule: str) -> OptionValue:
        """``value`` checked against the default's type; ``ValueError`` says what was expected."""
        default = self.default
        if isinstance(default, bool):
            if isinstance(value, bool):
                return value
        elif isinstance(default, int):
            if isinstance(value, int) and not isinstance(value, bool):
                return value
        elif isinstance(default, float):
            if isinstance(value, int | float) and not isinstance(value, bool):
                return float(value)
        elif isinstance(default, str):
            if isinstance(value, str):
                return value
        elif isinstance(value, list | tuple) and all(isinstance(v, str) for v in value):
            return tuple(value)
        expected = {bool: "true or false", int: "an integer", float: "a number", str: "a string"}.get(
            type(default), "a list of strings"
        )
        raise ValueError(f"option {self.name!r} of rule {rule!r} expects {expected}, got {value!r}")


@attrs.frozen
class ResolvedEntry:
    """A profile entry with its competency and level resolved against the framework."""

    entry: ProfileEntry
    #: The competency the entry names, or ``None`` when the framework has none by that name.
    competency: Competency | None
    #: The level, or ``None`` when missing or off the competency's scale (see ``raw_level``).
    level: Level | None

    @property
    def raw_level(self) -> str | None:
        """The level as written."""
        return self.entry.level

    @property
    def rationale(self) -> str:
        return self.entry.rationale

    @property
    def name(self) -> str:
        """The competency's framework name when resolved, else the name as written."""
        return self.competency.name if self.competency is not None else self.entry.competency


#: What one entry's competency and level mean on the framework: ``(competency, level)``, either
#: ``None`` where the name or level means nothing there.
Resolution = tuple[Competency | None, Level | None]


@attrs.frozen
class ProfileView:
    """One RCP as the rules see it: the profile, its framework, and what its entries resolve to.

    :attr:`resolved` is what the engine computes for every RCP: one :data:`Resolution` per entry, in
    order, each one tuple object shared by every entry with the same name and level as written (a check
    of 10⁵ RCPs meets a few hundred), so a rule may walk
    ``zip(view.profile.competencies, view.resolved)`` at the cost of a tuple unpack per entry, or key a
    cache on a resolution. :attr:`entries` pairs them up as :class:`ResolvedEntry` objects, built the
    first time a rule asks for them.
    """

    profile: RoleProfile
    framework: Framework
    resolved: tuple[Resolution, ...]
    _entries: tuple[ResolvedEntry, ...] | None = attrs.field(default=None, init=False, eq=False, repr=False)

    @property
    def entries(self) -> tuple[ResolvedEntry, ...]:
        """The entries with their competency and level resolved, in the profile's order."""
        entries = self._entries
        if entries is None:
            entries = tuple(
                ResolvedEntry(entry, comp, level)
                for entry, (comp, level) in zip(self.profile.competencies, self.resolved, strict=True)
            )
            object.__setattr__(self, "_entries", entries)  # a cache: equal however often it is built
        return entries

    @property
    def role(self) -> RoleProfile:
        """Alias of :attr:`profile`."""
        return self.profile

    def levels(self) -> dict[str, Level]:
        """Competency id -> level, for the entries that resolved to both (first entry wins)."""
        found: dict[str, Level] = {}
        for comp, level in self.resolved:
            if comp is not None and level is not None:
                found.setdefault(comp.id, level)
        return found

    def entries_for(self, competency: Competency) -> tuple[ResolvedEntry, ...]:
        """The entries that name ``competency`` (by any of its names)."""
        return tuple(e for e in self.entries if e.competency is not None and e.competency.id == competency.id)


@attrs.frozen
class Problem:
    """What a rule yields; the engine turns it into a :class:`~competency.Finding`."""

    message: str
    #: The RCP concerned; set rules must give it, profile rules may leave it to the engine.
    profile: RoleProfile | None = None
    #: The entry concerned; ``None`` when the problem concerns the whole role.
    entry: ProfileEntry | None = None
    #: Competency name, when there is no entry to point at (e.g. a missing competency).
    competency: str | None = None
    #: Overrides the rule's default severity for this problem (e.g. a placeholder rationale is a warning).
    severity: Severity | None = None


class ProfileCheck(Protocol):
    def __call__(self, profile: ProfileView, ctx: RuleContext, /) -> Iterable[Problem]: ...


class SetCheck(Protocol):
    def __call__(self, profiles: Sequence[ProfileView], ctx: RuleContext, /) -> Iterable[Problem]: ...


class ShardedSetRule:
    """A set rule in four steps, so that a large check can run it over shares of the profiles at once.

    A plain set rule (a function) sees every profile in one list, so the whole check runs in one
    process. A set rule written as a subclass of this class can be run over *shares*: consecutive runs
    of the profiles, in input order, each checked in its own process. The engine calls, for one check
    and one framework:

    1. :meth:`summarise` once per share, in that share's process: what the share holds that the rule
       must compare across shares (counts, keys, a few labels) — small, and picklable;
    2. :meth:`combine` once, in the coordinating process, with every share's summary in input order:
       the *plan* — what each share must look at more closely (picklable);
    3. :meth:`gather` once per share, in that share's process, with the plan: the *evidence* — the
       problems the share can already tell, or the entries the plan asked for (picklable);
    4. :meth:`judge` once, in the coordinating process, with every share's evidence in input order:
       the problems.

    In one process (every check of a small set, :meth:`Checker.check <competency.Checker.check>`,
    ``--jobs 1``) the same four steps run over one share, so a rule has one implementation and the
    findings are the same however the profiles were shared out. The engine makes one instance per share
    per check: :meth:`summarise` may keep on ``self`` what :meth:`gather` needs later in that share
    (positions, groups), so the profiles are not walked twice. :meth:`combine` and :meth:`judge` run on
    the instance of the first share. Problems from :meth:`gather` and :meth:`judge` may point at copies
    of profiles and entries that came from another process; the engine only reads them.
    """

    def summarise(self, profiles: Sequence[ProfileView], ctx: RuleContext) -> Any:
        """What this share holds that the rule compares across shares."""
        raise NotImplementedError

    def combine(self, summaries: Sequence[Any], ctx: RuleContext) -> Any:
        """The plan, from every share's summary (in input order)."""
        raise NotImplementedError

    def gather(self, profiles: Sequence[ProfileView], plan: Any, ctx: RuleContext) -> Any:
        """This share's evidence for the plan."""
        raise NotImplementedError

    def judge(self, evidence: Sequence[Any], plan: Any, ctx: RuleContext) -> Iterable[Problem]:
        """The problems, from every share's evidence (in input order)."""
        raise NotImplementedError

    @classmethod
    def run_serially(cls, profiles: Sequence[ProfileView], ctx: RuleContext) -> Iterable[Problem]:
        """The four steps over one share: what the engine calls when nothing is shared out."""
        rule = cls()
        plan = rule.combine([rule.summarise(profiles, ctx)], ctx)
        return rule.judge([rule.gather(profiles, plan, ctx)], plan, ctx)


@attrs.frozen
class Rule:
    """A moderation rule: identity, documentation, options, and the function that checks."""

    #: Stable kebab-case id ("missing-rationale").
    id: str
    #: One line: what it finds.
    summary: str
    severity: Severity
    scope: Scope
    check: Callable[..., Iterable[Problem]] = attrs.field(eq=False, repr=False)
    options: tuple[Option, ...] = ()
    #: User documentation (reStructuredText-free Markdown), normally the rule module's docstring.
    docs: str = ""
    #: Where the rule comes from: "built-in", a distribution name, or a local module.
    source: str = "built-in"
    #: For a set rule written as a :class:`ShardedSetRule` subclass: that class. The engine may then
    #: run it over shares of the profiles in separate processes (``competency check --jobs``).
    sharded: type[ShardedSetRule] | None = attrs.field(default=None, eq=False, repr=False)

    def __attrs_post_init__(self) -> None:
        if not _RULE_ID.match(self.id):
            raise ValueError(f"rule id {self.id!r} is not kebab-case (e.g. 'missing-rationale')")

    def option(self, name: str) -> Option:
        for opt in self.options:
            if opt.name == name:
                return opt
        raise KeyError(name)

    def default_options(self) -> dict[str, OptionValue]:
        return {opt.name: opt.default for opt in self.options}


@attrs.frozen
class RuleContext:
    """What a rule gets besides the profiles: its options, the framework, and helpers."""

    rule: Rule
    framework: Framework
    #: The rule's options: defaults overlaid with the configuration.
    options: Mapping[str, OptionValue]
    #: Ids of every rule known to this check (for rules that validate rule ids, like suppressions).
    known_rules: frozenset[str] = frozenset()

    def problem(
        self,
        message: str,
        *,
        profile: RoleProfile | ProfileView | None = None,
        entry: ProfileEntry | ResolvedEntry | None = None,
        competency: str | None = None,
        severity: Severity | None = None,
    ) -> Problem:
        """Build a :class:`Problem`, accepting views where a plain profile or entry is expected."""
        if isinstance(profile, ProfileView):
            profile = profile.profile
        if isinstance(entry, ResolvedEntry):
            entry = entry.entry
        return Problem(message, profile=profile, entry=entry, competency=competency, severity=severity)


def _module_docs(fn: Callable[..., Any]) -> str:
    # The function's globals are its module's namespace, also for a plugin file loaded by path (--plugin
    # x.py), which is executed without ever being entered in sys.modules.
    doc = getattr(fn, "__globals__", {}).get("__doc__")
    if not doc:
        module = sys.modules.get(fn.__module__)
        doc = module.__doc__ if module is not None else None
    return inspect.cleandoc(doc) if isinstance(doc, str) and doc else ""


def _decorator(scope: Scope, **kwargs: Any) -> Callable[[Any], Rule]:
    def wrap(fn: Any) -> Rule:
        sharded: type[ShardedSetRule] | None = None
        if isinstance(fn, type):
            if scope != "set" or not issubclass(fn, ShardedSetRule):
                raise TypeError(
                    f"rule {kwargs.get('id')!r}: only @set_rule takes a class, and it must subclass "
                    "ShardedSetRule"
                )
            sharded = fn
        docs = kwargs.pop("docs", None) or _module_docs(fn) or inspect.cleandoc(fn.__doc__ or "")
        severity = Severity.parse(kwargs.pop("severity"))
        return Rule(
            scope=scope,
            check=sharded.run_serially if sharded is not None else fn,
            docs=docs,
            severity=severity,
            options=tuple(kwargs.pop("options", ())),
            sharded=sharded,
            **kwargs,
        )

    return wrap


def profile_rule(
    *,
    id: str,
    summary: str,
    severity: Severity | str,
    options: Iterable[Option] = (),
    docs: str | None = None,
    source: str = "built-in",
) -> Callable[[Callable[[ProfileView, RuleContext], Iterable[Problem]]], Rule]:
    """Declare a rule that looks at one RCP at a time: ``fn(profile: ProfileView, ctx) -> problems``."""
    return _decorator("profile", id=id, summary=summary, severity=severity, options=options, docs=docs,
                      source=source)  # fmt: skip


def set_rule(
    *,
    id: str,
    summary: str,
    severity: Severity | str,
    options: Iterable[Option] = (),
    docs: str | None = None,
    source: str = "built-in",
) -> Callable[[SetCheck | type[ShardedSetRule]], Rule]:
    """Declare a rule that looks at every RCP being checked: ``fn(profiles, ctx) -> problems``.

    Set rules must group (by family, by title, by text) rather than compare every pair: a shared HR
    service checks 10⁵ roles at a time. Decorating a :class:`ShardedSetRule` subclass instead of a
    function lets a large check run the rule over shares of the profiles in parallel.
    """
    return _decorator("set", id=id, summary=summary, severity=severity, options=options, docs=docs,
                      source=source)  # fmt: skip


def iter_problems(result: Iterable[Problem] | None) -> Iterator[Problem]:
    """A rule may return ``None`` (nothing found), a list, or be a generator."""
    if result is None:
        return iter(())
    return iter(result)
