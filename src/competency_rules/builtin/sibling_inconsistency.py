"""sibling-inconsistency: within a role family, a level far from the family's usual level.

Roles in one family (the same `family` / `role_family`, in either organisation) should be profiled alike;
the panel checks "for consistency in the application of the process" (policy §2.5). A Housing Officer
profiled at H for *Communication* when the other Housing roles sit at C or D is either a different job or
a profiling slip, and the panel should look at it.

For each family and competency, the rule takes the levels of the roles that have one and their median
(the lower middle level, so the median is always a real level). A role whose level is more than
`max_steps` scale positions above or below that median is reported (on A–H, D → G is 3 steps). Families
with fewer than `min_family_size` roles with a level for that competency are not judged: two roles have
no median worth the name. Family names are compared ignoring case and extra spaces; roles with no family
are not compared. Levels that are off the scale are left to `level-off-scale`.

Profiles are not hierarchical (policy §2.6), so a difference is not wrong in itself: the finding asks the
panel to confirm it, and a role may suppress this rule with the panel's reason.

What to do: compare the role with the siblings the message names; correct the level, or record why
this role differs.

**Passes** (`cdc-snc-2015`, default options): *Communication* in family "Housing" at C, D, D, E, F —
median D, no level more than 2 steps away.

**Fails**: the same family with one role at H — 4 steps above the median D (other columns left out):

```text
role_id,role_title,organisation,role_family,competence,level
CDC-HOU-01,Housing Assistant,Cherwell District Council,Housing,Communication,C
CDC-HOU-02,Housing Adviser,Cherwell District Council,Housing,Communication,D
SNC-HOU-01,Housing Officer,South Northamptonshire Council,Housing,Communication,D
SNC-HOU-02,Lettings Officer,South Northamptonshire Council,Housing,Communication,E
SNC-HOU-03,Homeless Prevention Officer,South Northamptonshire Council,Housing,Communication,H
```

```text
warning  sibling-inconsistency  [Communication]  level H for 'Communication' is 4 steps above the median
level D of role family 'Housing' (5 roles with a level; the others: CDC-HOU-01 C, CDC-HOU-02 D, …)
```
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any, NamedTuple

from competency._names import normalise
from competency._profile import ProfileEntry, RoleProfile

from .._api import Option, Problem, ProfileView, ResolvedEntry, RuleContext, ShardedSetRule, set_rule
from ._common import and_more, int_option

#: How many sibling roles a message names.
_SHOWN = 5

#: The level indices of a group's roles, in input order: bytes while every index is below 256.
_Levels = bytearray | bytes | list[int]


class _Group:
    """The roles of one family with a level for one competency, in one share: the views and the level
    index of each, as parallel lists (appending allocates nothing the garbage collector tracks, which
    matters at 10⁵ roles).
    """

    __slots__ = ("levels", "views")

    def __init__(self) -> None:
        self.views: list[ProfileView] = []
        self.levels: bytearray | list[int] = bytearray()

    def add(self, view: ProfileView, index: int) -> None:
        """The slow way in: a level index of 256 or more (a scale that long is not expected)."""
        if isinstance(self.levels, bytearray):
            self.levels = list(self.levels)
        self.levels.append(index)
        self.views.append(view)


#: The plan: (family key, competency id) -> (median level index, roles with a level), for the groups
#: with a level too far from their median, in the order their findings come.
_Plan = dict[tuple[str, str], tuple[int, int]]

#: Per family key, its groups judged from one share's roles alone: (competency id, median, size).
_Verdicts = dict[str, list[tuple[str, int, int]]]


def _median(levels: _Levels, min_size: int, max_steps: int) -> int | None:
    """The median level index of a group with enough roles and a level too far from it, else ``None``."""
    size = len(levels)
    if size < min_size or max(levels) - min(levels) <= max_steps:
        return None
    return sorted(levels)[(size - 1) // 2]  # statistics.median_low, without importing it


class _Families:
    """A share's summary: its families in order of first appearance (those with no level too: they hold
    their place in the order of the findings), the groups judged from the share's roles alone, and the
    level indices of every group, for the families that turn out to span several shares.

    In the share's own process the levels are read from the groups themselves; pickled, to leave it, they
    become one ``bytes`` per group (a byte per role).
    """

    def __init__(
        self,
        order: list[str],
        verdicts: _Verdicts,
        groups: dict[str, dict[str, _Group]] | None,
        levels: dict[str, tuple[tuple[str, ...], list[_Levels]]] | None = None,
    ) -> None:
        self.order = order
        self.verdicts = verdicts
        self._groups = groups
        self._levels = levels

    def levels(self, key: str) -> tuple[tuple[str, ...], list[_Levels]]:
        """The competency ids of a family's groups, in order, and the level indices of each."""
        if self._levels is not None:
            return self._levels.get(key, ((), []))
        by_comp = self._groups.get(key, {}) if self._groups is not None else {}
        return tuple(by_comp), [group.levels for group in by_comp.values()]

    def __reduce__(self) -> tuple[Any, ...]:
        levels = self._levels
        if levels is None:
            levels = {
                key: (
                    tuple(by_comp),
                    [g.levels if isinstance(g.levels, list) else bytes(g.levels) for g in by_comp.values()],
                )
                for key, by_comp in (self._groups or {}).items()
            }
        return (_Families, (self.order, self.verdicts, None, levels))


