"""``competency.lint`` and ``competency lint-framework``: every authoring defect, each with its key path.

Each defect kind is planted, alone, into a small framework that is otherwise clean, and the test pins the
code and the TOML key path the lint reports. A meta-test checks that every code in ``CODES`` is planted.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from typing import Any

import pytest

from competency import FrameworkError, bundled_framework_ids, load_framework
from competency.cli.main import main
from competency.lint import CODES, FrameworkDefect, lint_framework

BASE: dict[str, Any] = {
    "format": 1,
    "id": "t",
    "title": "T",
    "version": "1",
    "default_scale": "letters",
    "scales": [
        {"id": "letters", "levels": ["A", "B", "C", "D"], "anchors": ["B", "D"]},
        {"id": "numbers", "levels": [1, 2, 3, 4], "cumulative": True},
        {"id": "named", "levels": [{"id": "low", "name": "Low, alone"}, {"id": "high", "name": "High"}]},
    ],
    "kinds": [{"id": "core", "applies_to": "all"}, {"id": "management", "applies_to": "managerial"}],
    "clusters": [{"id": "cat", "name": "Category"}, {"id": "sub", "name": "Sub", "parent": "cat"}],
    "competencies": [
        {
            "id": "comm",
            "name": "Communication",
            "aliases": ["Talking"],
            "kind": "core",
            "cluster": "sub",
            "definition": "Talks.",
            "themes": [
                {"name": "Style", "indicators": {"B": ["b1"], "D": ["d1"]}},
                {"name": "Method", "indicators": {"B": ["b2"]}},
            ],
        },
        {
            "id": "lead",
            "name": "Leading",
            "kind": "management",
            "cluster": "cat",
            "scale": "numbers",
            "level_range": {"first": "2", "last": "4"},
            "definition": "Leads.",
            "features": ["f"],
            "not_this": ["n"],
            "development_indicators": ["x"],
            "level_titles": {"2": "Two"},
            "indicators": {"2": ["i2"], "3": ["i3"], "4": ["i4"]},
        },
        {
            "id": "ask",
            "name": "Asking",
            "kind": "core",
            "scale": "named",
            "definition": "Asks.",
            "indicators": {"low": ["Does it?"], "high": ["Does it really?"]},
        },
    ],
}


def _comp(data: dict[str, Any], index: int) -> dict[str, Any]:
    comp: dict[str, Any] = data["competencies"][index]
    return comp


# (test id, mutation of a copy of BASE, expected code, expected key path)
Plant = tuple[str, Callable[[dict[str, Any]], object], str, str]
PLANTS: list[Plant] = [
    (
        "dup-scale",
        lambda d: d["scales"].append({"id": "numbers", "levels": [1]}),
        "duplicate-scale-id",
        "scales[3].id",
    ),
    ("dup-kind", lambda d: d["kinds"].append({"id": "core"}), "duplicate-kind-id", "kinds[2].id"),
    ("dup-cluster", lambda d: d["clusters"].append({"id": "sub"}), "duplicate-cluster-id", "clusters[2].id"),
    (
        "dup-competency",
        lambda d: d["competencies"].append({**copy.deepcopy(_comp(d, 2)), "name": "Other"}),
        "duplicate-competency-id",
        "competencies[3].id",
    ),
    ("default-scale", lambda d: d.update(default_scale="nope"), "unknown-default-scale", "default_scale"),
    (
        "applies-none",
        lambda d: d["kinds"][1].update(applies_to="none"),
        "kind-applies-to-none",
        "kinds[1].applies_to",
    ),
    (
        "parent-undefined",
        lambda d: d["clusters"][0].update(parent="x"),
        "undefined-cluster-parent",
        "clusters[0].parent",
    ),
    ("parent-cycle", lambda d: d["clusters"][0].update(parent="sub"), "cyclic-cluster", "clusters[0].parent"),
    ("parent-self", lambda d: d["clusters"][0].update(parent="cat"), "cyclic-cluster", "clusters[0].parent"),
    (
        "name-vs-name",
        lambda d: _comp(d, 1).update(name="  COMMUNICATION "),
        "name-collision",
        "competencies[1].name",
    ),
    (
        "alias-vs-name",
        lambda d: _comp(d, 2).update(aliases=["leading"]),
        "name-collision",
        "competencies[2].aliases[0]",
    ),
    ("name-vs-id", lambda d: _comp(d, 2).update(name="Lead"), "name-collision", "competencies[2].name"),
    (
        "alias-vs-alias",
        lambda d: _comp(d, 1).update(aliases=["talking"]),
        "name-collision",
        "competencies[1].aliases[0]",
    ),
    ("empty-name", lambda d: _comp(d, 1).update(name=" "), "empty-name", "competencies[1].name"),
    (
        "blank-definition",
        lambda d: _comp(d, 0).update(definition="  "),
        "empty-definition",
        "competencies[0].definition",
    ),
    (
        "no-definition",
        lambda d: _comp(d, 0).pop("definition"),
        "empty-definition",
        "competencies[0].definition",
    ),
    (
        "undeclared-kind",
        lambda d: _comp(d, 1).update(kind="leaders"),
        "undeclared-kind",
        "competencies[1].kind",
    ),
    ("kind-without-kinds", lambda d: d.pop("kinds"), "undeclared-kind", "competencies[0].kind"),
    ("mixed-kinds", lambda d: _comp(d, 2).pop("kind"), "missing-kind", "competencies[2].kind"),
    (
        "undefined-cluster",
        lambda d: _comp(d, 0).update(cluster="subb"),
        "undefined-cluster",
        "competencies[0].cluster",
    ),
    ("unknown-scale", lambda d: _comp(d, 1).update(scale="num"), "unknown-scale", "competencies[1].scale"),
    (
        "no-default-scale",
        lambda d: (
            d.pop("default_scale"),
            _comp(d, 0).pop("themes"),
            _comp(d, 0).update(indicators={"B": ["b"]}),
        ),
        "unknown-scale",
        "competencies[0].scale",
    ),
    (
        "range-off-scale",
        lambda d: _comp(d, 1).update(level_range={"first": "2", "last": "7"}),
        "level-range-off-scale",
        "competencies[1].level_range.last",
    ),
    (
        "range-reversed",
        lambda d: _comp(d, 1).update(level_range={"first": "4", "last": "2"}),
        "levels-out-of-order",
        "competencies[1].level_range",
    ),
    (
        "keys-out-of-order",
        lambda d: _comp(d, 1).update(indicators={"3": ["i3"], "2": ["i2"], "4": ["i4"]}),
        "levels-out-of-order",
        "competencies[1].indicators.2",
    ),
    (
        "theme-keys-out-of-order",
        lambda d: _comp(d, 0)["themes"][0].update(indicators={"D": ["d"], "B": ["b"]}),
        "levels-out-of-order",
        "competencies[0].themes[0].indicators.B",
    ),
    (
        "plain-off-scale",
        lambda d: _comp(d, 1)["indicators"].update({"7": ["seven"]}),
        "level-not-on-scale",
        "competencies[1].indicators.7",
    ),
    (
        "plain-outside-range",
        lambda d: _comp(d, 1).update(indicators={"1": ["one"], **_comp(d, 1)["indicators"]}),
        "level-not-on-scale",
        "competencies[1].indicators.1",
    ),
    (
        "theme-off-scale",
        lambda d: _comp(d, 0)["themes"][1]["indicators"].update({"Z": ["z"]}),
        "level-not-on-scale",
        "competencies[0].themes[1].indicators.Z",
    ),
    (
        "wrong-case-level",
        lambda d: _comp(d, 0)["themes"][1].update(indicators={"b": ["b2"]}),
        "level-not-on-scale",
        "competencies[0].themes[1].indicators.b",
    ),
    (
        "level-name-as-key",
        lambda d: _comp(d, 2).update(indicators={"Low, alone": ["Does it?"]}),
        "level-not-on-scale",
        "competencies[2].indicators['Low, alone']",
    ),
    (
        "title-outside-range",
        lambda d: _comp(d, 1)["level_titles"].update({"1": "One"}),
        "level-not-on-scale",
        "competencies[1].level_titles.1",
    ),
    (
        "theme-off-anchor",
        lambda d: _comp(d, 0)["themes"][0].update(indicators={"B": ["b"], "C": ["c"], "D": ["d"]}),
        "indicator-off-anchor",
        "competencies[0].themes[0].indicators.C",
    ),
    (
        "plain-off-anchor",
        lambda d: (_comp(d, 2).pop("scale"), _comp(d, 2).update(indicators={"A": ["a"], "B": ["b"]})),
        "indicator-off-anchor",
        "competencies[2].indicators.A",
    ),
    (
        "empty-list",
        lambda d: _comp(d, 1)["indicators"].update({"3": []}),
        "empty-indicator-list",
        "competencies[1].indicators.3",
    ),
    (
        "empty-indicator",
        lambda d: _comp(d, 0)["themes"][0]["indicators"].update({"D": ["d1", " "]}),
        "empty-indicator",
        "competencies[0].themes[0].indicators.D[1]",
    ),
    (
        "empty-development",
        lambda d: _comp(d, 1).update(development_indicators=[""]),
        "empty-indicator",
        "competencies[1].development_indicators[0]",
    ),
    (
        "empty-feature",
        lambda d: _comp(d, 1).update(features=["ok", ""]),
        "empty-item",
        "competencies[1].features[1]",
    ),
    (
        "empty-not-this",
        lambda d: _comp(d, 1).update(not_this=["\t"]),
        "empty-item",
        "competencies[1].not_this[0]",
    ),
    ("empty-alias", lambda d: _comp(d, 0).update(aliases=[""]), "empty-item", "competencies[0].aliases[0]"),
    (
        "empty-theme-name",
        lambda d: _comp(d, 0)["themes"][1].update(name=" "),
        "empty-theme-name",
        "competencies[0].themes[1].name",
    ),
    (
        "duplicate-theme",
        lambda d: _comp(d, 0)["themes"][1].update(name="style"),
        "duplicate-theme",
        "competencies[0].themes[1].name",
    ),
    ("no-indicators", lambda d: _comp(d, 2).pop("indicators"), "no-indicators", "competencies[2].indicators"),
    ("unknown-key", lambda d: _comp(d, 1).update(levels=["x"]), "load-error", "competencies[1].levels"),
    (
        "wrong-type",
        lambda d: _comp(d, 1)["indicators"].update({"3": "text"}),
        "load-error",
        "competencies[1].indicators.3",
    ),
    ("bad-format", lambda d: d.update(format=2), "load-error", "format"),
    ("missing-title", lambda d: d.pop("title"), "load-error", "title"),
]


def _planted(mutate: Callable[[dict[str, Any]], object]) -> dict[str, Any]:
    data = copy.deepcopy(BASE)
    mutate(data)
    return data


def test_base_is_clean() -> None:
    assert lint_framework(BASE) == ()


@pytest.mark.parametrize("framework_id", bundled_framework_ids())
def test_bundled_frameworks_lint_clean(framework_id: str) -> None:
    assert lint_framework(framework_id) == ()
    assert lint_framework(load_framework(framework_id)) == ()


@pytest.mark.parametrize(("mutate", "code", "where"), [p[1:] for p in PLANTS], ids=[p[0] for p in PLANTS])
def test_planted_defect_is_reported_with_its_key_path(
    mutate: Callable[[dict[str, Any]], object], code: str, where: str
) -> None:
    defects = lint_framework(_planted(mutate))
    assert (code, where) in [(d.code, d.where) for d in defects], defects
    assert all(d.code in CODES for d in defects)


def test_every_code_is_planted() -> None:
    assert {p[2] for p in PLANTS} == set(CODES)


def test_one_plant_gives_one_defect() -> None:
    """A single mistake is reported once, not echoed by the loader's own check at the same key."""
    for name, mutate, _code, where in PLANTS:
        defects = lint_framework(_planted(mutate))
        same_place = [d for d in defects if d.where == where]
        assert len(same_place) == 1, (name, defects)


