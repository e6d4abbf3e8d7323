"""missing-core, management-on-non-manager, missing-management and type-mismatch: which competencies a
role must, and must not, have — decided by the framework's kinds."""

from __future__ import annotations

import attrs

from competency import Framework, Kind, ProfileEntry, Severity
from competency_rules.testing import make_profile, run_rule
from test_rules_support import CORE, MANAGEMENT, cdc, cdc_levels, cdc_role, glasgow, glasgow_levels

# -- missing-core ------------------------------------------------------------------------------------------


def test_missing_core_missing_and_levelless_entries():
    levels = cdc_levels()
    del levels["Collaborative Teamwork"]
    levels["Customer Focus"] = (None, "To be agreed with the line manager.")
    profile = make_profile(levels, id="SNC-3", path="rcps.toml")
    findings = run_rule("missing-core", [profile], cdc())
    assert [(f.role, f.competency, f.severity, f.line) for f in findings] == [
        ("SNC-3", "Collaborative Teamwork", Severity.ERROR, 1),  # no entry: the role's own line
        ("SNC-3", "Customer Focus", Severity.ERROR, 4),  # the entry without a level
    ]
    by_comp = {f.competency: f.message for f in findings}
    assert "'Collaborative Teamwork' is missing from this RCP" in by_comp["Collaborative Teamwork"]
    assert "Core competency, required for every role" in by_comp["Collaborative Teamwork"]
    assert "'Customer Focus' has no level" in by_comp["Customer Focus"]


def test_missing_core_one_finding_per_competency_and_none_for_off_scale_levels():
    pairs = [*cdc_levels().items()]
    pairs = [(n, lv) for n, lv in pairs if n != "Communication"]
    pairs += [("Communication", None), ("communication", None), ("Customer Focus", "I")]
    findings = run_rule("missing-core", [make_profile(pairs)], cdc())
    assert [f.competency for f in findings] == ["Communication"]


def test_missing_core_applies_to_managers_too_but_ignores_management_competencies():
    profile = make_profile({name: "E" for name in CORE[1:]}, managerial=True)  # no Communication, no mgmt
    findings = run_rule("missing-core", [profile], cdc())
    assert [f.competency for f in findings] == ["Communication"]


def test_missing_core_in_a_framework_without_kinds():
    levels = glasgow_levels()
    del levels["Holding to account"]
    findings = run_rule("missing-core", [make_profile(levels, id="GCC-1")], glasgow())
    assert [(f.role, f.competency) for f in findings] == [("GCC-1", "Holding to account")]
    assert "every competency of framework 'glasgow-leadership' applies to every role" in findings[0].message
    assert run_rule("missing-core", [make_profile(glasgow_levels())], glasgow()) == []


def test_missing_core_quiet_on_complete_profiles():
    profiles = [cdc_role("A"), cdc_role("B", managerial=True)]
    assert run_rule("missing-core", profiles, cdc()) == []


# -- management-on-non-manager ------------------------------------------------------------------------------


def test_management_on_non_manager():
    profile = cdc_role(
        "CDC-HOU-2", levels={"Strategic Thinking": ("E", "Plans the service's next five years.")}
    )
    findings = run_rule("management-on-non-manager", [profile], cdc())
    assert [(f.rule, f.role, f.competency, f.level, f.severity) for f in findings] == [
        ("management-on-non-manager", "CDC-HOU-2", "Strategic Thinking", "E", Severity.ERROR)
    ]
    message = findings[0].message
    assert "Management competency, which applies only to managerial roles" in message
    assert "this role is not managerial" in message


def test_management_on_non_manager_quiet_for_managers_and_blank_template_rows():
    assert run_rule("management-on-non-manager", [cdc_role(managerial=True)], cdc()) == []
    blank = cdc_role(levels={name: ProfileEntry(name, None, "", "Management") for name in MANAGEMENT})
    assert run_rule("management-on-non-manager", [blank], cdc()) == []


def _with_kinds(fw: Framework, applies_to: str) -> Framework:
    """``fw`` with a kind ``special`` (applies_to as given) for its first competency."""
    comps = list(fw.competencies)
    comps[0] = attrs.evolve(comps[0], kind="special")
    kinds = (*fw.kinds, Kind("special", "Special", applies_to))  # type: ignore[arg-type]
    return attrs.evolve(fw, kinds=kinds, competencies=tuple(comps))


