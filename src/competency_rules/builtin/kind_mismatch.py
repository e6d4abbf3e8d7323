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

from collections.abc import Iterator

from .._api import Problem, ProfileView, RuleContext, profile_rule


@profile_rule(
    id="type-mismatch",
    summary="the template's Type column (Core / Management) disagrees with the competency's kind",
    severity="warning",
)
def rule(profile: ProfileView, ctx: RuleContext) -> Iterator[Problem]:
    fw = profile.framework
    for item in profile.entries:
        text = item.entry.type
        comp = item.competency
        if text is None or comp is None:
            continue
        actual = fw.kind_of(comp)
        if actual is not None and (text == actual.name or text == actual.id):
            continue  # the usual case, without normalising
        if not text.strip():
            continue
        said = fw.find_kind(text)
        if said is not None and actual is not None and said.id == actual.id:
            continue
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
