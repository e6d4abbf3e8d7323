"""What changed between two versions of a profile set: what HR reviews when a job is revised.

Policy §3.1: RCPs for revised posts are drafted by the line manager and "reviewed by HR if it is an
update". The reviewer needs the changes, not two spreadsheets side by side: which roles were added or
removed, and per role which competencies changed level or rationale, and which role facts (title,
family, organisation, managerial, grade, framework) changed.

Roles are matched by id, wherever they sit in the files and whatever the files' formats: re-sorting a
spreadsheet, or moving from CSV to TOML, changes nothing. Entries are matched by competency, through
the framework when one is given (so "Technical Expertise" and "Expertise and Self-Development" are the
same entry, and a level "d" is the level "D"), otherwise by name ignoring case and spacing. Rationales
are compared ignoring differences of white space only (line breaks a spreadsheet adds or removes).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any, Literal

import attrs

from ._framework import Framework
from ._names import normalise
from ._profile import ProfileEntry, RoleProfile

__all__ = [
    "DIFF_JSON_VERSION",
    "EntryChange",
    "FieldChange",
    "ProfileDiff",
    "RoleChange",
    "diff_profiles",
    "diff_to_json",
    "diff_to_text",
]

#: Version of the ``competency diff --format json`` document.
DIFF_JSON_VERSION = 1

#: The role facts compared, in the order they are reported.
ROLE_FIELDS = ("title", "organisation", "family", "managerial", "grade", "framework")

FieldValue = str | bool | None


@attrs.frozen
class FieldChange:
    """A role fact that changed (``field`` is one of :data:`ROLE_FIELDS`)."""

    field: str
    old: FieldValue
    new: FieldValue


@attrs.frozen
class EntryChange:
    """A competency added to, removed from, or changed in one role's RCP."""

    #: The competency's framework name when it resolves, else the name as written (new side first).
    competency: str
    change: Literal["added", "removed", "changed"]
    old_level: str | None = None
    new_level: str | None = None
    old_rationale: str | None = None
    new_rationale: str | None = None
    #: Whether the level changed (always True for added and removed entries).
    level_changed: bool = False
    #: Whether the rationale changed (ignoring white space).
    rationale_changed: bool = False


@attrs.frozen
class RoleChange:
    """One role present on both sides whose RCP changed."""

    id: str
    #: The role's title on the new side.
    title: str
    organisation: str | None
    fields: tuple[FieldChange, ...]
    competencies: tuple[EntryChange, ...]
    old: RoleProfile = attrs.field(eq=False, repr=False)
    new: RoleProfile = attrs.field(eq=False, repr=False)


@attrs.frozen
class ProfileDiff:
    """Everything that changed from an old profile set to a new one."""

    added: tuple[RoleProfile, ...]
    removed: tuple[RoleProfile, ...]
    changed: tuple[RoleChange, ...]
    #: Roles present on both sides with no change.
    unchanged: int

    @property
    def empty(self) -> bool:
        """Whether the two sets hold the same RCPs."""
        return not (self.added or self.removed or self.changed)


def diff_profiles(
    old: Iterable[RoleProfile], new: Iterable[RoleProfile], *, framework: Framework | None = None
) -> ProfileDiff:
    """The differences from ``old`` to ``new``, roles matched by id, each list sorted by role id.

    When one id has several RCPs on a side (a ``duplicate-role`` finding), they are paired in the order
    they appear. ``framework`` resolves competency names and levels (aliases, level spellings).
    """
    old_list, new_list = list(old), list(new)
    old_by_id: dict[str, list[RoleProfile]] = defaultdict(list)
    for profile in old_list:
        old_by_id[profile.id].append(profile)
    taken: dict[str, int] = defaultdict(int)
    added: list[RoleProfile] = []
    changed: list[RoleChange] = []
    unchanged = 0
    for profile in new_list:
        candidates = old_by_id.get(profile.id, [])
        position = taken[profile.id]
        if position >= len(candidates):
            added.append(profile)
            continue
        taken[profile.id] += 1
        change = _role_change(candidates[position], profile, framework)
        if change is None:
            unchanged += 1
        else:
            changed.append(change)
    removed = []
    seen: dict[str, int] = defaultdict(int)
    for profile in old_list:
        seen[profile.id] += 1
        if seen[profile.id] > taken[profile.id]:
            removed.append(profile)
    by_id = _by_id
    return ProfileDiff(
        tuple(sorted(added, key=by_id)),
        tuple(sorted(removed, key=by_id)),
        tuple(sorted(changed, key=by_id)),
        unchanged,
    )