def test_many_defects_in_one_pass_in_file_order() -> None:
    data = copy.deepcopy(BASE)
    data["default_scale"] = "nope"
    _comp(data, 0)["definition"] = ""
    _comp(data, 1)["indicators"]["9"] = ["x"]
    _comp(data, 2)["name"] = "communication"
    defects = lint_framework(data)
    assert [d.code for d in defects] == [
        "unknown-default-scale",
        "empty-definition",
        "level-not-on-scale",
        "name-collision",
    ]


def test_defect_text_is_file_key_path_message_code(tmp_path: Any) -> None:
    defect = FrameworkDefect("f.toml", "competencies[0].kind", "kind 'x' is not declared", "undeclared-kind")
    assert str(defect) == "f.toml: competencies[0].kind: kind 'x' is not declared [undeclared-kind]"
    assert str(FrameworkDefect(None, "", "bad", "load-error")) == "bad [load-error]"


def test_level_id_hint_for_a_level_name() -> None:
    data = _planted(lambda d: _comp(d, 2).update(indicators={"Low, alone": ["Does it?"], "high": ["?"]}))
    (defect,) = lint_framework(data)
    assert "write the level id 'low'" in defect.message


TOML_WITH_DEFECTS = """\
format = 1
id = "x"
title = "X"
version = "1"

[[scales]]
id = "s"
levels = ["Low", "High"]

[[competencies]]
id = "a"
name = "A"
definition = ""
indicators = { High = ["h"], Low = ["l"] }

[[competencies]]
id = "a"
name = "B"
definition = "B."
indicators = { Top = ["t"] }
"""


