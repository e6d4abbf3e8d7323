"""The Role Competencies Profile (RCP) model.

An RCP records, for one role, the required level and a written rationale per competency (Appendix A of
the CDC/SNC policy: Type, Competence, Definition, Level, Rationale). Levels are kept exactly as the
profiler wrote them: whether "I" or "5" is on the competency's scale is a moderation finding
(``level-off-scale``), not a reason to refuse the file, so the model holds the text and the framework
resolves it (:meth:`competency.Framework.find_level`).

A missing level (``None``) means "not profiled"; it never means "not applicable". A role to which a
competency does not apply simply has no entry for it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Literal

import attrs

__all__ = [
    "FrameworkRef",
    "MetadataValue",
    "ProfileEntry",
    "Provenance",
    "RoleProfile",
    "SourceLocation",
    "Suppression",
]

#: Values allowed in a role's free metadata.
MetadataValue = str | int | float | bool

#: Where an RCP stands in the policy's process.
Status = Literal["draft", "moderated", "published"]
#: Who moderated it: the internal panel, an external HR provider (Directors, Chief Executive), or an HR
#: review (updates to existing roles, policy §3.1).
Moderator = Literal["panel", "external", "hr-review"]


@attrs.frozen
class SourceLocation:
    """Where a profile or entry was read from: file, and TOML line or CSV/sheet row.

    Never part of a model value's equality: the same RCP read from two files is the same RCP.
    """

    path: str | None = None
    #: 1-based line in a TOML file, or 1-based row in a CSV file or sheet (the header is row 1).
    line: int | None = None
    #: Worksheet name, for spreadsheets.
    sheet: str | None = None

    def __str__(self) -> str:
        where = self.path or "<memory>"
        if self.sheet:
            where += f"[{self.sheet}]"
        if self.line is not None:
            where += f":{self.line}"
        return where


@attrs.frozen
class Suppression:
    """A rule this entry or role is exempt from, with the written reason the panel will read."""

    rule: str
    reason: str = ""


@attrs.frozen
class FrameworkRef:
    """The framework an RCP is written against."""

    id: str
    version: str | None = None


@attrs.frozen
class Provenance:
    """Who profiled and moderated an RCP, and when (all optional)."""

    status: Status | None = None
    profiled_by: str | None = None
    profiled_on: dt.date | None = None
    moderated_by: Moderator | None = None
    moderator: str | None = None
    moderated_on: dt.date | None = None


@attrs.frozen
class ProfileEntry:
    """One row of an RCP: a competency, its required level and the rationale for it."""

    #: The competency as written (a name, id or alias; resolved against the framework by the checker).
    competency: str
    #: The required level as written ("D", "3"); ``None`` when no level was given.
    level: str | None = None
    rationale: str = ""
    #: The template's Type column ("Core", "Management") as written, if given.
    type: str | None = None
    ignore: tuple[Suppression, ...] = ()
    location: SourceLocation | None = attrs.field(default=None, eq=False, repr=False)


@attrs.frozen
class RoleProfile:
    """A Role Competencies Profile: one role and its entries.

    One RCP serves every post that shares a job description and person specification (policy §2.2).
    """

    id: str
    title: str
    competencies: tuple[ProfileEntry, ...] = ()
    organisation: str | None = None
    #: Role family: roles that should be profiled alike.
    family: str | None = None
    managerial: bool = False
    grade: str | None = None
    framework: FrameworkRef | None = None
    provenance: Provenance | None = None
    ignore: tuple[Suppression, ...] = ()
    #: Free data about the role (unknown CSV columns land here).
    metadata: Mapping[str, MetadataValue] = attrs.field(factory=dict)
    location: SourceLocation | None = attrs.field(default=None, eq=False, repr=False)

    @property
    def entries(self) -> tuple[ProfileEntry, ...]:
        """Alias of :attr:`competencies`."""
        return self.competencies
