"""``competency frameworks``: list the bundled frameworks."""

from __future__ import annotations

import argparse
from typing import Any


def register(subparsers: Any, name: str) -> None:
    parser = subparsers.add_parser(
        name,
        help="list the bundled frameworks",
        description="List the frameworks bundled with competency: id, title, version, competencies.",
    )
    parser.add_argument("--format", choices=("text", "json"), default="text")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    import json

    from competency import bundled_framework_ids, load_framework

    rows = []
    for framework_id in bundled_framework_ids():
        fw = load_framework(framework_id)
        rows.append(
            {"id": fw.id, "title": fw.title, "version": fw.version, "publisher": fw.publisher,
             "competencies": len(fw.competencies)}
        )  # fmt: skip
    if args.format == "json":
        print(json.dumps(rows, indent=2, ensure_ascii=False))
        return 0
    headers = ("ID", "TITLE", "VERSION", "COMPETENCIES", "PUBLISHER")
    table = [headers] + [
        (r["id"], r["title"], r["version"], str(r["competencies"]), r["publisher"]) for r in rows
    ]
    widths = [max(len(str(row[i])) for row in table) for i in range(len(headers))]
    for row in table:
        print("  ".join(str(cell).ljust(widths[i]) for i, cell in enumerate(row)).rstrip())
    return 0
