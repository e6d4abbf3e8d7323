"""Generate a deterministic set of Role Competencies Profiles (RCPs) with planted defects.

Why: the benchmark (benchmarks/run.py) needs profile sets of any size that look like what a council's HR
team keeps — both organisations, role families of realistic size, managers and not, rationales of
realistic length — and the checker's correctness needs an *independent* count of what is wrong in them.
This script builds such a set from a seed, plants defects of every kind the built-in rules find, and
writes beside the output a sidecar ``<out>.planted.json`` listing every planted defect (rule, role,
competency), so that findings can be compared rule by rule with what was planted.

Same arguments, same bytes: everything is drawn from one ``random.Random(seed)`` and nothing depends on
hash order, the clock or the machine.

Usage::

    python benchmarks/generate.py --roles 1000 --seed 7 --csv out/roles.csv --toml-dir out/roles/

Only the standard library and ``competency`` (to read the framework) are used.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import io
import json
import random
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import competency

ORGANISATIONS = ("Cherwell District Council", "South Northamptonshire Council")
ORG_CODES = {"Cherwell District Council": "CDC", "South Northamptonshire Council": "SNC"}

#: CSV columns, in the RCP template's layout.
CSV_COLUMNS = (
    "role_id", "role_title", "organisation", "role_family", "managerial", "type", "competence", "level",
    "rationale",
)  # fmt: skip

#: Every defect kind the built-in rules find, by rule id, in the order they are planted round-robin.
DEFECT_KINDS = (
    "unknown-competency",
    "duplicate-competency",
    "level-off-scale",
    "missing-core",
    "management-on-non-manager",
    "missing-management",
    "type-mismatch",
    "missing-rationale",
    "duplicate-role",
    "sibling-inconsistency",
    "cross-organisation-inconsistency",
    "copied-rationale",
)

#: Defects that change which levels a role family holds; at most one of them per family, so that the
#: family median stays where the clean roles put it and ``sibling-inconsistency`` has no knock-on.
LEVEL_CHANGING = frozenset({"level-off-scale", "missing-core", "missing-management", "sibling-inconsistency"})

#: Steps from the family median beyond which ``sibling-inconsistency`` reports (its default option).
SIBLING_MAX_STEPS = 2
#: How many entries share one text before ``copied-rationale`` reports (its default option).
COPIED_MIN_COUNT = 3

# -- words --------------------------------------------------------------------------------------------
SERVICES = (
    "Planning", "Building Control", "Environmental Health", "Licensing", "Revenues", "Benefits",
    "Housing", "Homelessness", "Waste and Recycling", "Street Scene", "Parks", "Leisure", "Finance",
    "Payroll", "Procurement", "Legal", "Democratic Services", "Elections", "Human Resources",
    "Learning and Development", "ICT", "Digital", "Customer Services", "Communications", "Economic Growth",
    "Regeneration", "Community Safety", "Car Parking", "Estates", "Facilities", "Audit", "Insurance",
    "Policy", "Performance", "Emergency Planning", "Land Charges", "Conservation", "Private Sector Housing",
    "Council Tax", "Business Rates", "Community Development", "Sports Development", "Arts and Culture",
    "Tourism", "Planning Enforcement", "Pest Control", "Bereavement Services", "Fleet",
)  # fmt: skip
TRACKS = (
    "Officers", "Advisers", "Technicians", "Assistants", "Specialists", "Coordinators", "Inspectors",
    "Analysts", "Caseworkers", "Surveyors", "Administrators", "Practitioners",
)  # fmt: skip
STAFF_TITLES = (
    "Officer", "Adviser", "Technician", "Assistant", "Specialist", "Coordinator", "Inspector", "Analyst",
    "Caseworker", "Surveyor", "Administrator", "Practitioner", "Apprentice", "Support Officer",
)  # fmt: skip
MANAGER_TITLES = ("Manager", "Team Leader", "Lead", "Service Manager", "Team Manager", "Head of Service")
GRADES = ("", "", "", "Senior ", "Principal ", "Assistant ", "Trainee ", "Graduate ", "Lead ")
FOCUS = (
    "Casework", "Compliance", "Projects", "Systems", "Income", "Partnerships", "Quality", "Operations",
    "Development", "Enforcement", "Engagement", "Strategy", "Data", "Contracts", "Assets", "Training",
    "Appeals", "Governance", "Outreach", "Commissioning",
)  # fmt: skip
AREAS = (
    "North", "South", "East", "West", "Central", "Rural", "Urban", "Bicester", "Banbury", "Kidlington",
    "Towcester", "Brackley", "Deddington", "Middleton Cheney", "Heyford", "Bodicote",
)  # fmt: skip

OPENINGS = (
    "The postholder", "This role", "The jobholder", "Whoever holds this post", "The officer in this role",
    "Staff in this post", "The role holder", "The successful candidate", "This post", "The incumbent",
    "Anyone in this role", "The person in post",
)  # fmt: skip
VERBS = (
    "regularly explains", "must be able to negotiate", "routinely coordinates", "is expected to interpret",
    "often presents", "independently manages", "has to challenge", "is accountable for reviewing",
    "frequently advises on", "needs to summarise", "takes the lead on", "must reconcile",
    "is responsible for monitoring", "occasionally deputises on", "drafts and checks", "works closely on",
    "makes day-to-day decisions about", "has to prioritise", "supports colleagues with", "keeps track of",
    "investigates complaints about", "designs improvements to", "prepares reports on", "plans and delivers",
    "resolves disputes over", "assesses risks in", "handles enquiries about", "maintains records of",
    "builds consensus around", "raises concerns about", "keeps under review", "sets priorities for",
)  # fmt: skip
OBJECTS = (
    "complex planning policy", "council tax arrears", "licensing decisions", "service performance data",
    "capital project budgets", "housing allocations", "statutory nuisance cases", "waste collection rounds",
    "recruitment campaigns", "procurement exercises", "customer complaints", "committee reports",
    "grant funding bids", "ICT change requests", "contract variations", "benefit overpayments",
    "enforcement notices", "building regulation applications", "asset management plans", "payroll queries",
    "emergency response plans", "business rates reliefs", "community safety partnerships",
    "data protection requests", "consultation responses", "tenancy sustainment cases", "leisure contracts",
    "income and debt recovery", "election logistics", "risk registers", "training programmes",
    "policy consultations", "health and safety inspections", "parking appeals", "land searches",
    "conservation area appraisals", "sports development schemes", "fleet maintenance schedules",
    "audit recommendations", "insurance claims", "joint working arrangements", "savings proposals",
)  # fmt: skip
AUDIENCES = (
    "to elected members", "with residents and businesses", "across both councils", "with partner agencies",
    "for senior managers", "with contractors", "for the public", "with colleagues in other teams",
    "with town and parish councils", "for the moderation panel", "with external auditors",
    "with voluntary sector groups", "for service users", "with government departments",
    "with neighbouring authorities", "for the joint management team", "with landlords and tenants",
    "with developers and agents", "for the wider team", "with trade union representatives",
)  # fmt: skip
QUALIFIERS = (
    "often under tight statutory deadlines", "with limited supervision", "where decisions may be challenged",
    "in a politically sensitive setting", "while balancing competing demands", "at short notice",
    "where the facts are incomplete", "within a fixed budget", "during periods of change",
    "where errors carry financial risk", "in line with legislation", "using judgement rather than rules",
    "without a precedent to follow", "with a high volume of cases", "in public meetings",
    "where tact is essential", "on behalf of both organisations", "with reputational consequences",
    "as part of a small team", "across several sites",
)  # fmt: skip
EVIDENCE = (
    "The job description", "The person specification", "The last service review", "Line management",
    "The team's service plan", "The role's key tasks", "Feedback from the previous postholder",
    "The moderation panel's guidance", "Comparison with similar roles", "The recruitment pack",
)  # fmt: skip
EVIDENCE_VERBS = (
    "shows that", "makes clear that", "confirms that", "indicates that", "records that", "suggests that",
    "notes that", "sets out that",
)  # fmt: skip
NEEDS = (
    "this is a daily part of the work", "mistakes here would affect residents directly",
    "the role is a point of escalation", "advice is given without checking with a manager",
    "the work is reviewed only occasionally", "the role shapes how others approach the task",
    "the postholder explains decisions in writing", "the work crosses service boundaries",
    "the role mentors newer colleagues", "outcomes are reported to committee",
    "the role must adapt to new legislation", "most of the work is routine but some is complex",
    "the postholder represents the council externally", "judgement is needed in unclear cases",
    "the role sets standards for the team", "the work relies on accurate records",
)  # fmt: skip
CLOSINGS = (
    "This supports the level chosen", "A lower level would understate the role",
    "A higher level is not needed for this post", "This is consistent with similar roles in the family",
    "This reflects the balance of the role's duties", "The level matches the indicators at this point",
    "This was agreed with the line manager", "It is a significant but not the main part of the job",
    "Development in this area is expected over time", "The panel may wish to compare with related posts",
)  # fmt: skip

UNKNOWN_NAMES = (
    "Comunication", "Leadership", "Health and Safety Awareness", "Digital Literacy", "Resilience",
    "Political Awareness", "Equality and Diversity", "Team Work", "Customer Service Excellence",
    "Project Management", "Technical Skills", "Decision Making",
)  # fmt: skip
OFF_SCALE_LEVELS = ("I", "J", "K", "Z", "9", "0", "AB", "H+")


# -- the data set -------------------------------------------------------------------------------------
@dataclass
class Entry:
    """One row of an RCP."""

    competency: str
    level: str | None
    rationale: str
    type: str | None


@dataclass
class Role:
    """One RCP, with where it came from in the generator's plan."""

    id: str
    title: str
    organisation: str
    family: str
    managerial: bool
    entries: list[Entry]
    #: Index of the role's family in the plan.
    family_index: int
    #: Level index per competency id the family's clean roles are centred on.
    base: dict[str, int]
    #: Role id of this role's twin in the other organisation (same title, same levels), if any.
    twin: str | None = None
    #: Defect kinds planted on this role.
    defects: list[str] = field(default_factory=list)


