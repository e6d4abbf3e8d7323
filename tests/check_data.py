"""A small, clean CDC/SNC profile set for the check, output and baseline tests, written as CSV or TOML.

Every role has every core competency (managers every management one too), levels agree within each
family and across the two councils, and every rationale is distinct and specific, so the built-in rules
find nothing until a test plants a defect.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

CORE = (
    "Communication",
    "Performance and Outcome Focus",
    "Customer Focus",
    "Innovation, Continuous Improvement and Problem Solving",
    "Collaborative Teamwork",
    "Financial and Commercial Awareness",
    "Expertise and Self-Development",
)
MANAGEMENT = (
    "Managing People and Change",
    "Collaborative Leadership",
    "Strategic Thinking",
    "Commercial Focus",
)

CDC = "Cherwell District Council"
SNC = "South Northamptonshire Council"

HEADER = (
    "role_id",
    "role_title",
    "organisation",
    "role_family",
    "managerial",
    "type",
    "competence",
    "level",
    "rationale",
)


@dataclass(frozen=True)
class Entry:
    competency: str
    level: str | None
    rationale: str
    type: str = "Core"


@dataclass(frozen=True)
class Role:
    id: str
    title: str
    organisation: str
    family: str
    managerial: bool
    entries: tuple[Entry, ...] = field(default=())

    def with_entry(self, name: str, **changes: object) -> Role:
        """This role with its entry for ``name`` changed (``level``, ``rationale``, ``competency``)."""
        entries = tuple(
            replace(e, **changes) if e.competency == name else e  # type: ignore[arg-type]
            for e in self.entries
        )
        assert entries != self.entries, f"{self.id} has no entry {name!r}"
        return replace(self, entries=entries)


def _role(role_id: str, title: str, org: str, family: str, level: str, managerial: bool = False) -> Role:
    entries = [
        Entry(name, level, f"The {title} at {org} works at {level} in {name.lower()} in day-to-day casework.")
        for name in CORE
    ]
    if managerial:
        entries += [
            Entry(
                name,
                level,
                f"As {title} at {org}, leads a team and needs {name.lower()} at {level}.",
                "Management",
            )
            for name in MANAGEMENT
        ]
    return Role(role_id, title, org, family, managerial, tuple(entries))


def clean_roles() -> list[Role]:
    """Six roles in three families across both councils; nothing for the built-in rules to find."""
    return [
        _role("CDC-HR-01", "HR Adviser", CDC, "HR", "D"),
        _role("SNC-HR-01", "HR Adviser", SNC, "HR", "D"),
        _role("CDC-HR-02", "HR Business Partner", CDC, "HR", "D"),
        _role("CDC-HR-03", "HR Manager", CDC, "HR", "E", managerial=True),
        _role("CDC-PLN-01", "Planning Officer", CDC, "Planning", "D"),
        _role("SNC-PLN-01", "Planning Officer", SNC, "Planning", "D"),
    ]


def csv_rows(roles: Iterable[Role]) -> list[list[str]]:
    """The data rows (no header) in the RCP template layout."""
    rows = []
    for role in roles:
        for e in role.entries:
            rows.append(
                [
                    role.id,
                    role.title,
                    role.organisation,
                    role.family,
                    "yes" if role.managerial else "no",
                    e.type,
                    e.competency,
                    e.level or "",
                    e.rationale,
                ]
            )
    return rows


def write_csv(
    path: Path,
    roles: Iterable[Role],
    *,
    framework: str | None = "cdc-snc-2015",
    order: Sequence[int] | None = None,
    encoding: str = "utf-8",
) -> Path:
    """Write ``roles`` as one CSV; ``order`` permutes the data rows (re-sorting a spreadsheet)."""
    rows = csv_rows(roles)
    if order is not None:
        rows = [rows[i] for i in order]
    header = list(HEADER)
    if framework is not None:
        header.append("framework")
        rows = [[*row, framework] for row in rows]
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


def _toml_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def write_toml(path: Path, roles: Iterable[Role], *, framework: str | None = "cdc-snc-2015") -> Path:
    """Write ``roles`` as one profile TOML file."""
    lines = ["format = 1"]
    if framework is not None:
        lines.append(f"framework = {{ id = {_toml_string(framework)} }}")
    for role in roles:
        lines += [
            "",
            "[[roles]]",
            f"id = {_toml_string(role.id)}",
            f"title = {_toml_string(role.title)}",
            f"organisation = {_toml_string(role.organisation)}",
            f"family = {_toml_string(role.family)}",
            f"managerial = {'true' if role.managerial else 'false'}",
        ]
        for e in role.entries:
            lines += ["", "[[roles.competencies]]", f"competency = {_toml_string(e.competency)}"]
            if e.level is not None:
                lines.append(f"level = {_toml_string(e.level)}")
            lines += [f"rationale = {_toml_string(e.rationale)}", f"type = {_toml_string(e.type)}"]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path
