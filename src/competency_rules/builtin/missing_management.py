"""missing-management: a managerial role has no level for a management competency.

"Managerial roles will also have a managerial competencies profile" (policy §1.5): in the CDC/SNC
framework the four management competencies — *Managing People and Change*, *Collaborative Leadership*,
*Strategic Thinking*, *Commercial Focus* — are "to be completed for managers only" (Appendix A), and so
must be completed for every manager. More generally, this rule checks every competency whose kind has
`applies_to = "managerial"`, on every role marked `managerial`.

There is one finding per competency: on the role when the RCP has no entry for it, or on the entry when
the entry has no level. An entry whose level is off the scale is reported by `level-off-scale` instead.
Frameworks without kinds (like `glasgow-leadership`) have no management competencies, so this rule never
fires for them.

What to do: add the management competency with a level and a rationale — or, if the role manages no
one, mark it `managerial = false`.

**Passes** (`cdc-snc-2015`): a managerial role with all four management competencies (one shown).

```toml
[[roles]]
id = "SNC-FIN-02"
title = "Finance Manager"
managerial = true

[[roles.competencies]]
competency = "Strategic Thinking"
level = "F"
rationale = "Writes the council's medium-term financial strategy with the Section 151 officer."
# ... Managing People and Change, Collaborative Leadership, Commercial Focus
```

**Fails**: the same role without *Commercial Focus*.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from competency._framework import Framework

from .._api import Problem, ProfileView, RuleContext, profile_rule
from ._common import NOTHING, Derived, coverage, stated_ids


def _required_ids(fw: Framework) -> frozenset[str]:
    """Ids of the management competencies a managerial role must have a level for."""
    ids = set()
    for comp in fw.required_for(managerial=True):
        kind = fw.kind_of(comp)
        if kind is not None and kind.applies_to == "managerial":
            ids.add(comp.id)
    return frozenset(ids)


_required = Derived(_required_ids)


@profile_rule(
    id="missing-management",
    summary="a managerial role without a level for a management competency",
    severity="error",
)
def rule(profile: ProfileView, ctx: RuleContext) -> Iterable[Problem]:
    # Nearly every managerial RCP states all of them: one set of ids shows it. Only an RCP that lacks
    # one is walked again by the exact checks.
    if not profile.profile.managerial:
        return NOTHING
    fw = profile.framework
    hit = _required.last
    required = hit[1] if hit[0] is fw else _required(fw)
    if required.issubset(stated_ids(profile)):
        return NOTHING
    return _problems(profile, ctx)


def _problems(profile: ProfileView, ctx: RuleContext) -> Iterator[Problem]:
    fw = profile.framework
    stated, levelless = coverage(profile)
    for comp in fw.required_for(managerial=True):
        if comp.id in stated:
            continue
        kind = fw.kind_of(comp)
        if kind is None or kind.applies_to != "managerial":
            continue  # missing-core's
        what = f"it is a {kind.name or kind.id} competency, required for every managerial role"
        entry = levelless.get(comp.id)
        if entry is None:
            yield ctx.problem(
                f"{comp.name!r} is missing from this managerial role's RCP: {what}; add it with a level "
                "and a rationale, or mark the role not managerial if it manages no one",
                competency=comp.name,
            )
        else:
            yield ctx.problem(
                f"{comp.name!r} has no level: {what}; give the level the role requires",
                entry=entry,
            )
