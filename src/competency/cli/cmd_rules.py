"""``competency rules [ID]``: list the moderation rules, or print one rule's documentation.

Rules come from the same places as for ``competency check``: the built-ins, installed plugin packages
(entry-point group ``competency.rules``), and local plugins named with ``--plugin`` or in configuration
(``plugins`` in ``competency.toml`` / ``[tool.competency]``). The page for one rule is the same Markdown
as docs/rules.md (:func:`competency_rules.docs.rule_doc`).
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

FORMATS = ("text", "json")


def register(subparsers: Any, name: str) -> None:
    parser = subparsers.add_parser(
        name,
        help="list the moderation rules, or show one rule's documentation",
        description=(
            "List every moderation rule available — built-in, from installed plugin packages, and from "
            "local plugins — with its id, default severity, scope, source and summary. With a rule ID, "
            "print that rule's documentation and options."
        ),
    )
    parser.add_argument("rule", metavar="ID", nargs="?", help="a rule id, to print its documentation")
    parser.add_argument(
        "--plugin",
        metavar="MODULE_OR_PATH",
        action="append",
        default=[],
        dest="plugins",
        help="also load rules from a local plugin module or .py file; repeatable",
    )
    parser.add_argument(
        "--config", metavar="FILE", help="configuration file whose plugins to load (default: found from here)"
    )
    parser.add_argument("--format", choices=FORMATS, default="text", help="output format (default: text)")
    parser.set_defaults(run=run)


def _rule_data(rule: Any, *, docs: bool) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": rule.id,
        "source": rule.source,
        "severity": rule.severity.value,
        "scope": rule.scope,
        "summary": rule.summary,
        "options": [
            {"name": o.name, "default": list(o.default) if isinstance(o.default, tuple) else o.default,
             "help": o.help}
            for o in rule.options
        ],
    }  # fmt: skip
    if docs:
        data["docs"] = rule.docs
    return data


def _table(rules: list[Any]) -> str:
    headers = ("ID", "SEVERITY", "SCOPE", "SOURCE", "SUMMARY")
    rows = [headers] + [(r.id, r.severity.value, r.scope, r.source, r.summary) for r in rules]
    widths = [max(len(row[i]) for row in rows) for i in range(len(headers) - 1)]
    lines = []
    for row in rows:
        cells = [cell.ljust(widths[i]) for i, cell in enumerate(row[:-1])]
        lines.append("  ".join([*cells, row[-1]]).rstrip())
    return "\n".join(lines) + "\n"


def run(args: argparse.Namespace) -> int:
    import difflib
    import json

    from competency import CompetencyError, UnknownRuleError
    from competency.config import load_config
    from competency_rules import load_rules
    from competency_rules.docs import rule_doc

    loaded = load_config(args.config).with_overrides(plugins=args.plugins)
    try:
        found = load_rules(loaded.config.plugins, entry_points=loaded.config.entry_points)
    except CompetencyError as exc:
        raise loaded.blame(exc) from None
    for source, reason in found.failures:
        print(f"competency: warning: plugin {source!r} could not be loaded: {reason}", file=sys.stderr)
    rules = list(found.rules.values())
    if args.rule is None:
        if args.format == "json":
            sys.stdout.write(
                json.dumps([_rule_data(r, docs=False) for r in rules], indent=2, ensure_ascii=False) + "\n"
            )
        else:
            sys.stdout.write(_table(rules))
        return 0
    rule = found.rules.get(args.rule)
    if rule is None:
        close = difflib.get_close_matches(args.rule, list(found.rules), n=1)
        hint = f"; did you mean {close[0]!r}?" if close else " (run 'competency rules' to list them)"
        raise UnknownRuleError(f"unknown rule id {args.rule!r}{hint}")
    if args.format == "json":
        sys.stdout.write(json.dumps(_rule_data(rule, docs=True), indent=2, ensure_ascii=False) + "\n")
    else:
        sys.stdout.write(rule_doc(rule, heading_level=1))
    return 0
