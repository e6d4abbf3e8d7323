"""cross-organisation-inconsistency: the same role title profiled at different levels in two organisations.

Cherwell District Council and South Northamptonshire Council share one HR team and one framework, and
the moderation panel must "'sense check' the outcomes for both organisations" (policy §2.5). An "HR
Adviser" at one council and an "HR Adviser" at the other are normally the same job, so a different level
for the same competency is what the panel should look at first.

Roles are grouped by title (ignoring case and extra spaces). For each title held in two or more
organisations (organisation names compared the same way; roles with no organisation are left out) and
each competency, the rule finds the most common level among those roles (on a tie, the level of the
first role in input order) and reports every role whose level differs from it, naming the other
organisations' roles and their levels. A title held in one organisation only is `sibling-inconsistency`'s
business, not this rule's.

What to do: put the roles' RCPs side by side; align the levels, or record why the jobs differ (a role
may suppress this rule with the panel's reason).

**Passes**: "HR Adviser" at both councils, *Communication* at D in both.

**Fails**: *Communication* at D at one council and E at the other (other columns left out). There is one
finding, on the role whose level is not the most common one — on this tie, the second role in input
order:

```text
role_id,role_title,organisation,competence,level
CDC-HR-01,HR Adviser,Cherwell District Council,Communication,D
SNC-HR-01,HR Adviser,South Northamptonshire Council,Communication,E
```

```text
warning  cross-organisation-inconsistency  [Communication]  'HR Adviser' is profiled at level E for
'Communication' at South Northamptonshire Council, but the same title at Cherwell District Council has
CDC-HR-01 D; the most common level for this title is D (1 of 2 roles) — sense-check …
```
"""

from __future__ import annotations

import zlib
from array import array
from collections.abc import Iterable, Iterator, Sequence
from typing import Any, NamedTuple

from competency._names import normalise
from competency._profile import ProfileEntry, RoleProfile

from .._api import Problem, ProfileView, ResolvedEntry, RuleContext, ShardedSetRule, set_rule
from ._common import and_more, listed

#: How many roles of the other organisations a message names.
_SHOWN = 5

#: One role as a title's summary holds it: its organisation key, and (competency id, level index) for
#: each competency with a level, in entry order.
_Member = tuple[str, list[tuple[str, int]]]

#: What decides a title × competency: (level index of the most common level, how many roles have it,
#: how many roles there are).
_Verdict = tuple[int, int, int]


def _verdict(levels: list[int], orgs: set[str]) -> _Verdict | None:
    """The most common level of a group held in two organisations or more, when not all roles agree."""
    if len(orgs) < 2:
        return None
    firsts = dict.fromkeys(levels)  # level indices in order of first appearance
    if len(firsts) < 2:
        return None
    counts = [levels.count(index) for index in firsts]
    top = max(counts)
    return next(index for index, count in zip(firsts, counts, strict=True) if count == top), top, len(levels)


def _groups(members: Iterable[_Member]) -> dict[str, tuple[list[int], set[str]]]:
    """Competency id -> (level indices, organisations) of the roles of one title, in order."""
    groups: dict[str, tuple[list[int], set[str]]] = {}
    for org, pairs in members:
        done: set[str] = set()
        for comp_id, index in pairs:
            if comp_id in done:
                continue  # a second entry for the competency: the first one counts
            done.add(comp_id)
            group = groups.get(comp_id)
            if group is None:
                groups[comp_id] = ([index], {org})
            else:
                group[0].append(index)
                group[1].add(org)
    return groups


def _pairs(view: ProfileView) -> list[tuple[str, int]]:
    return [(comp.id, level.index) for comp, level in view.resolved if level is not None and comp is not None]


#: A share's titles' roles as they leave its process: the organisation keys and competency ids, numbered
#: in the order the share meets them; every title's roles, one number after another (per role: its
#: organisation, its number of levels, and a (competency, level index) pair per level); and where each
#: title's roles end in those numbers.
_Packed = tuple[list[str], list[str], "bytes | array[int]", "array[int]"]