@dataclass
class Planted:
    """One planted defect: the rule expected to find it, the role and competency it concerns."""

    rule: str
    role: str
    competency: str | None
    #: Expected severity where it differs from the rule's default (missing-rationale warnings).
    severity: str | None
    #: Every role involved (for set rules the finding may be reported on any of them).
    roles: list[str]
    detail: str

    def as_json(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "role": self.role,
            "competency": self.competency,
            "severity": self.severity,
            "roles": self.roles,
            "detail": self.detail,
        }


class Generator:
    """Builds one deterministic profile set: plan families, fill roles, plant defects."""

    def __init__(self, framework: competency.Framework, seed: int) -> None:
        self.fw = framework
        self.rng = random.Random(seed)
        self.core = list(framework.required_for(managerial=False))
        all_for_managers = framework.required_for(managerial=True)
        core_ids = {c.id for c in self.core}
        self.management = [c for c in all_for_managers if c.id not in core_ids]
        self.competencies = list(framework.competencies)
        self.levels = {c.id: [lv.id for lv in framework.levels_for(c)] for c in self.competencies}
        self.type_name = {}
        for comp in self.competencies:
            kind = framework.kind_of(comp)
            self.type_name[comp.id] = (kind.name or kind.id.title()) if kind is not None else None
        self._texts: set[bytes] = set()
        self._titles: set[str] = set()
        self._family_names: set[str] = set()
        self._serial = 0
        self.roles: list[Role] = []
        self.planted: list[Planted] = []
        self._family_sizes: dict[int, int] = {}
        self._ids: dict[str, Role] = {}
        #: Set-rule defects recorded once the order of the set is final.
        self._groups: list[tuple[str, list[tuple[Role, str]]]] = []

    # -- text ---------------------------------------------------------------------------------------
    def _sentence(self) -> str:
        pick = self._pick
        roll = self.rng.random()
        if roll < 0.45:
            return f"{pick(OPENINGS)} {pick(VERBS)} {pick(OBJECTS)} {pick(AUDIENCES)}, {pick(QUALIFIERS)}."
        if roll < 0.8:
            return f"{pick(EVIDENCE)} {pick(EVIDENCE_VERBS)} {pick(NEEDS)}."
        return f"{pick(CLOSINGS)}: {pick(OBJECTS)} {pick(QUALIFIERS)}."

    def _pick(self, items: Sequence[str]) -> str:
        """``rng.choice``, three times cheaper (the generator draws millions of words at 10⁵ roles)."""
        return items[int(self.rng.random() * len(items))]

    def rationale(self) -> str:
        """A fresh rationale of 150-300 characters, never equal (ignoring case and spacing) to another."""
        while True:
            target = self.rng.randint(150, 300)
            parts: list[str] = []
            length = -1
            while length < target:
                sentence = self._sentence()
                if length + 1 + len(sentence) > 300:
                    if length >= 150:
                        break
                    continue
                parts.append(sentence)
                length += 1 + len(sentence)
            text = " ".join(parts)
            key = hashlib.blake2b(text.casefold().encode(), digest_size=12).digest()
            if key not in self._texts:
                self._texts.add(key)
                return text

    def _unique(self, seen: set[str], make: Any) -> str:
        while True:
            value: str = make()
            if value.casefold() not in seen:
                seen.add(value.casefold())
                return value

    def _title(self, family_service: str, managerial: bool) -> str:
        rng = self.rng

        def make() -> str:
            if managerial:
                base = f"{family_service} {rng.choice(MANAGER_TITLES)}"
            else:
                base = f"{rng.choice(GRADES)}{family_service} {rng.choice(STAFF_TITLES)}"
            if rng.random() < 0.75 or base.casefold() in self._titles:
                base += f" ({rng.choice(FOCUS)}, {rng.choice(AREAS)})"
            if base.casefold() in self._titles:
                base = (
                    f"{base[:-1]} {rng.randint(2, 999)})"
                    if base.endswith(")")
                    else f"{base} {rng.randint(2, 999)}"
                )
            return base

        return self._unique(self._titles, make)

    def _role_id(self, organisation: str) -> str:
        self._serial += 1
        return f"{ORG_CODES[organisation]}-{self._serial:06d}"

    def _name(self, comp: competency.Competency) -> str:
        """The competency as a profiler writes it: usually the framework's name, sometimes an alias."""
        if comp.aliases and self.rng.random() < 0.5:
            return comp.aliases[0]
        return comp.name

    # -- plan ---------------------------------------------------------------------------------------
    def build(self, n_roles: int, defect_rate: float) -> None:
        n_defects = round(n_roles * defect_rate) if defect_rate > 0 else 0
        if defect_rate > 0 and n_roles >= 40:
            n_defects = max(n_defects, len(DEFECT_KINDS))  # every kind at least once
        kinds = [DEFECT_KINDS[i % len(DEFECT_KINDS)] for i in range(n_defects)]
        n_copies = kinds.count("duplicate-role")
        self._families(max(1, n_roles - n_copies) if n_roles else 0)
        self._plant(kinds)

    def _families(self, n_roles: int) -> None:
        rng = self.rng
        family_index = 0
        while len(self.roles) < n_roles:
            left = n_roles - len(self.roles)
            size = min(left, 3 + int(27 * rng.random() ** 2))
            if 0 < left - size < 3:  # never leave a family of fewer than three for last
                size = left if left <= 30 else left - 3
            service = rng.choice(SERVICES)
            track = rng.choice(TRACKS)

            def family_name(service: str = service, track: str = track) -> str:
                name = f"{service} {track}"
                return name if name.casefold() not in self._family_names else f"{name} {rng.randint(2, 9999)}"

            name = self._unique(self._family_names, family_name)
            band = rng.random() * 0.7 + 0.15
            base: dict[str, int] = {}
            for comp in self.competencies:
                n = len(self.levels[comp.id])
                centre = round(band * (n - 1)) + rng.choice((-1, 0, 0, 1))
                base[comp.id] = min(max(centre, 1 if n > 2 else 0), n - 2 if n > 2 else n - 1)
            shared = size >= 6 and rng.random() < 0.3
            if shared:
                pairs, single = divmod(size, 2)
                for _ in range(pairs):
                    managerial = rng.random() < 0.3
                    title = self._title(service, managerial)
                    first = self._role(family_index, name, base, ORGANISATIONS[0], title, managerial)
                    second = self._role(
                        family_index, name, base, ORGANISATIONS[1], title, managerial, like=first
                    )
                    first.twin, second.twin = second.id, first.id
                for _ in range(single):
                    managerial = rng.random() < 0.3
                    org = rng.choice(ORGANISATIONS)
                    self._role(family_index, name, base, org, self._title(service, managerial), managerial)
            else:
                org = rng.choice(ORGANISATIONS)
                for _ in range(size):
                    managerial = rng.random() < 0.3
                    self._role(family_index, name, base, org, self._title(service, managerial), managerial)
            family_index += 1

    def _role(
        self,
        family_index: int,
        family: str,
        base: dict[str, int],
        organisation: str,
        title: str,
        managerial: bool,
        like: Role | None = None,
    ) -> Role:
        required = self.fw.required_for(managerial=managerial)
        entries = []
        for pos, comp in enumerate(required):
            if like is not None:
                level = like.entries[pos].level
            else:
                steps = self.levels[comp.id]
                roll = self.rng.random()
                shift = -1 if roll < 0.15 else (1 if roll > 0.85 else 0)
                level = steps[min(max(base[comp.id] + shift, 0), len(steps) - 1)]
            entries.append(Entry(self._name(comp), level, self.rationale(), self.type_name[comp.id]))
        role = Role(
            self._role_id(organisation), title, organisation, family, managerial, entries, family_index, base
        )
        self.roles.append(role)
        return role

    # -- defects ------------------------------------------------------------------------------------
    def _candidates(self, kind: str, used_families: set[int]) -> list[Role]:
        def clean(role: Role) -> bool:
            if role.defects or role.twin is not None:
                return False
            return not (kind in LEVEL_CHANGING and role.family_index in used_families)

        if kind == "cross-organisation-inconsistency":
            return [r for r in self.roles if r.twin is not None and not r.defects]
        if kind in ("management-on-non-manager",):
            return [r for r in self.roles if clean(r) and not r.managerial and self.management]
        if kind == "missing-management":
            return [r for r in self.roles if clean(r) and r.managerial and self.management]
        if kind == "type-mismatch":
            return [r for r in self.roles if clean(r) and len(set(self.type_name.values()) - {None}) > 1]
        if kind == "sibling-inconsistency":
            return [r for r in self.roles if clean(r) and self._family_size(r) >= 3]
        return [r for r in self.roles if clean(r)]

    def _family_size(self, role: Role) -> int:
        if not self._family_sizes:
            for r in self.roles:
                self._family_sizes[r.family_index] = self._family_sizes.get(r.family_index, 0) + 1
        return self._family_sizes[role.family_index]

    def _plant(self, kinds: Sequence[str]) -> None:
        used_families: set[int] = set()
        pools: dict[str, list[Role]] = {}
        copies: list[tuple[Role, Role]] = []
        for kind in kinds:
            pool = pools.get(kind)
            if pool is None:
                pool = pools[kind] = self._candidates(kind, used_families)
                self.rng.shuffle(pool)
            role = None
            while pool:
                candidate = pool.pop()
                if candidate.defects or (
                    kind != "cross-organisation-inconsistency" and candidate.twin is not None
                ):
                    continue
                if kind in LEVEL_CHANGING and candidate.family_index in used_families:
                    continue
                if kind == "cross-organisation-inconsistency" and self._by_id(candidate.twin).defects:
                    continue
                role = candidate
                break
            if role is None:
                print(f"generate.py: no role left to plant {kind!r} on; planted fewer", file=sys.stderr)
                continue
            if kind in LEVEL_CHANGING:
                used_families.add(role.family_index)
            method = getattr(self, "_plant_" + kind.replace("-", "_"))
            copy = method(role)
            if copy is not None:
                copies.append((role, copy))
        # copies (duplicate-role) stand right after their original, as a second upload would
        for original, copy in copies:
            self.roles.insert(self.roles.index(original) + 1, copy)
        self._resolve_groups()

    def _by_id(self, role_id: str | None) -> Role:
        if not self._ids:
            self._ids = {r.id: r for r in self.roles}
        return self._ids[role_id or ""]

    def _record(
        self,
        rule: str,
        role: Role,
        competency: str | None,
        detail: str,
        *,
        severity: str | None = None,
        roles: Sequence[str] = (),
    ) -> None:
        role.defects.append(rule)
        self.planted.append(Planted(rule, role.id, competency, severity, list(roles) or [role.id], detail))

    def _entry_of(self, role: Role, comp: competency.Competency) -> Entry:
        return next(e for e in role.entries if self.fw.find_competency(e.competency) == comp)

    def _plant_unknown_competency(self, role: Role) -> None:
        name = self.rng.choice(UNKNOWN_NAMES)
        level = self.rng.choice(self.levels[self.core[0].id])
        role.entries.insert(
            self.rng.randint(0, len(role.entries)), Entry(name, level, self.rationale(), None)
        )
        self._record("unknown-competency", role, name, f"extra entry {name!r}")

    def _plant_duplicate_competency(self, role: Role) -> None:
        comp = self.rng.choice(self.core)
        first = self._entry_of(role, comp)
        names = [n for n in (comp.name, *comp.aliases) if n != first.competency] or [comp.name]
        name = self.rng.choice(names)
        pos = role.entries.index(first) + 1
        role.entries.insert(pos, Entry(name, first.level, self.rationale(), first.type))
        self._record("duplicate-competency", role, comp.name, f"{comp.name!r} again as {name!r}")

    def _plant_level_off_scale(self, role: Role) -> None:
        comp = self.rng.choice(self.core)
        entry = self._entry_of(role, comp)
        entry.level = self.rng.choice(OFF_SCALE_LEVELS)
        self._record("level-off-scale", role, comp.name, f"level {entry.level!r}")

    def _plant_missing_core(self, role: Role) -> None:
        comp = self.rng.choice(self.core)
        role.entries.remove(self._entry_of(role, comp))
        self._record("missing-core", role, comp.name, "entry removed")

    def _plant_management_on_non_manager(self, role: Role) -> None:
        comp = self.rng.choice(self.management)
        level = self.levels[comp.id][role.base[comp.id]]
        role.entries.append(Entry(self._name(comp), level, self.rationale(), self.type_name[comp.id]))
        self._record("management-on-non-manager", role, comp.name, f"level {level} on a non-manager")

    def _plant_missing_management(self, role: Role) -> None:
        comp = self.rng.choice(self.management)
        role.entries.remove(self._entry_of(role, comp))
        self._record("missing-management", role, comp.name, "entry removed")

    def _plant_type_mismatch(self, role: Role) -> None:
        pool = [c for c in self.fw.required_for(managerial=role.managerial)]
        comp = self.rng.choice(pool)
        entry = self._entry_of(role, comp)
        others = sorted({t for t in self.type_name.values() if t and t != entry.type})
        entry.type = self.rng.choice(others)
        self._record("type-mismatch", role, comp.name, f"type {entry.type!r}")

    def _plant_missing_rationale(self, role: Role) -> None:
        comp = self.rng.choice(self.core)
        entry = self._entry_of(role, comp)
        roll = self.rng.random()
        if roll < 0.4:
            entry.rationale, severity, detail = "", None, "empty"
        elif roll < 0.75:
            entry.rationale = self.rng.choice(
                ("n/a", "N/A", "tbc", "TBC", "-", "see above", "As above", "TBD")
            )
            severity, detail = "warning", f"placeholder {entry.rationale!r}"
        else:
            entry.rationale = self.rng.choice(("Needed.", "Core skill.", "Same as team.", "Important"))
            severity, detail = "warning", f"short {entry.rationale!r}"
        self._record("missing-rationale", role, comp.name, detail, severity=severity)

    def _plant_duplicate_role(self, role: Role) -> Role:
        same_id = self.rng.random() < 0.5
        if same_id:
            copy_id, title = role.id, f"{role.title} - revised"
            self._titles.add(title.casefold())
            detail = "second RCP with the same role id"
        else:
            copy_id, title = self._role_id(role.organisation), role.title
            detail = f"same title at the same organisation as {role.id}"
        entries = [Entry(e.competency, e.level, self.rationale(), e.type) for e in role.entries]
        copy = Role(
            copy_id,
            title,
            role.organisation,
            role.family,
            role.managerial,
            entries,
            role.family_index,
            role.base,
            defects=["duplicate-role"],
        )
        role.defects.append("duplicate-role (original)")
        self.planted.append(
            Planted("duplicate-role", copy_id, None, None, sorted({role.id, copy_id}), detail)
        )
        return copy

    def _plant_sibling_inconsistency(self, role: Role) -> None:
        comp = self.rng.choice(self.core)
        entry = self._entry_of(role, comp)
        steps = self.levels[comp.id]
        base = role.base[comp.id]
        far = SIBLING_MAX_STEPS + 2
        index = base + far if base + far < len(steps) else base - far
        index = min(max(index, 0), len(steps) - 1)
        entry.level = steps[index]
        self._record(
            "sibling-inconsistency", role, comp.name, f"level {entry.level} against family base {steps[base]}"
        )

    def _plant_cross_organisation_inconsistency(self, role: Role) -> None:
        twin = self._by_id(role.twin)
        comp = self.rng.choice(self.core)
        entry = self._entry_of(role, comp)
        steps = self.levels[comp.id]
        now, base = steps.index(entry.level or ""), role.base[comp.id]
        step = -1 if now > base else 1 if now < base else self.rng.choice((-1, 1))
        entry.level = steps[min(max(now + step, 0), len(steps) - 1)]
        role.defects.append("cross-organisation-inconsistency")
        twin.defects.append("cross-organisation-inconsistency (twin)")
        self._groups.append(("cross-organisation-inconsistency", [(role, comp.name), (twin, comp.name)]))

    def _plant_copied_rationale(self, role: Role) -> None:
        count = COPIED_MIN_COUNT + self.rng.randint(0, 2)
        chosen = [role]
        for _ in range(50 * count):
            if len(chosen) == count:
                break
            other = self.roles[self.rng.randrange(len(self.roles))]
            if not other.defects and other not in chosen:
                chosen.append(other)
        text = self.rationale()
        members = []
        for target in chosen:
            entry = self.rng.choice([e for e in target.entries if e.rationale])
            entry.rationale = text
            comp = self.fw.find_competency(entry.competency)
            members.append((target, comp.name if comp is not None else entry.competency))
            target.defects.append("copied-rationale")
        self._groups.append(("copied-rationale", members))

    def _resolve_groups(self) -> None:
        """Record set-rule defects once the set's order is final: the rules report them on a role chosen
        by input order (copied-rationale: the first entry using the text; cross-organisation-inconsistency:
        on a tie, the later of the two roles)."""
        position = {id(role): pos for pos, role in enumerate(self.roles)}
        for rule, members in self._groups:
            ordered = sorted(members, key=lambda m: position[id(m[0])])
            ids = sorted({m[0].id for m in members})
            if rule == "copied-rationale":
                first, name = ordered[0]
                detail = f"one text in {len(members)} entries: " + ", ".join(
                    f"{r.id}/{n}" for r, n in ordered
                )
                self.planted.append(Planted(rule, first.id, name, None, ids, detail))
            else:
                later, name = ordered[-1]
                detail = f"level changed on {members[0][0].id}; the rule reports the later role of the pair"
                self.planted.append(Planted(rule, later.id, name, None, ids, detail))


