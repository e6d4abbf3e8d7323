"""management-on-non-manager: an RCP profiles a competency that does not apply to the role.

In the CDC/SNC framework the four management competencies are "to be completed for managers only"
(Appendix A), and the policy gives managerial roles "also … a managerial competencies profile"
(policy §1.5). A level for *Managing People and Change* on a role that manages no one either means the
role is really managerial (then mark it so, and `missing-management` checks the rest) or the entry does
not belong in the RCP. In general this rule reports any entry for a competency whose kind does not apply
to the role: `applies_to = "managerial"` on a non-managerial role, `"non-managerial"` on a managerial
one, or `"none"`.

A blank row — no level and no rationale, as left by a spreadsheet template that lists every
competency — is not reported: it claims nothing.

What to do: remove the entry, or, if the role does manage people, mark it `managerial = true`.

**Passes** (`cdc-snc-2015`):

```toml
[[roles]]
id = "CDC-HOU-07"
title = "Housing Team Leader"
managerial = true

[[roles.competencies]]
competency = "Managing People and Change"
level = "D"
rationale = "Leads a team of six officers: sets objectives, runs one-to-ones and handles absence."
```

**Fails**: the same entry on a role with `managerial = false`.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from competency._framework import Framework

from .._api import Problem, ProfileView, RuleContext, profile_rule
from ._common import NOTHING, Derived, level_given

_WHO = {
    "managerial": "applies only to managerial roles",
    "non-managerial": "applies only to non-managerial roles",
    "none": "applies to no role",
}


def _inapplicable_kinds(fw: Framework) -> tuple[frozenset[str], frozenset[str]]:
    """Ids of the kinds that do not apply to a (non-managerial, managerial) role: a competency applies
    unless its kind is one of these (see :meth:`Framework.applies`)."""
    kinds = {kind.id: kind for kind in fw.kinds}  # as the framework indexes them: a repeated id's last

    def ids(managerial: bool) -> frozenset[str]:
        return frozenset(kind_id for kind_id, kind in kinds.items() if not kind.applies(managerial))

    return ids(False), ids(True)


_inapplicable = Derived(_inapplicable_kinds)


@profile_rule(
    id="management-on-non-manager",
    summary="a management competency on a role that is not managerial",
    severity="error",
)
def rule(profile: ProfileView, ctx: RuleContext) -> Iterable[Problem]:
    # Nearly every entry is of a kind that applies to the role: a set look-up of its kind id shows it.
    # Only an RCP with another entry is walked again by the exact checks.
    fw = profile.framework
    hit = _inapplicable.last
    inapplicable = (hit[1] if hit[0] is fw else _inapplicable(fw))[profile.profile.managerial]
    if inapplicable:
        for comp, _ in profile.resolved:
            if comp is not None and comp.kind in inapplicable:
                return _problems(profile, ctx)
    return NOTHING


def _problems(profile: ProfileView, ctx: RuleContext) -> Iterator[Problem]:
    fw = profile.framework
    role = profile.profile
    managerial = role.managerial
    for item in profile.entries:
        comp = item.competency
        if comp is None or fw.applies(comp, managerial=managerial):
            continue
        if not level_given(item.entry.level) and not item.entry.rationale.strip():
            continue
        kind = fw.kind_of(comp)
        if kind is None:  # a competency without a kind applies to every role
            continue
        who = _WHO.get(kind.applies_to, "does not apply to this role")
        status = "managerial" if managerial else "not managerial"
        level = f" at level {item.entry.level}" if level_given(item.entry.level) else ""
        if kind.applies_to == "managerial":
            fix = "remove the entry, or mark the role managerial if it manages people"
        else:
            fix = "remove the entry, or check the role's managerial flag"
        yield ctx.problem(
            f"{comp.name!r} is profiled{level}, but it is a {kind.name or kind.id} competency, which {who}, "
            f"and this role is {status}; {fix}",
            entry=item,
        )
