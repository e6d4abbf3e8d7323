"""copied-rationale: the same rationale text reused across many entries.

A rationale should say why *this* role needs *this* level of *this* competency (Appendix A; the panel
reviews RCPs for "accuracy", policy §2.5). The same sentence pasted under many competencies or many roles
usually means the profile was filled in from another one, not from the job description — the panel
should check that the levels were really assessed.

Texts are compared ignoring case, extra white space and trailing punctuation. Texts shorter than 20
characters are ignored (`missing-rationale` reports short and placeholder rationales). A text used by at
least `min_copies` entries gives **one** finding, on its first entry, with the number of entries and up
to five of the roles and competencies that use it. The default severity is info: reuse is a prompt to
look, not a fault in itself.

What to do: rewrite the rationales so that each says what in the role calls for the level.

**Passes**: each role's rationale describes that role.

**Fails** (default `min_copies = 3`): one text under three entries, in any roles and competencies, with
any capitalisation or final full stop (other columns left out):

```text
role_id,competence,level,rationale
CDC-HOU-01,Communication,D,Meets the requirements of the role.
CDC-HOU-01,Customer Focus,D,Meets the requirements of the role.
SNC-HOU-02,Communication,D,meets the requirements of the role
```
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from .._api import Option, Problem, ProfileView, ResolvedEntry, RuleContext, set_rule
from ._common import int_option, listed, normalise_text

#: Texts shorter than this (after normalising) are not compared.
MIN_TEXT = 20

_WS = b" \t\n\r\x0b\x0c\x1c\x1d\x1e\x1f"
_LOWER = bytes.maketrans(bytes(range(65, 91)), bytes(range(97, 123)))
_PUNCT = b".,;:!?"

_Member = tuple[ProfileView, ResolvedEntry]


def _coarse(text: str) -> bytes:
    """A key that texts with the same normalised form always share: lower case, all white space gone.

    Cheap (one C-level pass for ASCII text), and coarser than :func:`normalise_text` ("a b" and "ab" share
    it), so candidate groups are confirmed with the exact form afterwards.
    """
    if text.isascii():
        return text.encode().translate(_LOWER, _WS).rstrip(_PUNCT)
    return normalise_text(text).replace(" ", "").encode()


@set_rule(
    id="copied-rationale",
    summary="the same rationale text reused across many entries (option: min_copies)",
    severity="info",
    options=(Option("min_copies", 3, "report a text used by at least this many entries"),),
)
def rule(profiles: Sequence[ProfileView], ctx: RuleContext) -> Iterator[Problem]:
    min_copies = max(int_option(ctx, "min_copies"), 2)
    # Every entry worth comparing, as parallel lists; the dicts hold positions (ints are not tracked by
    # the garbage collector, tuples would be — it matters at 10⁵ roles).
    views: list[ProfileView] = []
    items: list[ResolvedEntry] = []
    # Keyed by the hash of each text's coarse key, not the key itself: 10⁶ rationales would otherwise be
    # held twice (a quarter of a check's memory at 10⁵ roles). Texts that only collide are told apart
    # by the exact comparison below, so a collision can merge candidates but never findings.
    first: dict[int, int] = {}
    repeated: dict[int, list[int]] = {}
    lower, space, punct = _LOWER, _WS, _PUNCT  # locals: this loop runs once per entry
    pos = 0
    for view in profiles:
        for item in view.entries:
            text = item.entry.rationale
            if len(text) < MIN_TEXT:
                continue
            key = hash(
                text.encode().translate(lower, space).rstrip(punct) if text.isascii() else _coarse(text)
            )
            seen = first.setdefault(key, pos)
            if seen != pos:
                group = repeated.get(key)
                if group is None:
                    repeated[key] = [seen, pos]
                else:
                    group.append(pos)
            views.append(view)
            items.append(item)
            pos += 1
    for candidates in repeated.values():
        if len(candidates) < min_copies:
            continue
        exact: dict[str, list[_Member]] = {}
        for pos in candidates:
            exact.setdefault(normalise_text(items[pos].entry.rationale), []).append((views[pos], items[pos]))
        for text, members in exact.items():
            if len(members) >= min_copies and len(text) >= MIN_TEXT:
                yield _problem(members, ctx)


def _problem(members: list[_Member], ctx: RuleContext) -> Problem:
    view, item = members[0]
    text = " ".join(item.entry.rationale.split())
    shown = text if len(text) <= 80 else text[:77] + "..."
    roles = {v.profile.id for v, _ in members}
    uses = listed(f"{v.profile.id}/{i.name}" for v, i in members)
    return ctx.problem(
        f"the same rationale is used by {len(members)} entries in {len(roles)} role(s) ({uses}): {shown!r}; "
        "check that each level was assessed for its own role and competency, and write a rationale for each",
        profile=view,
        entry=item,
    )
