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

import bisect
from array import array
from collections import Counter
from collections.abc import Collection, Iterator, Sequence
from itertools import compress, count
from typing import Any

from .._api import Option, Problem, ProfileView, ResolvedEntry, RuleContext, ShardedSetRule, set_rule
from ._common import and_more, int_option, normalise_text

#: Texts shorter than this (after normalising) are not compared.
MIN_TEXT = 20

#: How many uses of a text a message names.
_SHOWN = 5

_WS = b" \t\n\r\x0b\x0c\x1c\x1d\x1e\x1f"
_LOWER = bytes.maketrans(bytes(range(65, 91)), bytes(range(97, 123)))
_PUNCT = b".,;:!?"

#: ``hash()`` of bytes is salted per interpreter, and the shares compare each other's text keys: they
#: must run in processes that share the salt (forked from one parent, or one PYTHONHASHSEED). Each
#: summary carries the hash of this probe, so that a mismatch is an error, never a copy silently missed.
_PROBE = b"competency copied-rationale: do the shares agree on hash()?"


def _coarse(text: str) -> bytes:
    """A key that texts with the same normalised form always share: lower case, all white space gone.

    Cheap (one C-level pass for ASCII text), and coarser than :func:`normalise_text` ("a b" and "ab" share
    it), so candidate groups are confirmed with the exact form afterwards.
    """
    if text.isascii():
        return text.encode().translate(_LOWER, _WS).rstrip(_PUNCT)
    return normalise_text(text).replace(" ", "").encode()


class _Keys:
    """A share's summary: the text keys (``hash()`` of each coarse key) it holds, and its repeated ones.

    ``keys`` holds every distinct key of the share; ``repeats`` how often each key the share holds more
    than once occurs. In the share's own process ``keys`` is the rule's own table, not a copy, so a check
    in one process does no more work than it did before shares; pickled, to leave the process, it is an
    array of 8-byte integers (3 MB for 400 000 texts): the texts themselves never cross.
    """

    __slots__ = ("keys", "probe", "repeats")

    def __init__(self, keys: Collection[int], repeats: dict[int, int], probe: int) -> None:
        self.keys = keys
        self.repeats = repeats
        self.probe = probe

    def __reduce__(self) -> tuple[Any, ...]:
        keys = self.keys if isinstance(self.keys, array) else array("q", self.keys)
        return (_Keys, (keys, self.repeats, self.probe))


def _held(keys: Collection[int], wanted: set[int]) -> set[int]:
    """The keys of ``wanted`` a share holds (one pass over an array, or look-ups in the rule's own dict)."""
    if isinstance(keys, array):
        return wanted.intersection(keys)
    return {key for key in wanted if key in keys}


class _Text:
    """One share's uses of one exact (normalised) text: how many, by which roles, the first few, and the
    first one's profile and entry (a finding points at the first use of all: the earliest share's)."""

    __slots__ = ("count", "entry", "ids", "labels", "profile")

    def __init__(self, view: ProfileView, item: ResolvedEntry) -> None:
        self.count = 0
        self.ids: set[str] = set()
        self.labels: list[str] = []  # "ROLE-ID/Competency" of the first few uses
        self.profile = view.profile
        self.entry = item.entry

    def add(self, view: ProfileView, item: ResolvedEntry) -> None:
        self.count += 1
        role_id = view.profile.id
        self.ids.add(role_id)
        if len(self.labels) < _SHOWN:
            self.labels.append(f"{role_id}/{item.name}")

    def merge(self, later: _Text) -> None:
        """Add the uses a later share holds."""
        self.count += later.count
        self.ids |= later.ids
        self.labels += later.labels[: _SHOWN - len(self.labels)]


#: A share's evidence, per coarse key of a candidate: the positions of its first two uses in the share,
#: and its exact texts, in the order of their first use.
_Evidence = dict[bytes, tuple[list[int], dict[str, _Text]]]


