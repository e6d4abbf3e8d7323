"""invalid-suppression: a suppression without a written reason, or naming a rule that does not exist.

An RCP (or one of its entries) may tell the checker to ignore a rule — a role the panel agreed is an
exception — but only with a written reason, because the panel and the line manager must be able to read
*why* (policy §2.5: moderation is about "consistency, accuracy and fairness", and an unexplained
exception is none of those). The checker never applies a suppression that has no reason; this rule makes
it visible. A suppression naming a rule id that does not exist (a typo such as `missing-rationle`)
suppresses nothing, so it is reported with the nearest known id.

A suppression of `rule-crashed` or of this rule is reported as a warning: those findings are about the
check itself and cannot be suppressed. This rule's own findings cannot be suppressed either.

What to do: write the reason the panel accepted, or correct the rule id, or remove the suppression.

**Passes**:

```toml
[[roles.competencies]]
competency = "Communication"
level = "B"
rationale = "Agreed by the panel on 3 March: the post has no public contact."
ignore = [{ rule = "sibling-inconsistency", reason = "Night post, no public contact; panel 2016-03-03" }]
```

**Fails**: no reason; and an unknown rule id.

```toml
[[roles]]
id = "CDC-HOU-03"
title = "Housing Officer"
ignore = [{ rule = "copied-rationale" }, { rule = "missing-rationle", reason = "agreed" }]
```

In CSV, the `ignore` column holds `rule: reason` pairs separated by `;`.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from competency._findings import Severity
from competency._profile import ProfileEntry, Suppression
from competency.checking import UNSUPPRESSIBLE

from .._api import Problem, ProfileView, RuleContext, profile_rule
from ._common import NOTHING


@profile_rule(
    id="invalid-suppression",
    summary="a suppression without a written reason, or naming a rule that does not exist",
    severity="error",
)
def rule(profile: ProfileView, ctx: RuleContext) -> Iterable[Problem]:
    # Nearly every RCP suppresses nothing: only one that does is walked for its suppressions.
    if profile.profile.ignore:
        return _problems(profile, ctx)
    for entry in profile.profile.competencies:
        if entry.ignore:
            return _problems(profile, ctx)
    return NOTHING


def _problems(profile: ProfileView, ctx: RuleContext) -> Iterator[Problem]:
    role = profile.profile
    for suppression in role.ignore:
        problem = _check(suppression, None, ctx, "this role")
        if problem is not None:
            yield problem
    for item in profile.entries:
        for suppression in item.entry.ignore:
            problem = _check(suppression, item.entry, ctx, f"the {item.name!r} entry")
            if problem is not None:
                yield problem


def _check(
    suppression: Suppression, entry: ProfileEntry | None, ctx: RuleContext, holder: str
) -> Problem | None:
    rule_id = suppression.rule.strip()
    faults: list[str] = []
    known = ctx.known_rules
    severity: Severity | None = None
    if known and rule_id not in known:
        import difflib  # only for suggestions: kept off the start-up path

        close = difflib.get_close_matches(rule_id, sorted(known), n=1)
        hint = f" (did you mean {close[0]!r}?)" if close else " (see 'competency rules')"
        faults.append(f"names rule {rule_id!r}, which does not exist{hint}, so it suppresses nothing")
    elif rule_id in UNSUPPRESSIBLE:
        faults.append(f"names {rule_id!r}, which cannot be suppressed, so it has no effect")
        severity = Severity.WARNING
    if not suppression.reason.strip():
        faults.append("has no written reason, so the checker does not apply it")
        severity = None
    if not faults:
        return None
    fix = "write the reason the panel accepted" if not suppression.reason.strip() else "correct or remove it"
    return ctx.problem(
        f"the suppression of {rule_id!r} on {holder} {' and '.join(faults)}; {fix}",
        entry=entry,
        severity=severity,
    )