def test_management_on_non_manager_generalises_to_any_kind_that_does_not_apply():
    fw = _with_kinds(cdc(), "non-managerial")  # Communication: non-managerial roles only
    findings = run_rule("management-on-non-manager", [cdc_role(managerial=True)], fw)
    assert [f.competency for f in findings] == ["Communication"]
    assert "applies only to non-managerial roles" in findings[0].message
    assert run_rule("management-on-non-manager", [cdc_role()], fw) == []


# -- missing-management -------------------------------------------------------------------------------------


def test_missing_management():
    levels = cdc_levels("E", managerial=True)
    del levels["Commercial Focus"]
    levels["Strategic Thinking"] = ProfileEntry("Strategic Thinking", None, "")
    profile = make_profile(levels, id="SNC-FIN-2", managerial=True)
    findings = run_rule("missing-management", [profile], cdc())
    assert [(f.role, f.competency, f.severity) for f in findings] == [
        ("SNC-FIN-2", "Commercial Focus", Severity.ERROR),
        ("SNC-FIN-2", "Strategic Thinking", Severity.ERROR),
    ]
    messages = {f.competency: f.message for f in findings}
    assert "missing from this managerial role's RCP" in messages["Commercial Focus"]
    assert "'Strategic Thinking' has no level" in messages["Strategic Thinking"]


def test_missing_management_quiet_for_non_managers_and_frameworks_without_kinds():
    assert run_rule("missing-management", [cdc_role()], cdc()) == []
    assert run_rule("missing-management", [cdc_role(managerial=True)], cdc()) == []
    manager = make_profile(glasgow_levels(), managerial=True)
    assert run_rule("missing-management", [manager], glasgow()) == []


def test_missing_core_and_missing_management_split_the_work():
    profile = make_profile({}, managerial=True)
    findings = run_rule("missing-core", [profile], cdc()) + run_rule("missing-management", [profile], cdc())
    assert sorted((f.rule, f.competency) for f in findings) == sorted(
        [("missing-core", name) for name in CORE] + [("missing-management", name) for name in MANAGEMENT]
    )


# -- type-mismatch -------------------------------------------------------------------------------------------


def _typed(types: dict[str, str | None], managerial: bool = False) -> dict[str, ProfileEntry]:
    levels = cdc_levels(managerial=managerial)
    return {
        name: ProfileEntry(
            name, str(level), f"Rationale for {name} in this particular role.", types.get(name)
        )
        for name, level in levels.items()
    }


def test_type_mismatch_wrong_and_unknown_types():
    entries = _typed(
        {"Communication": "Management", "Customer Focus": "Corr", "Collaborative Teamwork": "core"}
    )
    findings = run_rule("type-mismatch", [make_profile(entries, id="CDC-9")], cdc())
    assert [(f.rule, f.role, f.competency, f.severity) for f in findings] == [
        ("type-mismatch", "CDC-9", "Communication", Severity.WARNING),
        ("type-mismatch", "CDC-9", "Customer Focus", Severity.WARNING),
    ]
    assert "Type says 'Management', but 'Communication' is a Core competency" in findings[0].message
    assert (
        "Type 'Corr' is not a kind of framework 'cdc-snc-2015' (kinds: Core, Management)"
        in findings[1].message
    )


def test_type_mismatch_quiet_when_types_match_or_are_empty():
    types: dict[str, str | None] = {name: " CORE " for name in CORE}
    types.update({name: "management" for name in MANAGEMENT})
    types["Communication"] = None
    types["Customer Focus"] = ""
    assert run_rule("type-mismatch", [make_profile(_typed(types, True), managerial=True)], cdc()) == []


def test_type_mismatch_in_a_framework_without_kinds():
    levels = {name: ("2", f"Rationale for {name} here.", None) for name in glasgow_levels()}
    levels["Self belief"] = ("2", "Rationale for self belief here.", "Core")
    findings = run_rule("type-mismatch", [make_profile(levels)], glasgow())
    assert [f.competency for f in findings] == ["Self belief"]
    assert "declares no kinds" in findings[0].message


def test_type_mismatch_competency_without_a_kind():
    fw = cdc()
    comps = (attrs.evolve(fw.competencies[0], kind=None), *fw.competencies[1:])
    fw = attrs.evolve(fw, competencies=comps)
    entries = _typed({"Communication": "Core"})
    findings = run_rule("type-mismatch", [make_profile(entries)], fw)
    assert [f.competency for f in findings] == ["Communication"]
    assert "'Communication' has no kind" in findings[0].message
