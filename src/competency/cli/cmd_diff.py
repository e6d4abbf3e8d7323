"""``competency diff OLD NEW``: roles added, removed and changed between two versions of a profile set.

OLD and NEW are profile files (TOML, CSV, .xlsx) or folders, in any mix of formats. Roles are matched by
id; per role, the competencies whose level or rationale changed are listed (docs/diff.md).

Exit codes: 0 no differences; 1 differences; 2 usage or input error. (Like ``diff``: 1 is not a failure
of the command, it is its answer.)
"""

from __future__ import annotations

import argparse
import sys
from typing import Any


def register(subparsers: Any, name: str) -> None:
    parser = subparsers.add_parser(
        name,
        help="show what changed between two versions of a profile set",
        description=(
            "Compare two versions of a profile set (files or folders, any supported formats): roles "
            "added and removed, and per role the competencies whose level or rationale changed, and "
            "changed role facts (title, organisation, family, managerial, grade, framework). Roles are "
            "matched by id, so re-sorting a spreadsheet changes nothing."
        ),
        epilog="exit codes: 0 no differences; 1 differences; 2 usage or input error",
    )
    parser.add_argument("old", metavar="OLD", help="the earlier profile file or folder")
    parser.add_argument("new", metavar="NEW", help="the later profile file or folder")
    parser.add_argument(
        "--format", choices=("text", "json"), default="text", help="output format (default: text)"
    )
    parser.add_argument(
        "--framework",
        metavar="ID_OR_PATH",
        help="framework that resolves competency names and levels (default: the one the profiles name)",
    )
    parser.add_argument(
        "--encoding", metavar="ENC", help="encoding of CSV files (e.g. cp1252 for Excel exports)"
    )
    parser.add_argument(
        "--sheet", metavar="NAME", help="worksheet to read in .xlsx files (default: the first)"
    )
    parser.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead of standard output")
    parser.set_defaults(run=run)


def _framework(args: argparse.Namespace, profiles: list[Any]) -> Any:
    """The framework given, else the one every profile names (when it loads), else none."""
    from competency import CompetencyError, load_framework

    if args.framework:
        return load_framework(args.framework)
    named = {p.framework.id for p in profiles if p.framework is not None}
    if len(named) != 1:
        return None
    try:
        return load_framework(named.pop())
    except CompetencyError:
        return None  # names are then matched as written, ignoring case and spacing


def run(args: argparse.Namespace) -> int:
    import json

    from competency import load_profiles
    from competency.diff import diff_profiles, diff_to_json, diff_to_text

    from ._common import emit

    encoding = args.encoding or "utf-8-sig"
    if args.encoding:
        import codecs

        try:
            codecs.lookup(args.encoding)
        except LookupError:
            from competency import CompetencyError

            raise CompetencyError(f"unknown encoding {args.encoding!r}", where="--encoding") from None
    old = list(load_profiles(args.old, encoding=encoding, sheet=args.sheet))
    new = list(load_profiles(args.new, encoding=encoding, sheet=args.sheet))
    diff = diff_profiles(old, new, framework=_framework(args, old + new))
    if args.format == "json":
        text = json.dumps(diff_to_json(diff), indent=2, ensure_ascii=False) + "\n"
    else:
        text = diff_to_text(diff)
    emit(text, args.output)
    if args.output not in (None, "-") and args.format == "text":
        print(text.rstrip("\n").splitlines()[-1], file=sys.stderr)
    return 0 if diff.empty else 1
