"""missing-rationale and copied-rationale: whether each level comes with a reason of its own."""

from __future__ import annotations

import pytest

from competency import ConfigError, Severity
from competency_rules.testing import make_profile, run_rule
from test_rules_support import CDC_ORG, SNC_ORG, cdc, cdc_role, glasgow, glasgow_levels

GOOD = "Explains housing options to residents face to face and in writing every day."

# -- missing-rationale --------------------------------------------------------------------------------------


def test_missing_rationale_empty_is_an_error_placeholder_and_short_are_warnings():
    profile = cdc_role(
        "CDC-HOU-1",
        levels={
            "Communication": ("D", "   "),
            "Customer Focus": ("D", "TBC."),
            "Collaborative Teamwork": ("C", "Works in a team."),
            "Financial and Commercial Awareness": ("C", " see   ABOVE "),
        },
    )
    findings = run_rule("missing-rationale", [profile], cdc())
    got = {f.competency: (f.severity, f.message) for f in findings}
    assert {name: sev for name, (sev, _) in got.items()} == {
        "Communication": Severity.ERROR,
        "Customer Focus": Severity.WARNING,
        "Collaborative Teamwork": Severity.WARNING,
        "Financial and Commercial Awareness": Severity.WARNING,
    }
    assert "level D has no rationale" in got["Communication"][1]
    assert "is a placeholder ('TBC.')" in got["Customer Focus"][1]
    assert "is only 16 characters ('Works in a team.')" in got["Collaborative Teamwork"][1]
    assert "placeholder" in got["Financial and Commercial Awareness"][1]
    assert {f.role for f in findings} == {"CDC-HOU-1"}


@pytest.mark.parametrize(
    "text", ["n/a", "N/A", "na", "-", "--", "?", "x", "...", "to follow", "—", "Various!"]
)
def test_missing_rationale_default_placeholders(text):
    findings = run_rule("missing-rationale", [cdc_role(levels={"Communication": ("D", text)})], cdc())
    assert [(f.competency, f.severity) for f in findings] == [("Communication", Severity.WARNING)]
    assert "placeholder" in findings[0].message


def test_missing_rationale_ignores_entries_without_a_level_and_good_rationales():
    profile = cdc_role(levels={"Communication": (None, ""), "Customer Focus": ("D", GOOD)})
    assert run_rule("missing-rationale", [profile], cdc()) == []
    assert run_rule("missing-rationale", [make_profile(glasgow_levels())], glasgow()) == []


def test_missing_rationale_options():
    profile = cdc_role(
        levels={
            "Communication": ("D", "Pending review"),
            "Customer Focus": ("D", "Meets residents daily."),  # 22 characters
        }
    )
    default = run_rule("missing-rationale", [profile], cdc())
    assert [f.competency for f in default] == ["Communication", "Customer Focus"]  # both short
    custom = run_rule(
        "missing-rationale", [profile], cdc(), options={"placeholders": ["pending review"], "min_length": 10}
    )
    assert [(f.competency, "placeholder" in f.message) for f in custom] == [("Communication", True)]
    off = run_rule("missing-rationale", [profile], cdc(), options={"placeholders": [], "min_length": 0})
    assert off == []


def test_missing_rationale_rejects_an_option_of_the_wrong_type():
    with pytest.raises(ConfigError, match="min_length"):
        run_rule("missing-rationale", [cdc_role()], cdc(), options={"min_length": "long"})
    with pytest.raises(ConfigError, match="has no option 'max_length'"):
        run_rule("missing-rationale", [cdc_role()], cdc(), options={"max_length": 3})


# -- copied-rationale ---------------------------------------------------------------------------------------

COPIED = "Meets the requirements of the role as set out in the job description."


def test_copied_rationale_one_finding_per_text_at_its_first_entry():
    profiles = [
        cdc_role("R1", levels={"Communication": ("D", COPIED), "Customer Focus": ("D", COPIED.upper())}),
        cdc_role(
            "R2",
            levels={
                "Communication": (
                    "E",
                    "meets the requirements of the role as set out in the  job description",
                )
            },
        ),
        cdc_role("R3", levels={"Collaborative Teamwork": ("C", COPIED + "!")}),
    ]
    findings = run_rule("copied-rationale", profiles, cdc())
    assert [(f.rule, f.role, f.competency, f.severity) for f in findings] == [
        ("copied-rationale", "R1", "Communication", Severity.INFO)
    ]
    message = findings[0].message
    assert "used by 4 entries in 3 role(s)" in message
    assert "R1/Communication, R1/Customer Focus, R2/Communication, R3/Collaborative Teamwork" in message


def test_copied_rationale_below_min_copies_and_short_texts_are_quiet():
    twice = [
        cdc_role("R1", levels={"Communication": ("D", COPIED)}),
        cdc_role("R2", levels={"Communication": ("D", COPIED)}),
    ]
    assert run_rule("copied-rationale", twice, cdc()) == []
    short = [cdc_role(f"R{n}", levels={"Communication": ("D", "Deals with public.")}) for n in range(5)]
    assert run_rule("copied-rationale", short, cdc()) == []
    assert run_rule("copied-rationale", [cdc_role("A"), cdc_role("B"), cdc_role("C")], cdc()) == []


def test_copied_rationale_min_copies_option_and_at_most_five_pairs_named():
    twice = [
        cdc_role("R1", levels={"Communication": ("D", COPIED)}),
        cdc_role("R2", levels={"Communication": ("D", COPIED)}),
    ]
    assert len(run_rule("copied-rationale", twice, cdc(), options={"min_copies": 2})) == 1
    many = [cdc_role(f"R{n}", levels={"Communication": ("D", COPIED)}) for n in range(8)]
    (finding,) = run_rule("copied-rationale", many, cdc())
    assert "used by 8 entries in 8 role(s)" in finding.message
    assert "R4/Communication and 3 more" in finding.message


def test_copied_rationale_with_non_ascii_text_and_odd_white_space():
    text = "Représente le conseil auprès des résidents chaque jour."
    profiles = [
        cdc_role("R1", levels={"Communication": ("D", text)}),
        cdc_role("R2", levels={"Communication": ("D", text.replace(" ", "\u00a0 "))}),
        cdc_role("R3", levels={"Communication": ("D", text.upper() + "\n")}),
        cdc_role(
            "R4", levels={"Communication": ("D", "Represente le conseil aupres des residents chaque jour.")}
        ),
    ]
    (finding,) = run_rule("copied-rationale", profiles, cdc())
    assert "used by 3 entries" in finding.message and finding.role == "R1"


def test_copied_rationale_across_organisations_and_frameworks():
    glasgow_profiles = [
        make_profile({"Self belief": ("2", COPIED)}, id=f"G{n}", organisation=org)
        for n, org in enumerate((CDC_ORG, SNC_ORG, CDC_ORG))
    ]
    (finding,) = run_rule("copied-rationale", glasgow_profiles, glasgow())
    assert (finding.role, finding.competency) == ("G0", "Self belief")
