"""duplicate-competency: the same competency appears twice in one RCP.

An RCP sets *one* required level per competency (policy §2.2: "the RCP will set out the individual
competency levels for the job role"; Appendix A has one row per competence). Two entries for the same
competency leave the panel to guess which level stands, and every later use of the RCP (recruitment,
appraisal) may pick a different one.

Entries are compared by the competency they resolve to, so an alias counts as its competency:
"Technical Expertise" and "Expertise and Self-Development" are the same competency in `cdc-snc-2015`.
Names the framework does not know are compared as written, ignoring case and extra spaces
(`unknown-competency` reports them too). There is one finding on each repeated entry; it names the line
(or CSV row) of the first entry and both levels.

What to do: keep one entry per competency, with the level the panel agrees, and delete the others.

**Passes** (`cdc-snc-2015`):

```toml
[[roles.competencies]]
competency = "Communication"
level = "D"
rationale = "Explains housing options to residents face to face and in writing every day."
```

**Fails**: the alias names the same competency as the first entry.

```toml
[[roles.competencies]]
competency = "Expertise and Self-Development"
level = "D"
rationale = "..."

[[roles.competencies]]
competency = "Technical Expertise"      # same competency again, at E
level = "E"
rationale = "..."
```
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from competency._names import normalise

from .._api import Problem, ProfileView, ResolvedEntry, RuleContext, profile_rule
from ._common import NOTHING, place


@profile_rule(
    id="duplicate-competency",
    summary="the same competency twice in one RCP",
    severity="error",
)
def rule(profile: ProfileView, ctx: RuleContext) -> Iterable[Problem]:
    # Nearly every RCP names each competency once, and every name resolved: then its entries have as many
    # distinct competency ids as entries. Only another RCP (a repeat, or an unknown name) is walked again.
    resolved = profile.resolved
    if len({comp.id for comp, _ in resolved if comp is not None}) == len(resolved):
        return NOTHING
    return _problems(profile, ctx)


def _problems(profile: ProfileView, ctx: RuleContext) -> Iterator[Problem]:
    first: dict[str, ResolvedEntry] = {}
    for item in profile.entries:
        comp = item.competency
        if comp is not None:
            key = comp.id
        else:
            key = "\0" + normalise(item.entry.competency)
            if key == "\0":
                continue  # an entry with no name at all: unknown-competency reports it
        seen = first.get(key)
        if seen is None:
            first[key] = item
            continue
        at = place(seen.entry.location)
        first_where = f"first entry ({at})" if at else "first entry"
        first_level = f"level {seen.raw_level}" if seen.raw_level else "no level"
        this_level = f"level {item.raw_level}" if item.raw_level else "no level"
        if seen.entry.competency != item.entry.competency:
            names = f" (as {seen.entry.competency!r} and {item.entry.competency!r})"
        else:
            names = ""
        yield ctx.problem(
            f"{item.name!r} appears more than once in this RCP{names}: {first_where} with {first_level}, "
            f"this entry with {this_level}; keep one entry with the level the panel agrees",
            entry=item,
        )
