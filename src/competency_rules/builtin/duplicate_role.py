"""duplicate-role: more than one RCP for one role.

Policy §2.2: "where there are multiple jobholders with the same job description and person
specification, it will be deemed to be one role and there will be one RCP". Two RCPs with the same role
id, or with the same organisation and role title, are one role profiled twice — the panel must decide
which one stands. Titles and organisations are compared ignoring case and extra spaces; the same title in
two *different* organisations is not a duplicate (see `cross-organisation-inconsistency`).

There is one finding on each RCP after the first, naming where the others are.

What to do: keep one RCP per role; merge or delete the others.

**Passes**: the same title at the *other* council is a different role (other columns left out):

```text
role_id,role_title,organisation,competence,level
CDC-HR-01,HR Adviser,Cherwell District Council,Communication,D
SNC-HR-01,HR Adviser,South Northamptonshire Council,Communication,D
```

**Fails**: one role id twice (here in two files), and one title at one council under two ids:

```text
profiles.csv:   CDC-HR-01,HR Adviser,Cherwell District Council,Communication,D
hr/adviser.toml: id = "CDC-HR-01", title = "HR Adviser", organisation = "Cherwell District Council"
profiles.csv:   CDC-HR-07,hr adviser,Cherwell District Council,Communication,D
```
"""

from __future__ import annotations

from array import array
from collections import Counter
from collections.abc import Collection, Hashable, Iterator, Sequence
from itertools import compress, count
from typing import Any, NamedTuple

from competency._names import normalise
from competency._profile import RoleProfile

from .._api import Problem, ProfileView, RuleContext, ShardedSetRule, set_rule
from ._common import listed

#: ``hash()`` of str is salted per interpreter, and the shares compare each other's keys: they must run
#: in processes that share the salt (forked from one parent, or one PYTHONHASHSEED). Each summary
#: carries the hash of this probe, so that a mismatch is an error, never a duplicate silently missed.
_PROBE = "competency duplicate-role: do the shares agree on hash()?"

#: An organisation + title key: two RCPs with the same one are one role.
_TitleKey = tuple[str, str]


def _where(view: ProfileView) -> str:
    loc = view.profile.location
    return str(loc) if loc is not None else "(in memory)"


def _hashes(keys: Collection[Hashable]) -> array[int]:
    # An array is built faster from a list than from the hashes one by one.
    return keys if isinstance(keys, array) else array("q", list(map(hash, keys)))


class _Roles:
    """A share's summary: its role ids and organisation + title keys, and those it holds twice or more.

    In the share's own process ``ids`` and ``titles`` are the rule's own tables; pickled, to leave the
    process, they become arrays of the keys' 8-byte hashes (the repeated keys travel as they are).
    """

    __slots__ = ("id_repeats", "ids", "probe", "title_repeats", "titles")

    def __init__(
        self,
        ids: Collection[Hashable],
        id_repeats: list[str],
        titles: Collection[Hashable],
        title_repeats: list[_TitleKey],
        probe: int,
    ) -> None:
        self.ids = ids
        self.id_repeats = id_repeats
        self.titles = titles
        self.title_repeats = title_repeats
        self.probe = probe

    def __reduce__(self) -> tuple[Any, ...]:
        state = (_hashes(self.ids), self.id_repeats, _hashes(self.titles), self.title_repeats, self.probe)
        return (_Roles, state)


def _across(held: Sequence[Collection[Hashable]]) -> frozenset[int]:
    """The hashes of the keys that two shares or more hold."""
    across: set[int] = set()
    seen: set[int] = set()
    for n, keys in enumerate(held):
        hashes = keys if isinstance(keys, array) else list(map(hash, keys))  # a list: only iterated
        if n:
            across.update(seen.intersection(hashes))
        if n + 1 < len(held):
            seen.update(hashes)
    return frozenset(across)


#: The candidates: keys some share holds twice or more, and hashes of keys two shares hold.
_Plan = NamedTuple(  # noqa: UP014 - class syntax compiles each annotation at import
    "_Plan",
    [
        ("ids", frozenset[str]),
        ("titles", frozenset[_TitleKey]),
        ("id_hashes", frozenset[int]),
        ("title_hashes", frozenset[int]),
    ],
)


#: An RCP of a share whose role id or organisation + title is a candidate.
_Member = NamedTuple(  # noqa: UP014 - class syntax compiles each annotation at import
    "_Member",
    [
        ("number", int),  # its place in the share
        ("id", str),
        ("title", _TitleKey),
        ("by_id", bool),  # whether its role id is a candidate
        ("by_title", bool),  # whether its organisation + title is a candidate
        ("where", str),
        ("profile", RoleProfile),
    ],
)


