"""missing-core: a competency every role must have is missing from an RCP, or has no level.

In the CDC/SNC framework the seven core competencies are "to be completed for all employees"
(Appendix A; policy §2.1: "seven core competencies and an additional four management competencies").
A competency applies to every role when its kind's `applies_to` is `"all"`, when it has no kind, or when
the framework declares no kinds at all (every Glasgow competency). Without a level the RCP cannot serve
what it is for — "training and development, appraisals, performance management, recruitment" (committee
report §3.2) — and the panel has nothing to moderate.

There is one finding per competency: on the role when the RCP has no entry for it, or on the entry when
the entry has no level. An entry whose level is off the scale is reported by `level-off-scale` instead.
A kind that applies only to *non*-managerial roles is treated the same way for non-managerial roles; a
kind that applies only to managerial roles is `missing-management`'s.

What to do: add the competency with a level and a rationale.

**Passes** (`cdc-snc-2015`): all seven core competencies have a level (only two shown).

```toml
[[roles.competencies]]
competency = "Communication"
level = "D"
rationale = "Explains housing options to residents face to face and in writing every day."

[[roles.competencies]]
competency = "Customer Focus"
level = "D"
rationale = "Handles first-contact housing enquiries and resolves most without referral."
# ... and the other five core competencies
```

**Fails**: *Customer Focus* has an entry but no level, and *Collaborative Teamwork* has none at all.

```toml
[[roles.competencies]]
competency = "Customer Focus"
rationale = "To be agreed with the line manager."
```
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from competency._framework import Competency, Framework

from .._api import Problem, ProfileView, RuleContext, profile_rule
from ._common import NOTHING, Derived, coverage, stated_ids


def _required_ids(fw: Framework) -> tuple[frozenset[str], frozenset[str]]:
    """Ids of the competencies this rule requires of a (non-managerial, managerial) role: those
    :meth:`Framework.required_for` gives, less the management ones that are missing-management's."""

    def ids(managerial: bool) -> frozenset[str]:
        required = fw.required_for(managerial=managerial)
        return frozenset(comp.id for comp in required if not _management(fw, comp))

    return ids(False), ids(True)


def _management(fw: Framework, comp: Competency) -> bool:
    kind = fw.kind_of(comp)
    return kind is not None and kind.applies_to == "managerial"


_required = Derived(_required_ids)


@profile_rule(
    id="missing-core",
    summary="a competency of a kind that applies to every role has no level",
    severity="error",
)
def rule(profile: ProfileView, ctx: RuleContext) -> Iterable[Problem]:
    # Nearly every RCP states a level for every competency it must have: one set of ids shows it. Only
    # an RCP that lacks one is walked again by the exact checks.
    fw = profile.framework
    hit = _required.last
    required = (hit[1] if hit[0] is fw else _required(fw))[profile.profile.managerial]
    if required.issubset(stated_ids(profile)):
        return NOTHING
    return _problems(profile, ctx)


def _problems(profile: ProfileView, ctx: RuleContext) -> Iterator[Problem]:
    fw = profile.framework
    role = profile.profile
    stated, levelless = coverage(profile)
    for comp in fw.required_for(managerial=role.managerial):
        if comp.id in stated:
            continue
        kind = fw.kind_of(comp)
        if kind is not None and kind.applies_to == "managerial":
            continue  # missing-management's
        if kind is None:
            why = f"every competency of framework {fw.id!r} applies to every role"
        elif kind.applies_to == "non-managerial":
            why = f"it is a {kind.name or kind.id} competency, required for every non-managerial role"
        else:
            why = f"it is a {kind.name or kind.id} competency, required for every role"
        entry = levelless.get(comp.id)
        if entry is None:
            yield ctx.problem(
                f"{comp.name!r} is missing from this RCP: {why}; add it with a level and a rationale",
                competency=comp.name,
            )
        else:
            yield ctx.problem(
                f"{comp.name!r} has no level: {why}; give the level the role requires",
                entry=entry,
            )
