"""unknown-competency: an RCP names a competency the framework does not have.

An RCP sets a level for each competency of the framework (policy §2.2 and Appendix A), so each entry must
name one. Names are matched against the framework's ids, names and aliases, ignoring case and extra
spaces, so "technical  expertise" finds *Expertise and Self-Development* in `cdc-snc-2015` (the RCP
template's name for it). An entry that matches nothing is an error: its level cannot be interpreted,
and the competency it was meant to be may be missing from the profile.

The message suggests the nearest competency name, and says so when the name is a *theme* of a
competency rather than a competency ("Style" is a theme of *Communication*): themes have no level of
their own in an RCP.

What to do: correct the name (or use the competency the theme belongs to).

**Passes** (`cdc-snc-2015`):

```toml
[[roles.competencies]]
competency = "Technical Expertise"      # alias of Expertise and Self-Development
level = "D"
rationale = "Gives specialist planning advice that the team relies on without checking."
```

**Fails**:

```toml
[[roles.competencies]]
competency = "Comunication"             # did you mean 'Communication'?

[[roles.competencies]]
competency = "Style"                    # a theme of 'Communication', not a competency
```
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from competency._framework import Competency, Framework
from competency._names import normalise

from .._api import Problem, ProfileView, RuleContext, profile_rule
from ._common import NOTHING


def _theme_owner(fw: Framework, name: str) -> Competency | None:
    """The competency that has a theme called ``name`` (an unknown name is rare: no index is kept)."""
    key = normalise(name)
    for comp in fw.competencies:
        for theme in comp.themes:
            if normalise(theme.name) == key or (theme.id is not None and normalise(theme.id) == key):
                return comp
    return None


@profile_rule(
    id="unknown-competency",
    summary="a competency not in the framework (after aliases); suggests the nearest name",
    severity="error",
)
def rule(profile: ProfileView, ctx: RuleContext) -> Iterable[Problem]:
    # Nearly every name resolved: only an RCP with one that did not is walked again.
    for comp, _ in profile.resolved:
        if comp is None:
            return _problems(profile, ctx)
    return NOTHING


def _problems(profile: ProfileView, ctx: RuleContext) -> Iterator[Problem]:
    fw = profile.framework
    for item in profile.entries:
        if item.competency is not None:
            continue
        name = item.entry.competency
        if not name.strip():
            yield ctx.problem(
                "an entry names no competency; write the competency's name as the framework gives it",
                entry=item,
                competency=name,
            )
            continue
        comp = _theme_owner(fw, name)
        if comp is not None:
            yield ctx.problem(
                f"{name!r} is a theme of {comp.name!r}, not a competency; an RCP gives one level per "
                f"competency, so use {comp.name!r} (its level covers all its themes)",
                entry=item,
                competency=name,
            )
            continue
        hint = fw.suggest_competency(name)
        suggestion = f"; did you mean {hint!r}?" if hint else "; check the spelling against the framework"
        yield ctx.problem(
            f"{name!r} is not a competency of framework {fw.id!r}{suggestion}",
            entry=item,
            competency=name,
        )
