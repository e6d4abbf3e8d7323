"""JSON Schemas (draft 2020-12) for framework files, profile files and the ``--format json`` findings.

The schemas are *generated* from the attrs model — the same classes and resolved field types the cattrs
converter structures — so they cannot quietly drift from what the loader accepts: a field added to the
model appears in the schema on the next ``python -m competency.schemas --write``, and a test fails until
the shipped files are regenerated. Where the file shape is not the attrs shape (a scale's ``levels``, a
profile entry's ``level``, the file-level ``format``), a small table below says what the converter's
hooks accept. Descriptions come from the ``#:`` comments on the model's attributes, except where
:data:`_DESCRIPTIONS` gives one (attributes without a comment, or whose comment is about Python).

The generated files ship inside the package (``competency/schemas/*.schema.json``) and in
``docs/schemas/``; ``competency schema NAME`` prints them. TOML editors (Taplo, Even Better TOML) use
them through a ``#:schema PATH`` first line. TOML dates are validated as ISO ``YYYY-MM-DD`` strings,
which is how those editors present them to a JSON Schema.
"""

from __future__ import annotations

import ast
import datetime as dt
import enum
import functools
import inspect
import json
import re
import sys
import types
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, Literal, Union, get_args, get_origin

import attrs

from ._converter import _SCALE_KEYS
from ._findings import JSON_OUTPUT_VERSION, CheckResult
from ._framework import Framework
from ._profile import FrameworkRef, RoleProfile
from ._scale import Scale
from ._toml_io import FORMAT_VERSION

__all__ = ["DIALECT", "SCHEMA_NAMES", "main", "schema", "schema_text", "shipped_schema_text"]

#: The JSON Schema dialect of every generated schema.
DIALECT = "https://json-schema.org/draft/2020-12/schema"

#: The schemas there are, in the order ``competency schema`` lists them.
SCHEMA_NAMES = ("framework", "profiles", "findings")

JsonSchema = dict[str, Any]

#: Descriptions for attributes that carry no ``#:`` comment in the model, or whose comment is about the
#: Python object rather than the file (a scale's ``levels``); an entry here wins over the comment.
_DESCRIPTIONS: dict[str, str] = {
    "Framework.format": "Version of the file format; 1 today.",
    "Framework.id": "Short stable id of the framework, used by `competency show ID` and by profiles.",
    "Framework.title": "Title of the framework as its source document gives it.",
    "Framework.version": "Version of the framework (a year, an edition); RCPs name the one they follow.",
    "Framework.scales": "The scales, each an ordered list of levels, lowest first.",
    "Framework.competencies": "The competencies, in the order the source document presents them.",
    "Framework.publisher": "Who publishes the framework.",
    "Framework.source": "The document the framework is transcribed from.",
    "Framework.description": "Free text about the framework.",
    "Framework.default_scale": "Id of the scale of competencies that name none (optional with one scale).",
    "Framework.kinds": (
        "Kinds of competency (core, management, …) and the roles each applies to; "
        "without kinds, every competency applies to every role."
    ),
    "Framework.clusters": "Groups of competencies; clusters nest through `parent`.",
    "Kind.id": "Id of the kind, used by competencies' `kind`.",
    "Kind.name": 'Human name of the kind ("Core").',
    "Kind.description": "Free text about the kind.",
    "Cluster.id": "Id of the cluster, used by competencies' `cluster` and other clusters' `parent`.",
    "Cluster.name": "Human name of the cluster.",
    "Cluster.description": "Free text about the cluster.",
    "Cluster.parent": "Id of the enclosing cluster (category › subcategory); none for a top-level cluster.",
    "LevelRange.first": "Lowest level of the run (a level id or name of the competency's scale).",
    "LevelRange.last": "Highest level of the run (a level id or name of the competency's scale).",
    "Theme.name": 'Name of the theme ("Style").',
    "Competency.id": "Stable id of the competency, unique in the framework.",
    "Competency.name": "Name of the competency as the framework writes it.",
    "Competency.definition": "One-line definition of the competency.",
    "Competency.aliases": 'Other names that mean this competency ("Technical Expertise").',
    "Competency.themes": "Sub-areas of the competency, each with its own indicators per level.",
    "Scale.levels": (
        'The levels, lowest first: the declared order IS the order. A level is an id ("B", 3) '
        "or a table { id, name }."
    ),
    "Suppression.rule": "Id of the rule this role or entry is exempt from.",
    "Suppression.reason": "Why: the written reason the moderation panel will read.",
    "FrameworkRef.id": "Id of the framework.",
    "FrameworkRef.version": "Version of the framework, when the RCP names one.",
    "Provenance.status": "Where the RCP stands in the policy's process.",
    "Provenance.profiled_by": "Who wrote the RCP (a trained role profiler, or the line manager).",
    "Provenance.profiled_on": "When it was written (YYYY-MM-DD).",
    "Provenance.moderated_by": "Who moderated it: the panel, an external HR provider, or an HR review.",
    "Provenance.moderator": "Name of the moderator or panel.",
    "Provenance.moderated_on": "When it was moderated (YYYY-MM-DD).",
    "ProfileEntry.rationale": "Why the role needs this level: the written rationale the panel reads.",
    "ProfileEntry.ignore": "Rules this entry is exempt from, each with a reason.",
    "RoleProfile.id": "Stable id of the role (one RCP serves every post sharing a job description).",
    "RoleProfile.title": "Job title of the role.",
    "RoleProfile.competencies": "The RCP's rows: one per competency, with level and rationale.",
    "RoleProfile.organisation": "The organisation the role belongs to (for the cross-organisation check).",
    "RoleProfile.managerial": "Whether the role manages people (management competencies apply).",
    "RoleProfile.grade": "The role's grade, as the organisation writes it (the RCP does not set it).",
    "RoleProfile.framework": "The framework this RCP is written against (default: the file's [framework]).",
    "RoleProfile.provenance": "Who profiled and moderated the RCP, and when.",
    "RoleProfile.ignore": "Rules this role is exempt from, each with a reason.",
    "CheckResult.findings": "What the moderation panel should look at.",
    "CheckResult.summary": "Counts of findings by severity and by rule.",
    "Finding.severity": "How much the finding matters.",
    "Finding.role_title": "Title of the role the finding concerns.",
    "Finding.organisation": "Organisation of the role the finding concerns.",
    "Summary.roles": "Number of roles checked.",
    "Summary.findings": "Number of findings.",
    "Summary.by_severity": "Findings per severity (every severity appears, 0 where there are none).",
    "Summary.by_rule": "Findings per rule id.",
}

