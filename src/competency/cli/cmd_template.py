"""``competency template --framework ID --role-title "…"``: a blank RCP for a line manager to fill in.

The Appendix A layout (Type, Competence, Definition, Level, Rationale) plus the role's columns, one row
per competency the role must be profiled on, as CSV, TOML or an Excel workbook (docs/templates.md).
An existing file is never replaced without ``--force``.

Exit codes: 0 written; 2 usage or input error (an unknown framework, a file that exists).
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

FORMATS = ("csv", "toml", "xlsx")


def register(subparsers: Any, name: str) -> None:
    parser = subparsers.add_parser(
        name,
        help="write a blank RCP (the Appendix A template) for a role",
        description=(
            "Write a blank Role Competencies Profile for one role: a row per competency the role must be "
            "profiled on (management competencies only with --managerial), in the framework's order, with "
            "its type and definition, and empty Level and Rationale cells to fill in. The filled-in file "
            "is checked as it is with 'competency check'."
        ),
        epilog="exit codes: 0 written; 2 usage or input error (nothing written)",
    )
    parser.add_argument(
        "--framework", metavar="ID_OR_PATH", required=True, help="bundled framework id or framework TOML file"
    )
    parser.add_argument(
        "--role-title", metavar="TITLE", required=True, help='the role\'s title ("HR Adviser")'
    )
    parser.add_argument("--role-id", metavar="ID", help="the role's id (default: made from the title)")
    parser.add_argument("--organisation", metavar="NAME", help="the organisation the role belongs to")
    parser.add_argument(
        "--family", metavar="NAME", help="the role family (roles that should be profiled alike)"
    )
    parser.add_argument(
        "--managerial", action="store_true", help="a managerial role: include the management competencies"
    )
    parser.add_argument(
        "--format", choices=FORMATS, help="file format (default: from the -o file's ending, else csv)"
    )
    parser.add_argument("-o", "--output", metavar="FILE", help="write to FILE (default: standard output)")
    parser.add_argument("--force", action="store_true", help="replace FILE if it exists")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from competency import CompetencyError, load_framework
    from competency.template import blank_profile, format_for, render_template, write_template

    framework = load_framework(args.framework)
    profile = blank_profile(
        framework,
        role_title=args.role_title,
        role_id=args.role_id,
        organisation=args.organisation,
        family=args.family,
        managerial=args.managerial,
    )
    if args.output in (None, "-"):
        fmt = args.format or "csv"
        if fmt == "xlsx":
            raise CompetencyError("an .xlsx workbook cannot go to standard output; name a file with -o")
        sys.stdout.buffer.write(render_template(profile, framework, fmt))
        sys.stdout.flush()
        return 0
    fmt = args.format or format_for(args.output)
    write_template(args.output, profile, framework, fmt=fmt, force=args.force)
    count = len(profile.competencies)
    print(
        f"competency: wrote {args.output}: a blank RCP for {profile.title!r} ({profile.id}) with "
        f"{count} competenc{'y' if count == 1 else 'ies'} to fill in",
        file=sys.stderr,
    )
    return 0