class _Titles:
    """A share's summary: its titles (keys, in order of first appearance), the findings of the titles it
    can judge alone — those held in two organisations within the share — and, for the titles that turn
    out to span shares, each role's organisation and levels.

    In the share's own process the roles are read from the views when asked for (a check in one process
    never asks); pickled, to leave it, the titles become one zlib-compressed text and all their roles one
    string of small numbers, a few bytes per competency — no profile, entry or rationale crosses, and
    no object per title (a share of 10⁵ RCPs holds about as many titles as roles).
    """

    def __init__(
        self,
        titles: list[str],
        verdicts: dict[str, tuple[int, list[tuple[str, _Verdict]]]],
        local: tuple[dict[str, list[ProfileView]], dict[str, str]] | None,
        packed: _Packed | None = None,
    ) -> None:
        self.titles = titles
        #: title key -> (its place in ``titles``, [(competency id, verdict)]), for the titles held in two
        #: organisations within the share whose roles disagree.
        self.verdicts = verdicts
        self._local = local
        self._packed = packed

    def members(self, wanted: set[str]) -> dict[str, tuple[int, list[_Member]]]:
        """For each title of ``wanted`` the share holds: its place, and its roles in input order."""
        found: dict[str, tuple[int, list[_Member]]] = {}
        if self._local is not None:
            by_title, keys = self._local
            for place, title in enumerate(self.titles):
                if title in wanted:
                    views = by_title[title]
                    found[title] = (place, [(keys[v.profile.organisation or ""], _pairs(v)) for v in views])
            return found
        assert self._packed is not None
        orgs, comps, numbers, ends = self._packed
        for place, title in enumerate(self.titles):
            if title in wanted:
                members, at, end = [], ends[place - 1] if place else 0, ends[place]
                while at < end:
                    org, count = orgs[numbers[at]], numbers[at + 1]
                    levels = range(at + 2, at + 2 + 2 * count, 2)
                    pairs = [(comps[numbers[i]], numbers[i + 1]) for i in levels]
                    members.append((org, pairs))
                    at += 2 + 2 * count
                found[title] = (place, members)
        return found

    def __reduce__(self) -> tuple[Any, ...]:
        packed = self._packed
        if packed is None:
            packed = self._pack()
        # Title keys are normalised: no white space but single spaces, so a line break separates them.
        text = zlib.compress("\n".join(self.titles).encode(), 1)
        return (_unpack, (text, len(self.titles), self.verdicts, packed))

    def _pack(self) -> _Packed:
        """Every title's roles as one run of numbers (see :data:`_Packed`)."""
        assert self._local is not None
        by_title, keys = self._local
        orgs: dict[str, int] = {}
        comps: dict[str, int] = {}
        code_of = comps.get
        record: list[int] = []
        append = record.append
        ends = array("q")
        end_here = ends.append
        for views in by_title.values():
            for view in views:
                org = keys[view.profile.organisation or ""]
                number = orgs.get(org)
                if number is None:
                    number = orgs[org] = len(orgs)
                append(number)
                at = len(record)
                append(0)  # the number of pairs, set below
                for comp, level in view.resolved:
                    if level is None or comp is None:
                        continue
                    code = code_of(comp.id)
                    if code is None:
                        code = comps[comp.id] = len(comps)
                    append(code)
                    append(level.index)
                record[at] = (len(record) - at - 1) >> 1
            end_here(len(record))
        numbers: bytes | array[int]
        try:
            numbers = bytes(record)
        except ValueError:  # a number of 256 or more: more organisations, competencies or levels
            numbers = array("q", record)
        return list(orgs), list(comps), numbers, ends


def _unpack(
    text: bytes,
    count: int,
    verdicts: dict[str, tuple[int, list[tuple[str, _Verdict]]]],
    packed: _Packed,
) -> _Titles:
    titles = zlib.decompress(text).decode().split("\n") if count else []
    return _Titles(titles, verdicts, None, packed)


#: The plan: (title key, competency id) -> verdict, for the groups with a finding, in the order the
#: findings come.
_Plan = dict[tuple[str, str], _Verdict]


#: A role of a share whose level is not the most common one of its title.
_Outlier = NamedTuple(  # noqa: UP014 - class syntax compiles each annotation at import
    "_Outlier",
    [
        ("number", int),  # its place in the share's group
        ("profile", RoleProfile),
        ("entry", ProfileEntry),
        ("level", str),
        ("competency", str),
        ("org", str),  # organisation key
    ],
)


class _Org:
    """The roles of one organisation in a group: how many, the first few (place in the group, "ROLE-ID
    LEVEL"), and each spelling of the organisation's name with the place of its first role."""

    __slots__ = ("count", "labels", "names")

    def __init__(self, count: int, labels: list[tuple[int, str]], names: dict[str, int]) -> None:
        self.count = count
        self.labels = labels
        self.names = names


#: What a share holds of one planned group.
_Part = NamedTuple(  # noqa: UP014 - class syntax compiles each annotation at import
    "_Part",
    [
        ("size", int),
        ("usual", str | None),  # the most common level as written, if the share has a role at it
        ("orgs", dict[str, _Org]),
        ("outliers", list[_Outlier]),
    ],
)