class CopiedRationale(ShardedSetRule):
    """Each share hashes its texts' coarse keys (summarise); keys used ``min_copies`` times or more over
    all shares are the candidates (combine); each share groups its uses of the candidates by exact text
    (gather); the groups of all shares are added up and reported in input order (judge)."""

    def summarise(self, profiles: Sequence[ProfileView], ctx: RuleContext) -> _Keys:
        # One key per entry worth comparing, in input order: the hash of its text's coarse key, not the
        # key itself (10⁶ rationales would otherwise be held twice, a quarter of a check's memory at 10⁵
        # roles). Texts that only collide are told apart by the exact comparison in gather, so a
        # collision can merge candidates but never findings. The keys are counted in one C-level pass
        # afterwards: a dict updated per entry from Python cost more than the hashing itself.
        keys: list[int] = []
        starts = array("q")  # where each view's keys begin, to find an entry from its position
        mark, extend = starts.append, keys.extend
        lower, space, punct = _LOWER, _WS, _PUNCT  # _coarse() inlined: a call per rationale costs
        for view in profiles:
            mark(len(keys))
            extend(
                [
                    hash(
                        text.encode().translate(lower, space).rstrip(punct)
                        if text.isascii()
                        else _coarse(text)
                    )
                    for entry in view.profile.competencies
                    if len(text := entry.rationale) >= MIN_TEXT
                ]
            )
        counts = Counter(keys)
        self._views, self._keys, self._starts, self._counts = profiles, keys, starts, counts
        return _Keys(counts.keys(), {key: n for key, n in counts.items() if n > 1}, hash(_PROBE))

    def combine(self, summaries: Sequence[_Keys], ctx: RuleContext) -> frozenset[int]:
        """The candidates: the keys used at least ``min_copies`` times over all shares."""
        min_copies = max(int_option(ctx, "min_copies"), 2)
        if len({summary.probe for summary in summaries}) > 1:
            raise RuntimeError(
                "copied-rationale: the shares were checked in processes that hash texts differently; "
                "run them in processes forked from one parent, or under one PYTHONHASHSEED"
            )
        repeated = set().union(*(summary.repeats for summary in summaries))
        if len(summaries) < min_copies:
            # A key used at most once in each share is used fewer than min_copies times: every candidate
            # repeats within some share. So only those few keys are looked up in every share's keys,
            # instead of meeting all the shares' keys with each other (a fifth of a second at 10⁵ roles,
            # in the coordinating process, while the shares wait).
            uses = dict.fromkeys(repeated, 0)
            for summary in summaries:
                for key in _held(summary.keys, repeated):
                    uses[key] += summary.repeats.get(key, 1)
            return frozenset(key for key, count in uses.items() if count >= min_copies)
        # Many shares, or min_copies = 2: a key held once by each of enough shares is a candidate too.
        holders: dict[int, int] = {}  # key -> how many shares hold it, for keys two shares or more hold
        seen: set[int] = set()
        for n, summary in enumerate(summaries):
            if n:
                for key in seen.intersection(summary.keys):
                    holders[key] = holders.get(key, 1) + 1
            if n + 1 < len(summaries):
                seen.update(summary.keys)
        candidates: set[int] = set()
        for key in repeated.union(holders):
            count = holders.get(key, 1) + sum(summary.repeats.get(key, 1) - 1 for summary in summaries)
            if count >= min_copies:
                candidates.add(key)
        return frozenset(candidates)

    def gather(self, profiles: Sequence[ProfileView], plan: frozenset[int], ctx: RuleContext) -> _Evidence:
        """This share's uses of the candidates, grouped by coarse key, then by exact text."""
        views, keys, starts = self._views, self._keys, self._starts
        counts = self._counts
        wanted = {key for key in plan if key in counts}  # plan.intersection(counts) walks all the counts
        evidence: _Evidence = {}
        if not wanted:
            return evidence
        uses_of: dict[int, list[int]] = {}
        # The places of the candidates' uses, found in C-level passes (the candidates are few).
        for pos in compress(count(), map(wanted.__contains__, keys)):
            uses_of.setdefault(keys[pos], []).append(pos)
        for key in plan:
            for pos in uses_of.get(key, ()):  # ascending
                view, item = _entry_at(views, starts, pos)
                text = item.entry.rationale
                coarse = _coarse(text)
                found = evidence.get(coarse)
                if found is None:
                    found = evidence[coarse] = ([], {})
                uses, texts = found
                if len(uses) < 2:
                    uses.append(pos)
                exact = normalise_text(text)
                same = texts.get(exact)
                if same is None:
                    same = texts[exact] = _Text(view, item)
                same.add(view, item)
        return evidence

    def judge(
        self, evidence: Sequence[_Evidence], plan: frozenset[int], ctx: RuleContext
    ) -> Iterator[Problem]:
        min_copies = max(int_option(ctx, "min_copies"), 2)
        groups: dict[bytes, tuple[list[tuple[int, int]], dict[str, _Text]]] = {}
        for share, found in enumerate(evidence):
            for coarse, (positions, texts) in found.items():
                group = groups.get(coarse)
                if group is None:
                    group = groups[coarse] = ([], {})
                uses, merged = group
                uses += ((share, pos) for pos in positions[: 2 - len(uses)])
                for exact, same in texts.items():  # a later share's new texts come after the earlier ones'
                    mine = merged.get(exact)
                    if mine is None:
                        merged[exact] = same
                    else:
                        mine.merge(same)
        # In input order of each key's second use: the order in which one pass over the whole set finds
        # that a key repeats.
        for _, merged in sorted((g for g in groups.values() if len(g[0]) == 2), key=lambda g: g[0][1]):
            for exact, same in merged.items():
                if same.count >= min_copies and len(exact) >= MIN_TEXT:
                    yield _problem(same, ctx)


def _entry_at(
    views: Sequence[ProfileView], starts: array[int], pos: int
) -> tuple[ProfileView, ResolvedEntry]:
    """The view and entry of the ``pos``-th text that summarise kept."""
    number = bisect.bisect_right(starts, pos) - 1
    view = views[number]
    skip = pos - starts[number]
    for item in view.entries:
        if len(item.entry.rationale) >= MIN_TEXT:
            if not skip:
                return view, item
            skip -= 1
    raise LookupError(f"copied-rationale: no text at position {pos}")


def _problem(same: _Text, ctx: RuleContext) -> Problem:
    text = " ".join(same.entry.rationale.split())
    shown = text if len(text) <= 80 else text[:77] + "..."
    uses = and_more(same.labels, same.count)
    return ctx.problem(
        f"the same rationale is used by {same.count} entries in {len(same.ids)} role(s) ({uses}): {shown!r}; "
        "check that each level was assessed for its own role and competency, and write a rationale for each",
        profile=same.profile,
        entry=same.entry,
    )


# Declared by a call rather than with @set_rule over the class, so that the module's name for the class
# stays the class (it pickles by reference) and ``rule`` is the rule, as for every built-in rule.
rule = set_rule(
    id="copied-rationale",
    summary="the same rationale text reused across many entries (option: min_copies)",
    severity="info",
    options=(Option("min_copies", 3, "report a text used by at least this many entries"),),
)(CopiedRationale)
