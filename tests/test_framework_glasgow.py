"""The bundled Glasgow framework (frameworks/glasgow-leadership.toml) against its source document.

Source: /work/shared/seeds/004_3d580025af3bc5f1.txt, Glasgow City Council *Leadership Competency Framework*.
Every number and string pinned here was counted or copied from the body of that document, competency by
competency (the "at a glance" table is not used: it is garbled in extraction).
"""

from __future__ import annotations

import pytest

from competency import load_framework

FRAMEWORK_ID = "glasgow-leadership"

CLUSTERS = [
    ("personal-qualities", "Personal Qualities"),
    ("setting-direction", "Setting Direction"),
    ("delivering-the-service", "Delivering the Service"),
]

# (id, name as headed in the body, cluster, bullets per level 1..n, features, development indicators)
COMPETENCIES = [
    ("L1", "Self belief", "personal-qualities", (3, 3, 3, 3), 4, 2),
    ("L2", "Self awareness", "personal-qualities", (2, 2, 2), 2, 3),
    ("L3", "Self management", "personal-qualities", (3, 2, 3), 2, 2),
    ("L4", "Drive for improvement in Public Services", "personal-qualities", (3, 3, 3), 4, 1),
    ("L5", "Personal integrity", "personal-qualities", (3, 3, 3), 5, 2),
    ("L6", "Seizing the future", "setting-direction", (2, 3, 3, 3, 3), 5, 3),
    ("L7", "Intellectual flexibility", "setting-direction", (2, 3, 3), 3, 3),
    ("L8", "Broad scanning", "setting-direction", (2, 3, 3), 3, 2),
    ("L9", "Contextual Astuteness", "setting-direction", (2, 3, 2, 2), 3, 3),
    ("L10", "Drive for results", "setting-direction", (3, 2, 3, 3), 3, 2),
    ("L11", "Leading change through people", "delivering-the-service", (3, 2, 3, 3, 3, 3), 7, 3),
    ("L12", "Holding to account", "delivering-the-service", (2, 3, 3), 5, 3),
    ("L13", "Empowering others", "delivering-the-service", (3, 3, 3), 6, 2),
    ("L14", "Effective and strategic influencing", "delivering-the-service", (3, 2, 3, 3), 4, 2),
    ("L15", "Working effectively with others", "delivering-the-service", (2, 3, 3), 3, 2),
]
IDS = [row[0] for row in COMPETENCIES]


@pytest.fixture(scope="module")
def fw():
    return load_framework(FRAMEWORK_ID)


def _comp(fw, comp_id):
    return fw.competency(comp_id)


def _all_texts(comp):
    yield comp.definition
    yield from comp.features
    yield from comp.development_indicators
    for bullets in comp.indicators.values():
        yield from bullets


# -- shape -----------------------------------------------------------------------------------------


def test_fifteen_competencies_in_order(fw):
    assert [c.id for c in fw.competencies] == [f"L{n}" for n in range(1, 16)]


def test_three_clusters(fw):
    assert [(c.id, c.name) for c in fw.clusters] == CLUSTERS


def test_clusters_hold_five_competencies_each(fw):
    by_cluster = {cid: [c.id for c in fw.competencies if c.cluster == cid] for cid, _ in CLUSTERS}
    assert by_cluster == {
        "personal-qualities": ["L1", "L2", "L3", "L4", "L5"],
        "setting-direction": ["L6", "L7", "L8", "L9", "L10"],
        "delivering-the-service": ["L11", "L12", "L13", "L14", "L15"],
    }


def test_level_counts_total_54(fw):
    counts = [len(fw.levels_for(c)) for c in fw.competencies]
    assert counts == [4, 3, 3, 3, 3, 5, 3, 3, 4, 4, 6, 3, 3, 4, 3]
    assert sum(counts) == 54
    assert min(counts) == 3 and max(counts) == 6  # "range from three levels to six levels"


def test_scale_is_cumulative_for_every_competency(fw):
    for comp in fw.competencies:
        assert fw.scale_for(comp).cumulative is True