#: A role of a share whose level is too far from its family's median.
_Outlier = NamedTuple(  # noqa: UP014 - class syntax compiles each annotation at import
    "_Outlier",
    [
        ("number", int),  # its place in the share's group
        ("profile", RoleProfile),
        ("entry", ProfileEntry),
        ("level", str),
        ("competency", str),
        ("steps", int),
    ],
)


#: What a share holds of one planned group.
_Part = NamedTuple(  # noqa: UP014 - class syntax compiles each annotation at import
    "_Part",
    [
        ("size", int),
        ("head", list[str]),  # "ROLE-ID LEVEL" of its first roles
        ("median", str | None),  # the median level as written, if the share has a role at it
        ("outliers", list[_Outlier]),
    ],
)


_Evidence = NamedTuple(  # noqa: UP014 - class syntax compiles each annotation at import
    "_Evidence",
    [
        ("names", dict[str, str]),  # family key -> family as first written in the share (planned families)
        ("parts", dict[tuple[str, str], _Part]),
    ],
)


def _entry(view: ProfileView, comp_id: str) -> ResolvedEntry:
    """The entry of ``view`` that counts for the competency: the first with a level."""
    return next(
        item
        for item in view.entries
        if item.level is not None and item.competency is not None and item.competency.id == comp_id
    )


