"""duplicate-role, sibling-inconsistency and cross-organisation-inconsistency: rules over the whole set."""

from __future__ import annotations

import time

from competency import Severity
from competency_rules.testing import make_profile, run_rule
from test_rules_support import CDC_ORG, SNC_ORG, cdc, cdc_role, glasgow, glasgow_levels

# -- duplicate-role -----------------------------------------------------------------------------------------


def test_duplicate_role_by_id_and_by_organisation_and_title():
    profiles = [
        cdc_role("CDC-HR-1", title="HR Adviser", organisation=CDC_ORG),
        cdc_role("CDC-HR-1", title="HR Adviser (copy)", organisation=CDC_ORG),
        cdc_role("CDC-HR-9", title=" hr  adviser", organisation=CDC_ORG.upper()),
        cdc_role("SNC-HR-1", title="HR Adviser", organisation=SNC_ORG),  # other council: not a duplicate
    ]
    findings = run_rule("duplicate-role", profiles, cdc())
    assert sorted((f.role, f.severity) for f in findings) == [
        ("CDC-HR-1", Severity.ERROR),
        ("CDC-HR-9", Severity.ERROR),
    ]
    messages = {f.role: f.message for f in findings}
    assert "role id 'CDC-HR-1' has 2 RCPs" in messages["CDC-HR-1"]
    assert "has RCPs under 2 role ids (CDC-HR-1, CDC-HR-9)" in messages["CDC-HR-9"]


def test_duplicate_role_quiet_on_distinct_roles():
    profiles = [cdc_role(f"R{n}", title=f"Officer {n}", organisation=CDC_ORG) for n in range(4)]
    assert run_rule("duplicate-role", profiles, cdc()) == []


# -- sibling-inconsistency ----------------------------------------------------------------------------------


def _family(
    levels: list[str], family: str = "Housing", competency: str = "Communication", org: str = CDC_ORG
):
    return [
        cdc_role(
            f"HOU-{n}",
            "D",
            levels={competency: level},
            family=family,
            organisation=org,
            title=f"Housing role {n}",
        )
        for n, level in enumerate(levels, start=1)
    ]


def test_sibling_inconsistency_flags_a_level_far_from_the_family_median():
    profiles = _family(["C", "D", "D", "E", "H"])
    findings = run_rule("sibling-inconsistency", profiles, cdc())
    assert [(f.rule, f.role, f.competency, f.level, f.severity) for f in findings] == [
        ("sibling-inconsistency", "HOU-5", "Communication", "H", Severity.WARNING)
    ]
    message = findings[0].message
    assert (
        "level H for 'Communication' is 4 steps above the median level D of role family 'Housing'" in message
    )
    assert "5 roles with a level; the others: HOU-1 C, HOU-2 D, HOU-3 D, HOU-4 E" in message


def test_sibling_inconsistency_below_the_median_and_across_organisations():
    profiles = [
        *_family(["E", "F"], org=CDC_ORG),
        cdc_role("SNC-HOU-1", levels={"Communication": "F"}, family=" housing ", organisation=SNC_ORG),
        cdc_role("SNC-HOU-2", levels={"Communication": "B"}, family="HOUSING", organisation=SNC_ORG),
    ]
    findings = run_rule("sibling-inconsistency", profiles, cdc())
    assert [(f.role, f.level) for f in findings] == [("SNC-HOU-2", "B")]
    assert "3 steps below the median level E" in findings[0].message  # median_low of B, E, F, F is E


def test_sibling_inconsistency_quiet_within_max_steps_small_families_and_without_family():
    assert run_rule("sibling-inconsistency", _family(["C", "D", "D", "E", "F"]), cdc()) == []
    assert run_rule("sibling-inconsistency", _family(["B", "H"]), cdc()) == []  # 2 roles: no median
    loners = [cdc_role(f"R{n}", level) for n, level in enumerate("BDH")]  # no family
    assert run_rule("sibling-inconsistency", loners, cdc()) == []


def test_sibling_inconsistency_options():
    profiles = _family(["C", "D", "D", "E", "F"])
    strict = run_rule("sibling-inconsistency", profiles, cdc(), options={"max_steps": 1})
    assert [(f.role, f.level) for f in strict] == [("HOU-5", "F")]
    pair = _family(["B", "H"])
    assert len(run_rule("sibling-inconsistency", pair, cdc(), options={"min_family_size": 2})) == 1


def test_sibling_inconsistency_on_glasgow_counts_positions_of_each_competency():
    levels = ["1", "1", "1", "4"]  # L1 Self belief has levels 1-4: 3 steps above median 1
    profiles = [
        make_profile({**glasgow_levels("1"), "Self belief": lv}, id=f"G{n}", family="Leaders")
        for n, lv in enumerate(levels)
    ]
    findings = run_rule("sibling-inconsistency", profiles, glasgow())
    assert [(f.role, f.competency, f.level) for f in findings] == [("G3", "Self belief", "4")]


