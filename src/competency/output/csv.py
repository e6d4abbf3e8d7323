"""``--format csv``: findings as a spreadsheet, one finding per row, safe to open in Excel.

HR officers sort and filter findings in a spreadsheet and share it with line managers. The file is
UTF-8 with a byte-order mark (without one Excel reads UTF-8 as the local code page and mangles "é" and
"–"), comma-separated with CRLF line ends, every field that needs it quoted (so a rationale with line
breaks stays in one cell).

**Formula injection.** Role titles, rationales and messages come from profile files anyone may have
edited. A cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is run as a
formula by spreadsheet programs (``=HYPERLINK("http://…","click")``), so every such cell is prefixed
with ``'``, which makes it plain text. Row numbers are the only cells written as numbers.

Columns: ``rule, severity, role_id, role_title, organisation, competency, level, message, file, row,
sheet`` (docs/output.md).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from competency._findings import CheckResult
    from competency._framework import Framework
    from competency._profile import RoleProfile

__all__ = ["COLUMNS", "neutralise", "render"]

#: The header row, in order.
COLUMNS = (
    "rule", "severity", "role_id", "role_title", "organisation", "competency", "level", "message", "file",
    "row", "sheet",
)  # fmt: skip

#: First characters that make a spreadsheet program treat a cell as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

_BOM = "\ufeff"


def neutralise(value: str | None) -> str:
    """``value`` as a cell no spreadsheet program will run as a formula (``None`` is an empty cell)."""
    if value is None:
        return ""
    if value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def render(
    result: CheckResult,
    *,
    profiles: Sequence[RoleProfile] | None = None,
    framework: Framework | None = None,
    rules: Mapping[str, Any] | None = None,
    color: bool = False,
) -> bytes:
    """The CSV file's bytes (UTF-8 with a byte-order mark) for ``result``."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(COLUMNS)
    for f in result.findings:
        text = (f.rule, f.severity.value, f.role, f.role_title, f.organisation, f.competency, f.level,
                f.message, f.path)  # fmt: skip
        row: list[str | int] = [neutralise(value) for value in text]
        row.append("" if f.line is None else f.line)
        row.append(neutralise(f.sheet))
        writer.writerow(row)
    return (_BOM + buffer.getvalue()).encode("utf-8")