#: Fields whose file shape is set by a converter hook rather than by their attrs type.
_FIELD_SCHEMAS: dict[str, JsonSchema] = {
    "Framework.format": {"type": "integer", "const": FORMAT_VERSION},
    # _converter._level_text: a level as written, text or a whole number.
    "ProfileEntry.level": {"type": ["string", "integer"]},
}

_DOCUMENTS: dict[str, str] = {
    "framework": "A competency framework file (TOML) as `competency` reads it: scales, kinds, clusters "
    "and competencies. See docs/formats.md.",
    "profiles": "A file of Role Competencies Profiles (TOML): one or more [[roles]], each with a level and a "
    "rationale per competency. See docs/formats.md.",
    "findings": "The output of `competency check --format json`: findings, a summary, whether the check "
    f"was complete and which rules ran. `version` is {JSON_OUTPUT_VERSION}; keys may be added without "
    "changing it. Every key is always written (null where a finding has no value).",
}


def schema(name: str) -> JsonSchema:
    """The JSON Schema called ``name`` ("framework", "profiles" or "findings"), generated from the model.

    Raises :class:`ValueError` naming the valid names for any other name.
    """
    if name not in SCHEMA_NAMES:
        raise ValueError(f"unknown schema {name!r} (expected one of: {', '.join(SCHEMA_NAMES)})")
    builder = _Builder(for_file=name != "findings")
    if name == "framework":
        root = builder.object_schema(Framework)
    elif name == "profiles":
        root = {
            "type": "object",
            "properties": {
                "format": _described(
                    {"type": "integer", "const": FORMAT_VERSION}, "Version of the file format; 1 today."
                ),
                "framework": builder.ref(
                    FrameworkRef,
                    "The framework every role in this file is written against, unless it names its own.",
                ),
                "roles": _described(
                    {"type": "array", "items": builder.ref(RoleProfile)}, "The Role Competencies Profiles."
                ),
            },
            "required": ["roles"],
            "additionalProperties": False,
        }
    else:  # {"version": 1, **the CheckResult}, as competency.checking.result_to_json writes it
        body = builder.object_schema(CheckResult)
        version = {
            "type": "integer",
            "const": JSON_OUTPUT_VERSION,
            "description": "Version of this document's shape.",
        }
        root = {
            **body,
            "properties": {"version": version, **body["properties"]},
            "required": ["version", *body["required"]],
        }
    root.pop("description", None)
    document: JsonSchema = {
        "$schema": DIALECT,
        "title": f"competency {name}",
        "description": _DOCUMENTS[name],
        **root,
    }
    if builder.defs:
        document["$defs"] = dict(sorted(builder.defs.items()))
    return document


