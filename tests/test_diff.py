"""Diffs of two versions of a profile set: matching by id, what counts as a change, text, JSON, CLI."""

from __future__ import annotations

import json
from pathlib import Path

import attrs
import pytest

from competency import FrameworkRef, ProfileEntry, RoleProfile, dump_profiles, load_framework, load_profiles
from competency.cli.main import main
from competency.diff import EntryChange, FieldChange, diff_profiles, diff_to_json, diff_to_text

CDC = load_framework("cdc-snc-2015")


def _role(role_id: str, *entries: tuple[str, str | None, str], **fields: object) -> RoleProfile:
    base: dict[str, object] = {"title": "Planning Officer", "organisation": "Cherwell District Council",
                               "family": "Planning"}  # fmt: skip
    base.update(fields)
    return RoleProfile(
        id=role_id,
        competencies=tuple(ProfileEntry(name, level, why) for name, level, why in entries),
        **base,  # type: ignore[arg-type]
    )


OLD = [
    _role(
        "P-1",
        ("Communication", "D", "Explains plans to residents."),
        ("Customer Focus", "C", "Handles queries."),
    ),
    _role("P-2", ("Communication", "E", "Presents to committee."), title="Senior Planner"),
    _role("P-3", ("Communication", "B", "Answers the phone."), title="Planning Assistant"),
]


def test_same_roles_in_another_order_and_format_are_no_difference(tmp_path: Path) -> None:
    old_file = tmp_path / "old.toml"
    dump_profiles(OLD, old_file)
    new_file = tmp_path / "new.csv"
    council = "Cherwell District Council,Planning,no"
    new_file.write_text(
        "role_id,role_title,organisation,role_family,managerial,competence,level,rationale\n"
        f'P-3,Planning Assistant,{council},Communication,B,"Answers the   phone."\n'
        f"P-2,Senior Planner,{council},communication,e,Presents to committee.\n"
        f"P-1,Planning Officer,{council},Customer Focus,C,Handles queries.\n"
        f"P-1,Planning Officer,{council},Communication,D,Explains plans to residents.\n",
        encoding="utf-8",
    )
    diff = diff_profiles(load_profiles(old_file), load_profiles(new_file), framework=CDC)
    assert diff.empty
    assert diff.unchanged == 3
    assert diff_to_text(diff) == "No differences: 0 added, 0 removed, 0 changed, 3 unchanged\n"
    assert main(["diff", str(old_file), str(new_file)]) == 0


def test_levels_rationales_entries_and_roles() -> None:
    new = [
        _role(
            "P-1",
            ("Communication", "F", "Explains plans to residents."),  # level
            ("Collaborative Teamwork", "D", "Works with highways."),  # added
            title="Principal Planning Officer",
            managerial=True,
        ),  # Customer Focus removed
        _role(
            "P-2", ("Communication", "E", "Presents to planning committee."), title="Senior Planner"
        ),  # rationale
        _role("P-4", ("Communication", "C", "New post."), title="Planning Technician"),
    ]
    diff = diff_profiles(OLD, new, framework=CDC)
    assert [p.id for p in diff.added] == ["P-4"]
    assert [p.id for p in diff.removed] == ["P-3"]
    assert [c.id for c in diff.changed] == ["P-1", "P-2"]
    assert diff.unchanged == 0
    p1, p2 = diff.changed
    assert p1.fields == (
        FieldChange("title", "Planning Officer", "Principal Planning Officer"),
        FieldChange("managerial", False, True),
    )
    # in the framework's order: Communication, Customer Focus, Collaborative Teamwork
    assert p1.competencies == (
        EntryChange(
            "Communication",
            "changed",
            "D",
            "F",
            "Explains plans to residents.",
            "Explains plans to residents.",
            True,
        ),
        EntryChange(
            "Customer Focus", "removed", old_level="C", old_rationale="Handles queries.", level_changed=True
        ),
        EntryChange(
            "Collaborative Teamwork",
            "added",
            new_level="D",
            new_rationale="Works with highways.",
            level_changed=True,
        ),
    )
    (change,) = p2.competencies
    assert (change.level_changed, change.rationale_changed) == (False, True)
    text = diff_to_text(diff)
    assert "  + P-4  Planning Technician · Cherwell District Council · Planning" in text
    assert "  - P-3  Planning Assistant" in text
    assert '      title: "Planning Officer" -> "Principal Planning Officer"' in text
    assert "      managerial: no -> yes" in text
    assert "      Communication: level D -> F" in text
    assert "      Customer Focus: removed (was level C)" in text
    assert "      Collaborative Teamwork: added at level D" in text
    assert "          - Presents to committee.\n          + Presents to planning committee." in text
    assert text.endswith("1 added, 1 removed, 2 changed, 0 unchanged\n")