class CrossOrganisationInconsistency(ShardedSetRule):
    """Each share groups its roles by title and judges the titles it holds in two organisations
    (summarise); titles held by several shares are judged again from all their roles (combine); each
    share finds its roles not at the most common level, and names its roles per organisation (gather);
    the judge writes the messages, naming the roles of all shares."""

    def summarise(self, profiles: Sequence[ProfileView], ctx: RuleContext) -> _Titles:
        keys: dict[str, str] = {}  # title or organisation as written -> its key
        orgs_of: dict[str, set[str]] = {}  # title key -> organisation keys holding it
        by_title: dict[str, list[ProfileView]] = {}
        for view in profiles:
            role = view.profile
            org = role.organisation
            if not org:
                continue
            org_key = keys.get(org)
            if org_key is None:
                org_key = keys[org] = normalise(org)
            if not org_key:
                continue
            title_key = keys.get(role.title)
            if title_key is None:
                title_key = keys[role.title] = normalise(role.title)
            views = by_title.get(title_key)
            if views is None:
                by_title[title_key] = [view]
                orgs_of[title_key] = {org_key}
            else:
                views.append(view)
                orgs_of[title_key].add(org_key)
        self._by_title, self._keys = by_title, keys
        verdicts: dict[str, tuple[int, list[tuple[str, _Verdict]]]] = {}
        for place, (title_key, views) in enumerate(by_title.items()):
            if len(orgs_of[title_key]) < 2:
                continue
            found = []
            for comp_id, tally in _local_groups(views, keys).items():
                verdict = _verdict(tally.levels, tally.orgs) if len(tally.levels) > 1 else None
                if verdict is not None:
                    found.append((comp_id, verdict))
            if found:
                verdicts[title_key] = (place, found)
        return _Titles(list(by_title), verdicts, (by_title, keys))

    def combine(self, summaries: Sequence[_Titles], ctx: RuleContext) -> _Plan:
        """The verdicts of the titles each share judged alone, and of the titles that span shares."""
        spanning: set[str] = set()
        seen: set[str] = set()
        for n, summary in enumerate(summaries):
            if n:
                spanning.update(seen.intersection(summary.titles))
            if n + 1 < len(summaries):
                seen.update(summary.titles)
        ordered: list[tuple[tuple[int, int], str, list[tuple[str, _Verdict]]]] = []
        for n, summary in enumerate(summaries):
            for title_key, (place, found) in summary.verdicts.items():
                if title_key not in spanning:
                    ordered.append(((n, place), title_key, found))
        if spanning:
            held: dict[str, tuple[tuple[int, int], list[_Member]]] = {}
            for n, summary in enumerate(summaries):
                for title_key, (place, members) in summary.members(spanning).items():
                    if title_key in held:
                        held[title_key][1].extend(members)
                    else:
                        held[title_key] = ((n, place), members)
            for title_key, (first, members) in held.items():
                found = []
                for comp_id, (levels, orgs) in _groups(members).items():
                    verdict = _verdict(levels, orgs) if len(levels) > 1 else None
                    if verdict is not None:
                        found.append((comp_id, verdict))
                if found:
                    ordered.append((first, title_key, found))
        ordered.sort(key=lambda item: item[0])
        return {
            (title_key, comp_id): verdict for _, title_key, found in ordered for comp_id, verdict in found
        }

    def gather(
        self, profiles: Sequence[ProfileView], plan: _Plan, ctx: RuleContext
    ) -> dict[tuple[str, str], _Part]:
        """The share's roles not at their title's most common level, and its roles per organisation."""
        evidence: dict[tuple[str, str], _Part] = {}
        groups: dict[str, dict[str, _Group]] = {}
        for (title_key, comp_id), (usual, _, _) in plan.items():
            views = self._by_title.get(title_key)
            if views is None:
                continue
            by_comp = groups.get(title_key)
            if by_comp is None:
                by_comp = groups[title_key] = _full_groups(views, self._keys)
            group = by_comp.get(comp_id)
            if group is None:
                continue
            evidence[title_key, comp_id] = group.part(usual)
        return evidence

    def judge(
        self, evidence: Sequence[dict[tuple[str, str], _Part]], plan: _Plan, ctx: RuleContext
    ) -> Iterator[Problem]:
        for key, (_, top, size) in plan.items():
            usual: str | None = None
            orgs: dict[str, _Org] = {}  # organisation key -> its roles in all shares (places in the group)
            outliers: list[_Outlier] = []
            offset = 0
            for found in evidence:
                part = found.get(key)
                if part is None:
                    continue
                if usual is None:
                    usual = part.usual
                for org, mine in part.orgs.items():
                    labels = [(offset + n, label) for n, label in mine.labels]
                    names = {name: offset + n for name, n in mine.names.items()}
                    have = orgs.get(org)
                    if have is None:
                        orgs[org] = _Org(mine.count, labels, names)
                    else:
                        have.count += mine.count
                        have.labels = (have.labels + labels)[:_SHOWN]
                        for name, n in names.items():
                            have.names.setdefault(name, n)
                outliers += (outlier._replace(number=offset + outlier.number) for outlier in part.outliers)
                offset += part.size
            others: dict[str, str] = {}
            for outlier in outliers:
                text = others.get(outlier.org)
                if text is None:
                    text = others[outlier.org] = _others(orgs, outlier.org)
                yield ctx.problem(
                    f"{outlier.profile.title!r} is profiled at level {outlier.level} for "
                    f"{outlier.competency!r} at {outlier.profile.organisation}, but the same title at "
                    f"{text}; the most common level for this title is {usual} ({top} of {size} roles) — "
                    "sense-check the organisations' RCPs side by side",
                    profile=outlier.profile,
                    entry=outlier.entry,
                )


