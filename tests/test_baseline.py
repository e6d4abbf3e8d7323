"""Baselines: record today's findings, then show only what is new — matched by identity, not by line."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

from check_data import clean_roles, csv_rows, write_csv
from competency import ConfigError, load_profiles
from competency.baseline import Baseline, BaselineEntry, load_baseline, write_baseline
from competency.checking import Checker, CheckResult, Finding, Severity, Summary
from competency.cli.main import main


def _finding(rule: str, role: str | None, competency: str | None, line: int = 1) -> Finding:
    return Finding(
        rule, Severity.ERROR, f"{rule} on {role}", role=role, competency=competency, path="p.csv", line=line
    )


def _result(*findings: Finding, complete: bool = True) -> CheckResult:
    return CheckResult(findings, Summary.of(findings, 3), complete, ("a",))


def test_counts_identities_and_hides_up_to_n() -> None:
    old = _result(
        _finding("missing-rationale", "R1", "Communication", 3),
        _finding("missing-rationale", "R1", "Communication", 9),
        _finding("duplicate-role", "R2", None, 4),
    )
    baseline = Baseline.from_result(old)
    assert baseline.entries == (
        BaselineEntry("missing-rationale", "R1", "Communication", 2),
        BaselineEntry("duplicate-role", "R2", None, 1),
    )
    assert len(baseline) == 3
    # the same findings on other lines: nothing new
    moved = _result(
        _finding("duplicate-role", "R2", None, 40),
        _finding("missing-rationale", "R1", "Communication", 7),
        _finding("missing-rationale", "R1", "Communication", 1),
    )
    assert baseline.filter(moved).findings == ()
    # a third occurrence of a key recorded twice is new; so is a new competency
    third = _finding("missing-rationale", "R1", "Communication", 12)
    other = _finding("missing-rationale", "R1", "Customer Focus", 13)
    shown = baseline.filter(_result(*moved.findings, third, other))
    assert shown.findings == (third, other)
    assert shown.summary.findings == 2 and shown.summary.roles == 3
    assert shown.summary.by_rule == {"missing-rationale": 2}


def test_rule_crashed_is_never_recorded_or_hidden() -> None:
    crash = Finding("rule-crashed", Severity.ERROR, "rule 'x' crashed")
    baseline = Baseline.from_result(_result(crash, _finding("a", "R", None)))
    assert [e.rule for e in baseline.entries] == ["a"]
    shown = baseline.filter(_result(crash, complete=False))
    assert shown.findings == (crash,) and shown.complete is False and shown.exit_code() == 3


def test_file_round_trip_is_sorted_and_deterministic(tmp_path: Path) -> None:
    result = _result(
        _finding("b-rule", "R2", None),
        _finding("a-rule", "R1", "Communication"),
        _finding("a-rule", "R1", "Communication"),
    )
    path = tmp_path / "baseline.json"
    written = write_baseline(result, path)
    data = json.loads(path.read_text("utf-8"))
    assert data == {
        "version": 1,
        "findings": [
            {"rule": "a-rule", "role": "R1", "competency": "Communication", "count": 2},
            {"rule": "b-rule", "role": "R2", "competency": None, "count": 1},
        ],
    }
    assert load_baseline(path) == written
    first = path.read_bytes()
    write_baseline(_result(*reversed(result.findings)), path)
    assert path.read_bytes() == first


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "no such baseline file"),
        ("{not json", "invalid JSON"),
        ("[]", "expected a JSON object"),
        ('{"version": 2, "findings": []}', "unsupported version 2"),
        ('{"version": 1}', "findings: not a competency baseline: expected a list"),
        ('{"version": 1, "findings": [{"role": "x"}]}', "findings[0].rule"),
        ('{"version": 1, "findings": [{"rule": "r", "count": 0}]}', "findings[0].count"),
        ('{"version": 1, "findings": [{"rule": "r", "role": 5}]}', "findings[0].role"),
    ],
)
def test_bad_baseline_files_are_config_errors(tmp_path: Path, content: str | None, message: str) -> None:
    path = tmp_path / "baseline.json"
    if content is not None:
        path.write_text(content, "utf-8")
    with pytest.raises(ConfigError) as info:
        load_baseline(path)
    assert message in str(info.value)
    assert str(info.value).startswith(str(path))


def test_adopt_reorder_then_plant_a_defect(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The issue's scenario: adopt on a legacy set, re-sort the spreadsheet, then plant a new defect."""
    monkeypatch.chdir(tmp_path)
    roles = clean_roles()
    roles[0] = roles[0].with_entry("Communication", rationale="tbc")
    roles[2] = roles[2].with_entry("Customer Focus", level="K")
    roles[4] = roles[4].with_entry("Collaborative Teamwork", competency="Colaborative Teamwork")
    write_csv(tmp_path / "rcps.csv", roles)
    # legacy findings: check fails before adoption
    assert main(["check", "rcps.csv", "--format", "json"]) == 1
    legacy = json.loads(capsys.readouterr().out)["findings"]
    assert len(legacy) >= 3

    assert main(["check", "rcps.csv", "--write-baseline", "baseline.json", "--format", "json"]) == 0
    captured = capsys.readouterr()
    assert f"recorded {len(legacy)} findings in baseline baseline.json" in captured.err
    assert len(load_baseline(tmp_path / "baseline.json")) == len(legacy)

    # re-sort the spreadsheet: every finding moves to another row, none is new
    order = list(range(len(csv_rows(roles))))
    random.Random(7).shuffle(order)
    write_csv(tmp_path / "rcps.csv", roles, order=order)
    assert main(["check", "rcps.csv", "--format", "json"]) == 1
    moved = json.loads(capsys.readouterr().out)["findings"]
    assert sorted(f["line"] for f in moved) != sorted(f["line"] for f in legacy)
    assert main(["check", "rcps.csv", "--baseline", "baseline.json", "--format", "json"]) == 0
    captured = capsys.readouterr()
    assert json.loads(captured.out)["findings"] == []
    assert f"{len(legacy)} findings already in baseline baseline.json not shown" in captured.err

    # plant a new defect: exactly that finding is shown, and the exit code follows it
    roles[5] = roles[5].with_entry("Customer Focus", level="Z")
    write_csv(tmp_path / "rcps.csv", roles, order=order)
    assert main(["check", "rcps.csv", "--baseline", "baseline.json", "--format", "json"]) == 1
    shown = json.loads(capsys.readouterr().out)
    assert [(f["rule"], f["role"], f["competency"]) for f in shown["findings"]] == [
        ("level-off-scale", "SNC-PLN-01", "Customer Focus")
    ]
    assert shown["summary"]["findings"] == 1
    # a warning-only remainder passes unless --fail-on warning
    assert (
        main(["check", "rcps.csv", "--baseline", "baseline.json", "--severity", "level-off-scale=warning"])
        == 0
    )
    capsys.readouterr()
    assert (
        main(
            [
                "check",
                "rcps.csv",
                "--baseline",
                "baseline.json",
                "--severity",
                "level-off-scale=warning",
                "--fail-on",
                "warning",
            ]
        )
        == 1
    )


def test_missing_or_corrupt_baseline_on_the_command_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    write_csv(tmp_path / "rcps.csv", clean_roles())
    assert main(["check", "rcps.csv", "--baseline", "nope.json"]) == 2
    err = capsys.readouterr().err
    assert err == "competency: error: nope.json: no such baseline file (write one with --write-baseline)\n"
    (tmp_path / "bad.json").write_text('{"version": 1, "findings": 3}', "utf-8")
    assert main(["check", "rcps.csv", "--baseline", "bad.json"]) == 2
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err.count("\n") == 1 and "bad.json: findings" in captured.err


def test_baseline_from_python_matches_the_command_line(tmp_path: Path) -> None:
    roles = clean_roles()
    roles[1] = roles[1].with_entry("Communication", rationale="")
    profiles = load_profiles(write_csv(tmp_path / "rcps.csv", roles))
    result = Checker().check(profiles)
    baseline = Baseline.from_result(result)
    assert baseline.filter(result).findings == ()
    assert Baseline().filter(result) == result
