"""Reading RCPs from .xlsx workbooks, with the quirks spreadsheet programs leave in them."""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook

from competency import ProfileError, load_profiles
from competency._xlsx_io import parse_xlsx

HEADER = ["Role ID", "Role title", "Organisation", "Role family", "Managerial", "Type", "Competence",
          "Level A-H", "Rationale"]  # fmt: skip


def _row(
    role: str, title: str, comp: str, level: Any, managerial: Any = "no", kind: str = "Core"
) -> list[Any]:
    return [role, title, "Cherwell District Council", "HR", managerial, kind, comp, level, f"Because {comp}."]


def _save(wb: Workbook, path: Path) -> Path:
    wb.save(path)
    return path


def _simple(
    tmp_path: Path, rows: list[list[Any]], *, title: str = "RCPs", header: list[str] = HEADER
) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.title = title
    ws.append(header)
    for row in rows:
        ws.append(row)
    return _save(wb, tmp_path / "rcps.xlsx")


def test_reads_rows_and_points_at_sheet_and_row(tmp_path: Path) -> None:
    path = _simple(
        tmp_path,
        [_row("HR-1", "HR Adviser", "Communication", "D"), _row("HR-1", "HR Adviser", "Customer Focus", "C")],
    )
    (profile,) = load_profiles(path)
    assert profile.id == "HR-1"
    assert profile.title == "HR Adviser"
    assert profile.organisation == "Cherwell District Council"
    assert [(e.competency, e.level) for e in profile.competencies] == [
        ("Communication", "D"),
        ("Customer Focus", "C"),
    ]
    assert profile.competencies[1].location is not None
    assert (profile.competencies[1].location.sheet, profile.competencies[1].location.line) == ("RCPs", 3)
    assert str(profile.competencies[1].location) == f"{path}[RCPs]:3"


def test_numbers_booleans_and_dates_read_as_a_person_meant_them(tmp_path: Path) -> None:
    header = [*HEADER, "Profiled on", "Moderated on", "Grade"]
    dates = [dt.datetime(2016, 5, 3), dt.date(2016, 6, 1)]
    rows = [
        [*_row("L-1", "Team Leader", "L1", 3, managerial=True, kind=""), *dates, 7],
        [*_row("L-1", "Team Leader", "L2", 2.0, managerial=True, kind=""), *dates, 7],
        [*_row("L-2", "Officer", "L1", 1, managerial=False, kind=""), None, None, 5.0],
    ]
    path = _simple(tmp_path, rows, header=header)
    leader, officer = parse_xlsx(path)
    assert [e.level for e in leader.competencies] == ["3", "2"]
    assert leader.managerial is True
    assert officer.managerial is False
    assert leader.provenance is not None
    assert leader.provenance.profiled_on == dt.date(2016, 5, 3)
    assert leader.provenance.moderated_on == dt.date(2016, 6, 1)
    assert (leader.grade, officer.grade) == ("7", "5")