def _others(orgs: dict[str, _Org], org: str) -> str:
    """``South Northamptonshire Council has SNC-HR-01 D`` for the roles outside ``org``."""
    outside = [mine for key, mine in orgs.items() if key != org]
    count = sum(mine.count for mine in outside)
    firsts: dict[str, int] = {}  # each spelling belongs to one organisation key: no spelling twice
    for mine in outside:
        firsts.update(mine.names)
    names = sorted(firsts, key=firsts.__getitem__)
    roles = [label for _, label in sorted(label for mine in outside for label in mine.labels)[:_SHOWN]]
    verb = "has" if count == 1 else "have"
    return f"{listed(names, limit=3)} {verb} " + and_more(roles, count)


class _Tally:
    """One title × competency in a share, as ``summarise`` counts it: level indices and organisations."""

    __slots__ = ("last", "levels", "orgs")

    def __init__(self) -> None:
        self.last: ProfileView | None = None
        self.levels: list[int] = []
        self.orgs: set[str] = set()


def _local_groups(views: list[ProfileView], keys: dict[str, str]) -> dict[str, _Tally]:
    """Competency id -> tally of one title's roles (views with an organisation), in order."""
    groups: dict[str, _Tally] = {}
    for view in views:
        org = keys[view.profile.organisation or ""]
        for comp, level in view.resolved:
            if level is None or comp is None:
                continue
            tally = groups.get(comp.id)
            if tally is None:
                tally = groups[comp.id] = _Tally()
            elif tally.last is view:
                continue  # a second entry for the competency: the first one counts
            tally.last = view
            tally.levels.append(level.index)
            tally.orgs.add(org)
    return groups


class _Group:
    """The roles of one title with a level for one competency, in a share, as parallel lists."""

    __slots__ = ("items", "orgs", "views")

    def __init__(self) -> None:
        self.views: list[ProfileView] = []
        self.items: list[ResolvedEntry] = []
        self.orgs: list[str] = []

    def part(self, usual: int) -> _Part:
        """What the judge needs of this group, whose most common level has index ``usual``."""
        usual_level: str | None = None
        orgs: dict[str, _Org] = {}
        outliers: list[_Outlier] = []
        for number, (view, item, org) in enumerate(zip(self.views, self.items, self.orgs, strict=True)):
            level = str(item.level)
            index = item.level.index if item.level is not None else -1
            if index == usual:
                if usual_level is None:
                    usual_level = level
            else:
                outliers.append(_Outlier(number, view.profile, item.entry, level, item.name, org))
            mine = orgs.get(org)
            if mine is None:
                mine = orgs[org] = _Org(0, [], {})
            mine.count += 1
            if len(mine.labels) < _SHOWN:
                mine.labels.append((number, f"{view.profile.id} {level}"))
            mine.names.setdefault(view.profile.organisation or "", number)
        return _Part(len(self.views), usual_level, orgs, outliers)


def _full_groups(views: list[ProfileView], keys: dict[str, str]) -> dict[str, _Group]:
    """Competency id -> group of one title's roles, in order (for the few titles with a finding)."""
    groups: dict[str, _Group] = {}
    for view in views:
        org = keys[view.profile.organisation or ""]
        for item in view.entries:
            comp = item.competency
            if item.level is None or comp is None:
                continue
            group = groups.get(comp.id)
            if group is None:
                group = groups[comp.id] = _Group()
            elif group.views[-1] is view:
                continue  # a second entry for the competency: the first one counts
            group.views.append(view)
            group.items.append(item)
            group.orgs.append(org)
    return groups


# Declared by a call rather than with @set_rule over the class: see copied_rationale.py.
rule = set_rule(
    id="cross-organisation-inconsistency",
    summary="the same role title in two organisations profiled at different levels",
    severity="warning",
)(CrossOrganisationInconsistency)
