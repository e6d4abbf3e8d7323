"""Blank Role Competencies Profiles for line managers to fill in (Appendix A of the CDC/SNC policy).

Policy §3.1: "RCPs for new roles or revised posts will be drafted by the line manager". The template
they draft from is Appendix A: one row per competency with its **Type**, **Competence**,
**Definition**, **Level** and **Rationale** — management rows only for managerial roles. This module
writes that template for any framework, in the framework's order, as CSV, TOML or an Excel workbook,
with the role columns the readers need, so that a filled-in template loads and checks as it is:

* CSV: the template layout of docs/formats.md, UTF-8 with a byte-order mark so Excel shows the
  definitions' curly quotes correctly;
* TOML: a profile file with the definition and valid levels as a comment above each entry;
* xlsx: the Appendix A title above a bold header, wrapped definitions, a drop-down of the valid levels
  on every Level cell, and a "Level guide" sheet with what each level means.

A template never replaces an existing file unless asked to (``force``), and is written atomically.
"""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ._errors import CompetencyError
from ._framework import Competency, Framework
from ._loading import write_bytes_atomic
from ._names import slugify
from ._profile import FrameworkRef, ProfileEntry, RoleProfile
from ._table_io import normalise_header

__all__ = ["TEMPLATE_FORMATS", "blank_profile", "format_for", "render_template", "write_template"]

#: The formats a template can be written in.
TEMPLATE_FORMATS = ("csv", "toml", "xlsx")

#: Column headings, in order: the role's columns, then Appendix A's (the level heading is added per
#: framework: "Level A-H" where one scale serves every competency).
_ROLE_HEADINGS = ("Role ID", "Role title", "Organisation", "Role family", "Managerial", "Framework",
                  "Framework version")  # fmt: skip
_RCP_HEADINGS = ("Type", "Competence", "Definition")


def blank_profile(
    framework: Framework,
    *,
    role_title: str,
    role_id: str | None = None,
    organisation: str | None = None,
    family: str | None = None,
    managerial: bool = False,
) -> RoleProfile:
    """An RCP with one entry, without level or rationale, per competency the role must be profiled on.

    The entries follow the framework's order; each names its competency by its framework name and its
    Type by its kind's name ("Core", "Management"; empty in a framework without kinds). ``role_id``
    defaults to a slug of the title ("HR Adviser" -> ``"hr-adviser"``).
    """
    title = role_title.strip()
    if not title:
        raise CompetencyError("the role title is empty", where="--role-title")
    entries = tuple(
        ProfileEntry(comp.name, None, "", _type_of(framework, comp) or None)
        for comp in framework.required_for(managerial=managerial)
    )
    return RoleProfile(
        id=(role_id or "").strip() or slugify(title) or "role",
        title=title,
        competencies=entries,
        organisation=organisation or None,
        family=family or None,
        managerial=managerial,
        framework=FrameworkRef(framework.id, framework.version or None),
    )


def format_for(path: str | os.PathLike[str]) -> str | None:
    """The template format a file name asks for (``.csv``, ``.toml``, ``.xlsx``), or ``None``."""
    suffix = Path(path).suffix.lower().lstrip(".")
    return suffix if suffix in TEMPLATE_FORMATS else None


def render_template(profile: RoleProfile, framework: Framework, fmt: str = "csv") -> bytes:
    """The bytes of a template file for ``profile`` (see :func:`blank_profile`) in ``fmt``."""
    if fmt == "csv":
        return _csv(profile, framework)
    if fmt == "toml":
        return _toml(profile, framework).encode("utf-8")
    if fmt == "xlsx":
        return _xlsx(profile, framework)
    raise CompetencyError(f"unknown template format {fmt!r} (expected {', '.join(TEMPLATE_FORMATS)})")


def write_template(
    path: str | os.PathLike[str],
    profile: RoleProfile,
    framework: Framework,
    *,
    fmt: str | None = None,
    force: bool = False,
) -> None:
    """Write the template to ``path`` atomically; an existing file is replaced only when ``force``.

    ``fmt`` defaults to the file's ending. A format that disagrees with the ending is refused, because
    a workbook named ``.csv`` could not be read back.
    """
    target = Path(path)
    by_name = format_for(target)
    chosen = fmt or by_name
    if chosen is None:
        endings = ", ".join("." + f for f in TEMPLATE_FORMATS)
        raise CompetencyError(
            f"cannot tell the format from the file name; end it in {endings}", path=str(target)
        )
    if by_name is not None and by_name != chosen:
        raise CompetencyError(
            f"the name ends in .{by_name} but the format asked for is {chosen}", path=str(target)
        )
    if target.is_dir():
        raise CompetencyError("is a folder", path=str(target))
    if target.exists() and not force:
        raise CompetencyError("already exists; use --force to replace it", path=str(target))
    write_bytes_atomic(target, render_template(profile, framework, chosen))


