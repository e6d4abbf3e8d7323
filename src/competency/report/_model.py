"""The moderation report's content, decided in Python before any HTML is written.

Every judgement the report makes — which roles sit in which family's heat map and in what order, which
competencies are columns, how dark a level's cell is, which cells carry a finding, what a level means —
is made here, once, as plain frozen values. The template only lays them out, so the HTML stays a thin
view and the decisions can be tested without a browser.

Lean for large sets: a level's meaning (its indicators) is computed once per competency × level that
occurs and kept in one table the page's script looks up, never repeated per cell; rationales that are
reused are stored once.
"""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from typing import Any

import attrs

from .._findings import CheckResult, Finding, Severity
from .._framework import Competency, Framework
from .._names import normalise
from .._profile import ProfileEntry, RoleProfile
from .._scale import Level

__all__ = ["Cell", "Column", "FamilyMap", "FindingRow", "Report", "RoleRow", "build_model"]

#: Number of colour steps of the heat map (CSS classes ``v0`` … ``v7``).
STEPS = 8
#: Name shown for roles without a family.
NO_FAMILY = "(no family)"
#: More families than this and the heat maps start closed (the summary links open them).
OPEN_FAMILIES = 30

_SEVERITIES = (Severity.ERROR, Severity.WARNING, Severity.INFO)


@attrs.frozen
class Column:
    """A competency column of a family's heat map."""

    #: Index into :attr:`Report.competencies`.
    index: int
    name: str
    #: Kind name ("Core", "Management"), or "" without kinds; "Not in framework" for unknown names.
    kind: str


@attrs.frozen
class Cell:
    """One role × competency cell."""

    #: What the cell shows: the level as written ("D"), "–" when missing, "" when not applicable.
    text: str
    #: CSS classes: the colour step (``v0``…``v7``), ``off`` (not on the scale), ``miss`` (no level),
    #: ``na`` (does not apply, no entry), and ``fe``/``fw``/``fi`` for the worst finding on the cell.
    css: str
    #: The canonical level id when the level is on the competency's scale (key of its meaning).
    level: str | None = None
    #: Index into :attr:`Report.rationales`, when the entry has a rationale.
    rationale: int | None = None
    #: Indexes into :attr:`Report.findings` of the findings on this cell.
    findings: tuple[int, ...] = ()
    #: Tooltip text listing the findings (empty without findings).
    tip: str = ""


@attrs.frozen
class RoleRow:
    """One role (one RCP) in a family's heat map."""

    #: Index of the profile in the input (the script finds the row by it).
    profile: int
    id: str
    title: str
    organisation: str
    #: CSS class of the organisation's badge colour (``o0`` … ``o5``).
    org_class: str
    managerial: bool
    cells: tuple[Cell, ...]
    #: Findings about the whole role (no competency).
    findings: tuple[int, ...] = ()
    tip: str = ""
    #: ``fe``/``fw``/``fi`` for the worst role finding, or "".
    css: str = ""


@attrs.frozen
class FamilyMap:
    """One role family's heat map."""

    #: HTML id of the section (never derived from input text).
    anchor: str
    name: str
    columns: tuple[Column, ...]
    #: ``(kind name, number of columns)`` for the header row above the competency names.
    kind_groups: tuple[tuple[str, int], ...]
    roles: tuple[RoleRow, ...]
    #: The family's median level per column ("" where fewer than two roles have a level).
    median: tuple[str, ...]
    organisations: tuple[str, ...]
    findings: int
    #: Whether the section starts open.
    open: bool = True


@attrs.frozen
class FindingRow:
    """One row of the findings table."""

    index: int
    severity: str
    rank: int
    rule: str
    role: str
    role_title: str
    organisation: str
    family: str
    competency: str
    level: str
    message: str
    where: str
    #: Profile index of the role's (first) row in the heat maps, and the competency's column index.
    profile: int | None = None
    competency_index: int | None = None


@attrs.frozen
class Count:
    """A labelled count for the summary (organisations, families, rules)."""

    name: str
    roles: int = 0
    findings: int = 0
    by_severity: Mapping[str, int] = attrs.field(factory=dict)
    #: An HTML id to link to, or an explanatory line (rule summary).
    anchor: str = ""
    note: str = ""
    css: str = ""


