"""Loaders and the command line on bad input: every error is one line naming the file and the place.

Framework and profile TOML files, CSV profile files in the RCP template layout, and `competency show` /
`competency frameworks` exit codes. Each malformed file is written to a temporary folder and loaded
through the public API, exactly as a council system or the command line would.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from competency import (
    CompetencyError,
    FrameworkError,
    FrameworkRef,
    ProfileError,
    UnknownFrameworkError,
    load_framework,
    load_profiles,
)
from competency.cli.main import main

# A small valid framework; tests break one thing in it at a time.
FRAMEWORK = """\
format = 1
id = "tiny"
title = "Tiny framework"
version = "1"

[[scales]]
id = "a-d"
levels = ["A", "B", "C", "D"]
anchors = ["B", "D"]

[[kinds]]
id = "core"
name = "Core"
applies_to = "all"

[[competencies]]
id = "c0"
name = "Communication"
kind = "core"
indicators = { B = ["Speaks clearly."] }

[[competencies]]
id = "c1"
name = "Teamwork"
indicators = { D = ["Builds teams."] }

[[competencies]]
id = "c2"
name = "Planning"
indicators = { B = ["Plans ahead."] }

[[competencies]]
id = "c3"
name = "Delivery"

[[competencies.themes]]
name = "Style"
indicators = { B = ["Delivers on time."] }

[[competencies.themes]]
name = "Method"
indicators = { B = ["Uses a plan."] }
"""

PROFILES = """\
format = 1

[framework]
id = "tiny"
version = "1"

[[roles]]
id = "R1"
title = "Planning Officer"
managerial = false

[[roles.competencies]]
competency = "Communication"
level = "D"
rationale = "Explains planning policy to residents at drop-in sessions every week."

[[roles.competencies]]
competency = "Teamwork"
level = 3
rationale = "Works in a team of six planners and covers colleagues' casework."

[[roles]]
id = "R2"
title = "Planning Team Leader"
managerial = true

