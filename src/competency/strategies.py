"""Hypothesis strategies for scales, frameworks and Role Competencies Profiles (RCPs).

For council developers testing their moderation rules, and for the project's own property tests. Every
value these strategies produce is *valid*: a framework loads, lints clean and survives
``dump_framework`` → ``load_framework`` unchanged; a profile profiles every competency that applies to
its role exactly once, at a level on the competency's own run of its scale, with a rationale of at least
40 characters that no other entry shares. Ask for a ``defect`` and exactly one well-defined defect is
planted (see :func:`profile_sets`), so that a rule test can assert that exactly that rule fires::

    from hypothesis import given, strategies as st
    from competency import Checker, CheckConfig
    from competency.strategies import can_plant, frameworks, profile_sets

    @given(st.data())
    def test_my_rule_is_quiet_on_valid_profiles(data):
        fw = data.draw(frameworks())
        profiles = data.draw(profile_sets(fw))
        result = Checker(fw, CheckConfig(select=("my-rule",))).check(profiles)
        assert not result.findings

    @given(st.data())
    def test_missing_management_fires(data):
        fw = data.draw(frameworks(with_kinds=True).filter(lambda f: can_plant(f, "missing-management")))
        profiles = data.draw(profile_sets(fw, defect="missing-management"))
        ...

Hypothesis is a test dependency (``pip install "competency[test]"``); nothing else in the package
imports this module.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from types import EllipsisType
from typing import Final

import attrs
from hypothesis import reject
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

from ._framework import Cluster, Competency, Framework, Kind, LevelRange, Theme
from ._names import normalise, slugify
from ._profile import FrameworkRef, ProfileEntry, RoleProfile
from ._scale import Level, Scale

__all__ = [
    "PLANTABLE_DEFECTS",
    "PROFILE_DEFECTS",
    "SET_DEFECTS",
    "can_plant",
    "frameworks",
    "profile_sets",
    "profiles",
    "scales",
]

#: Defects that can be planted in a single RCP (by :func:`profiles` and :func:`profile_sets`).
PROFILE_DEFECTS: Final = (
    "unknown-competency",
    "duplicate-competency",
    "level-off-scale",
    "missing-core",
    "management-on-non-manager",
    "missing-management",
    "missing-rationale",
    "copied-rationale",
)
#: Defects that need two RCPs (planted by :func:`profile_sets` only).
SET_DEFECTS: Final = (
    "duplicate-role",
    "sibling-inconsistency",
    "cross-organisation-inconsistency",
)
#: Every built-in rule id whose defect :func:`profile_sets` can plant.
PLANTABLE_DEFECTS: Final = PROFILE_DEFECTS + SET_DEFECTS

#: Organisations roles are drawn from (two councils sharing an HR team, and a third).
ORGANISATIONS: Final = ("Cherwell District Council", "South Northamptonshire Council", "Glasgow City Council")

_MAX_LEVELS = 26
_MAX_SET_SIZE = 400
#: Entries sharing the planted copied rationale: the default ``min_copies`` of copied-rationale.
_COPIES = 3
#: Roles in a planted sibling inconsistency: the default ``min_family_size`` of sibling-inconsistency.
_FAMILY_SIZE = 3
#: Fewest levels a competency's run needs to host the planted inconsistencies: a sibling outlier must be
#: more than the default ``max_steps`` (2) from its family's median, so at least 3 steps away.
_RUN_FOR_DEFECT = {"sibling-inconsistency": 4, "cross-organisation-inconsistency": 2}

# -- text ------------------------------------------------------------------------------------------------
#: Printable characters only: letters, marks, numbers, punctuation, symbols and spaces (no control,
#: format, surrogate, private-use or unassigned code points), so every text round-trips through TOML.
_PRINTABLE = st.characters(categories=("L", "M", "N", "P", "S", "Zs"))

_PHRASES = (
    "Communicates clearly", "with residents and colleagues", "plans work ahead of deadlines",
    "and delivers results", "Listens to others", "builds trust across teams", "manages budgets responsibly",
    "seeks feedback", "learns from mistakes.", "Shares information openly;", "takes ownership of problems",
    "coaches new staff", "represents the organisation externally.", "négocie avec l'équipe",
    "an der Straße", "naïve café coördination", "– a dash", '"quoted" and \'single\'', "50% of £1,000",
    "e.g. / & (see below)", "#hash", "back\\slash", "Level B", "A, B, C",
)  # fmt: skip
_THEME_NAMES = (
    "Style", "Method", "Influence and Persuasion", "Messages", "Business Acumen", "Job / role expertise",
    "Professionalism and CPD / Self-Development", "Planning", "Delivery", "Équipe",
)  # fmt: skip


def _nonblank(text: str) -> bool:
    return bool(text.strip())


_FREE_TEXT = st.text(_PRINTABLE, min_size=1, max_size=30).filter(_nonblank)
_SENTENCE = st.lists(st.sampled_from(_PHRASES), min_size=1, max_size=4).map(" ".join)
#: Non-blank printable text: mostly readable sentences, sometimes arbitrary printable Unicode.
_PROSE = st.one_of(_SENTENCE, _SENTENCE, _SENTENCE, _FREE_TEXT)
_SLUG_PARTS = (
    "core", "levels", "a-h", "1-6", "personal", "qualities", "setting", "direction", "cdc", "snc",
    "glasgow", "2015", "l1", "x", "management", "people", "service", "delivery",
)  # fmt: skip
_SLUG = st.lists(st.sampled_from(_SLUG_PARTS), min_size=1, max_size=3).map("-".join)


def _optional_text() -> st.SearchStrategy[str]:
    return st.one_of(st.just(""), _PROSE)


# -- scales ----------------------------------------------------------------------------------------------
_LETTERS = tuple("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
_LEVEL_WORDS = (
    "Foundation", "Developing", "Practitioner", "Proficient", "Advanced", "Expert", "Aware", "Skilled",
    "Accomplished", "Strategic", "Emerging", "Established", "Competent", "Leading", "Exemplary",
    "Beginner", "Intermediate", "Senior", "Principal", "Élevé", "Geübt", "Master",
)  # fmt: skip
_LEVEL_TAILS = (
    "working alone", "with guidance", "leads others", "under supervision", "sets direction",
    "coaches colleagues", "across the council", "in a team",
)  # fmt: skip
#: Level names: "Practitioner", "Practitioner, working alone", "Practitioner working alone".
_LEVEL_NAME = st.one_of(
    st.sampled_from(_LEVEL_WORDS),
    st.tuples(st.sampled_from(_LEVEL_WORDS), st.sampled_from(_LEVEL_TAILS)).map(", ".join),
    st.tuples(st.sampled_from(_LEVEL_WORDS), st.sampled_from(_LEVEL_TAILS)).map(" ".join),
)


def _choice(
    value: bool | EllipsisType | None, options: Sequence[bool | None]
) -> st.SearchStrategy[bool | None]:
    return st.sampled_from(options) if isinstance(value, EllipsisType) else st.just(value)


@st.composite
def _scale(
    draw: st.DrawFn,
    *,
    scale_id: str | None,
    cumulative: bool | EllipsisType | None,
    anchored: bool | EllipsisType,
    min_levels: int,
    max_levels: int,
) -> Scale:
    sid = scale_id if scale_id is not None else draw(_SLUG)
    count = draw(st.integers(min_levels, max_levels))
    shape = draw(st.sampled_from(("letters", "numbers", "names")))
    ids: list[str]
    if shape == "letters":
        order = draw(st.sampled_from(("ascending", "descending", "any")))
        if order == "any":
            ids = draw(st.lists(st.sampled_from(_LETTERS), min_size=count, max_size=count, unique=True))
        else:
            start = draw(st.integers(0, len(_LETTERS) - count))
            ids = list(_LETTERS[start : start + count])
            if order == "descending":  # a scale whose best level is "A"
                ids.reverse()
    elif shape == "numbers":
        start = draw(st.integers(0, 1))
        ids = [str(start + i) for i in range(count)]
        if draw(st.booleans()):  # a scale whose best level is 1
            ids.reverse()
    else:
        ids = draw(st.lists(_LEVEL_NAME, min_size=count, max_size=count, unique_by=normalise))
    keys = {normalise(level_id) for level_id in ids}
    specs: list[tuple[str, str | None]] = []
    for level_id in ids:
        name = draw(st.one_of(st.none(), _LEVEL_NAME))
        if name is not None and normalise(name) in keys:
            name = None  # a name must not be parseable as another level (or repeat its own id)
        if name is not None:
            keys.add(normalise(name))
        specs.append((level_id, name))
    anchors: list[str] = []
    if draw(_choice(anchored, (False, True))):
        if count == 1:
            anchors = list(ids)
        else:  # a proper, non-empty subset, in scale order
            picked = draw(st.lists(st.integers(0, count - 1), min_size=1, max_size=count - 1, unique=True))
            anchors = [ids[i] for i in sorted(picked)]
    return Scale.build(
        sid,
        specs,
        name=draw(_optional_text()),
        anchors=anchors,
        cumulative=draw(_choice(cumulative, (None, True, False))),
        description=draw(st.one_of(st.just(""), _PROSE)),
    )


def scales(
    *,
    cumulative: bool | EllipsisType | None = ...,
    anchored: bool | EllipsisType = ...,
    min_levels: int = 2,
    max_levels: int = 8,
) -> st.SearchStrategy[Scale]:
    """Valid ordinal scales, in the three shapes the project has met (see docs/scales.md).

    * **letters**: "A".."H" lowest first, or "E".."A" (a scale whose best level is A), or letters in any
      order;
    * **numbers**: "1".."n" or "0".."n-1", ascending or descending (written as integers in TOML);
    * **names**: "Practitioner", "Practitioner, working alone", … in a declared order that is not the
      alphabetical one in general.

    Any level may also have a longer ``name``. Ids are unique case-insensitively, and no id or name can be
    parsed as another level (nor starts with "level", so "Level X" always finds X).

    ``cumulative`` is True, False or None (the source does not say); ``anchored`` True gives a non-empty
    *proper* subset of the levels as anchors (all of them on a one-level scale), False none; the default
    ``...`` draws either. ``min_levels``/``max_levels`` bound the number of levels (1 to 26).
    """
    if not 1 <= min_levels <= max_levels <= _MAX_LEVELS:
        raise InvalidArgument(
            f"need 1 <= min_levels <= max_levels <= {_MAX_LEVELS}, got min_levels={min_levels}, "
            f"max_levels={max_levels}"
        )
    return _scale(
        scale_id=None, cumulative=cumulative, anchored=anchored, min_levels=min_levels, max_levels=max_levels
    )


# -- frameworks ------------------------------------------------------------------------------------------
_COMPETENCY_NAMES = (
    "Communication", "Customer Focus", "Teamwork", "Planning and Organising", "Problem Solving",
    "Expertise and Self-Development", "Technical Expertise", "Financial and Commercial Awareness",
    "Leading change through people", "Self belief", "Holding to account", "Empowering others",
    "Drive for results", "Broad scanning", "Organisational Vision", "People Management",
    "Working effectively with others", "Resilience", "Innovation, creativity and change",
)  # fmt: skip
_COMPETENCY_NAME = st.one_of(
    st.sampled_from(_COMPETENCY_NAMES), _FREE_TEXT.filter(lambda s: bool(normalise(s)))
)
_COMPETENCY_ID = st.one_of(st.integers(1, 99).map(lambda n: f"L{n}"), _SLUG)
_KINDS_ALL = (("core", "Core"), ("essential", "Essential"), ("all-staff", ""))
_KINDS_MANAGERIAL = (("management", "Management"), ("leadership", "Leadership"), ("managers", ""))


def _unique_key(text: str, seen: set[str]) -> str:
    """``text``, suffixed until its matching key is new; records the key in ``seen``."""
    candidate, n = text, 1
    while normalise(candidate) in seen:
        n += 1
        candidate = f"{text} ({n})"
    seen.add(normalise(candidate))
    return candidate


@st.composite
def _indicator_table(draw: st.DrawFn, levels: Sequence[Level]) -> dict[str, tuple[str, ...]]:
    picked = draw(st.lists(st.sampled_from(list(levels)), min_size=1, unique=True))
    table: dict[str, tuple[str, ...]] = {}
    for level in sorted(picked, key=lambda lv: lv.index):  # scale order, lowest first
        table[level.id] = tuple(draw(st.lists(_PROSE, min_size=1, max_size=2)))
    return table


@st.composite
def _themes(draw: st.DrawFn, levels: Sequence[Level]) -> tuple[Theme, ...]:
    names = draw(
        st.lists(
            st.one_of(st.sampled_from(_THEME_NAMES), _PROSE),
            min_size=1,
            max_size=3,
            unique_by=normalise,
        )
    )
    themes = []
    for name in names:
        slug = slugify(name)
        theme_id = draw(st.sampled_from((None, slug))) if slug else None
        themes.append(Theme(name=name, indicators=draw(_indicator_table(levels)), id=theme_id))
    return tuple(themes)


@st.composite
def _framework(
    draw: st.DrawFn, *, with_kinds: bool | EllipsisType, with_themes: bool | EllipsisType
) -> Framework:
    scale_ids = draw(st.lists(_SLUG, min_size=1, max_size=3, unique=True))
    scale_list = [
        draw(_scale(scale_id=sid, cumulative=..., anchored=..., min_levels=2, max_levels=8))
        for sid in scale_ids
    ]
    default_scale = draw(st.one_of(st.none(), st.sampled_from(scale_ids)))
    by_id = {s.id: s for s in scale_list}

    kinds: list[Kind] = []
    if isinstance(with_kinds, EllipsisType):
        kind_mode = draw(st.sampled_from(("none", "core", "both")))
    else:
        kind_mode = "both" if with_kinds else "none"
    if kind_mode != "none":
        kid, kname = draw(st.sampled_from(_KINDS_ALL))
        kinds.append(Kind(kid, kname, "all", draw(_optional_text())))
    if kind_mode == "both":
        kid, kname = draw(st.sampled_from(_KINDS_MANAGERIAL))
        kinds.append(Kind(kid, kname, "managerial", draw(_optional_text())))

    clusters: list[Cluster] = []
    for cluster_id in draw(st.lists(_SLUG, max_size=4, unique=True)):
        parent = draw(st.one_of(st.none(), st.sampled_from([c.id for c in clusters]))) if clusters else None
        clusters.append(Cluster(cluster_id, draw(_PROSE), draw(_optional_text()), parent))

    count = draw(st.integers(1, 8))
    ids = draw(st.lists(_COMPETENCY_ID, min_size=count, max_size=count, unique_by=normalise))
    seen = {normalise(cid) for cid in ids}
    # Every kind is used when there is room: the first competencies take one kind each, in a drawn order.
    kind_ids = [k.id for k in kinds]
    assigned: list[str | None] = [None] * count
    if kinds:
        assigned = [
            kind_ids[i] if i < len(kind_ids) else draw(st.sampled_from(kind_ids)) for i in range(count)
        ]
        assigned = list(draw(st.permutations(assigned)))

    competencies = []
    for pos, cid in enumerate(ids):
        own = {normalise(cid)}
        name = draw(_COMPETENCY_NAME)
        if normalise(name) not in own:
            name = _unique_key(name, seen)
        own.add(normalise(name))
        aliases = []
        for alias in draw(st.lists(_COMPETENCY_NAME, max_size=2)):
            if normalise(alias) not in seen:
                seen.add(normalise(alias))
                aliases.append(alias)
        scale_id = default_scale
        if default_scale is None or draw(st.booleans()):
            scale_id = draw(st.sampled_from(scale_ids))
        assert scale_id is not None
        scale = by_id[scale_id]
        level_range, run = draw(_run(scale))
        describable = [lv for lv in run if scale.is_anchor(lv)]
        themed = draw(st.booleans()) if isinstance(with_themes, EllipsisType) else with_themes
        indicators: dict[str, tuple[str, ...]] = {}
        themes: tuple[Theme, ...] = ()
        if themed:
            themes = draw(_themes(describable))
        else:
            indicators = draw(_indicator_table(describable))
        titles = draw(st.lists(st.sampled_from(list(run)), unique=True, max_size=len(run)))
        competencies.append(
            Competency(
                id=cid,
                name=name,
                definition=draw(_PROSE),
                aliases=tuple(aliases),
                kind=assigned[pos],
                cluster=draw(st.one_of(st.none(), st.sampled_from([c.id for c in clusters])))
                if clusters
                else None,
                scale=None if scale_id == default_scale else scale_id,
                level_range=level_range,
                features=tuple(draw(st.lists(_PROSE, max_size=2))),
                not_this=tuple(draw(st.lists(_PROSE, max_size=1))),
                development_indicators=tuple(draw(st.lists(_PROSE, max_size=2))),
                level_titles={lv.id: draw(_PROSE) for lv in sorted(titles, key=lambda lv: lv.index)},
                indicators=indicators,
                themes=themes,
            )
        )
    return Framework(
        id=draw(_SLUG),
        title=draw(_PROSE),
        version=draw(st.one_of(st.sampled_from(("1", "2015", "2.0", "v3")), _SLUG)),
        scales=tuple(scale_list),
        competencies=tuple(competencies),
        publisher=draw(_optional_text()),
        source=draw(_optional_text()),
        description=draw(_optional_text()),
        default_scale=default_scale,
        kinds=tuple(kinds),
        clusters=tuple(clusters),
    )


@st.composite
def _run(draw: st.DrawFn, scale: Scale) -> tuple[LevelRange | None, tuple[Level, ...]]:
    """A competency's ``level_range`` and run: the whole scale, or a run of at least two levels that
    holds an anchor (so the competency can carry indicators)."""
    levels = scale.levels
    mode = draw(st.sampled_from(("whole", "explicit-whole", "sub-run")))
    if mode == "sub-run" and len(levels) > 2:
        first = draw(st.integers(0, len(levels) - 2))
        last = draw(st.integers(first + 1, len(levels) - 1))
        run = levels[first : last + 1]
        if any(scale.is_anchor(lv) for lv in run):
            return LevelRange(run[0].id, run[-1].id), run
    if mode == "explicit-whole":
        return LevelRange(levels[0].id, levels[-1].id), levels
    return None, levels


def frameworks(
    *, with_kinds: bool | EllipsisType = ..., with_themes: bool | EllipsisType = ...
) -> st.SearchStrategy[Framework]:
    """Valid frameworks that load, lint clean and round-trip through TOML unchanged.

    * 1-3 scales from :func:`scales` (2-8 levels each), with or without a ``default_scale``;
    * ``with_kinds``: True declares an ``applies_to = "all"`` kind (core) and an ``applies_to =
      "managerial"`` kind (management), and with two or more competencies uses both; False declares no
      kinds (every competency applies to every role); ``...`` draws none, core only, or both;
    * 0-4 clusters, nested through ``parent`` (a parent is always declared before its children);
    * 1-8 competencies with unique ids, and names and aliases that do not collide with any other
      competency's id, name or alias after :func:`competency._names.normalise`; each on its scale's
      whole run or on a ``level_range`` sub-run of at least two levels that holds an anchor;
    * indicators keyed by level ids of the competency's run, lowest first (only anchors, on an anchored
      scale), at one or more levels; ``with_themes`` True puts them in 1-3 themes, False directly on the
      competency, ``...`` draws per competency;
    * a definition, features, "not this" items, development indicators and level titles, all non-blank,
      printable text (letters, marks, numbers, punctuation, symbols, spaces; quotes and backslashes
      included; no control characters).
    """
    return _framework(with_kinds=with_kinds, with_themes=with_themes)


# -- profiles --------------------------------------------------------------------------------------------
_SENIORITY = ("", "Senior ", "Principal ", "Assistant ", "Trainee ", "Lead ")
_AREAS = (
    "Planning", "Finance", "Housing", "Licensing", "Environmental Health", "Building Control", "Payroll",
    "Revenues", "Benefits", "Waste", "Legal", "Procurement", "Elections", "Parking", "Community Safety",
    "Leisure", "Customer Services", "ICT", "Human Resources", "Democratic Services",
)  # fmt: skip
_JOBS = (
    "Officer", "Adviser", "Assistant", "Analyst", "Specialist", "Coordinator", "Technician", "Surveyor",
    "Planner", "Accountant", "Solicitor",
)  # fmt: skip
_FAMILY_KINDS = ("professional", "support", "technical", "operational")
_TITLE = st.tuples(st.sampled_from(_SENIORITY), st.sampled_from(_AREAS), st.sampled_from(_JOBS)).map(
    lambda t: f"{t[0]}{t[1]} {t[2]}"
)
_FAMILY = st.tuples(st.sampled_from(_AREAS), st.sampled_from(_FAMILY_KINDS), st.integers(0, 5)).map(
    lambda t: f"{slugify(t[0])}-{t[1]}" + (f"-{t[2]}" if t[2] else "")
)
_GRADE = st.one_of(st.none(), st.integers(1, 12).map(lambda g: f"Grade {g}"))
_UNKNOWN_NAMES = (
    "Underwater Basket Weaving",
    "Dragon Taming",
    "Time Travel",
    "Telepathy",
    "Juggling Chainsaws",
)
_OFF_SCALE = ("Z9", "99", "Level 99", "XQ", "0.5", "I+")

_SUBJECTS = (
    "The postholder",
    "This role",
    "The jobholder",
    "Whoever holds this post",
    "The officer",
    "This post",
)
_VERBS = (
    "explains", "negotiates", "reviews", "drafts", "presents", "coordinates", "monitors", "plans",
    "checks", "prepares", "leads discussions on", "answers questions about", "keeps records of",
    "advises on",
)  # fmt: skip
_OBJECTS = (
    "planning applications", "budget forecasts", "housing allocations", "waste collection rounds",
    "licensing decisions", "committee reports", "contract variations", "benefit claims",
    "tenancy disputes", "grant bids", "payroll queries", "building control inspections",
    "council tax appeals", "recruitment campaigns", "health and safety audits", "procurement exercises",
    "parking enforcement", "community safety plans", "polling station logistics", "leisure bookings",
)  # fmt: skip
_AUDIENCES = (
    "with residents", "with elected members", "for the leadership team", "with partner agencies",
    "with contractors", "for the public", "with colleagues in other services", "with the other council",
    "with local businesses", "with schools",
)  # fmt: skip
_FREQUENCIES = (
    "every week", "daily", "several times a month", "at each committee cycle", "throughout the year",
    "when deadlines are tight", "during peak periods", "most days",
)  # fmt: skip
_REASONS = (
    "which calls for {}", "so the level reflects the {} this needs", "and the job description asks for {}",
    "where mistakes would need {} to put right", "relying on {} without close supervision",
    "which the person specification ties to {}",
)  # fmt: skip
_SKILLS = (
    "tact", "sound judgement", "technical knowledge", "clear writing", "resilience", "initiative",
    "attention to detail", "confidence with figures", "patience", "political awareness",
)  # fmt: skip


class _Rationales:
    """Fresh rationales for one set: readable, at least 40 characters, never repeated.

    Texts come from a seeded generator keyed by a counter (not from Hypothesis draws), so that shrinking
    cannot make two rationales alike and set the copied-rationale rule off by accident.
    """

    def __init__(self, seed: int) -> None:
        self._seed = seed
        self._count = 0
        self._seen: set[str] = set()

    def fresh(self) -> str:
        while True:
            rng = random.Random(self._seed * 1_000_003 + self._count)
            self._count += 1
            reason = rng.choice(_REASONS).format(rng.choice(_SKILLS))
            text = (
                f"{rng.choice(_SUBJECTS)} {rng.choice(_VERBS)} {rng.choice(_OBJECTS)} "
                f"{rng.choice(_AUDIENCES)} {rng.choice(_FREQUENCIES)}, {reason}."
            )
            if normalise(text) not in self._seen:
                self._seen.add(normalise(text))
                return text


@attrs.define
class _Job:
    """What roles profiled alike share: the managerial flag and a level per applicable competency."""

    managerial: bool
    levels: dict[str, str]
    title: str
    organisation: str | None
    family: str | None
    #: Organisations that already have a role with this job's title.
    organisations: set[str | None] = attrs.field(factory=set)


def _applicable(framework: Framework, managerial: bool) -> tuple[Competency, ...]:
    return framework.required_for(managerial=managerial)


def _is_core(framework: Framework, comp: Competency) -> bool:
    """Whether every role must profile ``comp``: its kind applies to all, or it has no (declared) kind."""
    kind = framework.kind_of(comp)
    return kind is None or kind.applies_to == "all"


def _is_management(framework: Framework, comp: Competency) -> bool:
    kind = framework.kind_of(comp)
    return kind is not None and kind.applies_to == "managerial"


def _host_flags(framework: Framework, defect: str | None) -> list[bool]:
    """The managerial flags a role hosting ``defect`` (or a valid role, for None) can have."""
    flags = []
    for flag in (False, True):
        comps = _applicable(framework, flag)
        if defect == "management-on-non-manager":
            # the planted entry is the role's only one when nothing else applies to non-managers
            ok = not flag and any(_is_management(framework, c) for c in framework.competencies)
        elif not comps:
            ok = False  # every role profiles at least one competency
        elif defect == "missing-core":
            ok = len(comps) >= 2 and any(_is_core(framework, c) for c in comps)
        elif defect == "missing-management":
            ok = flag and len(comps) >= 2 and any(_is_management(framework, c) for c in comps)
        elif defect == "copied-rationale":
            ok = len(comps) >= _COPIES
        elif defect in _RUN_FOR_DEFECT:
            ok = any(len(framework.levels_for(c)) >= _RUN_FOR_DEFECT[defect] for c in comps)
        else:
            ok = True
        if ok:
            flags.append(flag)
    return flags


def can_plant(framework: Framework, defect: str) -> bool:
    """Whether :func:`profile_sets` can plant ``defect`` in profiles of ``framework``.

    False, for example, for "missing-management" when the framework has no ``applies_to =
    "managerial"`` kind, and for "sibling-inconsistency" when no competency has a run of four levels.
    Filter frameworks with it to avoid rejected examples::

        frameworks(with_kinds=True).filter(lambda fw: can_plant(fw, "missing-management"))
    """
    _check_defect(defect)
    return bool(_host_flags(framework, defect))


def _check_defect(defect: str | None) -> None:
    if defect is not None and defect not in PLANTABLE_DEFECTS:
        raise InvalidArgument(
            f"defect {defect!r} cannot be planted (plantable: {', '.join(PLANTABLE_DEFECTS)})"
        )


@st.composite
def _levels(draw: st.DrawFn, framework: Framework, managerial: bool) -> dict[str, str]:
    return {
        c.id: draw(st.sampled_from(framework.levels_for(c))).id for c in _applicable(framework, managerial)
    }


def _kind_label(framework: Framework, comp: Competency) -> str | None:
    kind = framework.kind_of(comp)
    return None if kind is None else (kind.name or kind.id)


@st.composite
def _entry(
    draw: st.DrawFn, framework: Framework, comp: Competency, level: str, rationale: str
) -> ProfileEntry:
    label = _kind_label(framework, comp)
    return ProfileEntry(
        competency=draw(st.sampled_from(sorted({comp.name, comp.id}))),
        level=level,
        rationale=rationale,
        type=draw(st.sampled_from((None, label))) if label is not None else None,
    )


@st.composite
def _role(
    draw: st.DrawFn,
    framework: Framework,
    writer: _Rationales,
    job: _Job,
    *,
    role_id: str,
    title: str,
    organisation: str | None,
    levels: dict[str, str] | None = None,
) -> RoleProfile:
    levels = job.levels if levels is None else levels
    comps = draw(st.permutations(_applicable(framework, job.managerial)))
    entries = tuple(draw(_entry(framework, c, levels[c.id], writer.fresh())) for c in comps)
    return RoleProfile(
        id=role_id,
        title=title,
        competencies=entries,
        organisation=organisation,
        family=job.family,
        managerial=job.managerial,
        grade=draw(_GRADE),
        framework=FrameworkRef(framework.id, framework.version),
    )


def _index_where(
    draw: st.DrawFn,
    entries: Sequence[ProfileEntry],
    framework: Framework,
    test: Callable[[Framework, Competency], bool],
) -> int:
    """A drawn position of an entry whose competency passes ``test``."""
    positions = []
    for i, entry in enumerate(entries):
        comp = framework.find_competency(entry.competency)
        if comp is not None and test(framework, comp):
            positions.append(i)
    return draw(st.sampled_from(positions))


def _plant(
    draw: st.DrawFn, framework: Framework, writer: _Rationales, profile: RoleProfile, defect: str
) -> RoleProfile:
    """``profile`` with the one-profile ``defect`` planted (see :func:`profile_sets`)."""
    entries = list(profile.competencies)
    if defect == "unknown-competency":
        name = next((n for n in _UNKNOWN_NAMES if framework.find_competency(n) is None), None)
        if name is None:
            reject()
        level = framework.scales[0].levels[0].id
        entries.insert(draw(st.integers(0, len(entries))), ProfileEntry(name, level, writer.fresh()))
    elif defect == "duplicate-competency":
        original = entries[draw(st.integers(0, len(entries) - 1))]
        copy = attrs.evolve(original, rationale=writer.fresh())
        entries.insert(draw(st.integers(0, len(entries))), copy)
    elif defect == "level-off-scale":
        pos = draw(st.integers(0, len(entries) - 1))
        comp = framework.competency(entries[pos].competency)
        scale = framework.scale_for(comp)
        run = framework.levels_for(comp)
        choices = [text for text in _OFF_SCALE if scale.find(text) is None]
        choices += [lv.id for lv in scale.levels if lv not in run]  # on the scale, outside the run
        entries[pos] = attrs.evolve(entries[pos], level=draw(st.sampled_from(choices)))
    elif defect == "missing-core":
        del entries[_index_where(draw, entries, framework, _is_core)]
    elif defect == "missing-management":
        del entries[_index_where(draw, entries, framework, _is_management)]
    elif defect == "management-on-non-manager":
        comp = draw(st.sampled_from([c for c in framework.competencies if _is_management(framework, c)]))
        level = draw(st.sampled_from(framework.levels_for(comp))).id
        entries.insert(
            draw(st.integers(0, len(entries))), draw(_entry(framework, comp, level, writer.fresh()))
        )
    elif defect == "missing-rationale":
        pos = draw(st.integers(0, len(entries) - 1))
        entries[pos] = attrs.evolve(entries[pos], rationale="")
    elif defect == "copied-rationale":
        source, *targets = draw(
            st.lists(st.integers(0, len(entries) - 1), min_size=_COPIES, max_size=_COPIES, unique=True)
        )
        for target in targets:
            entries[target] = attrs.evolve(entries[target], rationale=entries[source].rationale)
    return attrs.evolve(profile, competencies=tuple(entries))


@st.composite
def _profile_set(
    draw: st.DrawFn, framework: Framework, *, min_size: int, max_size: int, defect: str | None
) -> tuple[RoleProfile, ...]:
    valid_flags = _host_flags(framework, None)
    host_flags = _host_flags(framework, defect)
    if not valid_flags or not host_flags:
        reject()
    planted = _planted_roles(defect)
    size = draw(st.integers(max(min_size, planted), max_size))
    writer = _Rationales(draw(st.integers(0, 2**32 - 1)))
    numbers = draw(st.lists(st.integers(1, 9999), min_size=size, max_size=size, unique=True))
    ids = iter(f"R{n:04d}" for n in numbers)
    titles = iter(draw(st.lists(_TITLE, min_size=size, max_size=size, unique_by=normalise)))
    families = iter(draw(st.lists(_FAMILY, min_size=size, max_size=size, unique=True)))
    organisation = st.one_of(st.none(), st.sampled_from(ORGANISATIONS))
    roles: list[RoleProfile] = []

    def new_job(
        flags: list[bool], *, family: bool | None = None, org: str | EllipsisType | None = ...
    ) -> _Job:
        flag = draw(st.sampled_from(flags))
        has_family = draw(st.booleans()) if family is None else family
        return _Job(
            managerial=flag,
            levels=draw(_levels(framework, flag)),
            title=next(titles),
            organisation=draw(organisation) if isinstance(org, EllipsisType) else org,
            family=next(families) if has_family else None,
        )

    if defect in PROFILE_DEFECTS:
        job = new_job(host_flags)
        host = draw(
            _role(framework, writer, job, role_id=next(ids), title=job.title, organisation=job.organisation)
        )
        roles.append(_plant(draw, framework, writer, host, defect))
    elif defect == "duplicate-role":
        job = new_job(host_flags)
        role_id = next(ids)
        for _ in range(2):
            roles.append(
                draw(
                    _role(
                        framework,
                        writer,
                        job,
                        role_id=role_id,
                        title=job.title,
                        organisation=job.organisation,
                    )
                )
            )
    elif defect in _RUN_FOR_DEFECT:
        if defect == "sibling-inconsistency":
            job = new_job(host_flags, family=True)
            orgs = [job.organisation] * _FAMILY_SIZE
            group_titles = [job.title] + [next(titles) for _ in range(_FAMILY_SIZE - 1)]
        else:
            orgs = draw(st.lists(st.sampled_from(ORGANISATIONS), min_size=2, max_size=2, unique=True))
            job = new_job(host_flags, family=False, org=orgs[0])
            group_titles = [job.title, job.title]
        runs = {c.id: framework.levels_for(c) for c in _applicable(framework, job.managerial)}
        longest = max(len(run) for run in runs.values())
        assert longest >= _RUN_FOR_DEFECT[defect]
        comp_id = draw(st.sampled_from(sorted(cid for cid, run in runs.items() if len(run) == longest)))
        # all but the last role at the lowest level of the run; the last at the highest
        low, high = runs[comp_id][0].id, runs[comp_id][-1].id
        for pos, (title, org) in enumerate(zip(group_titles, orgs, strict=True)):
            levels = {**job.levels, comp_id: high if pos == len(orgs) - 1 else low}
            role = _role(
                framework, writer, job, role_id=next(ids), title=title, organisation=org, levels=levels
            )
            roles.append(draw(role))

    # The valid rest: some roles join an earlier job, as a sibling in its family (own title) or as
    # the same job in another organisation (same title); every role of a job has the job's levels.
    jobs: list[_Job] = []
    while len(roles) < size:
        joinable = [j for j in jobs if j.family is not None or _free_org(j) is not None]
        if joinable and draw(st.sampled_from((False, False, True))):
            job = draw(st.sampled_from(joinable))
            modes = (["family"] if job.family is not None else []) + (["other-org"] if _free_org(job) else [])
            if draw(st.sampled_from(modes)) == "family":
                title, org = next(titles), draw(organisation)
            else:
                title = job.title
                org = draw(st.sampled_from([o for o in ORGANISATIONS if o not in job.organisations]))
                job.organisations.add(org)
        else:
            job = new_job(valid_flags)
            jobs.append(job)
            title, org = job.title, job.organisation
            job.organisations.add(org)
        roles.append(draw(_role(framework, writer, job, role_id=next(ids), title=title, organisation=org)))
    order = draw(st.permutations(range(len(roles))))
    return tuple(roles[i] for i in order)


def _free_org(job: _Job) -> str | None:
    """An organisation with no role of this job's title yet, when the job can have a counterpart."""
    if job.organisation is None:
        return None
    return next((o for o in ORGANISATIONS if o not in job.organisations), None)