class DuplicateRole(ShardedSetRule):
    """Each share indexes its RCPs by role id and by organisation + title (summarise); keys held twice,
    in one share or over several, are the candidates (combine); each share sends its RCPs under the
    candidates (gather); the judge groups them exactly, in input order, as one pass over all would."""

    def summarise(self, profiles: Sequence[ProfileView], ctx: RuleContext) -> _Roles:
        # Each RCP's role id and organisation + title key, in input order, counted in C-level passes;
        # the few RCPs under a candidate are found again by their place in gather.
        roles = [view.profile for view in profiles]
        ids = [role.id for role in roles]
        orgs = [role.organisation or "" for role in roles]
        titles = [role.title for role in roles]
        keys = {text: normalise(text) for text in {*orgs, *titles}}  # each spelling normalised once
        title_keys = list(zip(map(keys.__getitem__, orgs), map(keys.__getitem__, titles), strict=True))
        id_counts, title_counts = Counter(ids), Counter(title_keys)
        self._ids, self._title_keys = ids, title_keys
        return _Roles(
            id_counts.keys(),
            [role_id for role_id, count in id_counts.items() if count > 1],
            title_counts.keys(),
            [key for key, count in title_counts.items() if count > 1],
            hash(_PROBE),
        )

    def combine(self, summaries: Sequence[_Roles], ctx: RuleContext) -> _Plan:
        if len({summary.probe for summary in summaries}) > 1:
            raise RuntimeError(
                "duplicate-role: the shares were checked in processes that hash text differently; "
                "run them in processes forked from one parent, or under one PYTHONHASHSEED"
            )
        ids = frozenset(role_id for summary in summaries for role_id in summary.id_repeats)
        titles = frozenset(key for summary in summaries for key in summary.title_repeats)
        if len(summaries) == 1:
            return _Plan(ids, titles, frozenset(), frozenset())
        id_hashes = _across([summary.ids for summary in summaries])
        title_hashes = _across([summary.titles for summary in summaries])
        return _Plan(ids, titles, id_hashes, title_hashes)

    def gather(self, profiles: Sequence[ProfileView], plan: _Plan, ctx: RuleContext) -> list[_Member]:
        """The share's RCPs under a candidate role id or organisation + title, in input order."""
        ids, titles = self._ids, self._title_keys
        # The places of the candidates' RCPs, found in C-level passes (the candidates are few).
        picked = set(compress(count(), map(plan.ids.__contains__, ids)))
        picked.update(compress(count(), map(plan.titles.__contains__, titles)))
        if plan.id_hashes:
            picked.update(compress(count(), map(plan.id_hashes.__contains__, map(hash, ids))))
        if plan.title_hashes:
            picked.update(compress(count(), map(plan.title_hashes.__contains__, map(hash, titles))))
        members = []
        for number in sorted(picked):  # each under a candidate id, title, or both
            role_id, title = ids[number], titles[number]
            under_id = _candidate(role_id, plan.ids, plan.id_hashes)
            under_title = _candidate(title, plan.titles, plan.title_hashes)
            view = profiles[number]
            members.append(_Member(number, role_id, title, under_id, under_title, _where(view), view.profile))
        return members

    def judge(self, evidence: Sequence[list[_Member]], plan: _Plan, ctx: RuleContext) -> Iterator[Problem]:
        members = [
            ((share, member.number), member) for share, found in enumerate(evidence) for member in found
        ]
        by_id: dict[str, list[tuple[tuple[int, int], _Member]]] = {}
        by_title: dict[_TitleKey, list[tuple[tuple[int, int], _Member]]] = {}
        for place, member in members:
            if member.by_id:
                by_id.setdefault(member.id, []).append((place, member))
            if member.by_title:
                by_title.setdefault(member.title, []).append((place, member))
        reported: set[tuple[int, int]] = set()
        for role_id, group in by_id.items():
            if len(group) < 2:
                continue
            places = listed(member.where for _, member in group)
            for place, member in group[1:]:
                reported.add(place)
                yield ctx.problem(
                    f"role id {role_id!r} has {len(group)} RCPs ({places}); keep one RCP per role",
                    profile=member.profile,
                )
        for group in by_title.values():
            distinct = {member.id for _, member in group}
            if len(distinct) < 2:
                continue
            first = group[0][1].profile
            org = first.organisation or "(no organisation)"
            ids = listed(sorted(distinct))
            for place, member in group[1:]:
                if place in reported or member.id == first.id:
                    continue
                yield ctx.problem(
                    f"{first.title!r} at {org} has RCPs under {len(distinct)} role ids ({ids}); "
                    "one role should have one RCP",
                    profile=member.profile,
                )


def _candidate(key: Hashable, keys: frozenset[Any], hashes: frozenset[int]) -> bool:
    """Whether ``key`` is one of ``keys``, or its hash one of ``hashes`` (keys two shares hold)."""
    return key in keys or (bool(hashes) and hash(key) in hashes)


# Declared by a call rather than with @set_rule over the class: see copied_rationale.py.
rule = set_rule(
    id="duplicate-role",
    summary="more than one RCP for one role id, or for one organisation + role title",
    severity="error",
)(DuplicateRole)