def schema_text(name: str) -> str:
    """``schema(name)`` as the text of a ``.schema.json`` file (what is shipped and printed)."""
    return json.dumps(schema(name), indent=2, ensure_ascii=False) + "\n"


def shipped_schema_text(name: str) -> str:
    """The schema file shipped inside the package (what ``competency schema NAME`` prints)."""
    if name not in SCHEMA_NAMES:
        raise ValueError(f"unknown schema {name!r} (expected one of: {', '.join(SCHEMA_NAMES)})")
    from importlib import resources

    return (resources.files("competency") / "schemas" / f"{name}.schema.json").read_text(encoding="utf-8")


# -- generation -----------------------------------------------------------------------------------------
class _Builder:
    """Walks attrs classes into schemas; referenced classes are collected in ``defs``.

    ``for_file``: the schema describes a TOML file read by the loader, so extra keys are forbidden and
    absent values are left out (TOML has no null). Otherwise (JSON output) ``None`` is written as null.
    """

    def __init__(self, *, for_file: bool) -> None:
        self.for_file = for_file
        self.defs: dict[str, JsonSchema] = {}

    def ref(self, cls: type, description: str | None = None) -> JsonSchema:
        name = cls.__name__
        if name not in self.defs:
            self.defs[name] = {}  # placeholder: breaks cycles
            self.defs[name] = _scale_schema() if cls is Scale else self.object_schema(cls)
        out: JsonSchema = {"$ref": f"#/$defs/{name}"}
        if description:
            out["description"] = description
        return out

    def object_schema(self, cls: type) -> JsonSchema:
        attrs.resolve_types(cls)
        comments = _comments(cls)
        properties: dict[str, JsonSchema] = {}
        required: list[str] = []
        for field in attrs.fields(cls):
            if not field.init or field.name == "location":  # as the converter omits them
                continue
            key = f"{cls.__name__}.{field.name}"
            prop = dict(_FIELD_SCHEMAS[key]) if key in _FIELD_SCHEMAS else self.type_schema(field.type)
            description = _DESCRIPTIONS.get(key) or comments.get(field.name)
            if description:
                if "$ref" in prop:  # keep $ref alone-ish: description beside it is allowed in 2020-12
                    prop = {**prop, "description": description}
                else:
                    prop["description"] = description
            default = _json_default(field.default) if self.for_file else None  # an editor hint
            if default is not None:
                prop["default"] = default
            properties[field.name] = prop
            if field.default is attrs.NOTHING or not self.for_file:  # JSON output writes every field
                required.append(field.name)
        out: JsonSchema = {"type": "object", "description": _summary_line(cls)}
        out["properties"] = properties
        if required:
            out["required"] = required
        if self.for_file:
            out["additionalProperties"] = False
        return out

    def type_schema(self, tp: Any) -> JsonSchema:
        if tp is str:
            return {"type": "string"}
        if tp is bool:
            return {"type": "boolean"}
        if tp is int:
            return {"type": "integer"}
        if tp is float:
            return {"type": "number"}
        if tp is dt.date:
            return {"type": "string", "format": "date"}
        if tp is type(None):
            return {"type": "null"}
        if isinstance(tp, type) and issubclass(tp, enum.Enum):
            return {"type": "string", "enum": [member.value for member in tp]}
        if isinstance(tp, type) and (attrs.has(tp) or tp is Scale):
            return self.ref(tp)
        origin = get_origin(tp)
        args = get_args(tp)
        if origin is Literal:
            return {"type": "string", "enum": list(args)}
        if origin in (Union, types.UnionType):
            return self._union(args)
        if origin is tuple and len(args) == 2 and args[1] is Ellipsis:
            return {"type": "array", "items": self.type_schema(args[0])}
        if origin in (dict, Mapping) and args and args[0] is str:
            return {"type": "object", "additionalProperties": self.type_schema(args[1])}
        raise TypeError(f"no JSON Schema mapping for {tp!r}: extend competency.schemas._Builder.type_schema")

    def _union(self, args: Sequence[Any]) -> JsonSchema:
        arms = [a for a in args if a is not type(None)]
        if len(arms) < len(args) and not self.for_file:
            arms.append(type(None))
        schemas = [self.type_schema(a) for a in arms]
        if len(schemas) == 1:
            return schemas[0]
        if all(set(s) == {"type"} and isinstance(s["type"], str) for s in schemas):
            return {"type": [s["type"] for s in schemas]}
        if schemas[-1] == {"type": "null"} and set(schemas[0]) <= {"type", "enum", "format"}:
            merged = dict(schemas[0])
            merged["type"] = [merged["type"], "null"]
            if "enum" in merged:
                merged["enum"] = [*merged["enum"], None]
            return merged
        return {"anyOf": schemas}


