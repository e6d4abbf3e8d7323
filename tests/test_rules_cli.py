"""``competency rules``: list the rules (built-in and plugin), print one rule's documentation."""

from __future__ import annotations

import json
import textwrap

import pytest

from competency.cli.main import main

PLUGIN = '''
"""customer-focus-floor: front-line roles need Customer Focus at D or above.

Front-line roles meet the public every day (customer charter).

**Passes**: a Benefits Assessor at D. **Fails**: the same role at C.
"""
from competency_rules import Option, hookimpl, profile_rule


@profile_rule(
    id="customer-focus-floor",
    summary="front-line roles need Customer Focus at D or above",
    severity="warning",
    options=[Option("minimum", "D", "the lowest acceptable level")],
)
def rule(profile, ctx):
    return []


@hookimpl
def competency_register_rules():
    return [rule]
'''


@pytest.fixture
def plugin_file(tmp_path):
    path = tmp_path / "council_rules.py"
    path.write_text(textwrap.dedent(PLUGIN), encoding="utf-8")
    return str(path)


@pytest.fixture(autouse=True)
def _no_config_here(tmp_path, monkeypatch):
    """Run from an empty folder, so no competency.toml of the developer's is picked up."""
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)


def test_lists_every_builtin_rule(capsys):
    assert main(["rules"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].split() == ["ID", "SEVERITY", "SCOPE", "SOURCE", "SUMMARY"]
    rows = {line.split()[0]: line.split()[1:4] for line in out[1:]}
    assert rows["missing-rationale"] == ["error", "profile", "built-in"]
    assert rows["sibling-inconsistency"] == ["warning", "set", "built-in"]
    assert rows["copied-rationale"] == ["info", "set", "built-in"]
    assert rows["type-mismatch"] == ["warning", "profile", "built-in"]
    assert len(rows) == 15
    line = next(x for x in out if x.startswith("level-off-scale "))
    assert line.endswith("a level not on that competency's scale (I on A–H; 5 on a 3-level competency)")


def test_lists_plugin_rules_with_their_source(capsys, plugin_file):
    assert main(["rules", "--plugin", plugin_file, "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    by_id = {rule["id"]: rule for rule in data}
    assert by_id["customer-focus-floor"] == {
        "id": "customer-focus-floor",
        "source": f"local: {plugin_file}",
        "severity": "warning",
        "scope": "profile",
        "summary": "front-line roles need Customer Focus at D or above",
        "options": [{"name": "minimum", "default": "D", "help": "the lowest acceptable level"}],
    }
    assert by_id["missing-rationale"]["options"][1] == {
        "name": "min_length",
        "default": 25,
        "help": "a rationale shorter than this many characters is a warning (0: off)",
    }
    assert len(data) == 16


def test_plugins_named_in_configuration_are_listed(capsys, plugin_file, tmp_path):
    (tmp_path / "work" / "competency.toml").write_text(f"plugins = [{json.dumps(plugin_file)}]\n")
    assert main(["rules"]) == 0
    assert "customer-focus-floor" in capsys.readouterr().out


def test_prints_one_rules_documentation(capsys):
    assert main(["rules", "sibling-inconsistency"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("# sibling-inconsistency\n")
    assert "| set — sees every RCP being checked together | warning | built-in |" in out
    assert "| `max_steps` | `2` |" in out
    assert "policy §2.5" in out


def test_prints_a_plugin_rules_documentation(capsys, plugin_file):
    assert main(["rules", "customer-focus-floor", "--plugin", plugin_file]) == 0
    out = capsys.readouterr().out
    assert out.startswith("# customer-focus-floor\n")
    assert "Front-line roles meet the public every day" in out
    assert "| profile — sees one RCP at a time | warning | local: " in out


def test_one_rule_as_json(capsys):
    assert main(["rules", "copied-rationale", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert (data["id"], data["severity"], data["scope"]) == ("copied-rationale", "info", "set")
    assert data["docs"].startswith("copied-rationale: the same rationale text reused")


def test_unknown_rule_id_is_one_line_with_a_suggestion(capsys):
    assert main(["rules", "missing-rational"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == (
        "competency: error: unknown rule id 'missing-rational'; did you mean 'missing-rationale'?\n"
    )
    assert main(["rules", "zzzz"]) == 2
    assert "run 'competency rules' to list them" in capsys.readouterr().err


def test_a_broken_plugin_path_is_one_line_exit_2(capsys, tmp_path):
    assert main(["rules", "--plugin", str(tmp_path / "missing.py")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "no such plugin file" in err