def test_merged_title_above_header_and_trailing_blank_rows(tmp_path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    ws.title = "Profile"
    ws["A1"] = "Role Competencies Profile – HR Adviser"
    ws.merge_cells("A1:I1")
    ws["A2"] = "Core Competencies (to be completed for all employees)"
    ws.append([])  # a blank row between the notes and the table
    ws.append(HEADER)  # row 4
    ws.append(_row("HR-1", "HR Adviser", "Communication", "D"))  # row 5
    ws.append(_row("HR-1", "HR Adviser", "Customer Focus", "C"))  # row 6
    for number in range(7, 60):  # formatted but empty rows, and a stray empty string
        ws.cell(number, 1).number_format = "@"
        ws.cell(number, 2, value="" if number == 20 else None)
    path = _save(wb, tmp_path / "title.xlsx")
    (profile,) = parse_xlsx(path)
    assert [e.location.line for e in profile.competencies if e.location] == [5, 6]
    assert profile.location is not None and profile.location.sheet == "Profile"


def test_role_columns_merged_down_are_filled_down(tmp_path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    ws.append(HEADER)
    ws.append(_row("HR-1", "HR Adviser", "Communication", "D"))
    ws.append([None, None, None, None, None, "Core", "Customer Focus", "C", "Because."])
    ws.append([None, None, None, None, None, "Core", "Collaborative Teamwork", "D", "Because."])
    ws.append(_row("HR-2", "HR Officer", "Communication", "B"))
    for column in "ABCDE":
        ws.merge_cells(f"{column}2:{column}4")
    path = _save(wb, tmp_path / "merged.xlsx")
    adviser, officer = parse_xlsx(path)
    assert adviser.id == "HR-1"
    assert [e.competency for e in adviser.competencies] == [
        "Communication",
        "Customer Focus",
        "Collaborative Teamwork",
    ]
    assert adviser.family == "HR"
    assert [e.competency for e in officer.competencies] == ["Communication"]


def test_sheet_by_name_and_unknown_sheet(tmp_path: Path) -> None:
    wb = Workbook()
    wb.active.title = "Notes"
    wb.active["A1"] = "Read me first"
    data = wb.create_sheet("Profiles")
    data.append(HEADER)
    data.append(_row("HR-1", "HR Adviser", "Communication", "D"))
    path = _save(wb, tmp_path / "two.xlsx")
    (profile,) = load_profiles(path, sheet="Profiles")
    assert profile.location is not None and profile.location.sheet == "Profiles"
    with pytest.raises(ProfileError, match=r"no sheet named 'Nope' \(sheets: 'Notes', 'Profiles'\)"):
        parse_xlsx(path, sheet="Nope")
    # the first sheet holds no table: the error names the sheet
    with pytest.raises(ProfileError, match=r"Notes!row 1: missing required columns"):
        parse_xlsx(path)


def test_the_first_visible_sheet_is_read(tmp_path: Path) -> None:
    wb = Workbook()
    wb.active.title = "Lists"
    wb.active.sheet_state = "hidden"
    wb.active.append(["A", "B", "C"])
    data = wb.create_sheet("Profiles")
    data.append(HEADER)
    data.append(_row("HR-1", "HR Adviser", "Communication", "D"))
    (profile,) = parse_xlsx(_save(wb, tmp_path / "hidden.xlsx"))
    assert profile.location is not None and profile.location.sheet == "Profiles"


def test_missing_column_names_sheet_row_and_the_columns_found(tmp_path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    ws.title = "RCP"
    ws["A1"] = "Role Competencies Profile – Insert role here"
    ws.append(["Type", "Competence", "Definition", "Level A-H", "Rationale"])
    ws.append(["Core", "Communication", "Communicates clearly", "D", "Because."])
    path = _save(wb, tmp_path / "appendix-a.xlsx")
    with pytest.raises(ProfileError) as info:
        parse_xlsx(path)
    message = str(info.value)
    assert "\n" not in message
    assert message.startswith(f"{path}: RCP!row 2: missing required columns role_id, role_title, managerial")
    assert "found: Type, Competence, Definition, Level A-H, Rationale" in message


def test_bad_cell_names_sheet_and_row(tmp_path: Path) -> None:
    path = _simple(tmp_path, [_row("HR-1", "HR Adviser", "Communication", "D", managerial="perhaps")])
    with pytest.raises(ProfileError, match=r"RCPs!row 2, column 'Managerial'.*'perhaps'"):
        parse_xlsx(path)


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"role_id,role_title\nA,B\n", "not an .xlsx workbook"),
        (b"", "not an .xlsx workbook"),
        (None, "not a readable .xlsx workbook"),
    ],
)
def test_not_a_workbook_is_one_line(tmp_path: Path, content: bytes | None, expected: str) -> None:
    path = tmp_path / "broken.xlsx"
    if content is None:  # a zip archive, but not a workbook
        with zipfile.ZipFile(path, "w") as archive:
            archive.writestr("hello.txt", "hello")
    else:
        path.write_bytes(content)
    with pytest.raises(ProfileError) as info:
        load_profiles(path)
    assert expected in str(info.value)
    assert str(info.value).startswith(str(path))
    assert "\n" not in str(info.value)


def test_wrong_used_range_does_not_truncate(tmp_path: Path) -> None:
    path = _simple(
        tmp_path,
        [_row("HR-1", "HR Adviser", "Communication", "D"), _row("HR-2", "HR Officer", "Communication", "B")],
    )
    # Some writers record the used range as "A1" only; openpyxl's read-only mode would trust it.
    patched = tmp_path / "dimension.xlsx"
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(patched, "w") as dst:
        for item in src.infolist():
            data = src.read(item)
            if item.filename.startswith("xl/worksheets/sheet"):
                data = re.sub(rb'<dimension ref="[^"]*"', b'<dimension ref="A1"', data)
            dst.writestr(item, data)
    assert [p.id for p in parse_xlsx(patched)] == ["HR-1", "HR-2"]


def test_folder_with_workbook_and_csv(tmp_path: Path) -> None:
    _simple(tmp_path, [_row("HR-1", "HR Adviser", "Communication", "D")])
    (tmp_path / "more.csv").write_text(
        "role_id,role_title,managerial,competence,level\nHR-2,HR Officer,no,Communication,B\n",
        encoding="utf-8",
    )
    (tmp_path / "~$rcps.xlsx").write_bytes(b"lock file of an open workbook")
    assert sorted(p.id for p in load_profiles(tmp_path)) == ["HR-1", "HR-2"]
