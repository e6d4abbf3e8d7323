"""The rules inside the engine: severity overrides, crashes, unknown ids, and the plugin-author helpers."""

from __future__ import annotations

import textwrap

import pytest

from competency import (
    CheckConfig,
    Checker,
    PluginError,
    ProfileEntry,
    RoleProfile,
    Severity,
    SourceLocation,
    UnknownRuleError,
)
from competency_rules import Option, Rule, profile_rule, set_rule
from competency_rules.builtin import RULE_MODULES
from competency_rules.builtin.missing_core import rule as missing_core_rule
from competency_rules.testing import make_profile, run_rule
from test_rules_support import (
    CDC_ID,
    CORE,
    MANAGEMENT,
    all_findings,
    brief,
    cdc,
    cdc_role,
    glasgow,
    glasgow_levels,
)

BUILTIN_IDS = {
    "unknown-competency", "duplicate-competency", "level-off-scale", "missing-core",
    "management-on-non-manager", "missing-management", "type-mismatch", "missing-rationale",
    "framework-mismatch", "invalid-suppression", "duplicate-role", "sibling-inconsistency",
    "cross-organisation-inconsistency", "copied-rationale", "rule-crashed",
}  # fmt: skip


def test_every_builtin_rule_is_registered_with_its_documented_scope_and_severity():
    rules = Checker(cdc(), CheckConfig(entry_points=False)).rules
    assert set(rules) == BUILTIN_IDS
    assert len(RULE_MODULES) == len(BUILTIN_IDS)
    expected = {
        "duplicate-competency": ("profile", "error"),
        "level-off-scale": ("profile", "error"),
        "missing-core": ("profile", "error"),
        "management-on-non-manager": ("profile", "error"),
        "missing-management": ("profile", "error"),
        "type-mismatch": ("profile", "warning"),
        "missing-rationale": ("profile", "error"),
        "framework-mismatch": ("profile", "error"),
        "invalid-suppression": ("profile", "error"),
        "sibling-inconsistency": ("set", "warning"),
        "cross-organisation-inconsistency": ("set", "warning"),
        "copied-rationale": ("set", "info"),
        "duplicate-role": ("set", "error"),
        "unknown-competency": ("profile", "error"),
    }
    assert {rid: (rules[rid].scope, rules[rid].severity.value) for rid in expected} == expected
    for rule in rules.values():
        assert rule.source == "built-in"
        assert rule.docs.startswith(f"{rule.id}: "), rule.id
        assert "What to do" in rule.docs or rule.id == "rule-crashed", rule.id


def test_severity_override_through_check_config():
    profile = cdc_role(levels={"Communication": ("D", "")})
    assert brief(all_findings([profile], cdc())) == [("missing-rationale", "CDC-1", "Communication", "error")]
    config = {"severity": {"missing-rationale": Severity.INFO}}
    assert brief(all_findings([profile], cdc(), **config)) == [
        ("missing-rationale", "CDC-1", "Communication", "info")
    ]
    (finding,) = run_rule("missing-rationale", [profile], cdc(), severity="warning")
    assert finding.severity is Severity.WARNING


def test_unknown_rule_id_in_select_raises():
    with pytest.raises(UnknownRuleError, match="did you mean 'missing-core'"):
        Checker(cdc(), CheckConfig(select=("missing-cor",), entry_points=False))
    with pytest.raises(UnknownRuleError):
        run_rule("no-such-rule", [cdc_role()], cdc())


def _boom_plugin():
    @profile_rule(id="boom", summary="always raises", severity="error")
    def boom(profile, ctx):
        if profile.profile.id == "CDC-2":
            raise RuntimeError("kaboom")
        return []

    class Plugin:
        from competency_rules import hookimpl

        @hookimpl
        def competency_register_rules(self):
            return [boom]

    return Plugin()


def test_a_crashing_plugin_rule_is_isolated():
    profiles = [cdc_role("CDC-1"), cdc_role("CDC-2", levels={"Communication": ("D", "")})]
    checker = Checker(cdc(), CheckConfig(entry_points=False), plugins=[_boom_plugin()])
    result = checker.check(profiles)
    assert result.complete is False
    assert result.exit_code() == 3
    assert brief(result.findings) == [
        ("missing-rationale", "CDC-2", "Communication", "error"),  # the other rules still ran
        ("rule-crashed", None, None, "error"),
    ]
    crash = next(f for f in result.findings if f.rule == "rule-crashed")
    assert "rule 'boom' crashed" in crash.message
    assert "on role 'CDC-2': RuntimeError: kaboom" in crash.message


def test_run_rule_reports_a_crash_as_the_cli_would():
    findings = run_rule("boom", [cdc_role("CDC-2")], cdc(), plugins=[_boom_plugin()])
    assert [f.rule for f in findings] == ["rule-crashed"]


def test_run_rule_with_a_rule_object_and_its_options():
    @set_rule(
        id="too-many-roles",
        summary="more roles than the limit",
        severity="info",
        options=[Option("limit", 1, "most roles allowed")],
    )
    def too_many(profiles, ctx):
        if len(profiles) > ctx.options["limit"]:
            yield ctx.problem(f"{len(profiles)} roles", profile=profiles[-1])

    profiles = [cdc_role("A"), cdc_role("B")]
    findings = run_rule(too_many, profiles, cdc())
    assert [(f.rule, f.role, f.severity, f.message) for f in findings] == [
        ("too-many-roles", "B", Severity.INFO, "2 roles")
    ]
    assert run_rule(too_many, profiles, cdc(), options={"limit": 2}) == []


