"""``competency lint-framework PATH...``: a framework file's own defects, one line each.

Exit codes: 0 no defects, 1 defects, 2 a file could not be read at all (missing, not UTF-8, not TOML).
Every file named is linted even when an earlier one fails, so one run shows everything to fix.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

#: Version of the ``--format json`` document (bumped only on incompatible change).
JSON_VERSION = 1


def register(subparsers: Any, name: str) -> None:
    parser = subparsers.add_parser(
        name,
        help="report the defects of framework files",
        description=(
            "Report a framework file's own defects, each on one line with its TOML key path: "
            "'file: key.path: message [code]'. Exit 0 when clean, 1 when there are defects, "
            "2 when a file cannot be read at all."
        ),
    )
    parser.add_argument(
        "paths", metavar="PATH", nargs="+", help="framework TOML file (or bundled framework id)"
    )
    parser.add_argument(
        "--format", choices=("text", "json"), default="text", help="output format (default: text)"
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    import json

    import attrs

    from competency import CompetencyError
    from competency.lint import FrameworkDefect, lint_framework

    defects: list[FrameworkDefect] = []
    unreadable = 0
    for path in args.paths:
        try:
            found = lint_framework(path)
        except CompetencyError as exc:
            print(f"competency: error: {exc}", file=sys.stderr)
            unreadable += 1
            continue
        defects.extend(found)
        if args.format == "text":
            for defect in found:
                print(defect)
    if args.format == "json":
        document = {"version": JSON_VERSION, "defects": [attrs.asdict(d) for d in defects]}
        print(json.dumps(document, indent=2, ensure_ascii=False))
    else:
        files = len(args.paths) - unreadable
        noun = "file" if files == 1 else "files"
        if defects:
            print(
                f"{len(defects)} defect{'s' if len(defects) > 1 else ''} in {files} {noun}", file=sys.stderr
            )
        elif files:
            print(f"no defects in {files} {noun}", file=sys.stderr)
    if unreadable:
        return 2
    return 1 if defects else 0
