"""duplicate-role: more than one RCP for one role.

Policy §2.2: "where there are multiple jobholders with the same job description and person
specification, it will be deemed to be one role and there will be one RCP". Two RCPs with the same role
id, or with the same organisation and role title, are one role profiled twice — the panel must decide
which one stands. Titles and organisations are compared ignoring case and extra spaces; the same title in
two *different* organisations is not a duplicate (see `cross-organisation-inconsistency`).

There is one finding on each RCP after the first, naming where the others are.

What to do: keep one RCP per role; merge or delete the others.

**Passes**: the same title at the *other* council is a different role (other columns left out):

```text
role_id,role_title,organisation,competence,level
CDC-HR-01,HR Adviser,Cherwell District Council,Communication,D
SNC-HR-01,HR Adviser,South Northamptonshire Council,Communication,D
```

**Fails**: one role id twice (here in two files), and one title at one council under two ids:

```text
profiles.csv:   CDC-HR-01,HR Adviser,Cherwell District Council,Communication,D
hr/adviser.toml: id = "CDC-HR-01", title = "HR Adviser", organisation = "Cherwell District Council"
profiles.csv:   CDC-HR-07,hr adviser,Cherwell District Council,Communication,D
```
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Sequence

from competency._names import normalise

from .._api import Problem, ProfileView, RuleContext, set_rule
from ._common import listed


def _where(view: ProfileView) -> str:
    loc = view.profile.location
    return str(loc) if loc is not None else "(in memory)"


@set_rule(
    id="duplicate-role",
    summary="more than one RCP for one role id, or for one organisation + role title",
    severity="error",
)
def rule(profiles: Sequence[ProfileView], ctx: RuleContext) -> Iterator[Problem]:
    by_id: dict[str, list[ProfileView]] = defaultdict(list)
    by_title: dict[tuple[str, str], list[ProfileView]] = defaultdict(list)
    keys: dict[str, str] = {}  # organisation or title as written -> its key (few distinct spellings)
    for view in profiles:
        role = view.profile
        by_id[role.id].append(view)
        org = role.organisation or ""
        org_key = keys.get(org)
        if org_key is None:
            org_key = keys[org] = normalise(org)
        title_key = keys.get(role.title)
        if title_key is None:
            title_key = keys[role.title] = normalise(role.title)
        by_title[(org_key, title_key)].append(view)
    reported: set[int] = set()
    for role_id, views in by_id.items():
        if len(views) < 2:
            continue
        places = listed(_where(v) for v in views)
        for view in views[1:]:
            reported.add(id(view))
            yield ctx.problem(
                f"role id {role_id!r} has {len(views)} RCPs ({places}); keep one RCP per role",
                profile=view,
            )
    for (_, _), views in by_title.items():
        distinct = {v.profile.id for v in views}
        if len(distinct) < 2:
            continue
        first = views[0].profile
        org = first.organisation or "(no organisation)"
        ids = listed(sorted(distinct))
        for view in views[1:]:
            if id(view) in reported or view.profile.id == first.id:
                continue
            yield ctx.problem(
                f"{first.title!r} at {org} has RCPs under {len(distinct)} role ids ({ids}); "
                "one role should have one RCP",
                profile=view,
            )
