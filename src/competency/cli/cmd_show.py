"""``competency show ID [COMPETENCY] [--level L]``: a framework, one competency, or what a level means."""

from __future__ import annotations

import argparse
from typing import Any

from ._common import add_output_argument, emit

FORMATS = ("text", "json", "markdown", "html")


def register(subparsers: Any, name: str) -> None:
    parser = subparsers.add_parser(
        name,
        help="show a framework, a competency, or what a level means",
        description=(
            "Show a framework (bundled id or TOML path), one of its competencies, or what a level of "
            "that competency means: its indicators, per the scale's declared semantics."
        ),
    )
    parser.add_argument("framework", metavar="FRAMEWORK", help="bundled framework id or path to a TOML file")
    parser.add_argument("competency", metavar="COMPETENCY", nargs="?", help="competency id, name or alias")
    parser.add_argument("--level", metavar="LEVEL", help="show what this level means (needs COMPETENCY)")
    parser.add_argument("--format", choices=FORMATS, default="text", help="output format (default: text)")
    add_output_argument(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from competency import load_framework

    from . import show_views

    fw = load_framework(args.framework)
    comp = fw.competency(args.competency) if args.competency else None
    if args.level is not None and comp is None:
        from competency import CompetencyError

        raise CompetencyError("--level needs a COMPETENCY (e.g. competency show ID L11 --level 4)")
    if args.format in ("markdown", "html"):
        from competency.render import render_framework

        text = render_framework(fw, args.format, competency=comp, level=args.level)
    elif args.format == "json":
        text = show_views.as_json(fw, comp, args.level)
    else:
        text = show_views.as_text(fw, comp, args.level)
    emit(text, args.output)
    return 0