def _by_id(item: RoleProfile | RoleChange) -> str:
    """Roles are listed by id, so the order of the rows in either file does not matter."""
    return item.id


# -- comparing one role --------------------------------------------------------------------------------
def _text(value: str | None) -> str:
    return " ".join((value or "").split())


def _field(profile: RoleProfile, name: str) -> FieldValue:
    if name == "managerial":
        return profile.managerial
    if name == "framework":
        ref = profile.framework
        if ref is None:
            return None
        return f"{ref.id} {ref.version}" if ref.version else ref.id
    value: str | None = getattr(profile, name)
    return _text(value) or None


def _role_change(old: RoleProfile, new: RoleProfile, framework: Framework | None) -> RoleChange | None:
    fields = tuple(
        FieldChange(name, _field(old, name), _field(new, name))
        for name in ROLE_FIELDS
        if _field(old, name) != _field(new, name)
    )
    entries = tuple(_entry_changes(old.competencies, new.competencies, framework))
    if not fields and not entries:
        return None
    return RoleChange(new.id, new.title, new.organisation, fields, entries, old, new)


def _key(entry: ProfileEntry, framework: Framework | None) -> tuple[str, str]:
    """``(matching key, name to show)`` of an entry's competency."""
    if framework is not None:
        comp = framework.find_competency(entry.competency)
        if comp is not None:
            return comp.id, comp.name
    return "?" + normalise(entry.competency), entry.competency.strip()


def _level_key(entry: ProfileEntry, key: str, framework: Framework | None) -> str | None:
    if entry.level is None:
        return None
    if framework is not None and not key.startswith("?"):
        comp = framework.find_competency(entry.competency)
        if comp is not None:
            level = framework.find_level(comp, entry.level)
            if level is not None:
                return level.id
    return normalise(entry.level)


def _entry_changes(
    old: Sequence[ProfileEntry], new: Sequence[ProfileEntry], framework: Framework | None
) -> list[EntryChange]:
    """Entry changes, in the framework's order (else the new file's), whatever the rows' order.

    Entries are paired per competency; when a competency appears more than once on a side (a
    ``duplicate-competency`` finding), identical entries are paired first, then the rest in order.
    """
    old_by_key: dict[str, list[ProfileEntry]] = defaultdict(list)
    new_by_key: dict[str, list[ProfileEntry]] = defaultdict(list)
    names: dict[str, str] = {}
    for entry in old:
        key, names[key] = _key(entry, framework)
        old_by_key[key].append(entry)
    for entry in new:
        key, names[key] = _key(entry, framework)
        new_by_key[key].append(entry)
    order = {c.id: index for index, c in enumerate(framework.competencies)} if framework is not None else {}
    first_seen: dict[str, int] = {}
    for key in (*new_by_key, *old_by_key):
        first_seen.setdefault(key, len(first_seen))
    keys = sorted(first_seen, key=lambda k: (order.get(k, len(order)), first_seen[k]))
    changes: list[EntryChange] = []
    for key in keys:
        befores, afters = list(old_by_key.get(key, ())), list(new_by_key.get(key, ()))
        signature = {id(e): (_level_key(e, key, framework), _text(e.rationale)) for e in (*befores, *afters)}
        for after in list(afters):  # identical entries first
            twin = next((b for b in befores if signature[id(b)] == signature[id(after)]), None)
            if twin is not None:
                befores.remove(twin)
                afters.remove(after)
        name = names[key]
        for before, after in zip(befores, afters, strict=False):
            level_changed = signature[id(before)][0] != signature[id(after)][0]
            changes.append(
                EntryChange(
                    name,
                    "changed",
                    before.level,
                    after.level,
                    before.rationale,
                    after.rationale,
                    level_changed,
                    signature[id(before)][1] != signature[id(after)][1],
                )
            )
        for after in afters[len(befores) :]:
            changes.append(
                EntryChange(
                    name, "added", new_level=after.level, new_rationale=after.rationale, level_changed=True
                )
            )
        for before in befores[len(afters) :]:
            changes.append(
                EntryChange(
                    name,
                    "removed",
                    old_level=before.level,
                    old_rationale=before.rationale,
                    level_changed=True,
                )
            )
    return changes