@pytest.mark.parametrize(
    ("comp_id", "name", "cluster", "per_level", "n_features", "n_dev"), COMPETENCIES, ids=IDS
)
def test_competency_counts(fw, comp_id, name, cluster, per_level, n_features, n_dev):
    comp = _comp(fw, comp_id)
    assert comp.id == comp_id
    assert comp.name == name
    assert comp.cluster == cluster
    expected_levels = [str(n) for n in range(1, len(per_level) + 1)]
    assert [str(level) for level in fw.levels_for(comp)] == expected_levels
    assert list(comp.indicators) == expected_levels
    assert tuple(len(comp.indicators[lv]) for lv in expected_levels) == per_level
    assert len(comp.features) == n_features
    assert len(comp.development_indicators) == n_dev


def test_total_bullets(fw):
    # 239 "- " bullets in the body, plus L4's dashless development indicator and L11's "Passes the buck…".
    total = sum(
        len(c.features) + len(c.development_indicators) + sum(len(b) for b in c.indicators.values())
        for c in fw.competencies
    )
    assert total == 241


@pytest.mark.parametrize("comp_id", IDS)
def test_texts_are_clean(fw, comp_id):
    comp = _comp(fw, comp_id)
    for text in _all_texts(comp):
        assert text, comp_id
        assert text == text.strip(), text
        assert "·" not in text, text
        assert "  " not in text, text
        assert "\n" not in text, text
        assert not text.startswith("-"), text


# -- names -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "comp_id"),
    [
        ("l11", "L11"),
        ("L1", "L1"),
        ("self belief", "L1"),
        ("Self Belief", "L1"),  # the contents list capitalises differently
        ("Drive for Improvement in Public Services", "L4"),
        ("contextual astuteness", "L9"),
        ("WORKING EFFECTIVELY WITH OTHERS", "L15"),
    ],
)
def test_names_resolve_case_insensitively(fw, query, comp_id):
    assert fw.competency(query).id == comp_id


# -- the irregular spots -----------------------------------------------------------------------------


def test_l2_definition_joined_across_stray_heading(fw):
    assert _comp(fw, "L2").definition == (
        "Knowing your own strengths and limitations and understanding your own emotions and the impact of "
        "your behaviour on others in diverse situations."
    )


def test_l2_headingless_development_indicators(fw):
    # They follow level 3 after a blank line, with no "Development Indicators" heading.
    comp = _comp(fw, "L2")
    assert comp.development_indicators[0] == "Fails to understand own emotions."
    assert "Fails to understand own emotions." not in comp.indicators["3"]


def test_l4_single_dashless_development_indicator(fw):
    assert _comp(fw, "L4").development_indicators == (
        "Shows a need for personal kudos and recognition alone, seeking the limelight, rather than by "
        "achievement of goals for the greater good.",
    )


def test_l6_stray_middle_dot_stripped(fw):
    assert _comp(fw, "L6").development_indicators[-1] == "Resists new ideas and approaches."


def test_l15_stray_middle_dot_stripped(fw):
    assert (
        _comp(fw, "L15").development_indicators[-1] == "Fails to share information with other stakeholders."
    )


def test_l9_levels_1_heading_is_level_1(fw):
    assert _comp(fw, "L9").indicators["1"] == (
        "Identifies key people inside and outside the organisation who can help to influence or get things "
        "done.",
        "Uses own networks to gain information or communicate.",
    )


def test_l11_passes_the_buck_is_last_development_indicator(fw):
    assert _comp(fw, "L11").development_indicators[-1] == (
        "Passes the buck when faced with leadership responsibility."
    )


def test_l1_two_sentence_development_indicator_is_one_string(fw):
    assert _comp(fw, "L1").development_indicators[0] == (
        "Feels overwhelmed by the pace and scale of change. May see self as a victim."
    )


@pytest.mark.parametrize(
    ("comp_id", "level", "index", "text"),
    [
        (
            "L5",
            "3",
            0,
            "Stands up for what is right in terms of leading and developing services, even when it is "
            "difficult to do so, and there may be a personal cost in doing so.",
        ),
        (
            "L5",
            "3",
            1,
            "Acts as a role model for involvement of staff and other customers, even where this results in "
            "challenges to how things are done.",
        ),
        (
            "L6",
            "2",
            0,
            "Anticipates and takes action to avoid an approaching problem that might interfere with "
            "effective service delivery.",
        ),
        (
            "L9",
            "3",
            1,
            "Identifies the relevant interest groups, networks and groupings, and uses this understanding to "
            "get things done in terms of service improvements and service delivery.",
        ),
    ],
)
def test_wrapped_bullets_joined(fw, comp_id, level, index, text):
    assert _comp(fw, comp_id).indicators[level][index] == text


