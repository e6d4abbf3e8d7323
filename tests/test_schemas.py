"""JSON Schemas: generated from the model, shipped in the package and docs/, and true to the files.

When ``test_shipped_schema_is_current`` fails, the model changed: regenerate the shipped files with

    python -m competency.schemas --write
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path
from typing import Any

import attrs
import pytest

from competency import (
    FrameworkError,
    FrameworkRef,
    ProfileEntry,
    Provenance,
    RoleProfile,
    Suppression,
    bundled_framework_ids,
    dump_profiles,
    load_framework,
)
from competency._converter import unstructure
from competency._findings import JSON_OUTPUT_VERSION, CheckResult, Finding, Severity, Summary
from competency._loading import bundled_framework_path
from competency.cli.main import main
from competency.schemas import SCHEMA_NAMES, schema, schema_text, shipped_schema_text

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

ROOT = Path(__file__).resolve().parents[1]
REGENERATE = "schema files are stale: regenerate them with `python -m competency.schemas --write`"


def _validator(name: str) -> Any:
    jsonschema = pytest.importorskip("jsonschema")
    return jsonschema.Draft202012Validator(schema(name), format_checker=jsonschema.FormatChecker())


def _as_json(data: object) -> Any:
    """TOML data as a JSON document sees it: dates become ISO strings (as TOML editors present them)."""
    return json.loads(json.dumps(data, default=lambda v: v.isoformat() if isinstance(v, dt.date) else str(v)))


def _toml(path: Path) -> Any:
    return _as_json(tomllib.loads(path.read_text(encoding="utf-8")))


# -- generated, shipped, current ----------------------------------------------------------------------
@pytest.mark.parametrize("name", SCHEMA_NAMES)
def test_shipped_schema_is_current(name: str) -> None:
    assert shipped_schema_text(name) == schema_text(name), REGENERATE
    docs_copy = ROOT / "docs" / "schemas" / f"{name}.schema.json"
    assert docs_copy.read_text(encoding="utf-8") == schema_text(name), REGENERATE


def test_check_entry_point_agrees(capsys: Any) -> None:
    from competency.schemas import main as schemas_main

    assert schemas_main(["--check"]) == 0
    assert capsys.readouterr().out == ""


@pytest.mark.parametrize("name", SCHEMA_NAMES)
def test_schema_is_valid_draft_2020_12(name: str) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    document = schema(name)
    assert document["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    jsonschema.Draft202012Validator.check_schema(document)


@pytest.mark.parametrize("name", SCHEMA_NAMES)
def test_every_property_is_described(name: str) -> None:
    def walk(node: Any, path: str) -> None:
        if isinstance(node, dict):
            for key, prop in node.get("properties", {}).items():
                assert prop.get("description"), f"{name}: {path}.{key} has no description"
            for key, value in node.items():
                walk(value, f"{path}.{key}")
        elif isinstance(node, list):
            for index, value in enumerate(node):
                walk(value, f"{path}[{index}]")

    walk(schema(name), "")


def test_required_keys_are_the_fields_without_defaults() -> None:
    defs = schema("framework")["$defs"]
    assert defs["Competency"]["required"] == ["id", "name"]
    assert defs["LevelRange"]["required"] == ["first", "last"]
    assert defs["Scale"]["required"] == ["id", "levels"]
    assert schema("framework")["required"] == ["id", "title", "version", "scales", "competencies"]
    assert schema("profiles")["$defs"]["RoleProfile"]["required"] == ["id", "title"]


def test_file_schemas_forbid_extra_keys_as_the_loader_does() -> None:
    for name in ("framework", "profiles"):
        document = schema(name)
        assert document["additionalProperties"] is False
        for def_name, definition in document["$defs"].items():
            assert definition["additionalProperties"] is False, def_name


def test_enums_come_from_literal_and_enum_types() -> None:
    assert schema("framework")["$defs"]["Kind"]["properties"]["applies_to"]["enum"] == [
        "all",
        "managerial",
        "non-managerial",
        "none",
    ]
    provenance = schema("profiles")["$defs"]["Provenance"]["properties"]
    assert provenance["moderated_by"]["enum"] == ["panel", "external", "hr-review"]
    finding = schema("findings")["$defs"]["Finding"]["properties"]
    assert finding["severity"]["enum"] == ["info", "warning", "error"]
    assert finding["role"]["type"] == ["string", "null"]  # JSON output writes null; TOML files never do


def test_every_model_field_is_in_the_schema() -> None:
    """The drift the generator prevents: a field added to the model appears in the schema."""
    from competency import Cluster, Competency, Framework, Kind, LevelRange, Theme

    fw = schema("framework")
    for cls in (Cluster, Competency, Kind, LevelRange, Theme):
        fields = [a.name for a in attrs.fields(cls) if a.init]
        assert list(fw["$defs"][cls.__name__]["properties"]) == fields
    assert list(fw["properties"]) == [a.name for a in attrs.fields(Framework) if a.init]
    profiles = schema("profiles")["$defs"]
    for cls in (RoleProfile, ProfileEntry, Provenance, Suppression, FrameworkRef):
        fields = [a.name for a in attrs.fields(cls) if a.init and a.name != "location"]
        assert list(profiles[cls.__name__]["properties"]) == fields


def test_unknown_schema_name() -> None:
    with pytest.raises(ValueError, match="framework, profiles, findings"):
        schema("nope")


# -- the files validate ---------------------------------------------------------------------------------
@pytest.mark.parametrize("framework_id", bundled_framework_ids())
def test_bundled_framework_validates(framework_id: str) -> None:
    path = bundled_framework_path(framework_id)
    assert path is not None
    _validator("framework").validate(_toml(path))


@pytest.mark.parametrize("framework_id", bundled_framework_ids())
def test_bundled_framework_names_its_schema(framework_id: str) -> None:
    path = ROOT / "frameworks" / f"{framework_id}.toml"
    first = path.read_text(encoding="utf-8").splitlines()[0]
    assert first == "#:schema ../src/competency/schemas/framework.schema.json"
    assert (path.parent / first.split(" ", 1)[1]).resolve().is_file()


@pytest.mark.parametrize(
    ("path", "name"), [("my-framework.toml", "framework"), ("profiles.toml", "profiles")]
)
def test_examples_validate_and_name_their_schema(path: str, name: str) -> None:
    file = ROOT / "examples" / "authoring" / path
    _validator(name).validate(_toml(file))
    first = file.read_text(encoding="utf-8").splitlines()[0]
    assert first == f"#:schema ../../src/competency/schemas/{name}.schema.json"
    assert (file.parent / first.split(" ", 1)[1]).resolve().is_file()


def test_generated_profile_file_validates(tmp_path: Path) -> None:
    profiles = [
        RoleProfile(
            id="adviser",
            title="Adviser",
            organisation="CDC",
            family="customer",
            managerial=False,
            grade="5",
            framework=FrameworkRef("cdc-snc-2015", "2015"),
            provenance=Provenance(
                status="moderated",
                profiled_by="A. Profiler",
                profiled_on=dt.date(2015, 11, 2),
                moderated_by="panel",
                moderated_on=dt.date(2015, 12, 1),
            ),
            ignore=(Suppression("missing-core", "agreed by the panel"),),
            metadata={"post_count": 3, "fte": 2.5, "shared": True, "dept": "Customers"},
            competencies=(
                ProfileEntry("Communication", "D", "Talks to residents all day.", type="Core"),
                ProfileEntry("Customer Focus", None, ""),
            ),
        )
    ]
    text = dump_profiles(profiles, schema="../src/competency/schemas/profiles.schema.json")
    _validator("profiles").validate(_as_json(tomllib.loads(text)))


def test_findings_document_validates() -> None:
    findings = (
        Finding("missing-rationale", Severity.WARNING, "no rationale", role="r1", competency="Communication"),
        Finding("plugin-crash", Severity.ERROR, "rule crashed", path="p.toml", line=3),
    )
    result = CheckResult(
        findings, Summary.of(findings, roles=1), complete=False, rules_run=("missing-rationale",)
    )
    document = {"version": JSON_OUTPUT_VERSION, **unstructure(result, for_json=True)}
    validator = _validator("findings")
    validator.validate(json.loads(json.dumps(document)))
    assert not validator.is_valid({k: v for k, v in document.items() if k != "complete"})


def test_check_output_validates() -> None:
    """What `competency check --format json` writes, for the example set with its planted problems."""
    checking = pytest.importorskip("competency.checking")
    from competency import load_profiles

    fw = load_framework(ROOT / "examples" / "authoring" / "my-framework.toml")
    profiles = load_profiles(ROOT / "examples" / "authoring" / "profiles.toml")
    broken = attrs.evolve(
        profiles[0], competencies=(attrs.evolve(profiles[0].competencies[0], level="top", rationale=""),)
    )
    result = checking.check([*profiles, broken], fw)
    assert result.findings
    _validator("findings").validate(json.loads(json.dumps(checking.result_to_json(result))))


# -- the schema refuses what the loader refuses ---------------------------------------------------------
GOOD = {
    "id": "x",
    "title": "X",
    "version": "1",
    "scales": [{"id": "s", "levels": ["Low", 2, {"id": "top", "name": "Top, alone"}]}],
    "competencies": [{"id": "a", "name": "A", "indicators": {"Low": ["l"]}}],
}


@pytest.mark.parametrize(
    "bad",
    [
        {**GOOD, "extra": 1},
        {**GOOD, "format": 2},
        {**GOOD, "kinds": [{"id": "k", "applies_to": "some"}]},
        {**GOOD, "scales": [{"id": "s", "levels": []}]},
        {**GOOD, "scales": [{"id": "s", "levels": [True]}]},
        {**GOOD, "scales": [{"id": "s", "levels": [{"name": "no id"}]}]},
        {**GOOD, "scales": [{"id": "s", "levels": ["A"], "anchor": ["A"]}]},
        {**GOOD, "competencies": [{"id": "a", "name": "A", "indicators": {"Low": "l"}}]},
        {**GOOD, "competencies": [{"id": "a", "name": "A", "themes": [{"indicators": {}}]}]},
        {**GOOD, "competencies": [{"id": "a"}]},
    ],
)
def test_schema_and_loader_refuse_the_same(bad: dict[str, Any]) -> None:
    _validator("framework").validate(GOOD)
    load_framework_data(GOOD)
    assert not _validator("framework").is_valid(bad)
    with pytest.raises(FrameworkError):
        load_framework_data(bad)


def load_framework_data(data: dict[str, Any]) -> Any:
    from competency._converter import structure
    from competency._framework import Framework
    from competency._toml_io import _check_format

    _check_format(data, "x.toml", FrameworkError)
    return structure(data, Framework, error=FrameworkError, path="x.toml")


# -- the command ----------------------------------------------------------------------------------------
@pytest.mark.parametrize("name", SCHEMA_NAMES)
def test_cli_prints_the_shipped_schema(name: str, capsys: Any) -> None:
    assert main(["schema", name]) == 0
    assert capsys.readouterr().out == shipped_schema_text(name)


def test_cli_writes_a_file(tmp_path: Path) -> None:
    target = tmp_path / "framework.schema.json"
    assert main(["schema", "framework", "-o", str(target)]) == 0
    assert json.loads(target.read_text(encoding="utf-8")) == schema("framework")


def test_loaded_framework_round_trip_still_validates() -> None:
    from competency import dump_framework

    for framework_id in bundled_framework_ids():
        text = dump_framework(load_framework(framework_id))
        _validator("framework").validate(_as_json(tomllib.loads(text)))
