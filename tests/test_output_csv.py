"""--format csv: one finding per row, UTF-8 with BOM, and no formula injection."""

from __future__ import annotations

import csv
import io

import pytest

from competency.checking import CheckResult, Finding, Severity, Summary
from competency.output.csv import COLUMNS, neutralise, render

EVIL_TITLE = '=HYPERLINK("http://x","y")'

FINDINGS = (
    Finding(
        "missing-rationale",
        Severity.WARNING,
        "the rationale is a placeholder:\n'tbc'\r\nsee row 4",
        role="CDC-1",
        competency="Communication",
        level="D",
        role_title=EVIL_TITLE,
        organisation="Cherwell District Council",
        path="rcps/profiles.csv",
        line=4,
    ),
    Finding(
        "missing-core",
        Severity.ERROR,
        "-1 competencies",
        role="+44 20",
        competency="@Customer Focus",
        role_title="\tTabbed",
        organisation="\rCR Council",
        path="book.xlsx",
        line=9,
        sheet="=Sheet1",
    ),
    Finding("rule-crashed", Severity.ERROR, "rule 'x' crashed"),
    Finding(
        "copied-rationale",
        Severity.INFO,
        "Schön – “quoted”, with a comma",
        role="SNC-2",
        role_title="Agent d’accueil",
        path="p.toml",
        line=1,
    ),
)
RESULT = CheckResult(FINDINGS, Summary.of(FINDINGS, 3), True, ("missing-core",))


def _rows(data: bytes) -> list[list[str]]:
    assert data.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def test_header_bom_and_one_row_per_finding() -> None:
    data = render(RESULT)
    assert isinstance(data, bytes)
    rows = _rows(data)
    assert tuple(rows[0]) == COLUMNS
    assert rows[0][:10] == [
        "rule",
        "severity",
        "role_id",
        "role_title",
        "organisation",
        "competency",
        "level",
        "message",
        "file",
        "row",
    ]
    assert len(rows) == 1 + len(FINDINGS)
    assert rows[4] == [
        "copied-rationale",
        "info",
        "SNC-2",
        "Agent d’accueil",
        "",
        "",
        "",
        "Schön – “quoted”, with a comma",
        "p.toml",
        "1",
        "",
    ]
    # a finding with no role or place leaves those cells empty
    assert rows[3] == ["rule-crashed", "error", "", "", "", "", "", "rule 'x' crashed", "", "", ""]
    assert data.count(b"\r\n") >= len(FINDINGS) + 1


def test_malicious_cells_are_neutralised() -> None:
    rows = _rows(render(RESULT))
    first = dict(zip(rows[0], rows[1], strict=True))
    assert first["role_title"] == "'" + EVIL_TITLE
    second = dict(zip(rows[0], rows[2], strict=True))
    assert second["message"] == "'-1 competencies"
    assert second["role_id"] == "'+44 20"
    assert second["competency"] == "'@Customer Focus"
    assert second["role_title"] == "'\tTabbed"
    assert second["organisation"] == "'\rCR Council"
    assert second["sheet"] == "'=Sheet1"
    # no cell of any row starts with a formula character
    for row in rows:
        for cell in row:
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), cell


def test_embedded_newlines_stay_in_one_quoted_cell_and_round_trip() -> None:
    data = render(RESULT)
    rows = _rows(data)
    first = dict(zip(rows[0], rows[1], strict=True))
    assert first["message"] == "the rationale is a placeholder:\n'tbc'\r\nsee row 4"
    assert first["row"] == "4" and first["file"] == "rcps/profiles.csv"
    assert b'"the rationale is a placeholder:\n' in data


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+1", "'+1"),
        ("-", "'-"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("plain", "plain"),
        ("a=b", "a=b"),
        ("", ""),
        (None, ""),
    ],
)
def test_neutralise(value: str | None, expected: str) -> None:
    assert neutralise(value) == expected


def test_empty_result_is_just_the_header() -> None:
    empty = CheckResult((), Summary.of((), 0))
    assert _rows(render(empty)) == [list(COLUMNS)]