# -- what each row says ----------------------------------------------------------------------------------
def _type_of(framework: Framework, comp: Competency) -> str:
    kind = framework.kind_of(comp)
    if kind is None:
        return ""
    return kind.name or kind.id


def _level_heading(framework: Framework, competencies: Sequence[Competency]) -> str:
    """``"Level A-H"`` when every competency uses the same whole scale (as Appendix A), else ``"Level"``."""
    runs = {tuple(lv.id for lv in framework.levels_for(c)) for c in competencies}
    if len(runs) == 1:
        (run,) = runs
        heading = f"Level {run[0]}-{run[-1]}"
        if normalise_header(heading) == "level":
            return heading
    return "Level"


def _competencies(profile: RoleProfile, framework: Framework) -> list[Competency]:
    return [framework.competency(entry.competency) for entry in profile.competencies]


def _headings(profile: RoleProfile, framework: Framework) -> list[str]:
    level = _level_heading(framework, _competencies(profile, framework))
    return [*_ROLE_HEADINGS, *_RCP_HEADINGS, level, "Rationale"]


def _rows(profile: RoleProfile, framework: Framework) -> list[list[str]]:
    ref = profile.framework or FrameworkRef(framework.id, framework.version)
    role = [
        profile.id,
        profile.title,
        profile.organisation or "",
        profile.family or "",
        "yes" if profile.managerial else "no",
        ref.id,
        ref.version or "",
    ]
    rows = []
    for entry, comp in zip(profile.competencies, _competencies(profile, framework), strict=True):
        rows.append([*role, entry.type or "", comp.name, comp.definition, entry.level or "", entry.rationale])
    return rows


# -- CSV ---------------------------------------------------------------------------------------------------
def _csv(profile: RoleProfile, framework: Framework) -> bytes:
    """The template as CSV; a cell that a spreadsheet would run as a formula gets a leading apostrophe."""
    from .output.csv import neutralise

    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)
    writer.writerow(_headings(profile, framework))
    writer.writerows([neutralise(cell) for cell in row] for row in _rows(profile, framework))
    return buffer.getvalue().encode("utf-8-sig")


# -- TOML --------------------------------------------------------------------------------------------------
def _toml_string(value: str) -> str:
    import tomli_w

    return tomli_w.dumps({"v": value})[4:].rstrip("\n")


def _comment(text: str) -> str:
    return " ".join(text.split())


def _toml(profile: RoleProfile, framework: Framework) -> str:
    ref = profile.framework or FrameworkRef(framework.id, framework.version)
    lines = [
        f"# Role Competencies Profile – {_comment(profile.title)}",
        f"# Framework: {_comment(framework.title)} ({framework.id}, version {framework.version}).",
        '# Fill in a level and a rationale for every competency (level = "D", rationale = "why the role',
        '# needs this level"), then check the file with: competency check FILE',
        "format = 1",
        "",
        "[framework]",
        f"id = {_toml_string(ref.id)}",
    ]
    if ref.version:
        lines.append(f"version = {_toml_string(ref.version)}")
    lines += ["", "[[roles]]", f"id = {_toml_string(profile.id)}", f"title = {_toml_string(profile.title)}"]
    if profile.organisation:
        lines.append(f"organisation = {_toml_string(profile.organisation)}")
    if profile.family:
        lines.append(f"family = {_toml_string(profile.family)}")
    lines.append(f"managerial = {'true' if profile.managerial else 'false'}")
    for entry, comp in zip(profile.competencies, _competencies(profile, framework), strict=True):
        levels = ", ".join(lv.id for lv in framework.levels_for(comp))
        lines += ["", f"# {comp.name}" + (f" ({entry.type})" if entry.type else "")]
        if comp.definition:
            lines.append(f"# {_comment(comp.definition)}")
        lines += [
            f"# Levels: {levels}",
            "[[roles.competencies]]",
            f"competency = {_toml_string(comp.name)}",
        ]
        if entry.type:
            lines.append(f"type = {_toml_string(entry.type)}")
        lines.append(f"level = {_toml_string(entry.level or '')}")
        lines.append(f"rationale = {_toml_string(entry.rationale)}")
    return "\n".join(lines) + "\n"


# -- Excel -------------------------------------------------------------------------------------------------
_WIDTHS = {"Role ID": 14, "Role title": 26, "Organisation": 26, "Role family": 18, "Managerial": 12,
           "Framework": 15, "Framework version": 11, "Type": 13, "Competence": 30, "Definition": 60,
           "Rationale": 60}  # fmt: skip


