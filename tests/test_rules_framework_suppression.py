"""framework-mismatch and invalid-suppression, and how suppressions hide (or do not hide) findings."""

from __future__ import annotations

from competency import Severity, Suppression
from competency_rules.testing import make_profile, run_rule
from test_rules_support import all_findings, brief, cdc, cdc_role, glasgow, glasgow_levels

# -- framework-mismatch -------------------------------------------------------------------------------------


def test_framework_mismatch_other_framework_is_an_error():
    profile = cdc_role("CDC-1", framework="glasgow-leadership")
    findings = run_rule("framework-mismatch", [profile], cdc())
    assert [(f.rule, f.role, f.competency, f.severity) for f in findings] == [
        ("framework-mismatch", "CDC-1", None, Severity.ERROR)
    ]
    assert "names framework 'glasgow-leadership' but is checked against 'cdc-snc-2015'" in findings[0].message


def test_framework_mismatch_other_version_is_a_warning():
    profile = make_profile(glasgow_levels(), id="GCC-1", framework=("glasgow-leadership", "0.9"))
    findings = run_rule("framework-mismatch", [profile], glasgow())
    assert [(f.role, f.severity) for f in findings] == [("GCC-1", Severity.WARNING)]
    assert "version '0.9' of framework 'glasgow-leadership'" in findings[0].message
    assert "uses version '1'" in findings[0].message


def test_framework_mismatch_quiet_when_matching_or_unnamed():
    profiles = [
        cdc_role("A", framework=("cdc-snc-2015", "2015")),
        cdc_role("B", framework="CDC-SNC-2015"),  # no version; id case ignored
        cdc_role("C"),  # names no framework
    ]
    assert run_rule("framework-mismatch", profiles, cdc()) == []


# -- invalid-suppression ------------------------------------------------------------------------------------


def test_invalid_suppression_without_reason_on_role_and_entry():
    profile = cdc_role(
        "CDC-2",
        ignore={"copied-rationale": "  "},
        entry_ignore={"Communication": {"missing-rationale": ""}},
        path="rcps.toml",
    )
    findings = run_rule("invalid-suppression", [profile], cdc())
    assert [(f.role, f.competency, f.severity, f.line) for f in findings] == [
        ("CDC-2", None, Severity.ERROR, 1),
        ("CDC-2", "Communication", Severity.ERROR, 2),
    ]
    assert "suppression of 'copied-rationale' on this role has no written reason" in findings[0].message
    assert "suppression of 'missing-rationale' on the 'Communication' entry" in findings[1].message


def test_invalid_suppression_unknown_rule_suggests_the_nearest():
    profile = cdc_role(entry_ignore={"Customer Focus": {"missing-rationle": "agreed by panel, 3 March"}})
    findings = run_rule("invalid-suppression", [profile], cdc())
    assert [(f.competency, f.severity) for f in findings] == [("Customer Focus", Severity.ERROR)]
    assert "names rule 'missing-rationle', which does not exist (did you mean 'missing-rationale'?)" in (
        findings[0].message
    )


def test_invalid_suppression_knows_plugin_rules_and_warns_on_unsuppressible_ones():
    profile = cdc_role(ignore={"rule-crashed": "known bug", "sibling-inconsistency": "night post; panel"})
    findings = run_rule("invalid-suppression", [profile], cdc())
    assert [(f.severity, "cannot be suppressed" in f.message) for f in findings] == [(Severity.WARNING, True)]
    assert run_rule("invalid-suppression", [cdc_role(), make_profile(glasgow_levels())], cdc()) == []


def test_suppression_with_reason_hides_without_reason_is_reported():
    reasoned = cdc_role(
        "R1",
        levels={"Communication": ("D", "tbc")},
        entry_ignore={"Communication": {"missing-rationale": "Panel agreed, 3/3"}},
    )
    reasonless = cdc_role(
        "R2",
        levels={"Communication": ("D", "tbc")},
        entry_ignore={"Communication": {"missing-rationale": ""}},
    )
    findings = all_findings([reasoned, reasonless], cdc())
    assert brief(findings) == [
        ("invalid-suppression", "R2", "Communication", "error"),
        ("missing-rationale", "R2", "Communication", "warning"),
    ]


def test_role_level_suppression_covers_every_entry_and_set_rule_findings():
    copied = "Meets the requirements of the role as set out in the job description."
    profiles = [
        cdc_role(
            f"R{n}",
            levels={"Communication": ("D", copied)},
            ignore={"copied-rationale": "standard text, HR 2016"},
        )
        for n in range(3)
    ]
    assert all_findings(profiles, cdc()) == []
    unsuppressed = [cdc_role(f"R{n}", levels={"Communication": ("D", copied)}) for n in range(3)]
    assert brief(all_findings(unsuppressed, cdc())) == [("copied-rationale", "R0", "Communication", "info")]


def test_invalid_suppression_cannot_itself_be_suppressed():
    profile = cdc_role(ignore=(Suppression("invalid-suppression", "please"), Suppression("copied-rationale")))
    assert brief(all_findings([profile], cdc())) == [
        ("invalid-suppression", "CDC-1", None, "error"),
        ("invalid-suppression", "CDC-1", None, "warning"),
    ]