# -- verbatim spot-checks ----------------------------------------------------------------------------

SPOT_INDICATORS = [
    ("L1", "2", 0, "Sees self as a 'can do' person, and is positive about own ability to succeed."),
    (
        "L3",
        "3",
        1,
        "Recognises others' anxieties and problems, and encourages them to find ways of dealing "
        "constructively with their stress; models a healthy work/life balance.",
    ),
    ("L5", "1", 2, "Models and promotes the organisational values i.e. 'walks the walk.'"),
    (
        "L6",
        "4",
        2,
        "Takes action to improve service delivery, the benefit of which should be fully realised "
        "in the medium-term (1year +).",
    ),
    ("L8", "1", 0, "Meets personally with those who are involved what is happening."),
    (
        "L9",
        "3",
        0,
        "Understands the formal mechanism and complex relationships that make up the decision "
        "making process of the Council",
    ),
    (
        "L11",
        "6",
        1,
        "Removes obstacles to the working of the team in the organisation and in cross boundary "
        "working. Identifies and secures resources as required.",
    ),
    ("L11", "6", 2, "Encourages others to drive forward change. Enables teams to succeed in making change."),
    (
        "L12",
        "1",
        1,
        "Ensures clear standards are developed, e.g. for corporate governance and for the "
        "co-ordination of services.",
    ),
    (
        "L14",
        "4",
        0,
        "Uses complex and multi-layered influencing strategies ones that will work for the long "
        "term and bring about change in modernising the service.",
    ),
]


@pytest.mark.parametrize(("comp_id", "level", "index", "text"), SPOT_INDICATORS)
def test_indicator_spot_checks(fw, comp_id, level, index, text):
    assert _comp(fw, comp_id).indicators[level][index] == text


SPOT_FEATURES = [
    (
        "L1",
        3,
        "Speaking up if this is needed. In doing so, your integrity and your motivation for service "
        "improvement will sustain you.",
    ),
    (
        "L4",
        0,
        "Shows deep sense of vocation for public service driven by an identification with the needs "
        "of the community",
    ),
    (
        "L9",
        1,
        "Knowing who the key influencers are both internally and externally to the organisation – and "
        "how to involve them, as required.",
    ),
    (
        "L15",
        0,
        "Ensuring that the strategy for improvement, and the planning, development and provision of "
        "services, are cohesive and 'joined up'.",
    ),
]


@pytest.mark.parametrize(("comp_id", "index", "text"), SPOT_FEATURES)
def test_feature_spot_checks(fw, comp_id, index, text):
    assert _comp(fw, comp_id).features[index] == text


SPOT_DEVELOPMENT = [
    (
        "L3",
        0,
        "Loses control in stressful situations; for example, may become aggressive, 'freeze', or run "
        "away from difficult decisions.",
    ),
    (
        "L8",
        0,
        "Displays a narrow range of vision misses important developments within the council, locally, "
        "or nationally.",
    ),
    ("L13", 1, "Fails to make space for others to contribute or grow."),
]


@pytest.mark.parametrize(("comp_id", "index", "text"), SPOT_DEVELOPMENT)
def test_development_indicator_spot_checks(fw, comp_id, index, text):
    assert _comp(fw, comp_id).development_indicators[index] == text


@pytest.mark.parametrize(
    ("comp_id", "definition"),
    [
        (
            "L5",
            "Demonstrating a sense of commitment to openness, honesty, democracy inclusiveness, loyalty and "
            "high standards in undertaking the leadership role.",
        ),
        ("L8", "Taking the time to gather information from a wide range of sources."),
        (
            "L11",
            "Communicating the vision and rationale for change and modernisation, and engaging and "
            "facilitating others to work collaboratively to achieve real change.",
        ),
    ],
)
def test_definition_spot_checks(fw, comp_id, definition):
    assert _comp(fw, comp_id).definition == definition