def test_run_rule_with_a_builtin_rule_object_and_a_clashing_id():
    got = {f.competency for f in run_rule(missing_core_rule, [make_profile({"Communication": "D"})], cdc())}
    assert got == set(CORE) - {"Communication"}

    @profile_rule(id="missing-core", summary="an impostor", severity="info")
    def impostor(profile, ctx):
        return []

    with pytest.raises(PluginError, match="already provided by 'built-in'"):
        run_rule(impostor, [cdc_role()], cdc())


def test_run_rule_loads_a_plugin_from_a_path(tmp_path):
    plugin = tmp_path / "council_rules.py"
    plugin.write_text(
        textwrap.dedent(
            '''
            """A local rule: Directors need an external moderator (policy 2.4)."""
            from competency_rules import hookimpl, profile_rule

            @profile_rule(id="director-external-moderation", summary="directors", severity="error")
            def rule(profile, ctx):
                if "director" in profile.profile.title.lower():
                    yield ctx.problem("a Director's RCP must be moderated by an external HR provider")

            @hookimpl
            def competency_register_rules():
                return [rule]
            '''
        )
    )
    profiles = [cdc_role("D1", "G", managerial=True, title="Director of Place"), cdc_role("O1")]
    findings = run_rule("director-external-moderation", profiles, cdc(), plugins=[str(plugin)])
    assert [(f.rule, f.role) for f in findings] == [("director-external-moderation", "D1")]


def test_make_profile_builds_entries_locations_and_suppressions():
    profile = make_profile(
        [
            ("Communication", "D"),
            ("Customer Focus", ("E", "Handles complaints.", "Core")),
            ("Strategic Thinking", None),
        ],
        id="X1",
        title="Officer",
        organisation="Cherwell District Council",
        family="Housing",
        managerial=True,
        framework=(CDC_ID, "2015"),
        ignore={"copied-rationale": "standard wording"},
        entry_ignore={"Customer Focus": {"missing-rationale": "agreed"}},
        path="x.toml",
    )
    assert isinstance(profile, RoleProfile)
    assert (profile.id, profile.title, profile.family, profile.managerial) == (
        "X1",
        "Officer",
        "Housing",
        True,
    )
    assert profile.framework is not None and (profile.framework.id, profile.framework.version) == (
        CDC_ID,
        "2015",
    )
    assert profile.location == SourceLocation("x.toml", 1)
    comm, cust, strat = profile.competencies
    assert (comm.level, comm.type, comm.location) == ("D", None, SourceLocation("x.toml", 2))
    assert "Communication" in comm.rationale and len(comm.rationale) >= 25
    assert (cust.level, cust.rationale, cust.type) == ("E", "Handles complaints.", "Core")
    assert [(s.rule, s.reason) for s in cust.ignore] == [("missing-rationale", "agreed")]
    assert strat.level is None
    assert [(s.rule, s.reason) for s in profile.ignore] == [("copied-rationale", "standard wording")]
    entry = ProfileEntry("Communication", "3")
    assert make_profile({"x": entry}).competencies == (entry,)


def test_every_rule_quiet_on_clean_profiles_of_both_frameworks():
    """No false alarms: a clean set, managers and not, two councils, with families, finds nothing."""
    profiles = [
        cdc_role(f"R{n}", "DE"[n % 2], managerial=n % 3 == 0, family="Housing",
                 organisation=("A", "B")[n % 2], title=f"Housing role {n}")
        for n in range(9)
    ]  # fmt: skip
    assert all_findings(profiles, cdc()) == []
    glasgow_profiles = [make_profile(glasgow_levels("2"), id=f"G{n}", family="Leaders") for n in range(4)]
    assert all_findings(glasgow_profiles, glasgow()) == []


def test_rule_objects_are_rules():
    assert isinstance(missing_core_rule, Rule)
    assert {
        o.name for o in Checker(cdc(), CheckConfig(entry_points=False)).rules["missing-rationale"].options
    } == {
        "placeholders",
        "min_length",
    }
    # the helper module's names are the framework's
    assert set(CORE) == {c.name for c in cdc().competencies if c.kind == "core"}
    assert set(MANAGEMENT) == {c.name for c in cdc().competencies if c.kind == "management"}


def test_a_view_resolves_each_entry_once_and_pairs_them_up_on_demand():
    """``view.resolved`` holds one shared resolution per distinct name and level as written; ``entries``
    pairs each with its entry, in order, the same whichever is used first."""
    fw = cdc()
    checker = Checker(fw, CheckConfig(entry_points=False))
    written = [("Communication", "D"), ("communication ", "D"), ("Customer Focus", "Z"), ("Nonsense", "B")]
    profiles = [
        RoleProfile(
            id=f"R{n}", title="Role", competencies=tuple(ProfileEntry(c, lv, "why") for c, lv in written)
        )
        for n in range(2)
    ]
    first, second = (checker.view(p, fw) for p in profiles)
    assert [(c.name if c else None, str(lv) if lv else None) for c, lv in first.resolved] == [
        ("Communication", "D"), ("Communication", "D"), ("Customer Focus", None), (None, None),
    ]  # fmt: skip
    # The same name and level as written resolve to one shared object, in every view.
    assert all(a is b for a, b in zip(first.resolved, second.resolved, strict=True))
    entries = first.entries
    assert entries is first.entries  # built once
    assert [e.entry for e in entries] == list(profiles[0].competencies)
    assert [(e.competency, e.level) for e in entries] == list(first.resolved)
    assert [e.name for e in entries] == ["Communication", "Communication", "Customer Focus", "Nonsense"]
    assert entries[0].competency is not None
    assert first.levels() == {entries[0].competency.id: entries[0].level}
