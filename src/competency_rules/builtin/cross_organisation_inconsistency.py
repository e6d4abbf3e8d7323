"""cross-organisation-inconsistency: the same role title profiled at different levels in two organisations.

Cherwell District Council and South Northamptonshire Council share one HR team and one framework, and
the moderation panel must "'sense check' the outcomes for both organisations" (policy §2.5). An "HR
Adviser" at one council and an "HR Adviser" at the other are normally the same job, so a different level
for the same competency is what the panel should look at first.

Roles are grouped by title (ignoring case and extra spaces). For each title held in two or more
organisations (organisation names compared the same way; roles with no organisation are left out) and
each competency, the rule finds the most common level among those roles (on a tie, the level of the
first role in input order) and reports every role whose level differs from it, naming the other
organisations' roles and their levels. A title held in one organisation only is `sibling-inconsistency`'s
business, not this rule's.

What to do: put the roles' RCPs side by side; align the levels, or record why the jobs differ (a role
may suppress this rule with the panel's reason).

**Passes**: "HR Adviser" at both councils, *Communication* at D in both.

**Fails**: *Communication* at D at one council and E at the other (other columns left out). There is one
finding, on the role whose level is not the most common one — on this tie, the second role in input
order:

```text
role_id,role_title,organisation,competence,level
CDC-HR-01,HR Adviser,Cherwell District Council,Communication,D
SNC-HR-01,HR Adviser,South Northamptonshire Council,Communication,E
```

```text
warning  cross-organisation-inconsistency  [Communication]  'HR Adviser' is profiled at level E for
'Communication' at South Northamptonshire Council, but the same title at Cherwell District Council has
CDC-HR-01 D; the most common level for this title is D (1 of 2 roles) — sense-check …
```
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from competency._names import normalise
from competency._scale import Level

from .._api import Problem, ProfileView, ResolvedEntry, RuleContext, set_rule
from ._common import listed

#: How many roles of the other organisations a message names.
_SHOWN = 5


class _Group:
    """The roles of one title with a level for one competency, as parallel lists (no tuple per entry)."""

    __slots__ = ("items", "orgs", "views")

    def __init__(self) -> None:
        self.views: list[ProfileView] = []
        self.items: list[ResolvedEntry] = []
        self.orgs: list[str] = []


@set_rule(
    id="cross-organisation-inconsistency",
    summary="the same role title in two organisations profiled at different levels",
    severity="warning",
)
def rule(profiles: Sequence[ProfileView], ctx: RuleContext) -> Iterator[Problem]:
    keys: dict[str, str] = {}  # title or organisation as written -> its key
    orgs_of: dict[str, set[str]] = {}  # title key -> organisation keys holding it
    by_title: dict[str, list[ProfileView]] = {}
    for view in profiles:
        role = view.profile
        org = role.organisation
        if not org:
            continue
        org_key = keys.get(org)
        if org_key is None:
            org_key = keys[org] = normalise(org)
        if not org_key:
            continue
        title_key = keys.get(role.title)
        if title_key is None:
            title_key = keys[role.title] = normalise(role.title)
        views = by_title.get(title_key)
        if views is None:
            by_title[title_key] = [view]
            orgs_of[title_key] = {org_key}
        else:
            views.append(view)
            orgs_of[title_key].add(org_key)
    for title_key, views in by_title.items():
        if len(orgs_of[title_key]) < 2:
            continue
        by_comp: dict[str, _Group] = {}
        for view in views:
            org_key = keys[view.profile.organisation or ""]
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
                group.orgs.append(org_key)
        for group in by_comp.values():
            if len(group.items) > 1 and len(set(group.orgs)) > 1:
                yield from _judge(group, ctx)


def _judge(group: _Group, ctx: RuleContext) -> Iterator[Problem]:
    """Findings for one title × competency held in two or more organisations."""
    levels: list[Level] = [item.level for item in group.items]  # type: ignore[misc]  # all resolved
    counts: dict[int, int] = {}  # level index -> roles; in order of first appearance
    for level in levels:
        counts[level.index] = counts.get(level.index, 0) + 1
    if len(counts) < 2:
        return
    top = max(counts.values())
    usual = next(index for index, count in counts.items() if count == top)  # a tie: the first role's
    usual_level = next(level for level in levels if level.index == usual)
    others: dict[str, str] = {}  # organisation -> how the message names the roles of the others
    for view, item, level, org in zip(group.views, group.items, levels, group.orgs, strict=True):
        if level.index == usual:
            continue
        text = others.get(org)
        if text is None:
            text = others[org] = _others(group, levels, org)
        yield ctx.problem(
            f"{view.profile.title!r} is profiled at level {level} for {item.name!r} at "
            f"{view.profile.organisation}, but the same title at {text}; the most common level for this "
            f"title is {usual_level} ({counts[usual]} of {len(levels)} roles) — sense-check the "
            "organisations' RCPs side by side",
            profile=view,
            entry=item,
        )


def _others(group: _Group, levels: list[Level], org: str) -> str:
    """``South Northamptonshire Council has SNC-HR-01 D`` for the roles outside ``org``."""
    names: dict[str, None] = {}
    roles: list[str] = []
    count = 0
    for view, level, other in zip(group.views, levels, group.orgs, strict=True):
        if other == org:
            continue
        count += 1
        names.setdefault(view.profile.organisation or "", None)
        if len(roles) < _SHOWN:
            roles.append(f"{view.profile.id} {level}")
    more = count - len(roles)
    verb = "has" if count == 1 else "have"
    return f"{listed(names, limit=3)} {verb} " + ", ".join(roles) + (f" and {more} more" if more > 0 else "")
