"""Blank RCPs (Appendix A): the rows they hold, the three formats, filling one in and checking it."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest
from openpyxl import load_workbook

from competency import CompetencyError, Framework, check, load_framework, load_profiles
from competency.cli.main import main
from competency.template import blank_profile, render_template, write_template

CDC = load_framework("cdc-snc-2015")
GLASGOW = load_framework("glasgow-leadership")


def test_rows_follow_appendix_a() -> None:
    officer = blank_profile(CDC, role_title="HR Officer", organisation="Cherwell District Council")
    assert officer.id == "hr-officer"
    assert [e.competency for e in officer.competencies] == [c.name for c in CDC.competencies[:7]]
    assert {e.type for e in officer.competencies} == {"Core"}
    assert all(e.level is None and e.rationale == "" for e in officer.competencies)
    manager = blank_profile(CDC, role_title="HR Manager", role_id="CDC-HR-09", managerial=True)
    assert manager.id == "CDC-HR-09"
    assert [e.competency for e in manager.competencies] == [c.name for c in CDC.competencies]
    assert [e.type for e in manager.competencies[7:]] == ["Management"] * 4
    glasgow = blank_profile(GLASGOW, role_title="Service Manager", managerial=True)
    assert [e.competency for e in glasgow.competencies] == [c.name for c in GLASGOW.competencies]
    assert {e.type for e in glasgow.competencies} == {None}  # no kinds: no Type
    with pytest.raises(CompetencyError, match="role title is empty"):
        blank_profile(CDC, role_title="  ")


def test_csv_has_the_appendix_a_columns_and_definitions() -> None:
    text = render_template(blank_profile(CDC, role_title="HR Officer"), CDC, "csv").decode("utf-8")
    assert text.startswith("\ufeff")  # Excel reads the curly quotes right
    rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
    assert list(rows[0])[-5:] == ["Type", "Competence", "Definition", "Level A-H", "Rationale"]
    assert rows[6]["Competence"] == "Expertise and Self-Development"
    assert rows[1]["Definition"].startswith("Demonstrates a “can do” attitude")
    assert {r["Managerial"] for r in rows} == {"no"}
    glasgow = render_template(blank_profile(GLASGOW, role_title="Manager"), GLASGOW, "csv").decode(
        "utf-8-sig"
    )
    assert glasgow.splitlines()[0].endswith(",Level,Rationale")  # levels differ per competency


def _fill_csv(data: bytes, levels: list[str]) -> bytes:
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    header = rows[0]
    level, rationale = len(header) - 2, len(header) - 1
    for number, (row, value) in enumerate(zip(rows[1:], levels, strict=True)):
        row[level] = value
        row[rationale] = f"Row {number}: the job description asks for this in its duties, section {number}."
    out = io.StringIO(newline="")
    csv.writer(out).writerows(rows)
    return out.getvalue().encode("utf-8-sig")


def _fill_toml(data: bytes, levels: list[str]) -> bytes:
    text = data.decode("utf-8")
    values = iter(levels)
    text = re.sub(r'^level = ""$', lambda _: f'level = "{next(values)}"', text, flags=re.MULTILINE)
    counter = iter(range(100))
    text = re.sub(
        r'^rationale = ""$',
        lambda _: f'rationale = "Entry {next(counter)}: the job description asks for this in its duties."',
        text,
        flags=re.MULTILINE,
    )
    return text.encode("utf-8")


def _fill_xlsx(path: Path, levels: list[str]) -> None:
    workbook = load_workbook(path)
    sheet = workbook["RCP"]
    header = [c.value for c in sheet[4]]
    level, rationale = header.index(header[-2]) + 1, header.index("Rationale") + 1
    for number, value in enumerate(levels, start=5):
        sheet.cell(number, level, int(value) if value.isdigit() else value)  # typed as a number in Excel
        sheet.cell(number, rationale, f"Row {number}: the job description asks for this in its duties.")
    workbook.save(path)


def _levels(framework: Framework, managerial: bool) -> list[str]:
    """A valid level for every required competency: the middle of its run."""
    return [
        framework.levels_for(c)[len(framework.levels_for(c)) // 2].id
        for c in framework.required_for(managerial=managerial)
    ]


@pytest.mark.parametrize("fmt", ["csv", "toml", "xlsx"])
@pytest.mark.parametrize(
    ("framework", "managerial"),
    [(CDC, False), (CDC, True), (GLASGOW, True)],
    ids=["cdc", "cdc-manager", "glasgow"],
)
def test_a_filled_in_template_checks_cleanly(
    tmp_path: Path, fmt: str, framework: Framework, managerial: bool
) -> None:
    profile = blank_profile(
        framework,
        role_title="Housing Officer",
        organisation="Cherwell District Council",
        managerial=managerial,
    )
    path = tmp_path / f"rcp.{fmt}"
    write_template(path, profile, framework)
    # blank, it loads, and the check asks for exactly the levels to fill in
    blank = check(load_profiles(path), framework)
    required = len(framework.required_for(managerial=managerial))
    expected = {"missing-core", "missing-management"} if framework is CDC and managerial else {"missing-core"}
    assert {f.rule for f in blank.findings} == expected
    assert len(blank.findings) == required
    levels = _levels(framework, managerial)
    if fmt == "csv":
        path.write_bytes(_fill_csv(path.read_bytes(), levels))
    elif fmt == "toml":
        path.write_bytes(_fill_toml(path.read_bytes(), levels))
    else:
        _fill_xlsx(path, levels)
    (loaded,) = load_profiles(path)  # the template names its framework: no --framework needed
    assert loaded.framework is not None and loaded.framework.id == framework.id
    assert loaded.title == "Housing Officer" and loaded.managerial is managerial
    assert [e.level for e in loaded.competencies] == levels
    result = check([loaded])
    assert result.findings == (), [f.message for f in result.findings]


def test_blank_template_findings_name_every_competency_to_fill_in(tmp_path: Path) -> None:
    path = tmp_path / "manager.csv"
    write_template(path, blank_profile(CDC, role_title="Manager", managerial=True), CDC)
    findings = check(load_profiles(path), CDC).findings
    assert sorted(f.competency or "" for f in findings) == sorted(c.name for c in CDC.competencies)
    assert {f.rule for f in findings} == {"missing-core", "missing-management"}


def test_xlsx_layout(tmp_path: Path) -> None:
    path = tmp_path / "rcp.xlsx"
    write_template(path, blank_profile(CDC, role_title='=HYPERLINK("x")', managerial=True), CDC)
    workbook = load_workbook(path)
    assert workbook.sheetnames == ["RCP", "Level guide", "Lists"]
    sheet = workbook["RCP"]
    assert sheet["A1"].value.startswith("Role Competencies Profile – ")
    header = [c.value for c in sheet[4]]
    assert header[-5:] == ["Type", "Competence", "Definition", "Level A-H", "Rationale"]
    assert all(c.font.bold for c in sheet[4])
    assert sheet.freeze_panes == "A5"
    definition = header.index("Definition") + 1
    assert sheet.cell(5, definition).alignment.wrap_text
    assert sheet.column_dimensions["J"].width == 60
    # the title is text, not a formula
    assert sheet["B5"].data_type == "s" and sheet["B5"].value == '=HYPERLINK("x")'
    # a drop-down of the valid levels on every Level cell
    (validation,) = [v for v in sheet.data_validations.dataValidation if v.formula1.startswith("=Lists!")]
    assert set(str(validation.sqref).split()) == {f"K{n}" for n in range(5, 16)}
    assert [workbook["Lists"].cell(n, 1).value for n in range(1, 9)] == list("ABCDEFGH")
    guide = workbook["Level guide"]
    assert guide.max_row == 1 + 11 * 8
    c_row = next(r for r in guide.iter_rows(min_row=2, values_only=True) if r[:2] == ("Communication", "C"))
    assert "those at B" in c_row[2] and "Communicates politely, clearly and confidently." in c_row[2]


def test_csv_cells_that_would_run_as_formulas_are_neutralised() -> None:
    data = render_template(blank_profile(CDC, role_title="=1+1", role_id="@id"), CDC, "csv").decode(
        "utf-8-sig"
    )
    row = next(csv.reader(io.StringIO(data.splitlines()[1])))
    assert row[:2] == ["'@id", "'=1+1"]


def test_write_template_never_replaces_a_file_unless_forced(tmp_path: Path) -> None:
    path = tmp_path / "rcp.csv"
    path.write_text("someone's work", encoding="utf-8")
    profile = blank_profile(CDC, role_title="Officer")
    with pytest.raises(CompetencyError, match="already exists; use --force"):
        write_template(path, profile, CDC)
    assert path.read_text(encoding="utf-8") == "someone's work"
    write_template(path, profile, CDC, force=True)
    assert path.read_bytes().startswith(b"\xef\xbb\xbfRole ID,")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["rcp.csv"]  # no temporary file left behind
    with pytest.raises(CompetencyError, match=r"ends in \.csv but the format asked for is xlsx"):
        write_template(path, profile, CDC, fmt="xlsx", force=True)
    with pytest.raises(CompetencyError, match="cannot tell the format"):
        write_template(tmp_path / "rcp.txt", profile, CDC)


def test_cli(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "adviser.xlsx"
    args = ["template", "--framework", "cdc-snc-2015", "--role-title", "HR Adviser", "--managerial"]
    assert main([*args, "-o", str(out)]) == 0
    assert "11 competencies to fill in" in capsys.readouterr().err
    (profile,) = load_profiles(out)
    assert (profile.id, profile.title, profile.managerial, len(profile.competencies)) == (
        "hr-adviser",
        "HR Adviser",
        True,
        11,
    )
    assert main([*args, "-o", str(out)]) == 2
    assert capsys.readouterr().err == f"competency: error: {out}: already exists; use --force to replace it\n"
    assert main([*args, "-o", str(out), "--force"]) == 0
    capsys.readouterr()
    assert main([*args, "--format", "toml"]) == 0
    toml_text = capsys.readouterr().out
    assert toml_text.count("[[roles.competencies]]") == 11
    assert main([*args, "--format", "xlsx"]) == 2
    assert "cannot go to standard output" in capsys.readouterr().err
    assert main(["template", "--framework", "nope", "--role-title", "X"]) == 2
    with pytest.raises(SystemExit) as info:
        main(["template", "--framework", "cdc-snc-2015"])
    assert info.value.code == 2