@attrs.frozen
class Report:
    """Everything the moderation report shows."""

    title: str
    framework: Framework
    generated: str | None
    roles: int
    complete: bool
    by_severity: Mapping[str, int]
    organisations: tuple[Count, ...]
    families: tuple[FamilyMap, ...]
    family_counts: tuple[Count, ...]
    rules: tuple[Count, ...]
    findings: tuple[FindingRow, ...]
    #: Findings that concern no role (a plugin that failed to load, a crashed set rule).
    general_findings: tuple[FindingRow, ...]
    #: ``(name, definition, kind)`` per competency column index.
    competencies: tuple[tuple[str, str, str], ...]
    #: Level meanings keyed ``"<competency index>|<level id>"``, for the page's script.
    meanings: Mapping[str, Mapping[str, Any]]
    rationales: tuple[str, ...]
    #: Legend: ``(css class, label)`` per colour step.
    legend: tuple[tuple[str, str], ...]


def build_model(
    profiles: Sequence[RoleProfile],
    result: CheckResult,
    framework: Framework,
    *,
    title: str | None = None,
    generated: str | None = None,
    rule_summaries: Mapping[str, str] | None = None,
) -> Report:
    """The report's content for ``profiles`` checked into ``result`` against ``framework``."""
    return _Builder(profiles, result, framework, rule_summaries or {}).build(title, generated)