def test_lint_a_file_names_it(tmp_path: Any) -> None:
    path = tmp_path / "fw.toml"
    path.write_text(TOML_WITH_DEFECTS, encoding="utf-8")
    defects = lint_framework(path)
    assert {d.path for d in defects} == {str(path)}
    assert [(d.where, d.code) for d in defects] == [
        ("competencies[0].definition", "empty-definition"),
        ("competencies[0].indicators.Low", "levels-out-of-order"),
        ("competencies[1].id", "duplicate-competency-id"),
        ("competencies[1].indicators.Top", "level-not-on-scale"),
    ]


@pytest.mark.parametrize(
    ("content", "message"),
    [(None, "no such file"), (b"id = ", "invalid TOML"), (b"\xff\xfe", "not UTF-8")],
)
def test_unreadable_file_raises(tmp_path: Any, content: bytes | None, message: str) -> None:
    path = tmp_path / "fw.toml"
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(FrameworkError, match=message):
        lint_framework(path)


# -- the command ------------------------------------------------------------------------------------
def test_cli_clean_exits_0(capsys: Any) -> None:
    assert main(["lint-framework", *bundled_framework_ids()]) == 0
    out, err = capsys.readouterr()
    assert out == ""
    assert "no defects in 2 files" in err


def test_cli_defects_exit_1_one_line_each(tmp_path: Any, capsys: Any) -> None:
    path = tmp_path / "fw.toml"
    path.write_text(TOML_WITH_DEFECTS, encoding="utf-8")
    assert main(["lint-framework", str(path)]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 4
    assert lines[0] == f"{path}: competencies[0].definition: the definition is empty [empty-definition]"


def test_cli_json(tmp_path: Any, capsys: Any) -> None:
    path = tmp_path / "fw.toml"
    path.write_text(TOML_WITH_DEFECTS, encoding="utf-8")
    assert main(["lint-framework", "--format", "json", str(path)]) == 1
    document = json.loads(capsys.readouterr().out)
    assert document["version"] == 1
    assert document["defects"][2] == {
        "path": str(path),
        "where": "competencies[1].id",
        "message": "id 'a' is already used by competencies[0]",
        "code": "duplicate-competency-id",
    }


def test_cli_unreadable_exits_2_and_lints_the_rest(tmp_path: Any, capsys: Any) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text("id = ", encoding="utf-8")
    code = main(["lint-framework", str(bad), str(tmp_path / "missing.toml"), "glasgow-leadership"])
    assert code == 2
    err = capsys.readouterr().err
    assert "bad.toml: invalid TOML" in err
    assert "missing.toml: no such file" in err
    assert "no defects in 1 file" in err


# -- robustness: malformed data anywhere ----------------------------------------------------------------
def _key_paths(node: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [path] if path else []
    items = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else ()
    for key, value in items:
        found.extend(_key_paths(value, (*path, key)))
    return found


def test_malformed_values_never_crash_and_never_pass_what_the_loader_refuses() -> None:
    """Replace every value of BASE, one at a time, by values of the wrong shape."""
    from competency._converter import structure
    from competency._framework import Framework

    for path in _key_paths(BASE):
        for bad in (7, "", [], {}, True, [{}]):
            data = copy.deepcopy(BASE)
            node: Any = data
            for key in path[:-1]:
                node = node[key]
            node[path[-1]] = bad
            defects = lint_framework(data)  # never raises
            if not defects:
                structure(data, Framework, error=FrameworkError)  # clean means loadable
