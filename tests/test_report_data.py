"""Profile sets for the report tests: small, deterministic, with planted problems.

``profile_set(n)`` builds ``n`` CDC/SNC roles across both councils in families of 3-8, about a third
managerial, with levels near a family baseline; ``planted=True`` plants one problem of several kinds so
that findings land on cells and on roles, and adds one role: the same job in the other council,
profiled differently.
"""

from __future__ import annotations

import functools
import random

from competency import Framework, ProfileEntry, RoleProfile, load_framework

ORGS = ("Cherwell District Council", "South Northamptonshire Council")
FAMILIES = ("Human Resources", "Planning", "Finance", "Customer Services", "Environmental Health", "ICT")
TITLES = ("Officer", "Senior Officer", "Adviser", "Team Leader", "Manager", "Assistant", "Specialist", "Lead")
VERBS = ("advises", "coordinates", "reviews", "leads", "delivers", "supports", "negotiates", "reports on")
OBJECTS = ("casework", "budgets", "service plans", "customer complaints", "policy changes", "projects")


@functools.cache
def cdc_snc() -> Framework:
    """The CDC/SNC framework, loaded once per test session."""
    return load_framework("cdc-snc-2015")


def _rationale(rng: random.Random, comp: str, title: str) -> str:
    parts = [
        f"The {title} {rng.choice(VERBS)} {rng.choice(OBJECTS)}",
        f"{rng.choice(VERBS)} {rng.choice(OBJECTS)}",
        f"which calls for {comp.lower()} at this level in day-to-day work",
        f"with evidence from the job description section {rng.randint(2, 9)}.",
    ]
    return ", ".join(parts)


def profile_set(n: int, *, seed: int = 7, planted: bool = True) -> list[RoleProfile]:
    """``n`` roles (``n`` >= 12 when ``planted``), deterministic for a seed."""
    fw = cdc_snc()
    rng = random.Random(seed)
    profiles: list[RoleProfile] = []
    number = 0
    while len(profiles) < n:
        family = FAMILIES[len(profiles) // 6 % len(FAMILIES)] + ("" if len(profiles) < 36 else f" {number}")
        base = rng.randint(1, 5)
        titles = rng.sample(TITLES, len(TITLES))
        for position in range(min(rng.randint(3, 8), n - len(profiles))):
            number += 1
            title = f"{family} {titles[position]}"
            managerial = rng.random() < 0.3
            org = ORGS[number % 2]
            entries = []
            for comp in fw.required_for(managerial=managerial):
                levels = fw.levels_for(comp)
                index = max(0, min(len(levels) - 1, base + rng.randint(-1, 1) + (1 if managerial else 0)))
                entries.append(
                    ProfileEntry(comp.name, levels[index].id, _rationale(rng, comp.name, title), type=None)
                )
            profiles.append(
                RoleProfile(
                    id=f"{'CDC' if org == ORGS[0] else 'SNC'}-{number:04d}",
                    title=title,
                    competencies=tuple(entries),
                    organisation=org,
                    family=family,
                    managerial=managerial,
                )
            )
    if planted:
        _plant(profiles)
    return profiles


def _plant(profiles: list[RoleProfile]) -> None:
    import attrs

    def evolve_entry(p: int, e: int, **changes: object) -> None:
        entries = list(profiles[p].competencies)
        entries[e] = attrs.evolve(entries[e], **changes)
        profiles[p] = attrs.evolve(profiles[p], competencies=tuple(entries))

    evolve_entry(0, 0, level="H")  # sibling outlier, most likely
    evolve_entry(1, 1, level="I")  # level-off-scale
    evolve_entry(2, 2, rationale="n/a")  # placeholder rationale (warning)
    evolve_entry(3, 0, rationale="")  # missing rationale (error)
    profiles[4] = attrs.evolve(profiles[4], competencies=profiles[4].competencies[1:])  # missing-core
    entries = list(profiles[5].competencies)
    entries.append(ProfileEntry("Leadership Vision", "D", "Leads the team's vision for the service."))
    profiles[5] = attrs.evolve(profiles[5], competencies=tuple(entries))  # unknown-competency
    profiles[6] = attrs.evolve(profiles[6], title="<script>alert(1)</script> & Co")  # hostile text
    # the same job in the other council, profiled differently (cross-organisation-inconsistency)
    other = ORGS[1] if profiles[7].organisation == ORGS[0] else ORGS[0]
    twin = profiles[7].competencies
    shifted = tuple(attrs.evolve(e, level="A" if e.level != "A" else "C") for e in twin[:2]) + twin[2:]
    profiles.append(
        attrs.evolve(profiles[7], id=profiles[7].id + "-X", organisation=other, competencies=shifted)
    )


def test_profile_set_is_deterministic() -> None:
    assert profile_set(20, seed=3) == profile_set(20, seed=3)
    assert profile_set(20, seed=3) != profile_set(20, seed=4)
    assert len(profile_set(13, planted=False)) == 13
    assert len(profile_set(13)) == 14  # planted: plus the same job in the other council
