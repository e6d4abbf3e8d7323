"""--format text: grouped by role, one line per finding, a closing summary, colour only when asked."""

from __future__ import annotations

from competency.checking import CheckResult, Finding, Severity, Summary
from competency.output import render
from competency.output.text import NO_ROLE_HEADING
from competency.output.text import render as render_text

E, W, INFO = Severity.ERROR, Severity.WARNING, Severity.INFO


def _result(findings: list[Finding], *, roles: int = 4, complete: bool = True) -> CheckResult:
    rules = tuple(dict.fromkeys(f.rule for f in findings)) or ("missing-core",)
    return CheckResult(tuple(findings), Summary.of(findings, roles), complete, rules)


FINDINGS = [
    Finding(
        "missing-rationale",
        W,
        "the rationale for level D is only 4 characters",
        role="CDC-HR-01",
        competency="Communication",
        level="D",
        role_title="HR Adviser",
        organisation="Cherwell District Council",
        path="profiles.csv",
        line=3,
    ),
    Finding(
        "missing-core",
        E,
        "'Customer Focus' is missing from this RCP",
        role="CDC-HR-01",
        competency="Customer Focus",
        role_title="HR Adviser",
        organisation="Cherwell District Council",
        path="profiles.csv",
        line=2,
    ),
    Finding(
        "duplicate-role",
        E,
        "role id 'SNC-PLN-01' has 2 RCPs",
        role="SNC-PLN-01",
        role_title="Planning Officer",
        organisation="South Northamptonshire Council",
        path="planning/officer.toml",
        line=12,
    ),
    Finding(
        "copied-rationale",
        INFO,
        "the same rationale appears in 5 entries",
        role="SNC-PLN-01",
        competency="Communication",
        role_title="Planning Officer",
        organisation="South Northamptonshire Council",
        path="book.xlsx",
        line=7,
        sheet="RCPs",
    ),
]


def test_grouped_by_role_with_location_severity_rule_competency_message() -> None:
    text = render_text(_result(FINDINGS))
    lines = text.splitlines()
    assert lines[0] == "CDC-HR-01  HR Adviser · Cherwell District Council"
    assert lines[1].split()[:5] == [
        "profiles.csv:3",
        "warning",
        "missing-rationale",
        "[Communication]",
        "the",
    ]
    assert lines[1].endswith("the rationale for level D is only 4 characters")
    assert lines[2].split()[:4] == ["profiles.csv:2", "error", "missing-core", "[Customer"]
    assert lines[3] == ""
    assert lines[4] == "SNC-PLN-01  Planning Officer · South Northamptonshire Council"
    # a finding about the whole role has no [competency]
    assert lines[5].split()[:4] == ["planning/officer.toml:12", "error", "duplicate-role", "role"]
    # spreadsheets point at sheet and row
    assert lines[6].split()[0] == "book.xlsx[RCPs]:7"
    # columns line up within the report
    assert lines[1].index("warning") == lines[2].index("error") == lines[5].index("error")
    assert "\x1b[" not in text


def test_summary_counts_per_severity_and_rule_and_completeness() -> None:
    text = render_text(_result(FINDINGS, roles=9))
    tail = text.splitlines()[-6:]
    assert tail[0] == "4 findings in 2 of 9 roles: 2 errors, 1 warning, 1 info"
    assert [line.split() for line in tail[1:5]] == [
        ["copied-rationale", "1"],
        ["duplicate-role", "1"],
        ["missing-core", "1"],
        ["missing-rationale", "1"],
    ]
    assert tail[-1] == "Check complete: 4 rules run."


def test_findings_without_a_role_get_their_own_group_and_incomplete_is_said() -> None:
    crash = Finding("rule-crashed", E, "rule 'my-rule' crashed: ZeroDivisionError: division by zero")
    text = render_text(_result([crash, FINDINGS[0]], complete=False))
    lines = text.splitlines()
    assert lines[0].startswith("CDC-HR-01")
    assert lines[3] == NO_ROLE_HEADING
    assert lines[4].split()[:3] == ["-", "error", "rule-crashed"]
    assert "Check INCOMPLETE" in lines[-1] and "rule-crashed" in lines[-1]


def test_no_findings() -> None:
    from competency import load_framework

    text = render_text(_result([], roles=1), framework=load_framework("cdc-snc-2015"))
    assert text == "No findings in 1 role against cdc-snc-2015.\nCheck complete: 1 rule run.\n"


def test_colour_only_when_asked() -> None:
    plain = render("text", _result(FINDINGS))
    coloured = render("text", _result(FINDINGS), color=True)
    assert isinstance(plain, str) and isinstance(coloured, str)
    assert "\x1b[31;1merror\x1b[0m" in coloured and "\x1b[33mwarning\x1b[0m" in coloured
    assert "\x1b[" not in plain
    # the same words once the escapes are gone
    import re

    assert re.sub(r"\x1b\[[0-9;]*m", "", coloured) == plain


def test_control_characters_from_the_input_never_reach_the_terminal() -> None:
    nasty = Finding(
        "missing-rationale",
        W,
        "rationale 'line one\nline two' is short",
        role="R\x1b[2J1",
        competency="Comm\tunication",
        role_title="Title\x1b]0;pwned\x07",
        path="p.csv",
        line=2,
    )
    text = render_text(_result([nasty]))
    assert "\x1b" not in text and "\x07" not in text
    lines = text.splitlines()
    assert lines[0] == "R\\x1b[2J1  Title\\x1b]0;pwned\\x07"
    assert lines[1].endswith("[Comm unication]  rationale 'line one line two' is short")