def test_framework_resolves_aliases_and_level_spellings() -> None:
    old = [_role("P-1", ("Technical Expertise", "D", "Knows planning law."))]
    new = [_role("P-1", ("expertise and self-development", " d ", "Knows planning law."))]
    assert diff_profiles(old, new, framework=CDC).empty
    # without the framework the names differ: one removed, one added
    plain = diff_profiles(old, new)
    assert [e.change for e in plain.changed[0].competencies] == ["added", "removed"]
    # …but case, spacing and level case never count
    assert diff_profiles(old, [_role("P-1", ("technical  EXPERTISE", "d", "Knows  planning\nlaw."))]).empty


def test_duplicates_pair_identical_entries_first_and_roles_in_order() -> None:
    twice = _role("P-1", ("Communication", "D", "One."), ("Communication", "E", "Two."))
    swapped = _role("P-1", ("Communication", "E", "Two."), ("Communication", "D", "One."))
    assert diff_profiles([twice], [swapped], framework=CDC).empty
    # one id with two RCPs on each side: paired in order, the extra one is added
    a, b = _role("D-1", title="First"), _role("D-1", title="Second")
    diff = diff_profiles([a, b], [a, b, attrs.evolve(b, title="Third")])
    assert diff.unchanged == 2
    assert [p.title for p in diff.added] == ["Third"]


def test_role_facts_framework_and_blank_values() -> None:
    old = [_role("P-1", framework=FrameworkRef("cdc-snc-2015", "2015"), family=None, grade="7")]
    new = [_role("P-1", framework=FrameworkRef("cdc-snc-2015", "2016"), family="Planning", grade=" 7 ")]
    (change,) = diff_profiles(old, new).changed
    assert change.fields == (
        FieldChange("family", None, "Planning"),
        FieldChange("framework", "cdc-snc-2015 2015", "cdc-snc-2015 2016"),
    )
    assert '      family: (none) -> "Planning"' in diff_to_text(diff_profiles(old, new))


def test_json_document() -> None:
    new = [
        _role("P-1", ("Communication", "F", "Explains plans to residents.")),
        *OLD[1:],
        _role("P-9", title="New"),
    ]
    document = diff_to_json(diff_profiles(OLD, new, framework=CDC))
    assert document["version"] == 1
    assert document["summary"] == {"added": 1, "removed": 0, "changed": 1, "unchanged": 2}
    assert document["added"][0]["id"] == "P-9"
    (changed,) = document["changed"]
    assert changed["id"] == "P-1" and changed["fields"] == []
    assert changed["competencies"] == [
        {
            "competency": "Communication",
            "change": "changed",
            "level_changed": True,
            "rationale_changed": False,
            "old": {"level": "D", "rationale": "Explains plans to residents."},
            "new": {"level": "F", "rationale": "Explains plans to residents."},
        },
        {
            "competency": "Customer Focus",
            "change": "removed",
            "level_changed": True,
            "rationale_changed": False,
            "old": {"level": "C", "rationale": "Handles queries."},
            "new": None,
        },
    ]
    json.dumps(document)  # plain JSON data throughout


def test_cli_text_json_output_file_and_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    old_file, new_file = tmp_path / "old.toml", tmp_path / "new.toml"
    dump_profiles(OLD, old_file)
    dump_profiles([attrs.evolve(OLD[0], title="Planner\x1b[31m"), *OLD[1:]], new_file)
    assert main(["diff", str(old_file), str(new_file)]) == 1
    out = capsys.readouterr().out
    assert '"Planner\\x1b[31m"' in out and "\x1b" not in out  # no escape sequence reaches the terminal
    assert main(["diff", str(old_file), str(new_file), "--format", "json"]) == 1
    assert json.loads(capsys.readouterr().out)["summary"]["changed"] == 1
    report = tmp_path / "changes.txt"
    assert main(["diff", str(old_file), str(new_file), "-o", str(report)]) == 1
    assert report.read_text(encoding="utf-8").startswith("Roles changed (1)")
    assert capsys.readouterr().err == "0 added, 0 removed, 1 changed, 2 unchanged\n"
    assert main(["diff", str(old_file), str(tmp_path / "missing.csv")]) == 2
    assert capsys.readouterr().err.count("\n") == 1
    assert main(["diff", str(old_file), str(new_file), "--framework", "nope"]) == 2
    assert main(["diff", str(old_file), str(new_file), "--encoding", "nope"]) == 2
    with pytest.raises(SystemExit) as info:
        main(["diff", str(old_file)])
    assert info.value.code == 2


def test_cli_across_workbook_and_csv(tmp_path: Path) -> None:
    from openpyxl import Workbook

    csv_file = tmp_path / "old.csv"
    csv_file.write_text(
        "role_id,role_title,managerial,competence,level,rationale\nP-1,Planner,no,Communication,D,Explains.\n",
        encoding="utf-8",
    )
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Role ID", "Role title", "Managerial", "Competence", "Level", "Rationale"])
    sheet.append(["P-1", "Planner", False, "Communication", "E", "Explains."])
    workbook.save(tmp_path / "new.xlsx")
    assert main(["diff", str(csv_file), str(tmp_path / "new.xlsx"), "--framework", "cdc-snc-2015"]) == 1
