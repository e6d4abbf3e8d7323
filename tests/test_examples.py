"""The bundled example profile set (examples/cdc-snc/): both formats, the planted problems, the README.

The example set is what a new user runs first, and what the README's main command checks. These tests
pin that the CSV and the TOML files hold the same RCPs, that the findings are exactly the problems planted
on purpose (no misses, no false alarms), that every built-in rule has something to find, and that the
table of planted problems in examples/cdc-snc/README.md is true, row and line numbers included.
"""

from __future__ import annotations

import json
import re
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import attrs
import pytest

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

import competency
from competency import CheckConfig, Checker, Finding, Framework, RoleProfile, Severity
from competency.cli.main import main
from competency_rules import load_rules

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples" / "cdc-snc"
CSV = EXAMPLES / "profiles.csv"
TOML = EXAMPLES / "toml"
FORMATS = {"csv": CSV, "toml": TOML}

CDC = "Cherwell District Council"
SNC = "South Northamptonshire Council"
ICI = "Innovation, Continuous Improvement and Problem Solving"
FCA = "Financial and Commercial Awareness"

#: (rule, role, competency) of every finding the example set must give, with multiplicity.
PLANTED: Counter[tuple[str, str | None, str | None]] = Counter(
    {
        ("unknown-competency", "SNC-HSG-02", "Problem Solving"): 1,
        ("missing-core", "SNC-HSG-02", ICI): 1,
        ("missing-core", "SNC-BS-01", FCA): 1,
        ("duplicate-competency", "CDC-EH-02", "Customer Focus"): 1,
        ("level-off-scale", "SNC-HSG-03", ICI): 1,
        ("management-on-non-manager", "CDC-HR-02", "Managing People and Change"): 1,
        ("missing-management", "CDC-HSG-01", "Commercial Focus"): 1,
        ("type-mismatch", "SNC-CS-01", "Commercial Focus"): 1,
        ("missing-rationale", "SNC-EH-01", "Collaborative Leadership"): 1,
        ("missing-rationale", "CDC-RB-01", "Strategic Thinking"): 1,
        ("missing-rationale", "CDC-BS-02", "Customer Focus"): 1,
        ("framework-mismatch", "SNC-HR-01", None): 1,
        ("invalid-suppression", "CDC-PLN-02", FCA): 1,
        ("sibling-inconsistency", "CDC-PLN-02", FCA): 1,
        ("duplicate-role", "CDC-RB-04", None): 1,
        ("cross-organisation-inconsistency", "SNC-RB-02", "Customer Focus"): 1,
        ("copied-rationale", "SNC-FIN-01", "Expertise and Self-Development"): 1,
    }
)

#: Severities the planted findings must have (missing-rationale: one empty = error, two weak = warning).
SEVERITIES = {
    ("missing-rationale", "CDC-RB-01"): Severity.ERROR,
    ("missing-rationale", "SNC-EH-01"): Severity.WARNING,
    ("missing-rationale", "CDC-BS-02"): Severity.WARNING,
    ("framework-mismatch", "SNC-HR-01"): Severity.WARNING,
    ("copied-rationale", "SNC-FIN-01"): Severity.INFO,
}

#: Entries whose rationale is a planted problem (exempt from the "80-300 characters, all different" checks).
PLANTED_RATIONALES = {
    ("SNC-EH-01", "Collaborative Leadership"),
    ("CDC-RB-01", "Strategic Thinking"),
    ("CDC-BS-02", "Customer Focus"),
}


@pytest.fixture(scope="module")
def framework() -> Framework:
    return competency.load_framework("cdc-snc-2015")


@pytest.fixture(scope="module")
def loaded() -> dict[str, tuple[RoleProfile, ...]]:
    return {name: competency.load_profiles(path) for name, path in FORMATS.items()}