# -- output ----------------------------------------------------------------------------------------------
def _role_json(profile: RoleProfile) -> dict[str, Any]:
    loc = profile.location
    return {
        "id": profile.id,
        "title": profile.title,
        "organisation": profile.organisation,
        "family": profile.family,
        "managerial": profile.managerial,
        "path": loc.path if loc else None,
        "line": loc.line if loc else None,
    }


def diff_to_json(diff: ProfileDiff) -> dict[str, Any]:
    """The ``competency diff --format json`` document (docs/diff.md describes every field)."""

    def side(level: str | None, rationale: str | None) -> dict[str, Any]:
        return {"level": level, "rationale": rationale}

    changed = []
    for role in diff.changed:
        changed.append(
            {
                "id": role.id,
                "title": role.title,
                "organisation": role.organisation,
                "family": role.new.family,
                "fields": [{"field": f.field, "old": f.old, "new": f.new} for f in role.fields],
                "competencies": [
                    {
                        "competency": e.competency,
                        "change": e.change,
                        "level_changed": e.level_changed,
                        "rationale_changed": e.rationale_changed,
                        "old": None if e.change == "added" else side(e.old_level, e.old_rationale),
                        "new": None if e.change == "removed" else side(e.new_level, e.new_rationale),
                    }
                    for e in role.competencies
                ],
            }
        )
    return {
        "version": DIFF_JSON_VERSION,
        "summary": {
            "added": len(diff.added),
            "removed": len(diff.removed),
            "changed": len(diff.changed),
            "unchanged": diff.unchanged,
        },
        "added": [_role_json(p) for p in diff.added],
        "removed": [_role_json(p) for p in diff.removed],
        "changed": changed,
    }


#: Control characters from the input are shown, never sent to a terminal.
_CONTROLS = {c: f"\\x{c:02x}" for c in (*range(0x20), *range(0x7F, 0xA0))} | {0x0A: " ", 0x0D: " ", 0x09: " "}


def _clean(value: FieldValue) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if value is None:
        return "(none)"
    return value.translate(_CONTROLS)


def _describe(profile: RoleProfile) -> str:
    facts = [profile.title, profile.organisation, profile.family]
    return " · ".join(_clean(f) for f in facts if f)


def _shown_level(level: str | None) -> str:
    return _clean(level) if level else "(no level)"


def diff_to_text(diff: ProfileDiff) -> str:
    """The differences for people: roles added, removed and changed, then a one-line summary."""
    lines: list[str] = []
    if diff.added:
        lines.append(f"Roles added ({len(diff.added)})")
        lines.extend(f"  + {_clean(p.id)}  {_describe(p)}" for p in diff.added)
    if diff.removed:
        lines.append(f"Roles removed ({len(diff.removed)})")
        lines.extend(f"  - {_clean(p.id)}  {_describe(p)}" for p in diff.removed)
    if diff.changed:
        lines.append(f"Roles changed ({len(diff.changed)})")
        for role in diff.changed:
            lines.append(f"  ~ {_clean(role.id)}  {_describe(role.new)}")
            for f in role.fields:
                old, new = _clean(f.old), _clean(f.new)
                if isinstance(f.old, str):
                    old = f'"{old}"'
                if isinstance(f.new, str):
                    new = f'"{new}"'
                lines.append(f"      {f.field}: {old} -> {new}")
            for e in role.competencies:
                name = _clean(e.competency)
                if e.change == "added":
                    lines.append(f"      {name}: added at level {_shown_level(e.new_level)}")
                elif e.change == "removed":
                    lines.append(f"      {name}: removed (was level {_shown_level(e.old_level)})")
                else:
                    what = []
                    if e.level_changed:
                        what.append(f"level {_shown_level(e.old_level)} -> {_shown_level(e.new_level)}")
                    if e.rationale_changed:
                        what.append("rationale changed")
                    lines.append(f"      {name}: {', '.join(what)}")
                    if e.rationale_changed:
                        lines.append(f"          - {_clean(_text(e.old_rationale)) or '(empty)'}")
                        lines.append(f"          + {_clean(_text(e.new_rationale)) or '(empty)'}")
    summary = (
        f"{len(diff.added)} added, {len(diff.removed)} removed, {len(diff.changed)} changed, "
        f"{diff.unchanged} unchanged"
    )
    lines.append(("No differences: " if diff.empty else "") + summary)
    return "\n".join(lines) + "\n"
