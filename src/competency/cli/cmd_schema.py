"""``competency schema NAME``: print the JSON Schema of framework files, profile files or findings JSON.

It prints the file shipped in the package (the one TOML editors are pointed at), so what you save is
byte for byte what ships; ``python -m competency.schemas --check`` proves that file matches the model.
"""

from __future__ import annotations

import argparse
from typing import Any

from ._common import add_output_argument, emit

NAMES = ("framework", "profiles", "findings")


def register(subparsers: Any, name: str) -> None:
    parser = subparsers.add_parser(
        name,
        help="print a JSON Schema (framework, profiles, findings)",
        description=(
            "Print the JSON Schema (draft 2020-12) of framework files, profile files or the findings JSON "
            "of 'competency check --format json'. Save it next to your TOML file and name it on the "
            "file's first line ('#:schema framework.schema.json') so your editor validates as you type."
        ),
    )
    parser.add_argument("name", metavar="NAME", choices=NAMES, help="one of: " + ", ".join(NAMES))
    add_output_argument(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from competency.schemas import shipped_schema_text

    emit(shipped_schema_text(args.name), args.output)
    return 0
