"""--format json: the versioned findings document, the same as result_to_json."""

from __future__ import annotations

import json

from competency.checking import CheckResult, Finding, Severity, Summary, result_from_json, result_to_json
from competency.output.json import render

FINDINGS = (
    Finding(
        "missing-rationale",
        Severity.WARNING,
        "rationale ‘tbc’ is a placeholder",
        role="SNC-1",
        competency="Communication",
        level="D",
        role_title="Agent d’accueil",
        organisation="South Northamptonshire Council",
        path="p.toml",
        line=14,
    ),
    Finding("duplicate-role", Severity.ERROR, "two RCPs", role="SNC-1", path="p.csv", line=3),
    Finding("rule-crashed", Severity.ERROR, "rule 'x' crashed"),
)
RESULT = CheckResult(FINDINGS, Summary.of(FINDINGS, 5), False, ("missing-rationale", "duplicate-role"))


def test_document_shape_and_every_field() -> None:
    doc = json.loads(render(RESULT))
    assert set(doc) == {"version", "complete", "findings", "summary", "rules_run"}
    assert doc["version"] == 1
    assert doc["complete"] is False
    assert doc["rules_run"] == ["missing-rationale", "duplicate-role"]
    assert doc["summary"] == {
        "roles": 5,
        "findings": 3,
        "by_severity": {"error": 2, "warning": 1, "info": 0},
        "by_rule": {"duplicate-role": 1, "missing-rationale": 1, "rule-crashed": 1},
    }
    first, whole_role, crash = doc["findings"]
    assert first == {
        "rule": "missing-rationale",
        "severity": "warning",
        "message": "rationale ‘tbc’ is a placeholder",
        "role": "SNC-1",
        "competency": "Communication",
        "level": "D",
        "role_title": "Agent d’accueil",
        "organisation": "South Northamptonshire Council",
        "path": "p.toml",
        "line": 14,
        "sheet": None,
    }
    # every field is present in every finding; null where not known, competency null for the whole role
    assert set(whole_role) == set(first) == set(crash)
    assert whole_role["competency"] is None and crash["role"] is None and crash["line"] is None


def test_text_is_indented_unicode_and_equal_to_result_to_json() -> None:
    text = render(RESULT)
    assert text.endswith("}\n")
    assert '\n  "findings": [' in text
    assert "Agent d’accueil" in text and "\\u2019" not in text
    assert json.loads(text) == result_to_json(RESULT)


def test_round_trips_through_the_converter() -> None:
    assert result_from_json(json.loads(render(RESULT))) == RESULT
