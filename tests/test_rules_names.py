"""unknown-competency, duplicate-competency and level-off-scale: what an entry names, and its level."""

from __future__ import annotations

import pytest

from competency import ProfileEntry, Severity
from competency_rules.testing import make_profile, run_rule
from test_rules_support import cdc, cdc_levels, cdc_role, glasgow, glasgow_levels

# -- unknown-competency ------------------------------------------------------------------------------------


def test_unknown_competency_suggests_the_nearest_name():
    profile = cdc_role(levels={"Comunication": "D"})
    findings = run_rule("unknown-competency", [profile], cdc())
    assert [(f.rule, f.role, f.competency, f.severity) for f in findings] == [
        ("unknown-competency", "CDC-1", "Comunication", Severity.ERROR)
    ]
    assert "did you mean 'Communication'?" in findings[0].message


def test_unknown_competency_names_the_competency_a_theme_belongs_to():
    profile = cdc_role(levels={"Style": "C", "business acumen": "D"})
    findings = run_rule("unknown-competency", [profile], cdc())
    messages = {f.competency: f.message for f in findings}
    assert set(messages) == {"Style", "business acumen"}
    assert messages["Style"].startswith("'Style' is a theme of 'Communication', not a competency")
    assert (
        "is a theme of 'Financial and Commercial Awareness', not a competency" in messages["business acumen"]
    )


def test_unknown_competency_accepts_aliases_ids_and_odd_spacing():
    levels = cdc_levels()
    del levels["Expertise and Self-Development"]
    levels["  technical   EXPERTISE "] = "D"  # the RCP template's name for it
    del levels["Communication"]
    levels["communication"] = "D"  # the competency id
    assert run_rule("unknown-competency", [make_profile(levels)], cdc()) == []


def test_unknown_competency_on_glasgow_accepts_ids():
    levels = {f"L{n}": "2" for n in range(1, 16)}
    assert run_rule("unknown-competency", [make_profile(levels)], glasgow()) == []
    findings = run_rule("unknown-competency", [make_profile({**levels, "L16": "1"})], glasgow())
    assert [f.competency for f in findings] == ["L16"]


# -- duplicate-competency ----------------------------------------------------------------------------------


def test_duplicate_competency_through_an_alias_names_the_first_line():
    pairs = [*cdc_levels().items(), ("Technical Expertise", "E")]
    profile = make_profile(pairs, id="CDC-7", path="rcps.toml")
    findings = run_rule("duplicate-competency", [profile], cdc())
    assert [(f.role, f.competency, f.line, f.severity) for f in findings] == [
        ("CDC-7", "Expertise and Self-Development", 9, Severity.ERROR)
    ]
    message = findings[0].message
    assert "'Expertise and Self-Development' appears more than once" in message
    assert "first entry (line 8) with level D, this entry with level E" in message


def test_duplicate_competency_reports_each_repeat_and_compares_unknown_names_normalised():
    pairs = [
        *cdc_levels().items(),
        ("Communication", "D"),
        ("communication ", "E"),
        ("Leadrship", "C"),
        ("leadrship", "C"),
    ]
    findings = run_rule("duplicate-competency", [make_profile(pairs, path="r.csv")], cdc())
    assert [(f.competency, f.line) for f in findings] == [
        ("Communication", 9),
        ("Communication", 10),
        ("leadrship", 12),
    ]
    assert "first entry (row 2)" in findings[0].message  # CSV files have rows, not lines


def test_duplicate_competency_quiet_on_a_clean_glasgow_profile():
    assert run_rule("duplicate-competency", [make_profile(glasgow_levels())], glasgow()) == []


# -- level-off-scale ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("level", ["I", "D+", "High", "0"])
def test_level_off_scale_on_the_letter_scale(level):
    profile = cdc_role(levels={"Customer Focus": level})
    findings = run_rule("level-off-scale", [profile], cdc())
    assert [(f.rule, f.competency, f.level, f.severity) for f in findings] == [
        ("level-off-scale", "Customer Focus", level, Severity.ERROR)
    ]
    assert "valid levels: A, B, C, D, E, F, G, H" in findings[0].message


def test_level_off_scale_on_a_three_level_glasgow_competency():
    levels = glasgow_levels()
    levels["Self awareness"] = "5"  # L2 has levels 1-3
    levels["Seizing the future"] = "5"  # L6 has levels 1-5: fine
    findings = run_rule("level-off-scale", [make_profile(levels, id="GCC-4")], glasgow())
    assert [(f.role, f.competency, f.level) for f in findings] == [("GCC-4", "Self awareness", "5")]
    assert "'Self awareness' is defined only on levels 1–3" in findings[0].message
    assert "valid levels: 1, 2, 3" in findings[0].message


def test_level_off_scale_accepts_spellings_of_real_levels_and_ignores_missing_levels():
    levels = cdc_levels()
    levels["Communication"] = " d "
    levels["Customer Focus"] = "Level E"
    levels["Collaborative Teamwork"] = None
    levels["Financial and Commercial Awareness"] = ProfileEntry("Financial and Commercial Awareness", "  ")
    assert run_rule("level-off-scale", [make_profile(levels)], cdc()) == []
    glasgow_profile = make_profile({**glasgow_levels(), "Leading change through people": "6"})
    assert run_rule("level-off-scale", [glasgow_profile], glasgow()) == []


def test_level_off_scale_leaves_unknown_competencies_alone():
    profile = cdc_role(levels={"Comunication": "Z"})
    assert run_rule("level-off-scale", [profile], cdc()) == []