def _planted_roles(defect: str | None) -> int:
    """How many RCPs planting ``defect`` takes."""
    if defect is None:
        return 0
    if defect == "sibling-inconsistency":
        return _FAMILY_SIZE
    return 2 if defect in SET_DEFECTS else 1


def _check_sizes(min_size: int, max_size: int, defect: str | None) -> None:
    needed = _planted_roles(defect)
    if not 0 <= min_size <= max_size <= _MAX_SET_SIZE or max_size < needed:
        raise InvalidArgument(
            f"need 0 <= min_size <= max_size <= {_MAX_SET_SIZE} and max_size >= {needed} for "
            f"defect={defect!r}; got min_size={min_size}, max_size={max_size}"
        )


def profile_sets(
    framework: Framework, *, min_size: int = 1, max_size: int = 10, defect: str | None = None
) -> st.SearchStrategy[tuple[RoleProfile, ...]]:
    """Sets of RCPs for ``framework``: valid, or with exactly one planted ``defect``.

    **Valid sets.** Role ids (``"R0042"``) are unique, and so are (organisation, title) pairs, titles
    compared after :func:`~competency._names.normalise`. Each RCP names ``framework`` (id and version),
    has no suppressions, no metadata and no provenance, and profiles exactly the competencies that
    apply to its ``managerial`` flag (:meth:`Framework.required_for`), in a drawn order, each once: by
    its name or id as the framework writes it, at a level id of the competency's own run, with a fresh
    rationale of at least 40 characters, and a ``type`` that is the competency's kind name (or id) or
    none. Every role profiles at least one competency. Roles that *should* be profiled alike are:
    roles sharing a ``family`` (titles differ), and roles with the same title in different
    organisations (both organisations given); such roles have the same managerial flag and identical
    levels. No two entries in a set share a rationale. Organisations come from :data:`ORGANISATIONS`
    or are ``None``.

    **Planted defects.** With ``defect`` set, the set is a valid set plus exactly this (and nothing else
    a built-in rule would report). A one-profile defect is planted in one RCP that has no family
    sibling and no counterpart in another organisation:

    * ``"unknown-competency"``: one extra entry, at a drawn position, names a competency the framework
      does not know by any id, name or alias ("Underwater Basket Weaving", …), with a level id of the
      framework's first scale and a fresh rationale.
    * ``"duplicate-competency"``: one entry is repeated at a drawn position: same competency spelling,
      same level, a different fresh rationale.
    * ``"level-off-scale"``: one entry's level is replaced by a text that names no level of the
      competency's scale ("Z9", "99", "Level 99", …) or, when the competency has a ``level_range``
      narrower than its scale, possibly by a level of the scale outside that run.
    * ``"missing-core"``: the entry of one competency that applies to every role (its kind has
      ``applies_to = "all"``, or it has no kind, as in a framework without kinds) is dropped; the RCP
      keeps at least one entry.
    * ``"management-on-non-manager"``: a non-managerial RCP gets one extra entry, at a drawn position,
      for a competency whose kind has ``applies_to = "managerial"``, at a level of its run, with a
      fresh rationale. Needs such a kind with a competency.
    * ``"missing-management"``: a managerial RCP lacks the entry of one competency whose kind has
      ``applies_to = "managerial"`` (it keeps at least one entry).
    * ``"missing-rationale"``: one entry's rationale is ``""``.
    * ``"copied-rationale"``: within one RCP (of at least three entries), the rationale of one entry is
      copied, exactly, onto two other entries: one text under three entries, the rule's default
      ``min_copies``; no other rationale repeats.

    A set defect adds a group of RCPs to the valid rest (so the set is at least that large):

    * ``"duplicate-role"``: two RCPs with the same role id, title, organisation, family, managerial
      flag and levels (so neither inconsistency rule can fire) but different rationales: one role
      profiled twice.
    * ``"sibling-inconsistency"``: three RCPs (the rule's default ``min_family_size``) of one new
      ``family``, in one organisation (or all with none), with different titles and the same
      managerial flag, whose levels are identical except on one competency: two RCPs have the lowest
      level of its run and the third the highest. That competency is one with the longest run, of four
      levels at least, so the outlier is three or more steps from the family's median (more than the
      rule's default ``max_steps`` of 2): one finding, on the third RCP.
    * ``"cross-organisation-inconsistency"``: two RCPs with the same title in two different
      organisations, no family, the same managerial flag, and levels identical except on one
      competency (one with the longest run, of two levels at least): the lowest level of its run in
      one RCP and the highest in the other.

    When ``framework`` cannot host ``defect`` (see :func:`can_plant`) the example is rejected
    (:func:`hypothesis.reject`); filter the frameworks first to avoid many rejections.
    ``min_size``/``max_size`` bound the number of RCPs (0 to 400), planted ones included.
    """
    if not isinstance(framework, Framework):
        raise InvalidArgument(f"framework must be a competency.Framework, got {type(framework).__name__}")
    _check_defect(defect)
    _check_sizes(min_size, max_size, defect)
    return _profile_set(framework, min_size=min_size, max_size=max_size, defect=defect)


def profiles(framework: Framework, *, defect: str | None = None) -> st.SearchStrategy[RoleProfile]:
    """Single RCPs for ``framework``: valid, or with one planted ``defect`` of :data:`PROFILE_DEFECTS`.

    The RCP is the one-element :func:`profile_sets` with the same arguments, so it is exactly as
    described there (its ``managerial`` flag matches the competencies it profiles, and with ``defect``
    the planted defect is the only one).
    """
    if defect in SET_DEFECTS:
        raise InvalidArgument(f"defect {defect!r} needs two RCPs; use profile_sets(framework, defect=...)")
    return profile_sets(framework, min_size=1, max_size=1, defect=defect).map(lambda found: found[0])
