"""What a check returns: findings, their severities, a summary, and whether the check was complete.

These are plain frozen values so that a council system can keep, compare, serialise (through the
project's cattrs converter, as the same JSON as ``competency check --format json``) and show them
without the checker's machinery.
"""

from __future__ import annotations

import enum
from collections import Counter
from collections.abc import Iterable, Mapping

import attrs

__all__ = ["JSON_OUTPUT_VERSION", "CheckResult", "Finding", "Severity", "Summary"]

#: Version of the ``--format json`` document (bumped only on incompatible change; see docs/versioning.md).
JSON_OUTPUT_VERSION = 1


class Severity(str, enum.Enum):
    """How much a finding matters; ordered info < warning < error."""

    INFO = "info"
    WARNING = "warning"
    ERROR = "error"

    @property
    def rank(self) -> int:
        """0 for info, 1 for warning, 2 for error."""
        return _RANK[self]

    def __str__(self) -> str:
        return self.value

    def at_least(self, other: Severity) -> bool:
        """Whether this severity is ``other`` or worse."""
        return self.rank >= other.rank

    @classmethod
    def parse(cls, text: str | Severity) -> Severity:
        """A severity from its name ("error", "Warning"); :class:`ValueError` lists the valid names."""
        if isinstance(text, Severity):
            return text
        try:
            return cls(str(text).strip().lower())
        except ValueError:
            raise ValueError(f"unknown severity {text!r} (expected error, warning or info)") from None


_RANK = {Severity.INFO: 0, Severity.WARNING: 1, Severity.ERROR: 2}


@attrs.frozen
class Finding:
    """One thing the moderation panel should look at."""

    #: Id of the rule that found it ("missing-rationale").
    rule: str
    severity: Severity
    #: What is wrong and what to look at, in words a moderator can act on.
    message: str
    #: Role id the finding concerns (``None`` for findings about no single role).
    role: str | None = None
    #: Competency name the finding concerns; ``None`` when it concerns the whole role.
    competency: str | None = None
    #: The level as written in the RCP, where one is involved.
    level: str | None = None
    role_title: str | None = None
    organisation: str | None = None
    #: The file the finding points at.
    path: str | None = None
    #: TOML line, or CSV/sheet row number (the header is row 1).
    line: int | None = None
    #: Worksheet name, for spreadsheets.
    sheet: str | None = None

    @property
    def location(self) -> str:
        """``path:line`` (or ``path[sheet]:row``), for people."""
        where = self.path or "<memory>"
        if self.sheet:
            where += f"[{self.sheet}]"
        return f"{where}:{self.line}" if self.line is not None else where

    def key(self) -> tuple[str, str | None, str | None]:
        """Identity for baselines: rule, role and competency — never the line number."""
        return (self.rule, self.role, self.competency)


@attrs.frozen
class Summary:
    """Counts of findings by severity and by rule."""

    roles: int
    findings: int
    by_severity: Mapping[str, int]
    by_rule: Mapping[str, int]

    @classmethod
    def of(cls, findings: Iterable[Finding], roles: int) -> Summary:
        """Count ``findings`` (every severity appears, with 0 where there are none)."""
        items = list(findings)
        severities = Counter(f.severity.value for f in items)
        return cls(
            roles=roles,
            findings=len(items),
            by_severity={
                s.value: severities.get(s.value, 0) for s in (Severity.ERROR, Severity.WARNING, Severity.INFO)
            },
            by_rule=dict(sorted(Counter(f.rule for f in items).items())),
        )


@attrs.frozen
class CheckResult:
    """The result of one check run."""

    findings: tuple[Finding, ...]
    summary: Summary
    #: False when a rule crashed or a plugin failed to load: some checks did not run.
    complete: bool = True
    #: Ids of the rules that ran.
    rules_run: tuple[str, ...] = ()

    def worst(self) -> Severity | None:
        """The most severe finding's severity, or ``None`` without findings."""
        return max((f.severity for f in self.findings), key=lambda s: s.rank, default=None)

    def fails(self, fail_on: Severity = Severity.ERROR) -> bool:
        """Whether any finding is at or above ``fail_on``."""
        return any(f.severity.at_least(fail_on) for f in self.findings)

    def exit_code(self, fail_on: Severity = Severity.ERROR) -> int:
        """The command line's exit code: 3 incomplete, 1 findings at or above ``fail_on``, else 0."""
        if not self.complete:
            return 3
        return 1 if self.fails(fail_on) else 0