def _scale_schema() -> JsonSchema:
    """A scale's file shape, as ``_converter._structure_scale`` reads it (not the attrs shape)."""
    comments = _comments(Scale)
    level = {
        "anyOf": [
            {"type": "string", "minLength": 1, "pattern": "\\S", "description": 'A level id ("B").'},
            {"type": "integer", "description": 'A numeric level (3, read as the level "3").'},
            {
                "type": "object",
                "description": "A level with a longer name; names may contain commas.",
                "properties": {
                    "id": _described(
                        {"type": ["string", "integer"]},
                        "The level's id: the key of indicator tables and titles.",
                    ),
                    "name": _described(
                        {"type": "string"}, 'The level\'s name ("Practitioner, working alone").'
                    ),
                },
                "required": ["id"],
                "additionalProperties": False,
            },
        ]
    }
    properties: dict[str, JsonSchema] = {
        "id": {"type": "string"},
        "name": {"type": "string"},
        "levels": {"type": "array", "minItems": 1, "items": level},
        "anchors": {"type": "array", "items": {"type": "string"}},
        "cumulative": {"type": "boolean"},
        "description": {"type": "string"},
    }
    if set(properties) != _SCALE_KEYS:
        raise RuntimeError(f"scale keys drifted: schema {sorted(properties)} vs loader {sorted(_SCALE_KEYS)}")
    for key, prop in properties.items():
        description = _DESCRIPTIONS.get(f"Scale.{key}") or comments.get(key)
        if description:
            prop["description"] = description
    return {
        "type": "object",
        "description": _summary_line(Scale),
        "properties": properties,
        "required": ["id", "levels"],
        "additionalProperties": False,
    }


def _described(schema: JsonSchema, description: str) -> JsonSchema:
    return {**schema, "description": description}


def _json_default(value: object) -> object:
    """A field default worth showing to an editor (booleans, numbers, non-empty strings), else None."""
    if isinstance(value, bool | int) or (isinstance(value, str) and value):
        return value
    return None


def _summary_line(cls: type) -> str:
    doc = inspect.getdoc(cls) or ""
    return _plain(doc.split("\n\n")[0].replace("\n", " ").strip())


@functools.cache
def _comments(cls: type) -> dict[str, str]:
    """The ``#:`` comments above each annotated attribute of ``cls``, read from its module's source."""
    source = inspect.getsource(sys.modules[cls.__module__])
    lines = source.splitlines()
    tree = ast.parse(source)
    found: dict[str, str] = {}
    for node in ast.walk(tree):
        if not (isinstance(node, ast.ClassDef) and node.name == cls.__name__):
            continue
        for stmt in node.body:
            if isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name):
                comment: list[str] = []
                row = stmt.lineno - 2
                while row >= 0 and lines[row].strip().startswith("#:"):
                    comment.insert(0, lines[row].strip()[2:].strip())
                    row -= 1
                if comment:
                    found[stmt.target.id] = _plain(" ".join(comment))
    return found


_ROLE = re.compile(r":\w+:`~?(?:[\w.]*\.)?([^`]+)`")


def _plain(text: str) -> str:
    """A docstring-style comment as plain text for an editor tooltip (no reST roles, single backticks)."""
    return _ROLE.sub(r"`\1`", text).replace("``None``", "unset").replace("``", "`")


# -- writing the shipped files --------------------------------------------------------------------------
def _targets() -> list[Path]:
    """Folders the schema files are written to: the package, and docs/schemas in a source checkout."""
    package = Path(__file__).resolve().parent / "schemas"
    folders = [package]
    docs = Path(__file__).resolve().parents[2] / "docs"
    if docs.is_dir():
        folders.append(docs / "schemas")
    return folders


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m competency.schemas [--write | --check]``: regenerate or verify the shipped schema files."""
    import argparse

    parser = argparse.ArgumentParser(prog="python -m competency.schemas", description=main.__doc__)
    group = parser.add_mutually_exclusive_group(required=True)
    group.add_argument(
        "--write", action="store_true", help="write the schema files in the package and docs/schemas"
    )
    group.add_argument("--check", action="store_true", help="exit 1 if a shipped schema file is stale")
    args = parser.parse_args(argv)
    from ._generated import sync_generated

    files = {
        folder / f"{name}.schema.json": schema_text(name) for folder in _targets() for name in SCHEMA_NAMES
    }
    return sync_generated(files, write=args.write, command="python -m competency.schemas --write")


if __name__ == "__main__":
    sys.exit(main())
