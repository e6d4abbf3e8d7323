"""Property tests of the scale semantics (docs/scales.md) and of lossless TOML round trips.

Scales, frameworks and profile sets come from :mod:`competency.strategies`, the same strategies plugin
authors use, so these tests also keep the strategies honest.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable
from pathlib import Path

import attrs
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

import competency
from competency import (
    Framework,
    LevelError,
    Provenance,
    RoleProfile,
    Scale,
    Suppression,
    dump_framework,
    dump_profiles,
    load_framework,
    load_profiles,
)
from competency._names import normalise
from competency.strategies import frameworks, profile_sets, scales

# Scales are cheap; frameworks and profile sets cost tens of milliseconds each, and round trips touch disk.
SCALES = settings(max_examples=60, deadline=None)
FRAMEWORKS = settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
FILES = settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)


# -- order -----------------------------------------------------------------------------------------------
@SCALES
@given(scales())
def test_order_is_total_and_matches_declared_position(scale: Scale) -> None:
    for a, b in itertools.product(scale.levels, repeat=2):
        assert (a < b) == (a.index < b.index)
        assert (a <= b) == (a.index <= b.index)
        assert (a > b) == (a.index > b.index)
        assert (a >= b) == (a.index >= b.index)
        assert [a < b, a == b, a > b].count(True) == 1  # exactly one holds: a total order
    assert [level.index for level in scale.levels] == list(range(len(scale)))


@SCALES
@given(st.data())
def test_sorting_restores_the_declared_order_not_the_alphabet(data: st.DataObject) -> None:
    scale = data.draw(scales())
    shuffled = data.draw(st.permutations(scale.levels))
    assert tuple(sorted(shuffled)) == scale.levels
    assert max(shuffled) == scale.levels[-1] and min(shuffled) == scale.levels[0]


def test_declared_order_wins_over_the_alphabet() -> None:
    scale = Scale.build("best-is-a", ["E", "D", "C", "B", "A"])
    assert scale.parse("A") > scale.parse("E")
    assert max(scale.levels).id == "A"


def test_blank_text_names_no_level_even_where_a_level_is_spelled_blank() -> None:
    # Rules count a level the engine resolved as stated (missing-core's quick test): blank text must
    # never resolve, whatever a hand-written framework calls its levels.
    scale = Scale.build("odd", [("A", " "), ("B", "")])
    for blank in ("", " ", "\t\n", "Level "):
        assert scale.find(blank) is None
    assert scale.find(" a ") == scale.levels[0]


# -- parsing ---------------------------------------------------------------------------------------------
def _spellings(level_id: str) -> list[object]:
    spellings: list[object] = [
        level_id,
        level_id.lower(),
        level_id.upper(),
        f"  {level_id} ",
        f"\t{level_id}\n",
        f"Level {level_id}",
        f"level  {level_id.lower()}",
        f" LEVEL {level_id} ",
    ]
    if level_id.isdigit() and str(int(level_id)) == level_id:
        spellings.append(int(level_id))
    return spellings


@SCALES
@given(scales())
def test_parse_of_format_is_the_identity_and_accepts_documented_spellings(scale: Scale) -> None:
    for level in scale.levels:
        assert scale.parse(str(level)) == level
        assert scale.parse(str(level)).id == level.id
        assert scale.parse(level) is level
        for spelling in _spellings(level.id):
            assert scale.parse(spelling) == level, spelling
        if level.name is not None:
            for spelling in (level.name, level.name.lower(), f" {level.name.upper()}  "):
                assert scale.parse(spelling) == level, spelling
        assert level in scale
        assert str(level) in scale


def test_documented_spellings_on_the_bundled_scales() -> None:
    cdc = load_framework("cdc-snc-2015").scales[0]
    assert {cdc.parse(s).id for s in ("d", " D ", "Level D", "level d")} == {"D"}
    glasgow = load_framework("glasgow-leadership").scales[0]
    assert {glasgow.parse(s).id for s in (3, "3", " 3", "Level 3", "LEVEL 3")} == {"3"}
    named = Scale.build("named", [("1", "Foundation"), ("2", "Practitioner, working alone")])
    assert named.parse("practitioner,  working alone").id == "2"


_OFF_SCALE_VALUES = st.one_of(
    st.text(max_size=12),
    st.integers(),
    st.floats(allow_nan=False),
    st.booleans(),
    st.none(),
    st.builds(list),
)


@SCALES
@given(st.data())
def test_off_scale_input_is_rejected_with_the_valid_levels(data: st.DataObject) -> None:
    scale = data.draw(scales())
    value = data.draw(_OFF_SCALE_VALUES.filter(lambda v: scale.find(v) is None))
    with pytest.raises(LevelError) as caught:
        scale.parse(value)
    message = str(caught.value)
    assert "\n" not in message
    assert f"valid levels: {', '.join(level.id for level in scale.levels)}" in message
    assert isinstance(caught.value, ValueError)  # LevelError is also a ValueError


@SCALES
@given(st.data())
def test_a_level_outside_a_run_is_rejected_listing_the_run(data: st.DataObject) -> None:
    scale = data.draw(scales(min_levels=3))
    first = data.draw(st.integers(1, len(scale) - 1))
    run = scale.levels[first:]
    outside = data.draw(st.sampled_from(scale.levels[:first]))
    with pytest.raises(LevelError) as caught:
        scale.parse(outside.id, within=run)
    assert str(caught.value).endswith(f"(valid levels: {', '.join(lv.id for lv in run)})")
    assert scale.parse(run[0].id, within=run) == run[0]


@FRAMEWORKS
@given(frameworks())
def test_framework_parse_level_uses_the_competency_run(fw: Framework) -> None:
    for comp in fw.competencies:
        run = fw.levels_for(comp)
        for level in fw.scale_for(comp).levels:
            if level in run:
                assert fw.parse_level(comp, level.id) == level
            else:
                assert fw.find_level(comp, level.id) is None
                with pytest.raises(LevelError, match=r"valid levels: "):
                    fw.parse_level(comp, level.id)


# -- what a level means ----------------------------------------------------------------------------------
@SCALES
@given(scales(cumulative=True))
def test_cumulative_describing_levels_grow_with_the_level(scale: Scale) -> None:
    previous: tuple[competency.Level, ...] = ()
    for level in scale.levels:
        describing = scale.describing_levels(level)
        assert describing[: len(previous)] == previous
        assert all(lv <= level for lv in describing)
        assert describing == tuple(lv for lv in scale.levels if lv <= level and scale.is_anchor(lv))
        previous = describing


def _declared(cumulative: bool | None) -> Callable[[Framework], Framework]:
    """``fw`` with every scale declared ``cumulative`` (cheaper than filtering for such frameworks)."""

    def declare(fw: Framework) -> Framework:
        return attrs.evolve(fw, scales=tuple(attrs.evolve(s, cumulative=cumulative) for s in fw.scales))

    return declare


def _anchored(fw: Framework) -> bool:
    return any(fw.scale_for(c).anchors for c in fw.competencies)


@FRAMEWORKS
@given(frameworks().map(_declared(True)))
def test_cumulative_level_meaning_grows_monotonically(fw: Framework) -> None:
    for comp in fw.competencies:
        if fw.scale_for(comp).cumulative is not True:
            continue
        previous: tuple[str, ...] = ()
        previous_groups: tuple[competency.IndicatorGroup, ...] = ()
        for level in fw.levels_for(comp):
            meaning = fw.level_meaning(comp, level.id)
            assert meaning.cumulative is True
            assert meaning.indicators[: len(previous)] == previous
            assert meaning.groups[: len(previous_groups)] == previous_groups
            previous, previous_groups = meaning.indicators, meaning.groups
        top = fw.level_meaning(comp, fw.levels_for(comp)[-1].id)
        tables = (comp.indicators, *(theme.indicators for theme in comp.themes))
        every = [text for table in tables for texts in table.values() for text in texts]
        assert sorted(top.indicators) == sorted(every)  # the top level means every indicator of the run


@SCALES
@given(st.sampled_from([False, None]).flatmap(lambda c: scales(anchored=True, cumulative=c)))
def test_non_cumulative_level_is_described_by_the_anchor_at_or_below_it(scale: Scale) -> None:
    for level in scale.levels:
        below = [lv for lv in scale.levels if lv <= level and scale.is_anchor(lv)]
        assert scale.describing_levels(level) == tuple(below[-1:])


@FRAMEWORKS
@given(
    st.tuples(st.sampled_from([False, None]), frameworks())
    .map(lambda t: _declared(t[0])(t[1]))
    .filter(_anchored)
)
def test_anchored_non_cumulative_meaning_equals_the_anchor_below(fw: Framework) -> None:
    for comp in fw.competencies:
        scale = fw.scale_for(comp)
        if not scale.anchors or scale.cumulative is True:
            continue
        run = fw.levels_for(comp)
        for level in run:
            meaning = fw.level_meaning(comp, level.id)
            anchors_below = [lv for lv in run if lv <= level and scale.is_anchor(lv)]
            if scale.is_anchor(level):
                assert meaning.describing_levels == (level,)
                continue
            if not anchors_below:  # below the first described level: nothing describes it
                assert meaning.describing_levels == ()
                assert meaning.groups == ()
                continue
            anchor = fw.level_meaning(comp, anchors_below[-1].id)
            assert meaning.describing_levels == anchor.describing_levels
            assert meaning.groups == anchor.groups
            assert meaning.indicators == anchor.indicators


def test_bundled_level_meanings() -> None:
    cdc = load_framework("cdc-snc-2015")
    communication = cdc.competency("communication")
    c, b = cdc.level_meaning(communication, "C"), cdc.level_meaning(communication, "B")
    assert [lv.id for lv in c.describing_levels] == ["B"] and c.groups == b.groups
    assert cdc.level_meaning(communication, "A").groups == ()
    glasgow = load_framework("glasgow-leadership")
    l11 = glasgow.competency("L11")
    assert [lv.id for lv in glasgow.level_meaning(l11, 4).describing_levels] == ["1", "2", "3", "4"]


# -- comparing across scales, hashing --------------------------------------------------------------------
@SCALES
@given(st.data())
def test_comparing_levels_of_different_scales_raises_type_error(data: st.DataObject) -> None:
    first = data.draw(scales())
    second = data.draw(scales().filter(lambda s: s.id != first.id))
    a = data.draw(st.sampled_from(first.levels))
    b = data.draw(st.sampled_from(second.levels))
    for compare in (lambda: a < b, lambda: a <= b, lambda: a > b, lambda: a >= b):
        with pytest.raises(TypeError, match="cannot compare level"):
            compare()
    with pytest.raises(TypeError):
        sorted([a, b])
    assert a != b  # equality is still answered: levels of different scales are never equal
    assert b not in first


@SCALES
@given(scales())
def test_levels_are_hashable_and_equal_levels_hash_equal(scale: Scale) -> None:
    assert len(set(scale.levels)) == len(scale)
    table = {level: level.id for level in scale.levels}
    for level in scale.levels:
        for spelling in _spellings(level.id):
            parsed = scale.parse(spelling)
            assert parsed == level and hash(parsed) == hash(level)
            assert table[parsed] == level.id
        rebuilt = competency.Level(level.scale_id, level.index, level.id, level.name)
        assert rebuilt == level and hash(rebuilt) == hash(level)
    same = Scale.build(
        scale.id,
        [(lv.id, lv.name) for lv in scale.levels],
        name=scale.name,
        anchors=scale.anchors,
        cumulative=scale.cumulative,
        description=scale.description,
    )
    assert same == scale and hash(same) == hash(scale)


def test_scales_that_spell_their_levels_differently_are_not_equal() -> None:
    assert Scale.build("s", ["A", "B"]) != Scale.build("s", ["X", "Y"])
    assert Scale.build("s", [("1", "Aware")]) != Scale.build("s", [("1", "Skilled")])
    assert Scale.build("s", ["A", "B"]) == Scale.build("s", ["A", "B"])


# -- the strategies' own promises ------------------------------------------------------------------------
@FRAMEWORKS
@given(frameworks())
def test_generated_names_never_collide(fw: Framework) -> None:
    owners: dict[str, str] = {}
    for comp in fw.competencies:
        for name in comp.names:
            assert owners.setdefault(normalise(name), comp.id) == comp.id
        assert fw.find_competency(comp.name) is comp
    for scale in fw.scales:
        keys = [normalise(lv.id) for lv in scale.levels] + [
            normalise(lv.name) for lv in scale.levels if lv.name
        ]
        assert len(keys) == len(set(keys))


# -- lossless round trips --------------------------------------------------------------------------------
@FILES
@given(frameworks())
def test_framework_survives_dump_and_load_unchanged(tmp_path: Path, fw: Framework) -> None:
    path = tmp_path / "framework.toml"
    dump_framework(fw, path)
    loaded = load_framework(path)
    assert loaded == fw
    for before, after in zip(fw.scales, loaded.scales, strict=True):
        assert [(lv.id, lv.name) for lv in after.levels] == [(lv.id, lv.name) for lv in before.levels]
    for before_c, after_c in zip(fw.competencies, loaded.competencies, strict=True):
        assert list(after_c.indicators) == list(before_c.indicators)  # key order, lowest level first
    assert dump_framework(loaded) == path.read_text(encoding="utf-8")


_TEXT = st.text(st.characters(categories=("L", "M", "N", "P", "S", "Zs")), max_size=20)
_LEVEL_TEXT = _TEXT.filter(lambda t: t == t.strip() and t != "")
_DATES = st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2100, 12, 31))
_SUPPRESSION = st.builds(
    Suppression, rule=st.sampled_from(["missing-rationale", "copied-rationale"]), reason=_TEXT
)
_PROVENANCE = st.builds(
    Provenance,
    status=st.sampled_from([None, "draft", "moderated", "published"]),
    profiled_by=st.one_of(st.none(), _TEXT),
    profiled_on=st.one_of(st.none(), _DATES),
    moderated_by=st.sampled_from([None, "panel", "external", "hr-review"]),
    moderator=st.one_of(st.none(), _TEXT),
    moderated_on=st.one_of(st.none(), _DATES),
)
_METADATA = st.dictionaries(
    _TEXT,
    st.one_of(
        _TEXT,
        st.integers(-(2**63), 2**63 - 1),
        st.floats(allow_nan=False),
        st.booleans(),
    ),
    max_size=3,
)


@st.composite
def _everything_a_profile_file_holds(
    draw: st.DrawFn, profiles: tuple[RoleProfile, ...]
) -> tuple[RoleProfile, ...]:
    """Valid profiles, with every optional field of the file format exercised (a file, not a check)."""
    shared = draw(st.booleans())
    out = []
    for profile in profiles:
        entries = tuple(
            attrs.evolve(
                entry,
                level=draw(st.one_of(st.just(entry.level), st.none(), _LEVEL_TEXT)),
                rationale=draw(st.one_of(st.just(entry.rationale), _TEXT)),
                type=draw(st.one_of(st.just(entry.type), st.none(), _TEXT)),
                ignore=tuple(draw(st.lists(_SUPPRESSION, max_size=2))),
            )
            for entry in profile.competencies
        )
        if draw(st.integers(0, 4)) == 4:
            entries = ()  # a role not yet profiled
        ref = profile.framework if shared else draw(st.sampled_from([profile.framework, None]))
        out.append(
            attrs.evolve(
                profile,
                competencies=entries,
                title=draw(st.one_of(st.just(profile.title), _TEXT)),
                grade=draw(st.one_of(st.just(profile.grade), st.none(), _TEXT)),
                framework=ref,
                provenance=draw(st.one_of(st.none(), _PROVENANCE)),
                ignore=tuple(draw(st.lists(_SUPPRESSION, max_size=1))),
                metadata=draw(_METADATA),
            )
        )
    return tuple(out)


@FILES
@given(st.data())
def test_profile_sets_survive_dump_and_load_unchanged(tmp_path: Path, data: st.DataObject) -> None:
    fw = data.draw(frameworks())
    profiles = data.draw(profile_sets(fw, min_size=0, max_size=5).flatmap(_everything_a_profile_file_holds))
    path = tmp_path / "profiles.toml"
    dump_profiles(profiles, path)
    loaded = load_profiles(path)
    assert loaded == profiles  # model equality, order of roles and entries included
    lines = path.read_text(encoding="utf-8").splitlines()
    for profile in loaded:
        assert profile.location is not None and profile.location.line is not None
        assert lines[profile.location.line - 1] == "[[roles]]"
        for entry in profile.competencies:
            assert entry.location is not None and entry.location.line is not None
            assert lines[entry.location.line - 1] == "[[roles.competencies]]"


@FRAMEWORKS
@given(st.data())
def test_valid_profiles_match_their_framework(data: st.DataObject) -> None:
    fw = data.draw(frameworks())
    profiles = data.draw(profile_sets(fw))
    assume(profiles)
    assert len({p.id for p in profiles}) == len(profiles)
    assert len({(p.organisation, normalise(p.title)) for p in profiles}) == len(profiles)
    for profile in profiles:
        required = {c.id for c in fw.required_for(managerial=profile.managerial)}
        named = [fw.competency(e.competency).id for e in profile.competencies]
        assert sorted(named) == sorted(required)
        for entry in profile.competencies:
            assert fw.find_level(fw.competency(entry.competency), entry.level) is not None
            assert len(entry.rationale) >= 40