@pytest.fixture(scope="module")
def findings(
    loaded: dict[str, tuple[RoleProfile, ...]], framework: Framework
) -> dict[str, tuple[Finding, ...]]:
    # Installed plugin packages are left out: the example set is about the built-in rules.
    checker = Checker(framework, CheckConfig(entry_points=False))
    out = {}
    for name, profiles in loaded.items():
        result = checker.check(profiles)
        assert result.complete
        out[name] = result.findings
    return out


def _keys(found: tuple[Finding, ...] | list[Finding]) -> Counter[tuple[str, str | None, str | None]]:
    return Counter((f.rule, f.role, f.competency) for f in found)


# -- the two formats hold one set ----------------------------------------------------------------------------
def _canonical(profile: RoleProfile, framework: Framework) -> RoleProfile:
    """The profile with each entry's competency as the framework's id (aliases differ between the files)."""
    entries = []
    for entry in profile.competencies:
        comp = framework.find_competency(entry.competency)
        entries.append(attrs.evolve(entry, competency=comp.id if comp is not None else entry.competency))
    return attrs.evolve(profile, competencies=tuple(entries))


def test_csv_and_toml_hold_the_same_profiles(
    loaded: dict[str, tuple[RoleProfile, ...]], framework: Framework
) -> None:
    by_id = {}
    for name, profiles in loaded.items():
        ids = [p.id for p in profiles]
        assert len(ids) == len(set(ids)), f"{name}: a role id appears twice"
        by_id[name] = {p.id: _canonical(p, framework) for p in profiles}
    assert by_id["csv"].keys() == by_id["toml"].keys()
    for role_id, profile in by_id["csv"].items():
        # Model values compare without their source locations.
        assert profile == by_id["toml"][role_id], role_id


def test_technical_expertise_is_written_both_ways(loaded: dict[str, tuple[RoleProfile, ...]]) -> None:
    names = {
        fmt: Counter(e.competency for p in profiles for e in p.competencies if "xpertise" in e.competency)
        for fmt, profiles in loaded.items()
    }
    assert set(names["csv"]) == {"Technical Expertise"}
    assert set(names["toml"]) == {"Technical Expertise", "Expertise and Self-Development"}
    assert sum(names["csv"].values()) == sum(names["toml"].values()) == 37


def test_the_set_is_the_realistic_one_the_readme_describes(
    loaded: dict[str, tuple[RoleProfile, ...]], framework: Framework
) -> None:
    profiles = loaded["csv"]
    assert len(profiles) == 37
    assert len({(p.organisation, p.title) for p in profiles}) == 36  # one role profiled twice
    assert Counter(p.organisation for p in profiles) == {CDC: 21, SNC: 16}
    families = Counter(p.family for p in profiles)
    assert len(families) == 9 and all(n >= 3 for n in families.values())
    assert sum(p.managerial for p in profiles) == 12
    core = {c.id for c in framework.required_for(managerial=False)}
    management = {c.id for c in framework.required_for(managerial=True)} - core
    assert (len(core), len(management)) == (7, 4)
    for p in profiles:
        assert p.framework is not None and p.framework.id == "cdc-snc-2015"
        assert p.grade and p.provenance is not None and p.provenance.profiled_by
        ids = {c.id for e in p.competencies if (c := framework.find_competency(e.competency)) is not None}
        planted = {"SNC-HSG-02", "SNC-BS-01", "CDC-HSG-01", "CDC-HR-02"}
        if p.id not in planted:
            assert ids == (core | management if p.managerial else core), p.id


def test_moderation_routes_follow_the_policy(loaded: dict[str, tuple[RoleProfile, ...]]) -> None:
    for p in loaded["csv"]:
        prov = p.provenance
        assert prov is not None
        if prov.status == "draft":
            assert prov.moderated_by is None, p.id
        elif p.family == "Leadership":
            assert prov.moderated_by == "external", p.id  # policy §2.4
        else:
            assert prov.moderated_by == "panel", p.id