# -- writers ------------------------------------------------------------------------------------------
def csv_bytes(roles: Sequence[Role]) -> bytes:
    """The profile set as CSV in the RCP template layout (one row per role × competency)."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for role in roles:
        head = (role.id, role.title, role.organisation, role.family, "yes" if role.managerial else "no")
        writer.writerows(
            (*head, entry.type or "", entry.competency, entry.level or "", entry.rationale)
            for entry in role.entries
        )
    return buffer.getvalue().encode("utf-8")


def _toml_string(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def toml_bytes(role: Role, framework: competency.Framework) -> bytes:
    """One role as a profile TOML file (docs/formats.md)."""
    lines = [
        "format = 1",
        "",
        "[framework]",
        f"id = {_toml_string(framework.id)}",
        "",
        "[[roles]]",
        f"id = {_toml_string(role.id)}",
        f"title = {_toml_string(role.title)}",
        f"organisation = {_toml_string(role.organisation)}",
        f"family = {_toml_string(role.family)}",
        f"managerial = {'true' if role.managerial else 'false'}",
    ]
    for entry in role.entries:
        lines += ["", "[[roles.competencies]]", f"competency = {_toml_string(entry.competency)}"]
        if entry.level is not None:
            lines.append(f"level = {_toml_string(entry.level)}")
        lines.append(f"rationale = {_toml_string(entry.rationale)}")
        if entry.type is not None:
            lines.append(f"type = {_toml_string(entry.type)}")
    return ("\n".join(lines) + "\n").encode("utf-8")


def toml_file_name(role: Role, position: int) -> str:
    """Files sort in the set's order (the CSV's), so set rules that report "the first" or "the later"
    role pick the same one in both formats; a second RCP under one role id gets its own file."""
    return f"{position:06d}-{role.id}.toml"


def sidecar_bytes(gen: Generator, args: dict[str, Any]) -> bytes:
    data = {
        "generator": "benchmarks/generate.py",
        "arguments": args,
        "roles": len(gen.roles),
        "rows": sum(len(r.entries) for r in gen.roles),
        "planted": [p.as_json() for p in gen.planted],
    }
    return (json.dumps(data, indent=1, ensure_ascii=False) + "\n").encode("utf-8")


def generate(
    roles: int,
    seed: int,
    *,
    framework: str = "cdc-snc-2015",
    defect_rate: float = 0.02,
) -> Generator:
    """Build the profile set in memory (the writers turn it into files)."""
    gen = Generator(competency.load_framework(framework), seed)
    gen.build(roles, defect_rate)
    return gen


def write(
    gen: Generator,
    *,
    csv_path: Path | None = None,
    toml_dir: Path | None = None,
    args: dict[str, Any] | None = None,
) -> None:
    """Write the CSV and/or TOML folder, each with its ``.planted.json`` sidecar."""
    side = sidecar_bytes(gen, args or {})
    if csv_path is not None:
        csv_path.parent.mkdir(parents=True, exist_ok=True)
        csv_path.write_bytes(csv_bytes(gen.roles))
        Path(f"{csv_path}.planted.json").write_bytes(side)
    if toml_dir is not None:
        toml_dir.mkdir(parents=True, exist_ok=True)
        for old in toml_dir.rglob("*.toml"):
            old.unlink()
        for position, role in enumerate(gen.roles, start=1):
            (toml_dir / toml_file_name(role, position)).write_bytes(toml_bytes(role, gen.fw))
        Path(f"{str(toml_dir).rstrip('/')}.planted.json").write_bytes(side)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--roles", type=int, required=True, help="number of RCPs to generate")
    parser.add_argument("--seed", type=int, required=True, help="random seed (same seed, same bytes)")
    parser.add_argument("--framework", default="cdc-snc-2015", help="bundled framework id or path")
    parser.add_argument(
        "--defect-rate",
        type=float,
        default=0.02,
        help="planted defects per role (default 0.02; every kind at least once when > 0)",
    )
    parser.add_argument(
        "--csv", type=Path, metavar="FILE", help="write the set as CSV in the template layout"
    )
    parser.add_argument("--toml-dir", type=Path, metavar="DIR", help="write one TOML file per role into DIR")
    args = parser.parse_args(argv)
    if args.csv is None and args.toml_dir is None:
        parser.error("give --csv FILE and/or --toml-dir DIR")
    if args.roles < 0:
        parser.error("--roles must be 0 or more")
    gen = generate(args.roles, args.seed, framework=args.framework, defect_rate=args.defect_rate)
    recorded = {
        "roles": args.roles,
        "seed": args.seed,
        "framework": args.framework,
        "defect_rate": args.defect_rate,
    }
    write(gen, csv_path=args.csv, toml_dir=args.toml_dir, args=recorded)
    return 0


if __name__ == "__main__":
    sys.exit(main())
