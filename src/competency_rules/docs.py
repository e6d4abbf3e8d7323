"""Rule documentation as Markdown: one rule (``competency rules ID``) or a reference of many (docs/rules.md).

A rule's documentation is its module docstring (yamllint-style), so the page an HR officer reads and the
code that checks live side by side and cannot drift apart; this module only adds the facts the rule
declares — scope, default severity, source, options with their defaults — in the same layout for every
rule, built-in or plugin.

``python -m competency_rules.docs --write`` regenerates docs/rules.md for the built-in rules;
``--check`` exits 1 when the file is stale (a test does the same).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path

from ._api import OptionValue, Rule

__all__ = ["REFERENCE_PATH", "builtin_rules", "format_value", "main", "rule_doc", "rules_reference"]

#: Where the reference of the built-in rules lives, relative to a source checkout.
REFERENCE_PATH = Path("docs") / "rules.md"

_SCOPES = {
    "profile": "profile — sees one RCP at a time",
    "set": "set — sees every RCP being checked together",
    "engine": "engine — reported by the checker itself",
}

_INTRO = """\
# Moderation rules

`competency check` runs these rules over every RCP. Each finding names its rule id; the id is what
configuration (`select`, `ignore`, `severity`, `[rules.<id>]` options — see
[configuration](configuration.md)), suppressions in profiles, and baselines refer to. `competency rules`
lists the rules available (with plugins: `competency rules --plugin council_rules.py`), and
`competency rules ID` prints one rule's page as below.

Severities: **error** for a breach of the profiling policy, **warning** for what the panel should
confirm, **info** for a prompt to look. Any rule's severity can be changed in configuration or with
`--severity RULE=LEVEL`. A profile or one of its entries may suppress a rule, with a written reason:

```toml
ignore = [{ rule = "sibling-inconsistency", reason = "Night post, no public contact; panel 2016-03-03" }]
```

This page is generated from the rules' own documentation by `python -m competency_rules.docs --write`;
edit the rule modules in `src/competency_rules/builtin/`, not this file.
"""


def format_value(value: OptionValue) -> str:
    """An option value as it is written in TOML configuration (``true``, ``25``, ``["n/a", "tbc"]``)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return _toml_string(value)
    if isinstance(value, tuple):
        return "[" + ", ".join(_toml_string(v) for v in value) + "]"
    return repr(value)


def _toml_string(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{escaped}"'


def _cell(text: str) -> str:
    """Text safe inside a Markdown table cell."""
    return text.replace("|", "\\|").replace("\n", " ")


def _body(rule: Rule) -> str:
    """The rule's documentation without its first line when that line only repeats ``id: summary``."""
    docs = rule.docs.strip()
    first, _, rest = docs.partition("\n")
    if first.startswith(f"{rule.id}:"):
        return rest.strip()
    return docs


def _options(rule: Rule) -> list[str]:
    if not rule.options:
        return ["Options: none."]
    lines = ["| option | default | what it does |", "| --- | --- | --- |"]
    for option in rule.options:
        lines.append(f"| `{option.name}` | `{_cell(format_value(option.default))}` | {_cell(option.help)} |")
    lines += [
        "",
        f"Set in `competency.toml` (or under `[tool.competency.rules.{rule.id}]` in `pyproject.toml`); the",
        "values shown are the defaults:",
        "",
        "```toml",
        f"[rules.{rule.id}]",
        *(f"{option.name} = {format_value(option.default)}" for option in rule.options),
        "```",
    ]
    return lines


def rule_doc(rule: Rule, *, heading_level: int = 2) -> str:
    """One rule's documentation as Markdown: heading, summary, facts, options, then its own text."""
    hashes = "#" * heading_level
    lines = [
        f"{hashes} {rule.id}",
        "",
        f"{rule.summary[:1].upper()}{rule.summary[1:]}.",
        "",
        "| scope | default severity | source |",
        "| --- | --- | --- |",
        f"| {_SCOPES.get(rule.scope, rule.scope)} | {rule.severity.value} | {_cell(rule.source)} |",
        "",
        *_options(rule),
    ]
    body = _body(rule)
    if body:
        lines += ["", body]
    return "\n".join(lines).rstrip() + "\n"


def rules_reference(rules: Iterable[Rule], *, intro: str = _INTRO) -> str:
    """A Markdown page documenting ``rules`` in the given order, with a table of contents."""
    items = list(rules)
    lines = [intro.rstrip(), "", "| rule | scope | default | finds |", "| --- | --- | --- | --- |"]
    for rule in items:
        lines.append(
            f"| [`{rule.id}`](#{rule.id}) | {rule.scope} | {rule.severity.value} | {_cell(rule.summary)} |"
        )
    text = "\n".join(lines) + "\n"
    for rule in items:
        text += "\n" + rule_doc(rule)
    return text


def builtin_rules() -> list[Rule]:
    """The built-in rules, in the order ``competency rules`` lists them."""
    from . import builtin

    return list(builtin.competency_register_rules())


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m competency_rules.docs [--write | --check] [--path docs/rules.md]``."""
    parser = argparse.ArgumentParser(
        prog="python -m competency_rules.docs", description="Generate docs/rules.md from the built-in rules."
    )
    action = parser.add_mutually_exclusive_group()
    action.add_argument("--write", action="store_true", help="write the reference to --path")
    action.add_argument("--check", action="store_true", help="exit 1 if --path is not up to date")
    parser.add_argument("--path", type=Path, default=REFERENCE_PATH, help="default: docs/rules.md")
    args = parser.parse_args(argv)
    text = rules_reference(builtin_rules())
    if args.write:
        args.path.write_text(text, encoding="utf-8")
        print(f"wrote {args.path}")
        return 0
    if args.check:
        current = args.path.read_text(encoding="utf-8") if args.path.is_file() else None
        if current != text:
            print(f"{args.path} is stale; run: python -m competency_rules.docs --write", file=sys.stderr)
            return 1
        return 0
    sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