def test_rationales_are_role_specific_and_of_realistic_length(
    loaded: dict[str, tuple[RoleProfile, ...]],
) -> None:
    seen: Counter[str] = Counter()
    for p in loaded["csv"]:
        for e in p.competencies:
            if (p.id, e.competency) in PLANTED_RATIONALES:
                continue
            assert 80 <= len(e.rationale) <= 300, (p.id, e.competency, len(e.rationale))
            seen[e.rationale] += 1
    repeated = sorted((text.split()[:4], n) for text, n in seen.items() if n > 1)
    # Only the planted copy (Finance) and the panel-agreed customer focus statement repeat.
    assert repeated == [(["First", "point", "of", "contact"], 3), (["Keeps", "up", "to", "date"], 3)]


# -- the findings are exactly the planted problems -----------------------------------------------------------
@pytest.mark.parametrize("fmt", FORMATS)
def test_findings_are_exactly_the_planted_problems(
    fmt: str, findings: dict[str, tuple[Finding, ...]]
) -> None:
    assert _keys(findings[fmt]) == PLANTED
    for f in findings[fmt]:
        expected = SEVERITIES.get((f.rule, f.role or ""))
        if expected is not None:
            assert f.severity is expected, (f.rule, f.role)


def test_every_builtin_rule_fires_except_rule_crashed(findings: dict[str, tuple[Finding, ...]]) -> None:
    builtin = {
        rule_id for rule_id, rule in load_rules(entry_points=False).rules.items() if rule.source == "built-in"
    }
    assert len(builtin) >= 15
    for fmt, found in findings.items():
        assert {f.rule for f in found} == builtin - {"rule-crashed"}, fmt
        # "a handful": no rule fires more than three times.
        assert max(Counter(f.rule for f in found).values()) <= 3


def test_the_suppressions_with_a_reason_are_what_hides_the_agreed_copies(
    loaded: dict[str, tuple[RoleProfile, ...]], framework: Framework
) -> None:
    def without_suppressions(p: RoleProfile) -> RoleProfile:
        return attrs.evolve(p, competencies=tuple(attrs.evolve(e, ignore=()) for e in p.competencies))

    stripped = [without_suppressions(p) for p in loaded["toml"]]
    result = Checker(framework, CheckConfig(entry_points=False)).check(stripped)
    diff = _keys(result.findings) - PLANTED
    missing = PLANTED - _keys(result.findings)
    # The agreed customer focus statement is now reported, and the void suppression is gone.
    assert diff == Counter({("copied-rationale", "CDC-CS-01", "Customer Focus"): 1})
    assert missing == Counter({("invalid-suppression", "CDC-PLN-02", FCA): 1})


# -- the README's table is true ------------------------------------------------------------------------------
def _readme_rows() -> list[dict[str, Any]]:
    rows = []
    for line in (EXAMPLES / "README.md").read_text(encoding="utf-8").splitlines():
        if not re.match(r"\|\s*\d+\s*\|", line):
            continue
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        _, rule, severity, role, comp, csv_row, toml_at = cells[:7]
        toml_file, _, toml_line = toml_at.strip("`").partition(":")
        rows.append(
            {
                "key": (rule.strip("`"), role.split()[0], None if comp == "(whole role)" else comp),
                "severity": severity,
                "csv_row": int(csv_row),
                "toml": (toml_file, int(toml_line)),
            }
        )
    return rows


def test_readme_table_lists_every_finding_where_it_is(findings: dict[str, tuple[Finding, ...]]) -> None:
    rows = _readme_rows()
    assert Counter(r["key"] for r in rows) == PLANTED
    by_key = {fmt: {(f.rule, f.role, f.competency): f for f in found} for fmt, found in findings.items()}
    for row in rows:
        in_csv, in_toml = by_key["csv"][row["key"]], by_key["toml"][row["key"]]
        assert in_csv.severity.value == in_toml.severity.value == row["severity"], row["key"]
        assert (Path(in_csv.path or "").name, in_csv.line) == ("profiles.csv", row["csv_row"]), row["key"]
        toml_path = Path(in_toml.path or "")
        assert (f"toml/{toml_path.name}", in_toml.line) == row["toml"], row["key"]
    # The table is in the order the text report lists the CSV findings.
    assert [r["key"] for r in rows] == [(f.rule, f.role, f.competency) for f in findings["csv"]]


