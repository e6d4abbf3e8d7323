"""``--format text``: the report an HR officer reads in a terminal, grouped by role.

Each role with findings gets a heading (role id, title, organisation) and one line per finding::

    profiles.csv:14  error    missing-rationale  [Communication]  the rationale for level D is empty

so that the moderator can go straight to the row. Findings that concern no single role (a crashed
rule, a plugin that failed to load) come last under their own heading. A closing summary counts the
findings per severity and per rule and says whether the check was complete: an incomplete check (exit
code 3) must never be mistaken for a clean one.

Colour is added only when asked for; the command line asks only when writing to a terminal, with
``NO_COLOR`` unset and without ``--no-color``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from competency._findings import CheckResult, Finding
    from competency._framework import Framework
    from competency._profile import RoleProfile

__all__ = ["render"]

_RESET = "\x1b[0m"
_STYLE = {
    "error": "\x1b[31;1m",
    "warning": "\x1b[33m",
    "info": "\x1b[36m",
    "heading": "\x1b[1m",
    "dim": "\x1b[2m",
    "good": "\x1b[32m",
}

#: Heading of the group of findings that concern no single role.
NO_ROLE_HEADING = "Not about one role"

#: Control characters from the input are shown, never sent to the terminal: line breaks and tabs become
#: spaces (one finding, one line), anything else (an escape sequence in a role title) a visible ``\xNN``.
_CONTROLS = {c: f"\\x{c:02x}" for c in (*range(0x20), 0x7F)} | {0x0A: " ", 0x0D: " ", 0x09: " "}


def _clean(text: str | None) -> str:
    return (text or "").translate(_CONTROLS)


def _plural(count: int, word: str) -> str:
    if word == "info" or count == 1:
        return f"{count} {word}"
    return f"{count} {word}s"


class _Paint:
    def __init__(self, color: bool) -> None:
        self.color = color

    def __call__(self, text: str, style: str) -> str:
        return f"{_STYLE[style]}{text}{_RESET}" if self.color and text else text


def _heading(finding: Finding) -> str:
    if finding.role is None:
        return NO_ROLE_HEADING
    parts = [_clean(finding.role)]
    details = " · ".join(_clean(p) for p in (finding.role_title, finding.organisation) if p)
    if details:
        parts.append(details)
    return "  ".join(parts)


def _where(finding: Finding) -> str:
    return _clean(finding.location) if finding.path is not None else "-"


def render(
    result: CheckResult,
    *,
    profiles: Sequence[RoleProfile] | None = None,
    framework: Framework | None = None,
    rules: Mapping[str, Any] | None = None,
    color: bool = False,
) -> str:
    """The text report for ``result`` (ending with a newline)."""
    paint = _Paint(color)
    groups: dict[tuple[str | None, str | None, str | None], list[Finding]] = {}
    loose: list[Finding] = []
    for finding in result.findings:
        if finding.role is None:
            loose.append(finding)
        else:
            groups.setdefault((finding.role, finding.role_title, finding.organisation), []).append(finding)
    ordered = list(groups.values()) + ([loose] if loose else [])
    where_width = max((len(_where(f)) for f in result.findings), default=0)
    rule_width = max((len(f.rule) for f in result.findings), default=0)
    lines: list[str] = []
    for findings in ordered:
        lines.append(paint(_heading(findings[0]), "heading"))
        for f in findings:
            severity = f.severity.value
            parts = [
                paint(_where(f).ljust(where_width), "dim"),
                paint(severity, severity) + " " * (7 - len(severity)),
                f.rule.ljust(rule_width),
            ]
            if f.competency is not None:
                parts.append(f"[{_clean(f.competency)}]")
            parts.append(_clean(f.message))
            lines.append("  " + "  ".join(parts))
        lines.append("")
    lines.extend(_summary(result, framework, paint))
    return "\n".join(lines) + "\n"


def _summary(result: CheckResult, framework: Framework | None, paint: _Paint) -> list[str]:
    summary = result.summary
    against = f" against {framework.id}" if framework is not None else ""
    roles = _plural(summary.roles, "role")
    if summary.findings == 0:
        lines = [paint(f"No findings in {roles}{against}.", "good")]
    else:
        with_findings = len({f.role for f in result.findings if f.role is not None})
        counts = ", ".join(
            paint(_plural(n, s), s) if n else _plural(n, s) for s, n in summary.by_severity.items()
        )
        lines = [
            f"{_plural(summary.findings, 'finding')} in {with_findings} of {roles}{against}: {counts}",
        ]
        width = max(len(rule) for rule in summary.by_rule)
        lines.extend(f"  {rule.ljust(width)}  {n}" for rule, n in summary.by_rule.items())
    rules_run = _plural(len(result.rules_run), "rule")
    if result.complete:
        lines.append(f"Check complete: {rules_run} run.")
    else:
        lines.append(
            paint("Check INCOMPLETE", "error")
            + f": a rule crashed or a plugin failed to load, so some checks did not run ({rules_run} run); "
            "see the rule-crashed findings above."
        )
    return lines
