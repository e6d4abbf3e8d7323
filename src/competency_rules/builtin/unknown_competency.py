"""unknown-competency: an RCP names a competency the framework does not have.

An entry's competency is matched against the framework's ids, names and aliases, ignoring case and
extra spaces, so "technical  expertise" finds *Expertise and Self-Development* in `cdc-snc-2015`. An
entry that matches nothing is an error: its level cannot be interpreted, and the competency it was
meant to be may be missing from the profile. The message suggests the nearest name.

Passes (cdc-snc-2015)::

    competency = "Technical Expertise"      # alias of Expertise and Self-Development

Fails::

    competency = "Comunication"             # did you mean 'Communication'?
"""

from __future__ import annotations

from collections.abc import Iterator

from .._api import Problem, ProfileView, RuleContext, profile_rule


@profile_rule(
    id="unknown-competency",
    summary="a competency not in the framework (after aliases); suggests the nearest name",
    severity="error",
)
def rule(profile: ProfileView, ctx: RuleContext) -> Iterator[Problem]:
    for item in profile.entries:
        if item.competency is None:
            name = item.entry.competency
            hint = profile.framework.suggest_competency(name)
            suggestion = f"; did you mean {hint!r}?" if hint else "; check the spelling against the framework"
            yield ctx.problem(
                f"{name!r} is not a competency of framework {profile.framework.id!r}{suggestion}",
                entry=item,
                competency=name,
            )