def _xlsx(profile: RoleProfile, framework: Framework) -> bytes:
    from openpyxl import Workbook  # type: ignore[import-untyped,unused-ignore]
    from openpyxl.styles import Alignment, Font, PatternFill  # type: ignore[import-untyped,unused-ignore]
    from openpyxl.utils import get_column_letter  # type: ignore[import-untyped,unused-ignore]
    from openpyxl.worksheet.datavalidation import DataValidation  # type: ignore[import-untyped,unused-ignore]

    headings = _headings(profile, framework)
    rows = _rows(profile, framework)
    comps = _competencies(profile, framework)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "RCP"
    last_column = get_column_letter(len(headings))
    # Appendix A's title above the table (the reader finds the header below it)
    sheet["A1"] = f"Role Competencies Profile – {profile.title}"  # never "=…": it starts with "Role"
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.merge_cells(f"A1:{last_column}1")
    sheet["A2"] = (
        f"Framework: {framework.title} ({framework.id}, version {framework.version}). Choose a level from "
        "the drop-down and write why the role needs it. The 'Level guide' sheet says what each level means."
    )
    sheet["A2"].font = Font(italic=True)
    sheet.merge_cells(f"A2:{last_column}2")
    header_row = 4
    sheet.append([])
    sheet.append(headings)
    grey = PatternFill("solid", fgColor="DDE3EA")
    for column, heading in enumerate(headings, start=1):
        cell = sheet.cell(header_row, column)
        cell.font = Font(bold=True)
        cell.fill = grey
        cell.alignment = Alignment(vertical="center", wrap_text=True)
        sheet.column_dimensions[get_column_letter(column)].width = _WIDTHS.get(heading, 11)
    wrap = Alignment(wrap_text=True, vertical="top")
    top = Alignment(vertical="top")
    for row in rows:
        sheet.append(row)
        number = sheet.max_row
        for column, heading in enumerate(headings, start=1):
            cell = sheet.cell(number, column)
            cell.alignment = wrap if heading in ("Definition", "Rationale") else top
            cell.number_format = "@"  # text: a level typed as 3 stays "3"
            if cell.data_type == "f":  # openpyxl takes "=…" for a formula; a title is text
                cell.data_type = "s"
    sheet.freeze_panes = sheet.cell(header_row + 1, 1)
    first, last = header_row + 1, header_row + len(rows)

    # drop-downs: the valid levels of each competency (lists on a hidden sheet, so ids may hold commas)
    lists = workbook.create_sheet("Lists")
    lists.sheet_state = "hidden"
    level_column = get_column_letter(len(headings) - 1)  # the level heading is the last but one
    runs: dict[tuple[str, ...], DataValidation] = {}
    for number, comp in enumerate(comps, start=first):
        run = tuple(lv.id for lv in framework.levels_for(comp))
        validation = runs.get(run)
        if validation is None:
            column = get_column_letter(len(runs) + 1)
            for index, level_id in enumerate(run, start=1):
                lists.cell(index, len(runs) + 1, level_id).number_format = "@"
            validation = DataValidation(
                type="list",
                formula1=f"=Lists!${column}$1:${column}${len(run)}",
                allow_blank=True,
                showErrorMessage=True,
                errorTitle="Not a level",
                error=f"Choose one of the levels: {', '.join(run)}",
                promptTitle="Level",
                showInputMessage=True,
                prompt=f"Levels: {', '.join(run)}",
            )
            sheet.add_data_validation(validation)
            runs[run] = validation
        validation.add(f"{level_column}{number}")
    managerial_column = get_column_letter(headings.index("Managerial") + 1)
    yes_no = DataValidation(type="list", formula1='"yes,no"', allow_blank=False)
    sheet.add_data_validation(yes_no)
    if rows:
        yes_no.add(f"{managerial_column}{first}:{managerial_column}{last}")

    _level_guide(workbook.create_sheet("Level guide", 1), framework, comps)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _level_guide(ws: Any, framework: Framework, comps: Sequence[Competency]) -> None:
    """One row per competency × level: the indicators that describe it (see Framework.level_meaning)."""
    from openpyxl.styles import Alignment, Font, PatternFill  # type: ignore[import-untyped,unused-ignore]

    ws.append(["Competence", "Level", "What the level means"])
    for column in range(1, 4):
        ws.cell(1, column).font = Font(bold=True)
        ws.cell(1, column).fill = PatternFill("solid", fgColor="DDE3EA")
    ws.column_dimensions["A"].width = 30
    ws.column_dimensions["B"].width = 8
    ws.column_dimensions["C"].width = 110
    ws.freeze_panes = "A2"
    for comp in comps:
        for level in framework.levels_for(comp):
            meaning = framework.level_meaning(comp, level)
            lines = []
            if meaning.title:
                lines.append(meaning.title)
            described = [lv.id for lv in meaning.describing_levels]
            if described and described[-1] != level.id and not meaning.cumulative:
                lines.append(f"(no indicators of its own: those at {described[-1]}, the nearest level below)")
            for group in meaning.groups:
                at = f"level {group.level.id}"
                lines.append(f"{group.theme} ({at}):" if group.theme else f"{at.capitalize()}:")
                lines.extend(f"• {text}" for text in group.indicators)
            ws.append([comp.name, level.id, "\n".join(lines)])
            row = ws.max_row
            ws.cell(row, 2).number_format = "@"
            for column in range(1, 4):
                ws.cell(row, column).alignment = Alignment(wrap_text=True, vertical="top")
