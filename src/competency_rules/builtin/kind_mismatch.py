"""type-mismatch: the RCP's Type column disagrees with the framework's kind for that competency.

The RCP template (Appendix A) has a **Type** column: "Core" for the seven core competencies, "Management"
for the four management ones. When a spreadsheet says "Management" beside *Communication*, either the
row was typed against the wrong template or someone believes the competency applies to managers only;
either way the panel should look, because which competencies a role must have depends on the kind
(`missing-core`, `missing-management`).

The Type text is matched against the kinds' ids and names, ignoring case and extra spaces ("core",
"CORE " and "Core" all mean the kind *Core*). A Type the framework does not know as a kind is also this
finding, as is any Type in a framework that declares no kinds (every Glasgow competency applies to every
role, so there is nothing for the column to say). An empty Type is not checked, and names the framework
does not know are left to `unknown-competency`.

The default severity is a warning: the level itself may be right; it is the row that needs correcting.

What to do: correct the Type column (or leave it empty).

**Passes** (`cdc-snc-2015`, CSV in the template layout):

```text
role_id,role_title,managerial,type,competence,level,rationale
CDC-HOU-01,Housing Officer,no,Core,Communication,D,Explains housing options to residents daily.
```

**Fails**: *Communication* is a core competency, not a management one.

```text
CDC-HOU-01,Housing Officer,no,Management,Communication,D,Explains housing options to residents daily.
```
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from competency._framework import Competency, Framework

from .._api import Problem, ProfileView, RuleContext, profile_rule
from ._common import NOTHING, Derived


def _exact_types(fw: Framework) -> dict[str | None, frozenset[str]]:
    """Per kind id, the Type texts that are that kind as written: its name and its id (the usual case).

    Keyed by ``str | None`` so that a competency's ``kind`` can be looked up as it is (``None``: none).
    """
    kinds = {kind.id: kind for kind in fw.kinds}  # as the framework indexes them: a repeated id's last
    exact: dict[str | None, frozenset[str]] = {
        kind_id: frozenset((kind.name, kind.id)) for kind_id, kind in kinds.items()
    }
    return exact


_exact = Derived(_exact_types)


def _agrees(fw: Framework, comp: Competency, text: str) -> bool:
    """Whether Type ``text`` is fine beside ``comp``: its kind (or empty)."""
    actual = fw.kind_of(comp)
    if actual is not None and (text == actual.name or text == actual.id):
        return True  # the usual case, without normalising
    if not text.strip():
        return True
    said = fw.find_kind(text)
    return said is not None and actual is not None and said.id == actual.id


@profile_rule(
    id="type-mismatch",
    summary="the template's Type column (Core / Management) disagrees with the competency's kind",
    severity="warning",
)
def rule(profile: ProfileView, ctx: RuleContext) -> Iterable[Problem]:
    # Nearly every Type is its competency's kind's name as written: a set look-up shows it. Any other
    # text is judged exactly, and only an RCP with a disagreeing one is walked again for the messages.
    fw = profile.framework
    hit = _exact.last
    exact = hit[1] if hit[0] is fw else _exact(fw)
    for entry, (comp, _) in zip(profile.profile.competencies, profile.resolved, strict=True):
        text = entry.type
        if text is None or comp is None:
            continue
        fine = exact.get(comp.kind)
        if (fine is None or text not in fine) and not _agrees(fw, comp, text):
            return _problems(profile, ctx)
    return NOTHING


def _problems(profile: ProfileView, ctx: RuleContext) -> Iterator[Problem]:
    fw = profile.framework
    for item in profile.entries:
        text = item.entry.type
        comp = item.competency
        if text is None or comp is None or _agrees(fw, comp, text):
            continue
        actual = fw.kind_of(comp)
        said = fw.find_kind(text)
        is_what = (
            f"{comp.name!r} is a {actual.name or actual.id} competency"
            if actual is not None
            else f"{comp.name!r} has no kind"
        )
        if said is None:
            if fw.kinds:
                known = ", ".join(k.name or k.id for k in fw.kinds)
                message = (
                    f"Type {text!r} is not a kind of framework {fw.id!r} (kinds: {known}); {is_what}; "
                    "correct the Type column"
                )
            else:
                message = (
                    f"Type {text!r} means nothing here: framework {fw.id!r} declares no kinds (every "
                    "competency applies to every role); leave the Type column empty"
                )
        else:
            message = (
                f"Type says {text.strip()!r}, but {is_what}; correct the Type column, and check the role "
                "has the competencies its kind requires"
            )
        yield ctx.problem(message, entry=item)