def test_readme_summary_line_is_the_real_one(findings: dict[str, tuple[Finding, ...]]) -> None:
    text = (EXAMPLES / "README.md").read_text(encoding="utf-8")
    counts = Counter(f.severity.value for f in findings["csv"])
    roles = len({f.role for f in findings["csv"]})
    line = (
        f"{len(findings['csv'])} findings in {roles} of 37 roles against cdc-snc-2015: "
        f"{counts['error']} errors, {counts['warning']} warnings, {counts['info']} info"
    )
    assert line in text


# -- files ---------------------------------------------------------------------------------------------------
def test_toml_files_name_their_schema_and_framework() -> None:
    files = sorted(TOML.glob("*.toml"))
    assert len(files) == 9  # one per role family
    for file in files:
        text = file.read_text(encoding="utf-8")
        first = text.splitlines()[0]
        assert first == "#:schema ../../../src/competency/schemas/profiles.schema.json"
        assert (file.parent / first.split()[1]).resolve().is_file()
        data = tomllib.loads(text)
        assert data["framework"] == {"id": "cdc-snc-2015", "version": "2015"}
        assert len({r["family"] for r in data["roles"]}) == 1, file.name


def test_toml_files_validate_against_the_profile_schema() -> None:
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads((ROOT / "src" / "competency" / "schemas" / "profiles.schema.json").read_text())
    validator = jsonschema.Draft202012Validator(schema)
    for file in sorted(TOML.glob("*.toml")):
        errors = [e.message for e in validator.iter_errors(tomllib.loads(file.read_text(encoding="utf-8")))]
        assert errors == [], file.name


def test_csv_is_utf8_in_the_template_layout() -> None:
    data = CSV.read_bytes()
    data.decode("utf-8")
    header = data.split(b"\n", 1)[0].decode()
    assert header.split(",") == [
        "role_id", "role_title", "organisation", "role_family", "managerial", "grade", "framework",
        "framework_version", "status", "profiled_by", "moderated_by", "type", "competence", "level",
        "rationale", "ignore",
    ]  # fmt: skip


# -- the command line, as the README runs it -----------------------------------------------------------------
@pytest.mark.parametrize("path", ["examples/cdc-snc/profiles.csv", "examples/cdc-snc/toml"])
def test_cli_check_exits_1_with_the_planted_findings(
    path: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(ROOT)
    assert main(["check", path]) == 1
    capsys.readouterr()
    builtin = set(load_rules(entry_points=False).rules)
    # The README's summary line, with the built-in rules only (an installed plugin package may add rules).
    assert main(["check", path, "--no-color", "--select", ",".join(sorted(builtin))]) == 1
    text = capsys.readouterr().out
    assert "17 findings in 15 of 37 roles against cdc-snc-2015: 10 errors, 6 warnings, 1 info" in text
    assert main(["check", path, "--format", "json"]) == 1
    document = json.loads(capsys.readouterr().out)
    # An installed plugin package (the example plugin, say) may add findings; the built-ins' are fixed.
    found = Counter(
        (f["rule"], f["role"], f["competency"]) for f in document["findings"] if f["rule"] in builtin
    )
    assert found == PLANTED
    assert document["complete"] is True


def test_cli_check_passes_when_only_info_is_selected(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    assert main(["check", "examples/cdc-snc/profiles.csv", "--select", "copied-rationale", "--no-color"]) == 0
    assert (
        main(["check", "examples/cdc-snc/profiles.csv", "--select", "copied-rationale", "--fail-on", "info"])
        == 1
    )
