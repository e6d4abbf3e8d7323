"""Rule documentation: docs/rules.md is generated from the rules and must not go stale."""

from __future__ import annotations

import re
from pathlib import Path

from competency_rules import Option, profile_rule
from competency_rules.docs import builtin_rules, format_value, main, rule_doc, rules_reference

ROOT = Path(__file__).resolve().parents[1]
REFERENCE = ROOT / "docs" / "rules.md"


def test_docs_rules_md_is_up_to_date():
    expected = rules_reference(builtin_rules())
    assert REFERENCE.read_text(encoding="utf-8") == expected, (
        "docs/rules.md is stale: run `python -m competency_rules.docs --write`"
    )


def test_check_mode_reports_staleness(tmp_path, capsys):
    stale = tmp_path / "rules.md"
    stale.write_text("# old\n", encoding="utf-8")
    assert main(["--check", "--path", str(stale)]) == 1
    assert "stale" in capsys.readouterr().err
    assert main(["--write", "--path", str(stale)]) == 0
    assert main(["--check", "--path", str(stale)]) == 0


def test_every_builtin_rule_is_documented_with_examples():
    for rule in builtin_rules():
        page = rule_doc(rule)
        assert page.startswith(f"## {rule.id}\n"), rule.id
        assert f" | {rule.severity.value} | built-in |" in page
        if rule.scope in ("profile", "set"):
            assert "**Passes**" in page and "**Fails**" in page, rule.id
            assert "What to do" in page, rule.id
        for option in rule.options:
            assert f"| `{option.name}` |" in page, (rule.id, option.name)


def test_rule_doc_of_a_plugin_rule():
    @profile_rule(
        id="customer-focus-floor",
        summary="front-line roles need Customer Focus at D or above",
        severity="warning",
        options=[
            Option("minimum", "D", "the lowest acceptable level"),
            Option("front_line", ("Advisor",), ""),
        ],
        docs="Front-line roles meet the public.\n\n**Fails**: a Benefits Assessor at C.",
        source="local: council_rules.py",
    )
    def rule(profile, ctx):
        return []

    page = rule_doc(rule, heading_level=1)
    lines = page.splitlines()
    assert lines[0] == "# customer-focus-floor"
    assert lines[2] == "Front-line roles need Customer Focus at D or above."
    assert "| profile — sees one RCP at a time | warning | local: council_rules.py |" in page
    assert '| `minimum` | `"D"` | the lowest acceptable level |' in page
    assert '[rules.customer-focus-floor]\nminimum = "D"\nfront_line = ["Advisor"]\n' in page
    assert page.endswith("**Fails**: a Benefits Assessor at C.\n")


def test_reference_links_every_rule_and_values_are_toml():
    text = rules_reference(builtin_rules())
    for rule in builtin_rules():
        assert f"[`{rule.id}`](#{rule.id})" in text
        assert re.search(rf"^## {re.escape(rule.id)}$", text, re.MULTILINE)
    assert format_value(True) == "true"
    assert format_value(25) == "25"
    assert format_value(('say "hi"', "x")) == '["say \\"hi\\"", "x"]'