class _Builder:
    """Builds one :class:`Report`; holds the tables that deduplicate meanings and rationales."""

    def __init__(
        self,
        profiles: Sequence[RoleProfile],
        result: CheckResult,
        framework: Framework,
        rule_summaries: Mapping[str, str],
    ) -> None:
        self.profiles = list(profiles)
        self.result = result
        self.fw = framework
        self.rule_summaries = rule_summaries
        self.columns: dict[str, int] = {}  # competency id, or "?" + normalised unknown name -> column index
        self.competencies: list[tuple[str, str, str]] = []
        self.column_comps: list[Competency | None] = []  # the framework's competency per column index
        for comp in framework.competencies:
            self._column_of(comp)
        self.meanings: dict[str, dict[str, Any]] = {}
        self.rationales: dict[str, int] = {}
        self.level_cache: dict[tuple[str, str], Level | None] = {}
        self.shown: dict[tuple[str, str], tuple[str, str] | None] = {}
        self.required = {
            managerial: frozenset(self.columns[c.id] for c in framework.required_for(managerial=managerial))
            for managerial in (False, True)
        }
        self.names: dict[str, Competency | None] = {}
        self.orgs = sorted(
            {p.organisation or "" for p in self.profiles}, key=lambda o: (o == "", normalise(o))
        )
        self.org_class = {org: f"o{i % 6}" for i, org in enumerate(self.orgs)}
        self.first_profile: dict[str, int] = {}
        for index, profile in enumerate(self.profiles):
            self.first_profile.setdefault(profile.id, index)

    # -- competencies and levels -----------------------------------------------------------------------
    def _kind_name(self, comp: Competency) -> str:
        kind = self.fw.kind_of(comp)
        if kind is None:
            return comp.kind or ""
        return kind.name or kind.id

    def _column_of(self, comp: Competency) -> int:
        index = self.columns.get(comp.id)
        if index is None:
            index = self.columns[comp.id] = len(self.competencies)
            self.competencies.append((comp.name, comp.definition, self._kind_name(comp)))
            self.column_comps.append(comp)
        return index

    def _unknown_column(self, name: str) -> int:
        key = "?" + normalise(name)
        index = self.columns.get(key)
        if index is None:
            index = self.columns[key] = len(self.competencies)
            self.competencies.append((name, "", "Not in framework"))
            self.column_comps.append(None)
        return index

    def _resolve(self, name: str) -> Competency | None:
        try:
            return self.names[name]
        except KeyError:
            found = self.names[name] = self.fw.find_competency(name)
            return found

    def _level(self, comp: Competency, raw: str) -> Level | None:
        key = (comp.id, raw)
        try:
            return self.level_cache[key]
        except KeyError:
            found = self.level_cache[key] = self.fw.find_level(comp, raw)
            return found

    def _meaning(self, comp: Competency, level: Level) -> None:
        key = f"{self.columns[comp.id]}|{level.id}"
        if key in self.meanings:
            return
        meaning = self.fw.level_meaning(comp, level)
        scale = self.fw.scale_for(comp)
        describing = [lv.id for lv in meaning.describing_levels]
        if not describing:
            note = f"The framework gives no indicators for level {level.id} of {comp.name}."
        elif scale.cumulative:
            note = (
                f"Cumulative scale: level {level.id} includes the indicators of every level up to it "
                f"({', '.join(describing)})."
            )
        elif describing[-1] != level.id:
            note = (
                f"Level {level.id} has no indicators of its own; shown are those at {describing[-1]}, "
                f"the nearest level below it that has them."
            )
        else:
            note = ""
        self.meanings[key] = {
            "l": level.id,
            "t": meaning.title or level.name or "",
            "n": note,
            "g": [[g.level.id, g.theme or "", list(g.indicators)] for g in meaning.groups],
        }

    def _rationale(self, text: str) -> int | None:
        text = text.strip()
        if not text:
            return None
        index = self.rationales.get(text)
        if index is None:
            index = self.rationales[text] = len(self.rationales)
        return index

    # -- findings --------------------------------------------------------------------------------------
    def _finding_rows(self) -> tuple[list[FindingRow], dict[tuple[int, int | None], list[int]]]:
        """The findings table, and the findings on each (profile, column) — ``None`` for the whole role."""
        family_of = {p.id: p.family or NO_FAMILY for p in reversed(self.profiles)}
        rows: list[FindingRow] = []
        on: dict[tuple[int, int | None], list[int]] = defaultdict(list)
        by_role: dict[str, list[int]] = defaultdict(list)
        for index, profile in enumerate(self.profiles):
            by_role[profile.id].append(index)
        for index, finding in enumerate(self.result.findings):
            column: int | None = None
            if finding.competency is not None:
                comp = self._resolve(finding.competency)
                column = (
                    self._column_of(comp) if comp is not None else self._unknown_column(finding.competency)
                )
            profile_index = self.first_profile.get(finding.role) if finding.role is not None else None
            rows.append(
                FindingRow(
                    index=index,
                    severity=finding.severity.value,
                    rank=finding.severity.rank,
                    rule=finding.rule,
                    role=finding.role or "",
                    role_title=finding.role_title or "",
                    organisation=finding.organisation or "",
                    family=family_of.get(finding.role, "") if finding.role is not None else "",
                    competency=finding.competency or "",
                    level=finding.level or "",
                    message=finding.message,
                    where=finding.location if finding.path else "",
                    profile=profile_index,
                    competency_index=column,
                )
            )
            if finding.role is not None:
                for target in self._targets(finding, by_role.get(finding.role, ())):
                    on[(target, column)].append(index)
        return rows, on

    def _targets(self, finding: Finding, candidates: Sequence[int]) -> Sequence[int]:
        """The profiles a finding about ``finding.role`` belongs to (all of them unless its file says)."""
        if len(candidates) < 2 or finding.path is None:
            return candidates
        same_file = [
            i
            for i in candidates
            if (loc := self.profiles[i].location) is not None and loc.path == finding.path
        ]
        if len(same_file) > 1 and finding.line is not None:
            # several RCPs for one id in one file: the one whose rows come last before the finding's line
            before = [i for i in same_file if (self.profiles[i].location.line or 0) <= finding.line]  # type: ignore[union-attr]
            return before[-1:] or same_file
        return same_file or candidates

    def _worst(self, indexes: Sequence[int]) -> str:
        if not indexes:
            return ""
        rank = max(self.result.findings[i].severity.rank for i in indexes)
        return ("fi", "fw", "fe")[rank]

    def _tip(self, indexes: Sequence[int]) -> str:
        lines = [
            f"{self.result.findings[i].severity.value}: {self.result.findings[i].message}" for i in indexes
        ]
        if len(lines) > 6:
            lines = [*lines[:6], f"… and {len(lines) - 6} more"]
        return "\n".join(lines)

    # -- heat maps ---------------------------------------------------------------------------------------
    def _cells(
        self,
        profile_index: int,
        profile: RoleProfile,
        columns: Sequence[int],
        on: Mapping[tuple[int, int | None], list[int]],
    ) -> tuple[Cell, ...]:
        first: dict[int, ProfileEntry] = {}
        for item in profile.competencies:
            known = self._resolve(item.competency)
            key = known.id if known is not None else "?" + normalise(item.competency)
            first.setdefault(self.columns[key], item)
        required = self.required[profile.managerial]
        cells = []
        for column in columns:
            found = on.get((profile_index, column))
            findings: tuple[int, ...] = ()
            marks = tip = ""
            if found:
                findings = tuple(found)
                marks = self._worst(findings)
                tip = self._tip(findings)
            entry = first.get(column)
            if entry is None:
                css = "miss" if column in required else "na"
                cells.append(
                    Cell("–" if column in required else "", _join(css, marks), findings=findings, tip=tip)
                )
                continue
            rationale = self._rationale(entry.rationale)
            if entry.level is None:
                cells.append(Cell("–", _join("miss", marks), None, rationale, findings, tip))
                continue
            comp = self._resolve(entry.competency)
            shown = self._shown_level(comp, entry.level) if comp is not None else None
            if shown is None:
                cells.append(Cell(entry.level, _join("off", marks), None, rationale, findings, tip))
                continue
            level_id, colour = shown
            cells.append(Cell(level_id, _join(colour, marks), level_id, rationale, findings, tip))
        return tuple(cells)

    def _shown_level(self, comp: Competency, raw: str) -> tuple[str, str] | None:
        """``(level id, colour class)`` for a level as written, or ``None`` when it is off the scale.

        The first time a competency × level is seen, its meaning is added to the meanings table.
        """
        key = (comp.id, raw)
        try:
            return self.shown[key]
        except KeyError:
            pass
        level = self._level(comp, raw)
        shown: tuple[str, str] | None = None
        if level is not None:
            self._meaning(comp, level)
            run = self.fw.levels_for(comp)
            position = level.index - run[0].index
            step = round(position * (STEPS - 1) / (len(run) - 1)) if len(run) > 1 else STEPS - 1
            shown = (level.id, f"v{step}")
        self.shown[key] = shown
        return shown

    def _family_columns(self, members: Sequence[RoleProfile]) -> list[int]:
        used: set[int] = set()
        for profile in members:
            used.update(self.required[profile.managerial])
            for entry in profile.competencies:
                known = self._resolve(entry.competency)
                used.add(
                    self.columns[known.id] if known is not None else self._unknown_column(entry.competency)
                )
        return sorted(used)

    def _median(self, rows: Sequence[RoleRow], position: int, column: int) -> str:
        comp = self.column_comps[column]
        if comp is None:
            return ""
        run = self.fw.levels_for(comp)
        positions = [run.index(lv) for row in rows if (lv := self._cell_level(comp, row.cells[position]))]
        if len(positions) < 2:
            return ""
        return run[statistics.median_low(positions)].id

    def _cell_level(self, comp: Competency, cell: Cell) -> Level | None:
        return self._level(comp, cell.level) if cell.level is not None else None

    def _families(self, on: Mapping[tuple[int, int | None], list[int]]) -> list[FamilyMap]:
        groups: dict[str, list[int]] = defaultdict(list)
        for index, profile in enumerate(self.profiles):
            groups[profile.family or NO_FAMILY].append(index)
        names = sorted(groups, key=lambda name: (name == NO_FAMILY, normalise(name)))
        start_open = len(names) <= OPEN_FAMILIES
        maps = []
        for number, name in enumerate(names):
            members = groups[name]
            members.sort(
                key=lambda i: (
                    normalise(self.profiles[i].title),
                    normalise(self.profiles[i].organisation or ""),
                    self.profiles[i].id,
                )
            )
            columns = self._family_columns([self.profiles[i] for i in members])
            rows = []
            count = 0
            for index in members:
                profile = self.profiles[index]
                role_findings = tuple(on.get((index, None), ()))
                cells = self._cells(index, profile, columns, on)
                count += len(role_findings) + sum(len(c.findings) for c in cells)
                org = profile.organisation or ""
                rows.append(
                    RoleRow(
                        profile=index,
                        id=profile.id,
                        title=profile.title,
                        organisation=org,
                        org_class=self.org_class[org],
                        managerial=profile.managerial,
                        cells=cells,
                        findings=role_findings,
                        tip=self._tip(role_findings),
                        css=self._worst(role_findings),
                    )
                )
            column_objects = tuple(
                Column(c, self.competencies[c][0], self.competencies[c][2]) for c in columns
            )
            kind_groups: list[tuple[str, int]] = []
            for column in column_objects:
                if kind_groups and kind_groups[-1][0] == column.kind:
                    kind_groups[-1] = (column.kind, kind_groups[-1][1] + 1)
                else:
                    kind_groups.append((column.kind, 1))
            maps.append(
                FamilyMap(
                    anchor=f"family-{number}",
                    name=name,
                    columns=column_objects,
                    kind_groups=tuple(kind_groups) if any(k for k, _ in kind_groups) else (),
                    roles=tuple(rows),
                    median=tuple(self._median(rows, pos, column) for pos, column in enumerate(columns)),
                    organisations=tuple(sorted({r.organisation for r in rows if r.organisation})),
                    findings=count,
                    open=start_open,
                )
            )
        return maps

    # -- summary -----------------------------------------------------------------------------------------
    def _counts(self, rows: Sequence[FindingRow], key: str) -> dict[str, dict[str, int]]:
        counts: dict[str, dict[str, int]] = defaultdict(lambda: {s.value: 0 for s in _SEVERITIES})
        for row in rows:
            counts[getattr(row, key)][row.severity] += 1
        return counts

    def build(self, title: str | None, generated: str | None) -> Report:
        rows, on = self._finding_rows()
        families = self._families(on)
        roles_per_org = Counter(p.organisation or "" for p in self.profiles)
        org_findings = self._counts(rows, "organisation")
        organisations = tuple(
            Count(
                name=org or "(no organisation)",
                roles=roles_per_org[org],
                findings=sum(org_findings[org].values()) if org in org_findings else 0,
                by_severity=dict(org_findings[org]) if org in org_findings else {},
                css=self.org_class[org],
            )
            for org in self.orgs
        )
        family_counts = tuple(
            Count(name=f.name, roles=len(f.roles), findings=f.findings, anchor=f.anchor) for f in families
        )
        rule_findings = self._counts(rows, "rule")
        rules = tuple(
            Count(
                name=rule,
                findings=sum(counts.values()),
                by_severity=dict(counts),
                note=self.rule_summaries.get(rule, ""),
            )
            for rule, counts in sorted(rule_findings.items())
        )
        legend = tuple((f"v{step}", _legend_label(step)) for step in range(STEPS))
        fw = self.fw
        return Report(
            title=title or f"Moderation report: {fw.title}",
            framework=fw,
            generated=generated,
            roles=len(self.profiles),
            complete=self.result.complete,
            by_severity={s.value: sum(1 for r in rows if r.severity == s.value) for s in _SEVERITIES},
            organisations=organisations,
            families=tuple(families),
            family_counts=family_counts,
            rules=rules,
            findings=tuple(sorted((r for r in rows if r.role), key=_table_order)),
            general_findings=tuple(r for r in rows if not r.role),
            competencies=tuple(self.competencies),
            meanings=self.meanings,
            rationales=tuple(self.rationales),
            legend=legend,
        )


def _table_order(row: FindingRow) -> tuple[int, str, str, str, int]:
    """Worst first, then family by family, role by role, in framework order."""
    column = -1 if row.competency_index is None else row.competency_index
    return (-row.rank, normalise(row.family), normalise(row.role_title), row.role, column)


def _join(*classes: str) -> str:
    return " ".join(c for c in classes if c)


def _legend_label(step: int) -> str:
    if step == 0:
        return "lowest level"
    if step == STEPS - 1:
        return "highest level"
    return ""