def test_sibling_inconsistency_names_a_few_siblings_not_all():
    profiles = _family(["D"] * 30 + ["H"])
    (finding,) = run_rule("sibling-inconsistency", profiles, cdc())
    assert (
        "31 roles with a level; the others: HOU-1 D, HOU-2 D, HOU-3 D, HOU-4 D, HOU-5 D and 25 more"
        in finding.message
    )


# -- cross-organisation-inconsistency -----------------------------------------------------------------------


def test_cross_organisation_two_councils_different_levels():
    profiles = [
        cdc_role("CDC-HR-1", levels={"Communication": "D"}, title="HR Adviser", organisation=CDC_ORG),
        cdc_role("SNC-HR-1", levels={"Communication": "E"}, title="hr adviser ", organisation=SNC_ORG),
    ]
    findings = run_rule("cross-organisation-inconsistency", profiles, cdc())
    assert [(f.rule, f.role, f.competency, f.level, f.severity) for f in findings] == [
        ("cross-organisation-inconsistency", "SNC-HR-1", "Communication", "E", Severity.WARNING)
    ]
    message = findings[0].message
    assert f"'hr adviser ' is profiled at level E for 'Communication' at {SNC_ORG}" in message
    assert f"the same title at {CDC_ORG} has CDC-HR-1 D" in message
    assert "the most common level for this title is D (1 of 2 roles)" in message


def test_cross_organisation_reports_every_role_off_the_most_common_level():
    profiles = [
        cdc_role("CDC-1", levels={"Customer Focus": "D"}, title="Planner", organisation=CDC_ORG),
        cdc_role("SNC-1", levels={"Customer Focus": "E"}, title="Planner", organisation=SNC_ORG),
        cdc_role("SNC-2", levels={"Customer Focus": "E"}, title="Planner", organisation=SNC_ORG),
        cdc_role("SNC-3", levels={"Customer Focus": "F"}, title="Planner", organisation=SNC_ORG),
    ]
    findings = run_rule("cross-organisation-inconsistency", profiles, cdc())
    assert sorted((f.role, f.level) for f in findings) == [("CDC-1", "D"), ("SNC-3", "F")]
    by_role = {f.role: f.message for f in findings}
    assert f"the same title at {SNC_ORG} have SNC-1 E, SNC-2 E, SNC-3 F" in by_role["CDC-1"]
    assert f"the same title at {CDC_ORG} has CDC-1 D" in by_role["SNC-3"]
    assert "most common level for this title is E (2 of 4 roles)" in by_role["SNC-3"]


def test_cross_organisation_quiet_for_one_organisation_no_organisation_and_equal_levels():
    same_org = [
        cdc_role("A", levels={"Communication": "D"}, title="Planner", organisation=CDC_ORG),
        cdc_role("B", levels={"Communication": "F"}, title="Planner", organisation=CDC_ORG.lower()),
    ]
    assert run_rule("cross-organisation-inconsistency", same_org, cdc()) == []
    no_org = [cdc_role("A", "D", title="Planner"), cdc_role("B", "F", title="Planner", organisation=SNC_ORG)]
    assert run_rule("cross-organisation-inconsistency", no_org, cdc()) == []
    equal = [
        cdc_role("A", "D", title="Planner", organisation=CDC_ORG),
        cdc_role("B", "D", title="Planner", organisation=SNC_ORG),
    ]
    assert run_rule("cross-organisation-inconsistency", equal, cdc()) == []


def test_cross_organisation_on_glasgow():
    profiles = [
        make_profile(
            {**glasgow_levels("2"), "Drive for results": lv},
            id=f"G{n}",
            title="Head of Service",
            organisation=org,
        )
        for n, (lv, org) in enumerate([("2", "Glasgow City Council"), ("4", "Glasgow Life")])
    ]
    findings = run_rule("cross-organisation-inconsistency", profiles, glasgow())
    assert [(f.role, f.competency, f.level) for f in findings] == [("G1", "Drive for results", "4")]


def test_set_rules_group_rather_than_compare_pairs():
    """4,000 roles sharing a title and a family, with varied levels, stay fast (quadratic rules would not)."""
    levels = "CDEF"
    profiles = [
        make_profile(
            {"Communication": levels[n % 4], "Customer Focus": levels[(n // 4) % 4]},
            id=f"R{n}",
            title="Refuse Collector",
            family="Waste",
            organisation=(CDC_ORG, SNC_ORG)[n % 2],
        )
        for n in range(4000)
    ]
    for rule_id in ("sibling-inconsistency", "cross-organisation-inconsistency", "duplicate-role"):
        start = time.perf_counter()
        findings = run_rule(
            rule_id, profiles, cdc(), options={"max_steps": 1} if rule_id.startswith("sib") else None
        )
        assert time.perf_counter() - start < 3.0, rule_id
        if rule_id == "cross-organisation-inconsistency":
            assert len(findings) == 2 * 3000  # per competency, 3 of every 4 roles are off the usual level
            assert all(len(f.message) < 600 for f in findings)