[[roles.competencies]]
competency = "Communication"
level = "F"
rationale = "Presents planning appeals to the committee and answers members' questions."
"""


def _write(tmp_path: Path, name: str, text: str | bytes) -> Path:
    path = tmp_path / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def _framework_error(tmp_path: Path, text: str | bytes) -> str:
    path = _write(tmp_path, "framework.toml", text)
    with pytest.raises(FrameworkError) as caught:
        load_framework(path)
    return _one_line(caught.value, path)


def _profile_error(tmp_path: Path, text: str | bytes, name: str = "profiles.toml", **options: str) -> str:
    path = _write(tmp_path, name, text)
    with pytest.raises(ProfileError) as caught:
        load_profiles(path, **options)
    return _one_line(caught.value, path)


def _one_line(error: CompetencyError, path: Path) -> str:
    """The error's text, after checking it is one line starting with the file's name."""
    text = str(error)
    assert "\n" not in text, text
    assert text.startswith(f"{path}: "), text
    return text.removeprefix(f"{path}: ")


def test_the_base_files_are_valid(tmp_path: Path) -> None:
    fw = load_framework(_write(tmp_path, "framework.toml", FRAMEWORK))
    assert [c.id for c in fw.competencies] == ["c0", "c1", "c2", "c3"]
    roles = load_profiles(_write(tmp_path, "profiles.toml", PROFILES))
    assert [r.id for r in roles] == ["R1", "R2"]
    assert roles[0].competencies[1].level == "3"  # an integer level is kept as text
    assert roles[1].framework == FrameworkRef("tiny", "1")


# -- framework files -------------------------------------------------------------------------------------
def test_framework_bad_toml_syntax_names_line_and_column(tmp_path: Path) -> None:
    message = _framework_error(tmp_path, FRAMEWORK.replace('title = "Tiny framework"', 'title = "Tiny'))
    assert message.startswith("line 3, column 14: invalid TOML: ")


def test_framework_wrong_type_names_the_key_path(tmp_path: Path) -> None:
    text = FRAMEWORK.replace('indicators = { B = ["Uses a plan."] }', "indicators = { B = 7 }")
    assert _framework_error(tmp_path, text) == (
        "competencies[3].themes[1].indicators.B: expected a list of strings, got 7"
    )


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ('version = "1"', "version = 1", "version: expected a string, got 1"),
        ('name = "Teamwork"', "name = 5", "competencies[1].name: expected a string, got 5"),
        (
            'indicators = { B = ["Plans ahead."] }',
            'indicators = { B = ["Plans ahead.", 3] }',
            "competencies[2].indicators.B[1]: expected a string, got 3",
        ),
        (
            'indicators = { B = ["Plans ahead."] }',
            'indicators = ["Plans ahead."]',
            "competencies[2].indicators: expected a table of level = [indicators], got a list",
        ),
        (
            'anchors = ["B", "D"]',
            'anchors = ["B", "D"]\ncumulative = "yes"',
            "scales[0].cumulative: expected true or false, got 'yes'",
        ),
        (
            'applies_to = "all"',
            'applies_to = "everyone"',
            "kinds[0].applies_to: expected one of 'all', 'managerial', 'non-managerial', 'none', "
            "got 'everyone'",
        ),
        (
            'levels = ["A", "B", "C", "D"]',
            'levels = ["A", true, "C", "D"]',
            "scales[0].levels[1]: expected a level id or a table { id, name }, got True",
        ),
        (
            'levels = ["A", "B", "C", "D"]',
            "levels = []",
            "scales[0].levels: expected a non-empty list of levels, got a list",
        ),
        (
            'levels = ["A", "B", "C", "D"]',
            'levels = ["A", "B", "C", "b"]',
            "scales[0].levels[3]: level 'b' is declared twice",
        ),
    ],
)
def test_framework_wrong_types_and_values(tmp_path: Path, old: str, new: str, expected: str) -> None:
    assert old in FRAMEWORK
    assert _framework_error(tmp_path, FRAMEWORK.replace(old, new, 1)) == expected


def test_framework_several_problems_are_counted_on_the_same_line(tmp_path: Path) -> None:
    text = FRAMEWORK.replace('name = "Teamwork"', "name = 5").replace('name = "Planning"', "name = 6")
    assert (
        _framework_error(tmp_path, text)
        == "competencies[1].name: expected a string, got 5 (and 1 more problem)"
    )


def test_framework_unknown_keys(tmp_path: Path) -> None:
    top = _framework_error(tmp_path, FRAMEWORK.replace('version = "1"', 'version = "1"\ncolour = "blue"'))
    assert top.startswith("colour: unknown key (allowed here: id, title, version, ")
    nested = _framework_error(
        tmp_path, FRAMEWORK.replace('name = "Teamwork"', 'name = "Teamwork"\nlevel = "B"')
    )
    assert nested.startswith("competencies[1].level: unknown key (allowed here: id, name, definition, ")
    theme = _framework_error(tmp_path, FRAMEWORK.replace('name = "Method"', 'name = "Method"\ntext = "x"'))
    assert theme.startswith(
        "competencies[3].themes[1].text: unknown key (allowed here: name, indicators, id)"
    )
    scale = _framework_error(tmp_path, FRAMEWORK.replace('id = "a-d"', 'id = "a-d"\norder = "up"'))
    assert scale.startswith("scales[0].order: unknown key (allowed: ")


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ('title = "Tiny framework"\n', "", "title: missing required key"),
        ('name = "Teamwork"\n', "", "competencies[1].name: missing required key"),
        ('levels = ["A", "B", "C", "D"]\n', "", "scales[0].levels: missing required key"),
        (
            '[[competencies.themes]]\nname = "Method"\n',
            "[[competencies.themes]]\n",
            "competencies[3].themes[1].name: missing required key",
        ),
    ],
)
def test_framework_missing_required_keys(tmp_path: Path, old: str, new: str, expected: str) -> None:
    assert old in FRAMEWORK
    assert _framework_error(tmp_path, FRAMEWORK.replace(old, new, 1)) == expected


def test_framework_unknown_scale_reference(tmp_path: Path) -> None:
    text = FRAMEWORK.replace('name = "Teamwork"', 'name = "Teamwork"\nscale = "1-6"')
    assert _framework_error(tmp_path, text) == "competencies[1].scale: unknown scale '1-6' (declared: a-d)"
    text = FRAMEWORK.replace('version = "1"', 'version = "1"\ndefault_scale = "1-6"')
    assert _framework_error(tmp_path, text) == "default_scale: unknown scale '1-6' (declared: a-d)"


def test_framework_level_range_off_scale(tmp_path: Path) -> None:
    text = FRAMEWORK.replace(
        'name = "Teamwork"', 'name = "Teamwork"\nlevel_range = { first = "B", last = "H" }'
    )
    assert _framework_error(tmp_path, text) == (
        "competencies[1].level_range: 'H' is not a level of scale 'a-d' (valid levels: A, B, C, D)"
    )
    text = FRAMEWORK.replace(
        'name = "Teamwork"', 'name = "Teamwork"\nlevel_range = { first = "D", last = "B" }'
    )
    assert (
        _framework_error(tmp_path, text)
        == "competencies[1].level_range: first level 'D' is above last level 'B'"
    )


def test_framework_level_range_accepts_spellings(tmp_path: Path) -> None:
    text = FRAMEWORK.replace(
        'name = "Teamwork"', 'name = "Teamwork"\nlevel_range = { first = "level b", last = " d" }'
    )
    fw = load_framework(_write(tmp_path, "framework.toml", text))
    assert [lv.id for lv in fw.levels_for(fw.competency("Teamwork"))] == ["B", "C", "D"]


def test_framework_anchor_that_is_not_a_level(tmp_path: Path) -> None:
    text = FRAMEWORK.replace('anchors = ["B", "D"]', 'anchors = ["B", "E"]')
    assert _framework_error(tmp_path, text) == "scales[0].anchors[1]: anchor 'E' is not one of the levels"


def test_framework_format_2_is_refused(tmp_path: Path) -> None:
    assert _framework_error(tmp_path, FRAMEWORK.replace("format = 1", "format = 2")) == (
        "format: file format 2 is not supported by this release (it reads format 1)"
    )
    assert _framework_error(tmp_path, FRAMEWORK.replace("format = 1", 'format = "1"')) == (
        "format: expected an integer, got '1'"
    )


def test_framework_not_utf8(tmp_path: Path) -> None:
    text = FRAMEWORK.replace("Tiny framework", "Cadre café").encode("cp1252")
    offset = text.index("é".encode("cp1252"))
    assert _framework_error(tmp_path, text) == f"not UTF-8 text (byte {offset}); save the file as UTF-8"


def test_framework_with_bom_and_schema_comment_loads(tmp_path: Path) -> None:
    text = "\ufeff#:schema https://competency.invalid/schemas/framework.schema.json\n" + FRAMEWORK
    assert load_framework(_write(tmp_path, "framework.toml", text.encode("utf-8"))).id == "tiny"


def test_missing_framework_file_and_unknown_bundled_id(tmp_path: Path) -> None:
    missing = tmp_path / "nope.toml"
    with pytest.raises(UnknownFrameworkError) as caught:
        load_framework(missing)
    assert str(caught.value) == f"{missing}: no such framework file"
    with pytest.raises(UnknownFrameworkError) as caught:
        load_framework("no-such-framework")
    assert str(caught.value) == (
        "no bundled framework 'no-such-framework' (bundled: cdc-snc-2015, glasgow-leadership) "
        "and no such file"
    )


# -- profile TOML files ----------------------------------------------------------------------------------
def test_profiles_bad_toml_syntax_names_line_and_column(tmp_path: Path) -> None:
    message = _profile_error(tmp_path, PROFILES.replace('level = "D"', "level = D"))
    assert message == "line 14, column 9: invalid TOML: Invalid value"


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ('title = "Planning Team Leader"\n', "", "roles[1].title: missing required key"),
        ('id = "R1"\n', "", "roles[0].id: missing required key"),
        ('competency = "Teamwork"\n', "", "roles[0].competencies[1].competency: missing required key"),
        ("managerial = true", 'managerial = "yes"', "roles[1].managerial: expected true or false, got 'yes'"),
        (
            'level = "F"',
            "level = true",
            'roles[1].competencies[0].level: expected a level such as "D" or 3, got True',
        ),
        (
            'level = "F"',
            "level = 3.5",
            'roles[1].competencies[0].level: expected a level such as "D" or 3, got 3.5',
        ),
        (
            'title = "Planning Officer"',
            'title = "Planning Officer"\nmetadata = { cost_centre = [1] }',
            "roles[0].metadata.cost_centre: expected a string, number or boolean, got a list",
        ),
        (
            'title = "Planning Officer"',
            'title = "Planning Officer"\nprovenance = { profiled_on = "last week" }',
            "roles[0].provenance.profiled_on: expected a date (YYYY-MM-DD), got 'last week'",
        ),
        (
            'title = "Planning Officer"',
            'title = "Planning Officer"\nprovenance = { status = "final" }',
            "roles[0].provenance.status: expected one of 'draft', 'moderated', 'published', got 'final'",
        ),
        ('id = "tiny"', "id = 3", "framework.id: expected a string, got 3"),
    ],
)
def test_profiles_wrong_types_and_missing_keys(tmp_path: Path, old: str, new: str, expected: str) -> None:
    assert old in PROFILES
    assert _profile_error(tmp_path, PROFILES.replace(old, new, 1)) == expected


def test_profiles_unknown_keys(tmp_path: Path) -> None:
    top = _profile_error(tmp_path, "colour = 1\n" + PROFILES)
    assert top == "colour: unknown key (allowed here: format, framework, roles)"
    role = _profile_error(tmp_path, PROFILES.replace("managerial = true", "managerial = true\nteam = 4"))
    assert role.startswith("roles[1].team: unknown key (allowed here: id, title, competencies, ")
    entry = _profile_error(tmp_path, PROFILES.replace('level = "F"', 'level = "F"\nlvl = 3'))
    assert entry == (
        "roles[1].competencies[0].lvl: unknown key (allowed here: competency, level, rationale, type, ignore)"
    )
    ref = _profile_error(tmp_path, PROFILES.replace('version = "1"', 'version = "1"\nedition = 2'))
    assert ref == "framework.edition: unknown key (allowed here: id, version)"


def test_profiles_file_shape_errors(tmp_path: Path) -> None:
    assert _profile_error(tmp_path, "format = 1\n") == "roles: no [[roles]] in this file"
    assert _profile_error(tmp_path, "") == "roles: no [[roles]] in this file"
    assert (
        _profile_error(tmp_path, 'format = 1\n[roles]\nid = "R1"\n')
        == "roles: expected an array of tables [[roles]]"
    )
    assert _profile_error(tmp_path, "format = 1\nroles = [1]\n") == "roles[0]: expected a table, got 1"
    assert _profile_error(
        tmp_path, 'format = 1\nframework = "tiny"\n[[roles]]\nid = "R1"\ntitle = "T"\n'
    ) == ("framework: expected a table, got 'tiny'")


def test_profiles_format_2_and_encoding(tmp_path: Path) -> None:
    assert _profile_error(tmp_path, PROFILES.replace("format = 1", "format = 2")) == (
        "format: file format 2 is not supported by this release (it reads format 1)"
    )
    latin = PROFILES.replace("Planning Officer", "Agent d'urbanisme café").encode("cp1252")
    assert _profile_error(tmp_path, latin).startswith("not UTF-8 text (byte ")


def test_toml_line_numbers_on_roles_and_entries(tmp_path: Path) -> None:
    path = _write(tmp_path, "profiles.toml", PROFILES)
    roles = load_profiles(path)
    assert [r.location.line for r in roles if r.location] == [7, 22]
    assert [e.location.line for e in roles[0].competencies if e.location] == [12, 17]
    assert [e.location.line for e in roles[1].competencies if e.location] == [27]
    assert str(roles[1].competencies[0].location) == f"{path}:27"


def test_toml_line_numbers_survive_a_role_without_entries(tmp_path: Path) -> None:
    draft = '[[roles]]\nid = "R0"\ntitle = "New role, not yet profiled"\n\n'
    text = PROFILES.replace("[[roles]]\n", draft + "[[roles]]\n", 1)
    roles = load_profiles(_write(tmp_path, "profiles.toml", text))
    assert roles[0].competencies == ()
    assert [e.location.line for e in roles[1].competencies if e.location] == [16, 21]


def test_toml_inline_tables_give_no_line_rather_than_a_wrong_one(tmp_path: Path) -> None:
    entries = '[{ competency = "Teamwork", level = "B" }]'
    text = f'format = 1\nroles = [{{ id = "R1", title = "T", competencies = {entries} }}]\n'
    (role,) = load_profiles(_write(tmp_path, "profiles.toml", text))
    entry = role.competencies[0]
    assert entry.location is not None and entry.location.line is None


def test_profiles_name_their_framework_or_take_the_default(tmp_path: Path) -> None:
    text = PROFILES.replace('[framework]\nid = "tiny"\nversion = "1"\n', "")
    (first, _) = load_profiles(_write(tmp_path, "profiles.toml", text), framework="cdc-snc-2015")
    assert first.framework == FrameworkRef("cdc-snc-2015")
    (first, _) = load_profiles(_write(tmp_path, "named.toml", PROFILES), framework="cdc-snc-2015")
    assert first.framework == FrameworkRef("tiny", "1")


def test_missing_profile_file_and_empty_folder(tmp_path: Path) -> None:
    missing = tmp_path / "none.toml"
    with pytest.raises(ProfileError) as caught:
        load_profiles(missing)
    assert str(caught.value) == f"{missing}: no such file or folder"
    folder = tmp_path / "empty"
    folder.mkdir()
    with pytest.raises(ProfileError) as caught:
        load_profiles(folder)
    assert str(caught.value) == f"{folder}: folder holds no profile files (.toml, .csv, .xlsx)"
    other = _write(tmp_path, "notes.txt", "x")
    with pytest.raises(ProfileError) as caught:
        load_profiles(other)
    assert str(caught.value) == f"{other}: unsupported file type '.txt'; expected .toml, .csv or .xlsx"


# -- CSV profile files -----------------------------------------------------------------------------------
CSV = (
    "Role ID,Role Title,Organisation,Managerial,Type,Competence,Level A-H,Rationale\n"
    "CDC-HOU-01,Housing Officer,Cherwell District Council,no,Core,Communication,D,Explains options daily.\n"
    "CDC-HOU-01,Housing Officer,Cherwell District Council,no,Core,Customer Focus,D,Resolves most enquiries.\n"
)


def test_csv_header_case_and_order_are_free(tmp_path: Path) -> None:
    shuffled = (
        "RATIONALE,level,COMPETENCY,managerial,ROLE TITLE,role_id\n"
        "Explains options daily.,D,Communication,No,Housing Officer,CDC-HOU-01\n"
    )
    (role,) = load_profiles(_write(tmp_path, "profiles.csv", shuffled))
    assert (role.id, role.title, role.managerial) == ("CDC-HOU-01", "Housing Officer", False)
    entry = role.competencies[0]
    assert (entry.competency, entry.level, entry.rationale) == (
        "Communication",
        "D",
        "Explains options daily.",
    )


def test_csv_template_layout(tmp_path: Path) -> None:
    (role,) = load_profiles(_write(tmp_path, "profiles.csv", CSV))
    assert role.organisation == "Cherwell District Council"
    assert [(e.competency, e.level, e.type) for e in role.competencies] == [
        ("Communication", "D", "Core"),
        ("Customer Focus", "D", "Core"),
    ]
    assert [e.location.line for e in role.competencies if e.location] == [2, 3]


def test_csv_with_bom(tmp_path: Path) -> None:
    (role,) = load_profiles(_write(tmp_path, "profiles.csv", ("\ufeff" + CSV).encode("utf-8")))
    assert role.id == "CDC-HOU-01"  # the BOM is not part of the first header


def test_csv_cp1252_needs_the_encoding_option(tmp_path: Path) -> None:
    data = CSV.replace("Explains options daily.", "Explains options – café hours.").encode("cp1252")
    message = _profile_error(tmp_path, data, "profiles.csv")
    assert message == (
        "line 2: cannot be read as utf-8-sig (byte 0x96); if it was exported from Excel, "
        "try --encoding cp1252"
    )
    (role,) = load_profiles(tmp_path / "profiles.csv", encoding="cp1252")
    assert role.competencies[0].rationale == "Explains options – café hours."


def test_csv_unknown_encoding(tmp_path: Path) -> None:
    assert _profile_error(tmp_path, CSV, "profiles.csv", encoding="klingon") == "unknown encoding 'klingon'"


def test_csv_missing_required_columns_are_named(tmp_path: Path) -> None:
    text = "Role ID,Competence,Level\nR1,Communication,D\n"
    assert _profile_error(tmp_path, text, "profiles.csv") == (
        "row 1: missing required columns role_title, managerial (found: Role ID, Competence, Level)"
    )
    text = "Role ID,Role Title,Competence,Level\nR1,Officer,Communication,D\n"
    assert _profile_error(tmp_path, text, "profiles.csv") == (
        "row 1: missing required column managerial (found: Role ID, Role Title, Competence, Level)"
    )


def test_csv_empty_file(tmp_path: Path) -> None:
    for text in ("", "\n\n  \n"):
        assert _profile_error(tmp_path, text, "profiles.csv") == (
            "empty file: expected a header row and one row per role × competency"
        )


def test_csv_header_only_has_no_roles(tmp_path: Path) -> None:
    assert load_profiles(_write(tmp_path, "profiles.csv", CSV.splitlines()[0] + "\n")) == ()


def test_csv_bad_managerial_value_names_row_and_column(tmp_path: Path) -> None:
    text = (
        CSV
        + "SNC-FIN-02,Finance Lead,South Northamptonshire Council,sometimes,Core,Communication,F,Presents.\n"
    )
    assert _profile_error(tmp_path, text, "profiles.csv") == (
        "row 4, column 'Managerial': managerial must be yes or no, got 'sometimes'"
    )


def test_csv_empty_required_cell_names_row_and_column(tmp_path: Path) -> None:
    text = CSV + ",Finance Lead,South Northamptonshire Council,yes,Core,Communication,F,Presents.\n"
    assert _profile_error(tmp_path, text, "profiles.csv") == "row 4, column 'Role ID': empty role_id"
    text = CSV + "SNC-FIN-02,Finance Lead,South Northamptonshire Council,yes,Core,,F,Presents.\n"
    assert _profile_error(tmp_path, text, "profiles.csv") == "row 4, column 'Competence': empty competence"


def test_csv_cells_are_read_without_their_outer_white_space(tmp_path: Path) -> None:
    """Rows whose role cells differ only in outer spaces are one RCP; names, levels and rationales are
    stripped; a row of blank cells is skipped, a role id of spaces is an empty role id."""
    text = (
        "Role ID,Role Title,Managerial,Competence,Level,Rationale,Type,Ignore\n"
        "R1,Officer,no,Communication,D,Talks to residents.,Core,\n"
        " R1 , Officer ,no ,  Customer Focus , C ,  Serves the public.  , Core , \n"
        "  ,  , ,  ,  ,  , , \n"
        "R1,Officer,no,Collaborative Teamwork,   ,Works in a team.,,missing-rationale: agreed  \n"
    )
    path = tmp_path / "profiles.csv"
    path.write_text(text, encoding="utf-8")
    (profile,) = load_profiles(path)
    assert (profile.id, profile.title, profile.managerial) == ("R1", "Officer", False)
    assert [(e.competency, e.level, e.rationale, e.type) for e in profile.competencies] == [
        ("Communication", "D", "Talks to residents.", "Core"),
        ("Customer Focus", "C", "Serves the public.", "Core"),
        ("Collaborative Teamwork", None, "Works in a team.", None),
    ]
    assert [e.location.line for e in profile.competencies if e.location] == [2, 3, 5]
    assert [(s.rule, s.reason) for s in profile.competencies[2].ignore] == [("missing-rationale", "agreed")]
    text += "   ,Officer,no,Communication,D,Talks.,,\n"
    assert _profile_error(tmp_path, text, "profiles.csv") == "row 6, column 'Role ID': empty role_id"


def test_csv_provenance_columns_are_read_in_any_position(tmp_path: Path) -> None:
    """Provenance columns are read wherever they stand, the first column included."""
    text = (
        "Status,Role ID,Role Title,Managerial,Competence,Level,Profiled by\n"
        "Moderated,R1,Officer,no,Communication,D,A. Smith\n"
    )
    path = tmp_path / "profiles.csv"
    path.write_text(text, encoding="utf-8")
    (profile,) = load_profiles(path)
    assert profile.provenance is not None
    assert (profile.provenance.status, profile.provenance.profiled_by) == ("moderated", "A. Smith")


def test_csv_duplicate_column(tmp_path: Path) -> None:
    text = "Role ID,Role Title,Managerial,Competence,Level,Required level\nR1,Officer,no,Communication,D,D\n"
    assert _profile_error(tmp_path, text, "profiles.csv") == "row 1: column 'Required level' appears twice"


def test_csv_unknown_columns_land_in_metadata(tmp_path: Path) -> None:
    text = (
        "Role ID,Role Title,Managerial,Competence,Level,Cost Centre,Post count\n"
        "R1,Officer,no,Communication,D,CC-12,3\n"
        "R1,Officer,no,Teamwork,B,CC-12,3\n"
        "R2,Assistant,no,Communication,C,,\n"
    )
    first, second = load_profiles(_write(tmp_path, "profiles.csv", text))
    assert dict(first.metadata) == {"Cost Centre": "CC-12", "Post count": "3"}
    assert dict(second.metadata) == {}  # empty cells add nothing


def test_csv_rows_of_one_role_split_across_the_file_form_one_rcp(tmp_path: Path) -> None:
    text = (
        CSV
        + "SNC-FIN-02,Finance Lead,South Northamptonshire Council,yes,Management,Strategic Thinking,F,Plan\n"
        + "CDC-HOU-01,Housing Officer,Cherwell District Council,no,Core,Teamwork,C,Covers casework.\n"
    )
    housing, finance = load_profiles(_write(tmp_path, "profiles.csv", text))
    assert [e.competency for e in housing.competencies] == ["Communication", "Customer Focus", "Teamwork"]
    assert [e.location.line for e in housing.competencies if e.location] == [2, 3, 5]
    assert housing.location is not None and housing.location.line == 2
    assert (finance.id, finance.managerial, len(finance.competencies)) == ("SNC-FIN-02", True, 1)


def test_csv_rows_sharing_an_id_but_not_a_title_stay_apart(tmp_path: Path) -> None:
    text = CSV + "CDC-HOU-01,Housing Adviser,Cherwell District Council,no,Core,Teamwork,C,Covers casework.\n"
    first, second = load_profiles(_write(tmp_path, "profiles.csv", text))
    assert (first.id, second.id) == ("CDC-HOU-01", "CDC-HOU-01")  # for duplicate-role to report
    assert (first.title, second.title) == ("Housing Officer", "Housing Adviser")


def test_csv_semicolons_quotes_and_blank_levels(tmp_path: Path) -> None:
    text = (
        "Role ID;Role Title;Managerial;Competence;Level;Rationale\n"
        'R1;Officer;yes;Communication;d;"Explains; then\nlistens."\n'
        "R1;Officer;yes;Teamwork;;Not profiled yet.\n"
    )
    (role,) = load_profiles(_write(tmp_path, "profiles.csv", text))
    assert role.managerial is True
    assert [(e.level, e.rationale) for e in role.competencies] == [
        ("d", "Explains; then\nlistens."),  # the level as written; the framework resolves it
        (None, "Not profiled yet."),  # a blank level is "not profiled", never N/A
    ]


def test_a_folder_mixes_toml_and_csv(tmp_path: Path) -> None:
    folder = tmp_path / "rcps"
    (folder / "hr").mkdir(parents=True)
    _write(folder, "b.csv", CSV)
    _write(folder / "hr", "a.toml", PROFILES)
    _write(folder, "competency.toml", "this is configuration, not profiles")
    roles = load_profiles(folder)
    assert [r.id for r in roles] == ["CDC-HOU-01", "R1", "R2"]


# -- the command line ------------------------------------------------------------------------------------
def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def _one_error_line(err: str) -> str:
    assert "Traceback" not in err
    assert err.endswith("\n") and err.count("\n") == 1, err
    assert err.startswith("competency: error: ")
    return err.removeprefix("competency: error: ").rstrip("\n")


def test_cli_frameworks(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = _run(capsys, "frameworks")
    assert (code, err) == (0, "")
    assert out.splitlines()[0].split()[:2] == ["ID", "TITLE"]
    assert "cdc-snc-2015" in out and "glasgow-leadership" in out
    code, out, _ = _run(capsys, "frameworks", "--format", "json")
    assert code == 0
    rows = {row["id"]: row for row in json.loads(out)}
    assert rows["cdc-snc-2015"]["competencies"] == 11 and rows["glasgow-leadership"]["competencies"] == 15


def test_cli_show_level_meanings(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = _run(capsys, "show", "glasgow-leadership", "L11", "--level", "4")
    assert (code, err) == (0, "")
    assert "Described by level(s): 1, 2, 3, 4  (cumulative: yes)" in out
    code, out, err = _run(capsys, "show", "cdc-snc-2015", "communication", "--level", "C")
    assert (code, err) == (0, "")
    assert "Described by level(s): B  (cumulative: not stated by the source)" in out
    assert "Level B — Style" in out
    code, out, _ = _run(
        capsys, "show", "cdc-snc-2015", "technical expertise", "--level", "d", "--format", "json"
    )
    assert code == 0
    data = json.loads(out)
    assert (data["competency"], data["level"], data["describing_levels"]) == (
        "expertise-and-self-development",
        "D",
        ["D"],
    )


def test_cli_show_a_framework_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = _write(tmp_path, "framework.toml", FRAMEWORK)
    code, out, err = _run(capsys, "show", str(path))
    assert (code, err) == (0, "")
    assert out.startswith("Tiny framework (tiny, version 1)")


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (
            ["show", "nope"],
            "no bundled framework 'nope' (bundled: cdc-snc-2015, glasgow-leadership) and no such file",
        ),
        (
            ["show", "cdc-snc-2015", "Comunication"],
            "framework 'cdc-snc-2015' has no competency 'Comunication'; did you mean 'Communication'?",
        ),
        (
            ["show", "cdc-snc-2015", "communication", "--level", "I"],
            "'I' is not a level of 'Communication' (scale 'a-h'; valid levels: A, B, C, D, E, F, G, H)",
        ),
        (
            ["show", "glasgow-leadership", "L2", "--level", "5"],
            "'5' is not a level of 'Self awareness' (scale 'levels-1-6'; valid levels: 1, 2, 3)",
        ),
        (
            ["show", "cdc-snc-2015", "--level", "C"],
            "--level needs a COMPETENCY (e.g. competency show ID L11 --level 4)",
        ),
    ],
)
def test_cli_show_errors_are_one_line_with_exit_2(
    capsys: pytest.CaptureFixture[str], argv: list[str], expected: str
) -> None:
    code, out, err = _run(capsys, *argv)
    assert (code, out) == (2, "")
    assert _one_error_line(err) == expected


def test_cli_show_a_malformed_framework_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = _write(
        tmp_path,
        "framework.toml",
        FRAMEWORK.replace('indicators = { B = ["Uses a plan."] }', "indicators = { B = 7 }"),
    )
    code, _, err = _run(capsys, "show", str(path))
    assert code == 2
    assert (
        _one_error_line(err)
        == f"{path}: competencies[3].themes[1].indicators.B: expected a list of strings, got 7"
    )
    missing = tmp_path / "missing.toml"
    code, _, err = _run(capsys, "show", str(missing))
    assert code == 2
    assert _one_error_line(err) == f"{missing}: no such framework file"


def test_cli_usage_errors_exit_2_on_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as caught:
        main(["show"])
    assert caught.value.code == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert err.splitlines()[-1].startswith("competency show: error: the following arguments are required")
    with pytest.raises(SystemExit) as caught:
        main(["frameworks", "--format", "yaml"])
    assert caught.value.code == 2
