"""level-off-scale: a level that is not on the competency's own scale.

Each competency is measured on its own run of levels: the CDC/SNC framework uses the eight letters A–H
for every competency (policy §2.1: "eight levels of performance competency (A-H)"), while each Glasgow
competency has its own number of cumulative levels, from 3 to 6 (*Self awareness* has levels 1–3 only).
A level outside that run — "I" on A–H, "5" on a 3-level Glasgow competency, "High", "D+" — cannot be
read: the RCP does not say what the role requires.

Levels are matched ignoring case and spaces ("d" is D; "Level 3" is 3). The message lists the valid
levels, and says so when the level exists on the scale but not for this competency. Entries with no
level are left to `missing-core` / `missing-management`, and names the framework does not know to
`unknown-competency`.

What to do: choose a level from the list the message gives.

**Passes** (`glasgow-leadership`):

```toml
[[roles.competencies]]
competency = "Self awareness"
level = 3
rationale = "Leads a service through change and must act on feedback about their own impact."
```

**Fails**: *Self awareness* (L2) has levels 1–3 only.

```toml
[[roles.competencies]]
competency = "Self awareness"
level = 5
rationale = "..."
```
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from .._api import Problem, ProfileView, RuleContext, profile_rule
from ._common import NOTHING


@profile_rule(
    id="level-off-scale",
    summary="a level not on that competency's scale (I on A–H; 5 on a 3-level competency)",
    severity="error",
)
def rule(profile: ProfileView, ctx: RuleContext) -> Iterable[Problem]:
    # Nearly every level resolved: only an RCP with a stated level that did not is walked again.
    for entry, (comp, level) in zip(profile.profile.competencies, profile.resolved, strict=True):
        if level is None and comp is not None:
            raw = entry.level
            if raw and not raw.isspace():  # stated (the test of level_given)
                return _problems(profile, ctx)
    return NOTHING


def _problems(profile: ProfileView, ctx: RuleContext) -> Iterator[Problem]:
    fw = profile.framework
    for item in profile.entries:
        comp = item.competency
        if comp is None or item.level is not None:
            continue
        raw = item.entry.level
        if raw is None or not raw.strip():
            continue
        valid = fw.levels_for(comp)
        shown = ", ".join(level.id for level in valid)
        scale = fw.scale_for(comp)
        on_scale = scale.find(raw)
        if on_scale is not None:
            why = (
                f"{on_scale.id} is on scale {scale.id!r}, but {comp.name!r} is defined only on levels "
                f"{valid[0].id}–{valid[-1].id}"
            )
        else:
            why = f"{raw!r} is not a level of {comp.name!r}"
        yield ctx.problem(
            f"level {raw!r} is off the scale: {why} (valid levels: {shown}); choose one of those levels",
            entry=item,
        )
