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

from competency._names import normalise
from competency._scale import Level

from .._api import Option, Problem, ProfileView, ResolvedEntry, RuleContext, set_rule
from ._common import int_option

#: How many sibling roles a message names.
_SHOWN = 5


class _Group:
    """The roles of one family with a level for one competency, as parallel lists.

    Parallel lists rather than a tuple per entry: appending allocates nothing the garbage collector has
    to track, which matters at 10⁵ roles.
    """

    __slots__ = ("items", "views")

    def __init__(self) -> None:
        self.views: list[ProfileView] = []
        self.items: list[ResolvedEntry] = []


@set_rule(
    id="sibling-inconsistency",
    summary="within a role family, a level more than max_steps from the family median for that competency",
    severity="warning",
    options=(
        Option("max_steps", 2, "report a level more than this many scale positions from the family median"),
        Option("min_family_size", 3, "judge only families with at least this many roles with a level"),
    ),
)
def rule(profiles: Sequence[ProfileView], ctx: RuleContext) -> Iterator[Problem]:
    max_steps = int_option(ctx, "max_steps")
    min_size = max(int_option(ctx, "min_family_size"), 1)
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
        for item in view.entries:
            comp = item.competency
            if item.level is None or comp is None:
                continue
            group = by_comp.get(comp.id)
            if group is None:
                group = by_comp[comp.id] = _Group()
            elif group.views[-1] is view:
                continue  # a second entry for the competency: the first one counts
            group.views.append(view)
            group.items.append(item)
    for key, by_comp in families.items():
        for group in by_comp.values():
            if len(group.items) >= min_size:
                yield from _judge(group, names[key], max_steps, ctx)


def _judge(group: _Group, family: str, max_steps: int, ctx: RuleContext) -> Iterator[Problem]:
    levels: list[Level] = [item.level for item in group.items]  # type: ignore[misc]  # all resolved
    indexes = [level.index for level in levels]
    if max(indexes) - min(indexes) <= max_steps:
        return
    median = sorted(indexes)[(len(indexes) - 1) // 2]  # statistics.median_low, without importing it
    median_level = levels[indexes.index(median)]
    size = len(levels)
    # The first few members, labelled once: each message names up to five siblings, never all of them.
    head = [(v, f"{v.profile.id} {lv}") for v, lv in zip(group.views[: _SHOWN + 1], levels, strict=False)]
    for view, item, level in zip(group.views, group.items, levels, strict=True):
        steps = level.index - median
        if abs(steps) <= max_steps:
            continue
        direction = "above" if steps > 0 else "below"
        shown = [label for v, label in head if v is not view][:_SHOWN]
        more = size - 1 - len(shown)
        siblings = ", ".join(shown) + (f" and {more} more" if more > 0 else "")
        yield ctx.problem(
            f"level {level.id} for {item.name!r} is {abs(steps)} steps {direction} the median level "
            f"{median_level} of role family {family!r} ({size} roles with a level; the others: {siblings}); "
            "compare this role with its siblings, and correct the level or record why it differs",
            profile=view,
            entry=item,
        )
