"""Performance work must not move a single finding.

A fixed generated set (300 roles, seed 20151029, defects planted at a rate of 0.1) is checked from CSV and
from a folder of TOML files, through the command line with ``--format json``, and every finding — rule,
severity, role, competency, level, file, line and message — is compared with a golden copy committed in
tests/data/, recorded before any optimisation. The findings are also compared with the generator's own
record of what it planted, so that the golden file cannot quietly hold a wrong answer.

Regenerate the golden file (only when a rule's message legitimately changes, and say so in the commit)::

    COMPETENCY_UPDATE_GOLDEN=1 .venv/bin/pytest tests/test_optimisation_equivalence.py
"""

from __future__ import annotations

import collections
import hashlib
import importlib.util
import json
import os
import sys
from pathlib import Path
from typing import Any

import attrs
import pytest

import competency
import competency._toml_io
from competency.cli.main import main

ROOT = Path(__file__).resolve().parents[1]
GOLDEN = ROOT / "tests" / "data" / "equivalence-findings.json"
ROLES, SEED, RATE = 300, 20151029, 0.1


def _generator() -> Any:
    spec = importlib.util.spec_from_file_location("benchmark_generate", ROOT / "benchmarks" / "generate.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    generate = _generator()
    folder = tmp_path_factory.mktemp("equivalence")
    gen = generate.generate(ROLES, SEED, defect_rate=RATE)
    generate.write(gen, csv_path=folder / "set.csv", toml_dir=folder / "set")
    return {"folder": folder, "gen": gen}


def _check(folder: Path, name: str) -> dict[str, Any]:
    out = folder / f"{name}.findings.json"
    code = main(
        ["check", str(folder / name), "--framework", "cdc-snc-2015", "--format", "json", "-o", str(out)]
    )
    assert code == 1  # errors were planted
    document: dict[str, Any] = json.loads(out.read_text(encoding="utf-8"))
    prefix = f"{folder}{os.sep}"
    for finding in document["findings"]:
        if finding.get("path"):
            finding["path"] = Path(finding["path"]).relative_to(folder).as_posix()
        finding["message"] = finding["message"].replace(prefix, "")  # duplicate-role names both files
    return document


@pytest.fixture(scope="module")
def documents(generated: dict[str, Any]) -> dict[str, Any]:
    folder = generated["folder"]
    fingerprint = hashlib.sha256((folder / "set.csv").read_bytes()).hexdigest()
    return {"input_sha256": fingerprint, "csv": _check(folder, "set.csv"), "toml": _check(folder, "set")}


def test_findings_are_the_golden_ones(documents: dict[str, Any]) -> None:
    if os.environ.get("COMPETENCY_UPDATE_GOLDEN"):
        GOLDEN.parent.mkdir(parents=True, exist_ok=True)
        GOLDEN.write_text(json.dumps(documents, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    golden = json.loads(GOLDEN.read_text(encoding="utf-8"))
    assert documents["input_sha256"] == golden["input_sha256"], (
        "benchmarks/generate.py now makes a different set from the same seed; regenerate the golden file "
        "from a commit whose checker is known good"
    )
    for fmt in ("csv", "toml"):
        got, want = documents[fmt], golden[fmt]
        assert got["summary"] == want["summary"], fmt
        assert len(got["findings"]) == len(want["findings"]), fmt
        for mine, theirs in zip(got["findings"], want["findings"], strict=True):
            assert mine == theirs, fmt
        assert got == want, fmt


def test_findings_are_the_planted_defects(generated: dict[str, Any], documents: dict[str, Any]) -> None:
    planted = generated["gen"].planted
    want = collections.Counter((p.rule, p.role, p.competency) for p in planted)
    assert set(want_rule for want_rule, _, _ in want) == set(_generator().DEFECT_KINDS)
    severities = {(p.rule, p.role, p.competency): p.severity for p in planted if p.severity}
    for fmt in ("csv", "toml"):
        document = documents[fmt]
        found = collections.Counter((f["rule"], f["role"], f["competency"]) for f in document["findings"])
        assert found == want, fmt
        for finding in document["findings"]:
            expected = severities.get((finding["rule"], finding["role"], finding["competency"]))
            if expected:
                assert finding["severity"] == expected


def test_one_profile_at_a_time_finds_what_the_whole_check_finds(generated: dict[str, Any]) -> None:
    """The per-save path (``check_profile``, with its caches) agrees with the whole-set check."""
    folder = generated["folder"]
    profiles = competency.load_profiles(folder / "set.csv")
    checker = competency.Checker("cdc-snc-2015")
    whole = checker.check(profiles)
    profile_rules = {r.id for r in checker.rules.values() if r.scope == "profile"}
    expected = [f for f in whole.findings if f.rule in profile_rules]
    one_by_one = [f for p in profiles for f in checker.check_profile(p).findings]
    key = lambda f: (f.line or 0, f.rule, f.competency or "", f.message)  # noqa: E731
    assert sorted(one_by_one, key=key) == sorted(expected, key=key)
    again = checker.check(profiles)  # a reused checker gives the same answer
    assert again == whole


_HEADER = "role_id,role_title,organisation,role_family,managerial,type,competence,level,rationale\n"
_ROW = "CDC-1,HR Adviser,Cherwell District Council,HR,no,Core,Communication,D,Advises managers daily.\n"


@pytest.mark.parametrize(
    "data",
    [
        pytest.param((_HEADER + _ROW * 3).encode("utf-8-sig"), id="bom"),
        pytest.param((_HEADER + _ROW * 3).replace(",", ";").encode(), id="semicolons"),
        pytest.param((_HEADER + _ROW + "CDC-2, ,x,y,no,Core,Communication,D,z\n").encode(), id="empty-title"),
        pytest.param((_HEADER + _ROW * 2000).encode() + b"caf\xe9\n", id="bad-byte-late"),
        pytest.param(
            (_HEADER + "CDC-2,T,x,y,maybe,Core,Communication,D,z\n" + _ROW * 2000).encode() + b"\xe9\n",
            id="bad-row-then-bad-byte",
        ),
        pytest.param(b"", id="empty"),
        pytest.param(b" " * 5000 + (_HEADER + _ROW).encode(), id="blank-start"),
        pytest.param((_HEADER + 'CDC-1,"HR ""Adviser"""\n,x\n' + _ROW).encode(), id="quoted"),
        pytest.param((_HEADER + _ROW.replace("Advises", "  Advises ")).encode("utf-16"), id="utf-16"),
    ],
)
def test_the_streaming_csv_reader_is_the_bytes_reader(tmp_path: Path, data: bytes) -> None:
    """``read_csv`` streams the file; it must give what ``parse_csv`` gives on the bytes, errors included."""
    from competency._errors import ProfileError
    from competency._table_io import parse_csv, read_csv

    path = tmp_path / "set.csv"
    path.write_bytes(data)
    encoding = "utf-16" if data.startswith((b"\xff\xfe", b"\xfe\xff")) else "utf-8-sig"

    def outcome(read: Any) -> Any:
        try:
            profiles = read()
        except ProfileError as exc:
            return ("error", str(exc))
        return [(p, [(e, e.location) for e in p.competencies], p.location) for p in profiles]

    streamed = outcome(lambda: read_csv(path, str(path), encoding=encoding))
    whole = outcome(lambda: parse_csv(data, str(path), encoding=encoding))
    assert streamed == whole


# -- the cattrs-free structuring fast path ------------------------------------------------------------
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402


def _both(data: Any, cls: type) -> tuple[Any, Any]:
    """(fast path, cattrs converter): each a value, or ``"error"``."""
    from competency._converter import toml_converter
    from competency._fast_structure import FAIL
    from competency._fast_structure import structure as fast

    try:
        slow: Any = toml_converter(False).structure(data, cls)
    except Exception:
        slow = "error"
    quick = fast(data, cls)
    return ("error" if quick is FAIL else quick), slow


def _same_or_deferred(data: Any, cls: type) -> None:
    quick, slow = _both(data, cls)
    if quick != "error":  # the fast path never accepts what the converter refuses, nor builds otherwise
        assert slow != "error"
        assert quick == slow
        assert repr(quick) == repr(slow)


@pytest.mark.parametrize("framework_id", competency.bundled_framework_ids())
def test_the_fast_path_builds_the_bundled_frameworks_as_the_converter_does(framework_id: str) -> None:
    from competency._loading import bundled_framework_path
    from competency._toml_io import read_toml

    path = bundled_framework_path(framework_id)
    assert path is not None
    data = read_toml(path.read_bytes(), str(path), competency.FrameworkError)
    quick, slow = _both(data, competency.Framework)
    assert quick != "error" and quick == slow


_TEXT = st.text(max_size=8)
_SCALAR = st.one_of(
    st.none(), st.booleans(), st.integers(-3, 9), _TEXT, st.dates(), st.floats(allow_nan=False)
)
_VALUE = st.recursive(
    _SCALAR, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(_TEXT, inner, max_size=3)
)
_ENTRY = st.fixed_dictionaries(
    {"competency": st.sampled_from(["Communication", "Technical Expertise", "x"])},
    optional={
        "level": st.one_of(st.sampled_from(["D", " b ", "", "I"]), st.integers(0, 9)),
        "rationale": _TEXT,
        "type": st.sampled_from(["Core", "Management"]),
        "ignore": st.lists(st.fixed_dictionaries({"rule": _TEXT}, optional={"reason": _TEXT}), max_size=2),
    },
)
_ROLE = st.fixed_dictionaries(
    {"id": _TEXT, "title": _TEXT},
    optional={
        "competencies": st.lists(_ENTRY, max_size=3),
        "organisation": _TEXT,
        "family": _TEXT,
        "managerial": st.booleans(),
        "grade": _TEXT,
        "framework": st.fixed_dictionaries({"id": _TEXT}, optional={"version": _TEXT}),
        "provenance": st.fixed_dictionaries(
            {},
            optional={
                "status": st.sampled_from(["draft", "moderated", "published", "final"]),
                "profiled_by": _TEXT,
                "profiled_on": st.one_of(st.dates(), st.just("2016-03-03"), _TEXT),
                "moderated_by": st.sampled_from(["panel", "external", "hr-review"]),
                "moderated_on": st.dates(),
            },
        ),
        "metadata": st.dictionaries(_TEXT, st.one_of(_TEXT, st.integers(), st.booleans()), max_size=2),
    },
)


def _mutate(data: Any, path: list[int], value: Any) -> Any:
    """``data`` with one place (chosen by ``path``) replaced by ``value``, or a key added or removed."""
    if not path or not isinstance(data, dict | list) or not data:
        return value
    step = path[0] % (len(data) + (1 if isinstance(data, dict) else 0))
    if isinstance(data, list):
        copy = list(data)
        copy[step] = _mutate(copy[step], path[1:], value)
        return copy
    keys = list(data)
    copy = dict(data)
    if step == len(keys):
        copy["unexpected"] = value
    elif path[1:2] == [0]:
        del copy[keys[step]]
    else:
        copy[keys[step]] = _mutate(copy[keys[step]], path[2:], value)
    return copy


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_ROLE, st.lists(st.integers(0, 20), max_size=6), _VALUE, st.booleans())
def test_the_fast_path_agrees_with_the_converter_on_any_role(
    role: dict[str, Any], path: list[int], value: Any, mutate: bool
) -> None:
    data = _mutate(role, path, value) if mutate else role
    _same_or_deferred(data, competency.RoleProfile)
    if not mutate:  # well-formed data never needs the converter
        quick, slow = _both(data, competency.RoleProfile)
        assert (quick == "error") == (slow == "error")


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data(), st.lists(st.integers(0, 30), max_size=8), _VALUE, st.booleans())
def test_the_fast_path_agrees_with_the_converter_on_any_framework(
    data: st.DataObject, path: list[int], value: Any, mutate: bool
) -> None:
    from competency._toml_io import framework_data
    from competency.strategies import frameworks

    framework = data.draw(frameworks())
    raw = framework_data(framework)
    if not mutate:
        quick, slow = _both(raw, competency.Framework)
        assert quick == slow == framework
    else:
        _same_or_deferred(_mutate(raw, path, value), competency.Framework)


def test_the_json_document_is_the_converters(generated: dict[str, Any]) -> None:
    """``result_to_json`` (attrs.asdict) gives what the cattrs json converter gives, field for field."""
    from competency._converter import json_converter
    from competency.checking import JSON_OUTPUT_VERSION, result_to_json

    folder = generated["folder"]
    result = competency.check(competency.load_profiles(folder / "set.csv"), "cdc-snc-2015")
    assert any(f.sheet is None and f.line for f in result.findings)
    full = competency.Finding(
        rule="r", severity=competency.Severity.INFO, message="m", role="x", competency="c", level="D",
        role_title="t", organisation="o", path="p.xlsx", line=3, sheet="Sheet 1",
    )  # fmt: skip
    for value in (result, attrs.evolve(result, findings=(full,), complete=False)):
        expected = {"version": JSON_OUTPUT_VERSION, **json_converter().unstructure(value)}
        assert result_to_json(value) == expected
        assert json.dumps(result_to_json(value)) == json.dumps(expected)


# -- the entry-point look-ahead -------------------------------------------------------------------------
@pytest.mark.parametrize("group", ["competency.rules", "console_scripts", "pytest11", "no.such.group"])
def test_the_entry_point_look_ahead_never_hides_a_declared_group(group: str) -> None:
    from importlib import metadata

    from competency_rules._manager import _may_declare

    if list(metadata.entry_points(group=group)):
        assert _may_declare(group)
    if group == "console_scripts":
        assert _may_declare(group)  # this environment has console scripts (pytest's, at least)


def test_the_entry_point_look_ahead_finds_a_new_plugin(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from importlib import metadata

    from competency_rules._manager import _entry_points, _may_declare

    group = "competency.rules.look-ahead-test"
    assert not _may_declare(group)
    info = tmp_path / "council_rules-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: council-rules\nVersion: 1.0\n")
    (info / "entry_points.txt").write_text(f"[{group}]\ncouncil = council_rules\n")
    (tmp_path / "other.egg-info").write_text("Metadata-Version: 1.0\n")  # a file: metadata only
    monkeypatch.syspath_prepend(str(tmp_path))
    assert _may_declare(group)
    assert [ep.value for ep in metadata.entry_points(group=group)] == ["council_rules"]
    assert _entry_points() == list(metadata.entry_points(group="competency.rules"))


def test_toml_lines_are_counted_as_before(generated: dict[str, Any]) -> None:
    """The line of every ``[[roles]]`` / ``[[roles.competencies]]`` header in a many-role file."""
    import bisect
    import re

    folder = generated["folder"]
    profiles = competency.load_profiles(folder / "set.csv")[:40]
    text = competency.dump_profiles(profiles)
    # a header's text inside a value, mid-line, is not a header
    text = text.replace('rationale = "', 'rationale = "see [[roles]] and [[roles.competencies]]: ', 3)
    data = text.encode("utf-8")
    assert data.count(b"see [[roles]]") == 3
    newlines = [m.start() for m in re.finditer(rb"\n", data)]

    def line_of(pattern: bytes) -> list[int]:
        starts = [m.start() for m in re.finditer(pattern, data, re.MULTILINE)]
        return [bisect.bisect_left(newlines, pos) + 1 for pos in starts]

    roles = line_of(rb"^[ \t]*\[\[[ \t]*roles[ \t]*\]\]")
    entries = line_of(rb"^[ \t]*\[\[[ \t]*roles[ \t]*\.[ \t]*competencies[ \t]*\]\]")
    loaded = competency._toml_io.parse_profiles(data, "many.toml")
    assert [p.location.line for p in loaded if p.location] == roles
    assert [e.location.line for p in loaded for e in p.competencies if e.location] == entries
    assert len(roles) == 40 and len(entries) == sum(len(p.competencies) for p in profiles)


def test_name_normalisation_collapses_the_same_white_space_as_before() -> None:
    """``normalise`` splits with str.split(); it used re.sub(r"\\s+", " ", name).strip()."""
    import re
    import sys

    from competency._names import normalise

    everything = "".join(map(chr, range(sys.maxunicode + 1)))
    by_re = set(re.findall(r"\s", everything))
    by_split = {c for c in everything if c.isspace()}
    assert by_re == by_split
    # The shortcut for single-spaced names: a printable string holds no white space but the ASCII space.
    assert {c for c in by_split if c.isprintable()} == {" "}
    names = ("  Senior\u00a0 Planning\tOfficer \u2003", "", " \n ", "Ünïcode  Straße", "a\x1cb", "HR Adviser",
             " HR Adviser", "HR Adviser ", "HR  Adviser", "HR\u00a0Adviser", "ﬁnance Oﬃcer")  # fmt: skip
    for name in names:
        assert normalise(name) == re.sub(r"\s+", " ", name).strip().casefold()


# -- pre-parsed bundled frameworks ----------------------------------------------------------------------
@pytest.mark.parametrize("framework_id", competency.bundled_framework_ids())
def test_the_parsed_copy_of_each_bundled_framework_is_fresh(framework_id: str) -> None:
    """Regenerate with: python -c "from competency._parsed_frameworks import main; main()" """
    from competency._loading import bundled_framework_path
    from competency._parsed_frameworks import preparsed
    from competency._toml_io import parse_framework, read_toml

    path = bundled_framework_path(framework_id)
    assert path is not None
    data = path.read_bytes()
    copy = preparsed(path, data)
    assert copy is not None, f"frameworks/parsed/{framework_id}.json is missing or stale; regenerate it"
    assert copy == read_toml(data, str(path), competency.FrameworkError)
    assert repr(copy) == repr(read_toml(data, str(path), competency.FrameworkError))  # int vs float, order
    assert parse_framework(data, str(path), parsed=copy) == parse_framework(data, str(path))


def test_a_stale_or_broken_copy_is_never_used(tmp_path: Path) -> None:
    from competency._parsed_frameworks import parsed_copy, preparsed, write_parsed

    source = tmp_path / "mine.toml"
    source.write_text('id = "mine"\ntitle = "T"\n', encoding="utf-8")
    assert preparsed(source, source.read_bytes()) is None  # no copy yet
    assert write_parsed(source) == parsed_copy(source)
    assert preparsed(source, source.read_bytes()) == {"id": "mine", "title": "T"}
    source.write_text('id = "mine"\ntitle = "U"\n', encoding="utf-8")  # same size, edited
    assert preparsed(source, source.read_bytes()) is None
    parsed_copy(source).write_text("{not json", encoding="utf-8")
    assert preparsed(source, source.read_bytes()) is None
    source.write_text("id = 1979-05-27\n", encoding="utf-8")  # no JSON form: no copy
    assert write_parsed(source) is None and not parsed_copy(source).exists()