class SiblingInconsistency(ShardedSetRule):
    """Each share groups its roles by family and competency (summarise); the medians are taken over the
    level indices of all shares (combine); each share finds its roles too far from their median, and
    names its first roles (gather); the judge writes the messages, naming the first roles of all shares."""

    def summarise(self, profiles: Sequence[ProfileView], ctx: RuleContext) -> _Families:
        keys: dict[str, str] = {}  # family as written -> its key
        names: dict[str, str] = {}  # key -> family as first written
        families: dict[str, dict[str, _Group]] = {}
        for view in profiles:
            family = view.profile.family
            if not family:
                continue
            key = keys.get(family)
            if key is None:
                key = keys[family] = normalise(family)
                names.setdefault(key, family.strip())
            if not key:
                continue
            by_comp = families.get(key)
            if by_comp is None:
                by_comp = families[key] = {}
            for comp, level in view.resolved:
                if level is None or comp is None:
                    continue
                group = by_comp.get(comp.id)
                if group is None:
                    group = by_comp[comp.id] = _Group()
                elif group.views[-1] is view:
                    continue  # a second entry for the competency: the first one counts
                try:
                    group.levels.append(level.index)
                except ValueError:
                    group.add(view, level.index)
                else:
                    group.views.append(view)
        self._families, self._names = families, names
        max_steps = int_option(ctx, "max_steps")
        min_size = max(int_option(ctx, "min_family_size"), 1)
        verdicts: _Verdicts = {}
        for key, by_comp in families.items():
            for comp_id, group in by_comp.items():
                median = _median(group.levels, min_size, max_steps)
                if median is not None:
                    verdicts.setdefault(key, []).append((comp_id, median, len(group.levels)))
        return _Families(list(families), verdicts, families)

    def combine(self, summaries: Sequence[_Families], ctx: RuleContext) -> _Plan:
        """The median of each family × competency with enough roles and a level too far from it.

        A family held by one share was judged there; only the families that span shares are judged
        again here, from the level indices of all their groups.
        """
        max_steps = int_option(ctx, "max_steps")
        min_size = max(int_option(ctx, "min_family_size"), 1)
        holders: dict[str, list[_Families]] = {}
        for summary in summaries:
            for key in summary.order:
                found = holders.get(key)
                if found is None:
                    holders[key] = [summary]
                else:
                    found.append(summary)
        plan: _Plan = {}
        for key, held in holders.items():
            if len(held) == 1:
                for comp_id, median, size in held[0].verdicts.get(key, ()):
                    plan[key, comp_id] = (median, size)
                continue
            merged: dict[str, list[_Levels]] = {}
            for summary in held:
                for comp_id, levels in zip(*summary.levels(key), strict=True):
                    merged.setdefault(comp_id, []).append(levels)
            for comp_id, parts in merged.items():
                if any(isinstance(part, list) for part in parts):
                    joined: _Levels = [index for part in parts for index in part]
                else:
                    joined = b"".join(parts)  # type: ignore[arg-type]  # bytes and bytearrays only
                middle = _median(joined, min_size, max_steps)
                if middle is not None:
                    plan[key, comp_id] = (middle, len(joined))
        return plan

    def gather(self, profiles: Sequence[ProfileView], plan: _Plan, ctx: RuleContext) -> _Evidence:
        """The share's roles too far from their family's median, and the first roles of each group."""
        max_steps = int_option(ctx, "max_steps")
        evidence = _Evidence({}, {})
        for (key, comp_id), (median, _) in plan.items():
            by_comp = self._families.get(key)
            if by_comp is None:
                continue
            evidence.names[key] = self._names[key]
            group = by_comp.get(comp_id)
            if group is None:
                continue
            views, levels = group.views, group.levels
            # The first few members, labelled once: each message names up to five siblings, never all.
            head = [f"{view.profile.id} {_entry(view, comp_id).level}" for view in views[: _SHOWN + 1]]
            # (not ``levels.index``: a median of 256 or more is no byte, and this share may have none)
            at = next((number for number, index in enumerate(levels) if index == median), None)
            median_level = None if at is None else str(_entry(views[at], comp_id).level)
            outliers = []
            for number, index in enumerate(levels):
                if abs(index - median) > max_steps:
                    view = views[number]
                    item = _entry(view, comp_id)
                    level = item.level.id if item.level is not None else ""
                    outliers.append(
                        _Outlier(number, view.profile, item.entry, level, item.name, index - median)
                    )
            evidence.parts[key, comp_id] = _Part(len(levels), head, median_level, outliers)
        return evidence

    def judge(self, evidence: Sequence[_Evidence], plan: _Plan, ctx: RuleContext) -> Iterator[Problem]:
        for (key, comp_id), (_, size) in plan.items():
            family = next(found.names[key] for found in evidence if key in found.names)
            head: list[tuple[int, str]] = []  # (place in the whole group, label) of its first roles
            median_level: str | None = None
            outliers: list[tuple[int, _Outlier]] = []
            offset = 0
            for found in evidence:
                part = found.parts.get((key, comp_id))
                if part is None:
                    continue
                head += list(enumerate(part.head, start=offset))[: _SHOWN + 1 - len(head)]
                if median_level is None:
                    median_level = part.median
                outliers += ((offset + outlier.number, outlier) for outlier in part.outliers)
                offset += part.size
            for number, outlier in outliers:
                direction = "above" if outlier.steps > 0 else "below"
                shown = [label for place, label in head if place != number][:_SHOWN]
                siblings = and_more(shown, size - 1)
                yield ctx.problem(
                    f"level {outlier.level} for {outlier.competency!r} is {abs(outlier.steps)} steps "
                    f"{direction} the median level {median_level} of role family {family!r} ({size} roles "
                    f"with a level; the others: {siblings}); compare this role with its siblings, and "
                    "correct the level or record why it differs",
                    profile=outlier.profile,
                    entry=outlier.entry,
                )


# Declared by a call rather than with @set_rule over the class: see copied_rationale.py.
rule = set_rule(
    id="sibling-inconsistency",
    summary="within a role family, a level more than max_steps from the family median for that competency",
    severity="warning",
    options=(
        Option("max_steps", 2, "report a level more than this many scale positions from the family median"),
        Option("min_family_size", 3, "judge only families with at least this many roles with a level"),
    ),
)(SiblingInconsistency)
