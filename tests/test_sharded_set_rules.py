"""The built-in set rules find the same problems however the profiles are shared out.

A set rule written as a :class:`~competency_rules.ShardedSetRule` runs in four steps so that a large check
can run it over consecutive shares of the profiles in separate processes: ``summarise`` in each share's
process, ``combine`` in the coordinating one, ``gather`` in each share's process again, ``judge`` in the
coordinating one. Here the shares are cut wherever Hypothesis likes (empty shares included), every
summary, plan and evidence goes through ``pickle`` as it would between processes, and the problems must
be those of ``Rule.check`` — the same four steps over one share, which is how a check runs in one
process — message, role, entry, competency, severity, and order. The profiles come from the benchmark
generator (the 300-role set with planted defects that tests/test_optimisation_equivalence.py checks
against a golden file), reordered and with RCPs copied elsewhere in the set, so that duplicates, copied
rationales, families and titles straddle the cuts; from ``competency.strategies`` (any framework); and
from a scale long enough for level indices of 256 and more.
"""

from __future__ import annotations

import itertools
import pickle
import random
import statistics
import sys
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

import attrs
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

import competency
from competency import CheckConfig, Checker, Framework, RoleProfile
from competency._framework import Competency
from competency._names import normalise
from competency._scale import Scale
from competency.strategies import can_plant, frameworks, profile_sets
from competency_rules import Problem, ProfileView, ResolvedEntry, Rule, RuleContext
from competency_rules.builtin._common import listed, normalise_text
from competency_rules.docs import builtin_rules
from competency_rules.testing import make_profile
from test_optimisation_equivalence import RATE, ROLES, SEED, _generator

SET_RULES = tuple(rule for rule in builtin_rules() if rule.scope == "set")
RULE_IDS = ("duplicate-role", "sibling-inconsistency", "cross-organisation-inconsistency", "copied-rationale")

#: Options worth varying: copied-rationale's min_copies = 2 takes combine's other road (a text used once
#: in each of two shares is a candidate), and small families or steps give many more findings.
OPTIONS: Mapping[str, st.SearchStrategy[dict[str, Any]]] = {
    "copied-rationale": st.fixed_dictionaries({"min_copies": st.integers(1, 5)}),
    "sibling-inconsistency": st.fixed_dictionaries(
        {"max_steps": st.integers(0, 3), "min_family_size": st.integers(0, 5)}
    ),
}


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> tuple[Checker, list[ProfileView]]:
    """The checker and the views of the generated 300-role set, loaded from CSV (locations included)."""
    generate = _generator()
    folder = tmp_path_factory.mktemp("sharded")
    generate.write(generate.generate(ROLES, SEED, defect_rate=RATE), csv_path=folder / "set.csv")
    checker = Checker(config=CheckConfig(framework="cdc-snc-2015"))
    return checker, [checker.view(p) for p in competency.load_profiles(folder / "set.csv")]


def _context(rule: Rule, framework: Framework, options: Mapping[str, Any] | None = None) -> RuleContext:
    return RuleContext(rule=rule, framework=framework, options={**rule.default_options(), **(options or {})})


def _crossed(value: Any, protocol: int) -> Any:
    """``value`` as another process receives it."""
    return pickle.loads(pickle.dumps(value, protocol=protocol))


def run_sharded(
    rule: Rule,
    views: Sequence[ProfileView],
    cuts: Sequence[int],
    ctx: RuleContext,
    *,
    first_here: bool = False,
    protocol: int = pickle.DEFAULT_PROTOCOL,
) -> list[Problem]:
    """The four steps over the shares ``views`` is cut into at ``cuts``, each share as if in its own
    process. With ``first_here`` the first share runs in the coordinating process, as an engine may do:
    its summary and evidence are not pickled, and combine and judge run on its instance; otherwise they
    run on an instance of their own, which has seen no profile."""
    assert rule.sharded is not None
    bounds = [0, *sorted(cuts), len(views)]
    shares = [views[start:end] for start, end in itertools.pairwise(bounds)]
    rules = [rule.sharded() for _ in shares]
    here = [first_here and n == 0 for n in range(len(shares))]
    summaries = [
        summary if local else _crossed(summary, protocol)
        for summary, local in zip(
            (r.summarise(s, ctx) for r, s in zip(rules, shares, strict=True)), here, strict=True
        )
    ]
    coordinator = rules[0] if first_here else rule.sharded()
    plan = coordinator.combine(summaries, ctx)
    evidence = [
        found if local else _crossed(found, protocol)
        for found, local in zip(
            (
                r.gather(s, plan if local else _crossed(plan, protocol), ctx)
                for r, s, local in zip(rules, shares, here, strict=True)
            ),
            here,
            strict=True,
        )
    ]
    return list(coordinator.judge(evidence, plan, ctx))


def _key(problems: Sequence[Problem]) -> list[tuple[Any, ...]]:
    """What a finding is made of, for each problem in order (profiles and entries compared by value)."""
    return [
        (
            p.message,
            p.profile.id if p.profile is not None else None,
            p.entry.location if p.entry is not None else None,
            p.competency,
            p.severity,
            p.profile,
            p.entry,
        )
        for p in problems
    ]


def _assert_same(
    rule: Rule, views: Sequence[ProfileView], cuts: Sequence[int], ctx: RuleContext, **how: Any
) -> None:
    serial = list(rule.check(views, ctx))
    assert _key(serial) == _key(list(REFERENCE[rule.id](views, ctx))), rule.id
    assert _key(run_sharded(rule, views, cuts, ctx, **how)) == _key(serial), (rule.id, sorted(cuts), how)


# -- the rules are sharded ----------------------------------------------------------------------------------


def test_every_builtin_set_rule_is_sharded_and_checks_in_four_steps() -> None:
    assert sorted(rule.id for rule in SET_RULES) == sorted(RULE_IDS)
    for rule in SET_RULES:
        assert rule.sharded is not None, rule.id
        assert rule.check == rule.sharded.run_serially, rule.id
        # the class stays importable under its own name, so that it pickles by reference
        module = sys.modules[rule.sharded.__module__]
        assert getattr(module, rule.sharded.__qualname__) is rule.sharded
        assert module.rule is rule


def test_the_generated_set_has_findings_for_every_set_rule(
    generated: tuple[Checker, list[ProfileView]],
) -> None:
    """So that the comparisons below are not of empty lists."""
    _, views = generated
    for rule in SET_RULES:
        assert list(rule.check(views, _context(rule, views[0].framework))), rule.id


# -- any cut of the generated set ---------------------------------------------------------------------------


def _reordered(views: list[ProfileView], how: str, seed: int) -> list[ProfileView]:
    if how == "reversed":
        return views[::-1]
    if how == "by organisation":  # one council's file after the other's: every shared title spans shares
        return sorted(views, key=lambda v: v.profile.organisation or "")
    if how == "by title":
        return sorted(views, key=lambda v: v.profile.title.casefold())
    if how == "shuffled":
        shuffled = list(views)
        random.Random(seed).shuffle(shuffled)
        return shuffled
    return list(views)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_any_shares_of_the_generated_set_find_what_one_share_finds(
    generated: tuple[Checker, list[ProfileView]], data: st.DataObject
) -> None:
    checker, views = generated
    how = data.draw(st.sampled_from(["input", "reversed", "by organisation", "by title", "shuffled"]))
    views = _reordered(views, how, data.draw(st.integers(0, 2**16)))
    # RCPs copied elsewhere in the set (new views): duplicate ids and titles, texts used again (one RCP
    # copied several times: a text used by more roles than a message names), families and titles with
    # more roles, in other shares than the original, often; a copy may get its own id, or move to the
    # other council, or be copied again.
    copies = st.tuples(
        st.one_of(st.integers(0, 3), st.integers(0, 10**6), st.just(-1)),
        st.integers(0, 10**6),
        st.sampled_from(["same", "new id", "other council"]),
    )
    last: RoleProfile | None = None
    for source, target, change in data.draw(st.lists(copies, max_size=8)):
        profile = last if source == -1 and last is not None else views[source % len(views)].profile
        if change == "new id":
            profile = attrs.evolve(profile, id=f"{profile.id}-{target % 7}")
        elif change == "other council":
            councils = ("Cherwell District Council", "South Northamptonshire Council")
            profile = attrs.evolve(profile, organisation=councils[profile.organisation == councils[0]])
        views.insert(target % (len(views) + 1), checker.view(profile))
        last = profile
    cuts = data.draw(st.lists(st.integers(0, len(views)), max_size=5))
    first_here = data.draw(st.booleans())
    protocol = data.draw(st.sampled_from([pickle.DEFAULT_PROTOCOL, pickle.HIGHEST_PROTOCOL]))
    for rule in SET_RULES:
        options = data.draw(OPTIONS[rule.id]) if rule.id in OPTIONS else {}
        ctx = _context(rule, views[0].framework, options)
        _assert_same(rule, views, cuts, ctx, first_here=first_here, protocol=protocol)


def test_every_cut_in_two_of_a_small_piece(generated: tuple[Checker, list[ProfileView]]) -> None:
    """Every cut point of a piece of the set, with one RCP there eight times (and once more under its own
    id): a role id and texts used by more RCPs than a message names, on both sides of most cuts."""
    checker, views = generated
    piece = views[160:]  # the planted family and title inconsistencies are in this part
    copied = piece[7].profile
    for place in (135, 80, 61, 40, 33, 20, 2):
        piece.insert(place, checker.view(copied))
    piece.insert(50, checker.view(attrs.evolve(copied, id="CDC-COPY-1")))
    for rule in SET_RULES:
        ctx = _context(rule, piece[0].framework, {"min_copies": 2} if rule.id == "copied-rationale" else {})
        assert list(rule.check(piece, ctx)), rule.id
        for cut in range(len(piece) + 1):
            _assert_same(rule, piece, [cut], ctx)


# -- any framework, from competency.strategies --------------------------------------------------------------


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much]
)
@given(data=st.data())
def test_any_shares_of_a_drawn_set_find_what_one_share_finds(data: st.DataObject) -> None:
    framework = data.draw(frameworks())
    defect = data.draw(st.sampled_from([None, *RULE_IDS]))
    assume(defect is None or can_plant(framework, defect))
    profiles = list(data.draw(profile_sets(framework, min_size=1, max_size=12, defect=defect)))
    for source in data.draw(st.lists(st.integers(0, 100), max_size=4)):  # duplicates, and copied texts
        profiles.append(profiles[source % len(profiles)])
    profiles = data.draw(st.permutations(profiles))
    checker = Checker(framework)
    views = [checker.view(profile, framework) for profile in profiles]
    cuts = data.draw(st.lists(st.integers(0, len(views)), max_size=4))
    for rule in SET_RULES:
        options = data.draw(OPTIONS[rule.id]) if rule.id in OPTIONS else {}
        _assert_same(
            rule, views, cuts, _context(rule, framework, options), first_here=data.draw(st.booleans())
        )


# -- a scale of 300 levels -------------------------------------------------------------------------------


def test_level_indices_past_255() -> None:
    """Level indices travel as bytes while they fit; a longer scale must not lose or garble any."""
    scale = Scale.build("n", [str(i) for i in range(300)])
    comps = (Competency(id="comms", name="Communication"), Competency(id="focus", name="Customer Focus"))
    framework = Framework(
        id="wide", title="Wide", version="1", scales=(scale,), competencies=comps, default_scale="n"
    )
    orgs = ("Cherwell District Council", "South Northamptonshire Council")
    levels = ["10", "12", "11", "290", "13", "11", "0", "299", "12", "12"]
    profiles: list[RoleProfile] = [
        make_profile(
            {"Communication": level, "Customer Focus": "5" if n % 3 else "270"},
            id=f"R{n}",
            title=f"Officer {n % 3}",
            organisation=orgs[n % 2],
            family="Housing",
            path="wide.csv",
        )
        for n, level in enumerate(levels)
    ]
    # a family whose median is past 255, with one role far below it (a share may hold only that one)
    for n, level in enumerate(["10", "280", "281", "282", "283", "281"]):
        profiles.insert(2 * n, make_profile({"Communication": level}, id=f"P{n}", family="Planning"))
    checker = Checker(framework)
    views = [checker.view(profile, framework) for profile in profiles]
    found = {rule.id: list(rule.check(views, _context(rule, framework))) for rule in SET_RULES}
    assert found["sibling-inconsistency"] and found["cross-organisation-inconsistency"]
    assert any("level 299" in p.message for p in found["sibling-inconsistency"])
    assert any("median level 281" in p.message for p in found["sibling-inconsistency"])
    for rule in SET_RULES:
        ctx = _context(rule, framework)
        for cut in range(len(views) + 1):
            for first_here in (False, True):
                _assert_same(rule, views, [cut], ctx, first_here=first_here)
        _assert_same(rule, views, [2, 5, 5, 8], ctx)


# -- what crosses between processes -------------------------------------------------------------------------


def test_summaries_and_plans_carry_no_profile_entry_or_text(
    generated: tuple[Checker, list[ProfileView]],
) -> None:
    """Only the evidence may carry a profile (for the few that become findings); summaries and plans are
    counts, keys and hashes, a small fraction of the profiles themselves."""
    _, views = generated
    half = len(views) // 2
    shares = [views[:half], views[half:]]
    for rule in SET_RULES:
        assert rule.sharded is not None
        ctx = _context(rule, views[0].framework)
        rules = [rule.sharded() for _ in shares]
        summaries = [r.summarise(share, ctx) for r, share in zip(rules, shares, strict=True)]
        plan = rules[0].combine([_crossed(s, pickle.DEFAULT_PROTOCOL) for s in summaries], ctx)
        for share, summary in zip(shares, summaries, strict=True):
            blob = pickle.dumps(summary)
            assert b"RoleProfile" not in blob and b"ProfileEntry" not in blob and b"ProfileView" not in blob
            texts = [item.rationale.encode() for view in share for item in view.entries]
            assert not any(text in blob for text in texts if len(text) >= 20)
            whole = len(pickle.dumps([view.profile for view in share]))
            assert len(blob) < whole / 10, (rule.id, len(blob), whole)
        blob = pickle.dumps(plan)
        assert b"RoleProfile" not in blob and b"ProfileEntry" not in blob and b"ProfileView" not in blob


@pytest.mark.parametrize("rule_id", ["copied-rationale", "duplicate-role"])
def test_shares_that_hash_differently_are_an_error(
    generated: tuple[Checker, list[ProfileView]], rule_id: str
) -> None:
    """These rules compare ``hash()`` values across shares; processes with different hash salts (spawned
    without one PYTHONHASHSEED) would silently miss findings, so combine refuses them."""
    _, views = generated
    rule = next(r for r in SET_RULES if r.id == rule_id)
    assert rule.sharded is not None
    ctx = _context(rule, views[0].framework)
    summaries = [rule.sharded().summarise(share, ctx) for share in (views[:100], views[100:])]
    summaries[1].probe += 1  # as a process with another salt would have it
    with pytest.raises(RuntimeError, match="hash"):
        rule.sharded().combine(summaries, ctx)


# -- the oracle: the rules as they were before they were sharded (commit f523656), written plainly ----------


def _where(view: ProfileView) -> str:
    loc = view.profile.location
    return str(loc) if loc is not None else "(in memory)"


def _reference_duplicate_role(views: Sequence[ProfileView], ctx: RuleContext) -> Iterator[Problem]:
    by_id: dict[str, list[ProfileView]] = {}
    by_title: dict[tuple[str, str], list[ProfileView]] = {}
    for view in views:
        role = view.profile
        by_id.setdefault(role.id, []).append(view)
        by_title.setdefault((normalise(role.organisation or ""), normalise(role.title)), []).append(view)
    reported: set[int] = set()
    for role_id, group in by_id.items():
        if len(group) < 2:
            continue
        places = listed(_where(v) for v in group)
        for view in group[1:]:
            reported.add(id(view))
            yield ctx.problem(
                f"role id {role_id!r} has {len(group)} RCPs ({places}); keep one RCP per role", profile=view
            )
    for group in by_title.values():
        distinct = {v.profile.id for v in group}
        if len(distinct) < 2:
            continue
        first = group[0].profile
        org = first.organisation or "(no organisation)"
        ids = listed(sorted(distinct))
        for view in group[1:]:
            if id(view) in reported or view.profile.id == first.id:
                continue
            yield ctx.problem(
                f"{first.title!r} at {org} has RCPs under {len(distinct)} role ids ({ids}); "
                "one role should have one RCP",
                profile=view,
            )


def _levelled(view: ProfileView) -> Iterator[ResolvedEntry]:
    """The entries that count: with a competency and a level, the first one per competency."""
    seen: set[str] = set()
    for item in view.entries:
        if item.level is not None and item.competency is not None and item.competency.id not in seen:
            seen.add(item.competency.id)
            yield item


def _reference_sibling_inconsistency(views: Sequence[ProfileView], ctx: RuleContext) -> Iterator[Problem]:
    max_steps = int(ctx.options["max_steps"])
    min_size = max(int(ctx.options["min_family_size"]), 1)
    names: dict[str, str] = {}
    families: dict[str, dict[str, list[tuple[ProfileView, ResolvedEntry]]]] = {}
    for view in views:
        family = view.profile.family
        if not family:
            continue
        key = normalise(family)
        names.setdefault(key, family.strip())
        if key:
            by_comp = families.setdefault(key, {})
            for item in _levelled(view):
                assert item.competency is not None
                by_comp.setdefault(item.competency.id, []).append((view, item))
    for key, by_comp in families.items():
        for group in by_comp.values():
            indexes = [item.level.index for _, item in group if item.level is not None]
            if len(group) < min_size or max(indexes) - min(indexes) <= max_steps:
                continue
            median = statistics.median_low(indexes)
            median_level = next(item.level for _, item in group if item.level and item.level.index == median)
            for n, (view, item) in enumerate(group):
                assert item.level is not None
                steps = item.level.index - median
                if abs(steps) <= max_steps:
                    continue
                shown = [f"{v.profile.id} {i.level}" for m, (v, i) in enumerate(group[:6]) if m != n][:5]
                more = len(group) - 1 - len(shown)
                siblings = ", ".join(shown) + (f" and {more} more" if more > 0 else "")
                yield ctx.problem(
                    f"level {item.level.id} for {item.name!r} is {abs(steps)} steps "
                    f"{'above' if steps > 0 else 'below'} the median level {median_level} of role family "
                    f"{names[key]!r} ({len(group)} roles with a level; the others: {siblings}); compare this "
                    "role with its siblings, and correct the level or record why it differs",
                    profile=view,
                    entry=item,
                )


def _reference_cross_organisation(views: Sequence[ProfileView], ctx: RuleContext) -> Iterator[Problem]:
    by_title: dict[str, list[ProfileView]] = {}
    for view in views:
        if view.profile.organisation and normalise(view.profile.organisation):
            by_title.setdefault(normalise(view.profile.title), []).append(view)
    for group_views in by_title.values():
        by_comp: dict[str, list[tuple[ProfileView, ResolvedEntry, str]]] = {}
        for view in group_views:
            for item in _levelled(view):
                assert item.competency is not None
                org = normalise(view.profile.organisation or "")
                by_comp.setdefault(item.competency.id, []).append((view, item, org))
        for group in by_comp.values():
            if len({org for _, _, org in group}) < 2:
                continue
            counts: dict[int, int] = {}
            for _, item, _ in group:
                assert item.level is not None
                counts[item.level.index] = counts.get(item.level.index, 0) + 1
            if len(counts) < 2:
                continue
            usual = next(index for index, count in counts.items() if count == max(counts.values()))
            usual_level = next(item.level for _, item, _ in group if item.level and item.level.index == usual)
            for view, item, org in group:
                assert item.level is not None
                if item.level.index == usual:
                    continue
                outside = [(v, i) for v, i, o in group if o != org]
                names = dict.fromkeys(v.profile.organisation or "" for v, _ in outside)
                roles = [f"{v.profile.id} {i.level}" for v, i in outside][:5]
                more = len(outside) - len(roles)
                text = (
                    f"{listed(names, limit=3)} {'has' if len(outside) == 1 else 'have'} "
                    + ", ".join(roles)
                    + (f" and {more} more" if more > 0 else "")
                )
                yield ctx.problem(
                    f"{view.profile.title!r} is profiled at level {item.level} for {item.name!r} at "
                    f"{view.profile.organisation}, but the same title at {text}; the most common level for "
                    f"this title is {usual_level} ({counts[usual]} of {len(group)} roles) — sense-check the "
                    "organisations' RCPs side by side",
                    profile=view,
                    entry=item,
                )


def _coarse(text: str) -> bytes:
    if text.isascii():
        ws = b" \t\n\r\x0b\x0c\x1c\x1d\x1e\x1f"
        return (
            text.encode()
            .translate(bytes.maketrans(b"ABCDEFGHIJKLMNOPQRSTUVWXYZ", b"abcdefghijklmnopqrstuvwxyz"), ws)
            .rstrip(b".,;:!?")
        )
    return normalise_text(text).replace(" ", "").encode()


def _reference_copied_rationale(views: Sequence[ProfileView], ctx: RuleContext) -> Iterator[Problem]:
    min_copies = max(int(ctx.options["min_copies"]), 2)
    coarse: dict[bytes, list[tuple[ProfileView, ResolvedEntry]]] = {}
    for view in views:
        for item in view.entries:
            if len(item.rationale) >= 20:
                coarse.setdefault(_coarse(item.rationale), []).append((view, item))
    # in input order of each coarse key's second use: where one pass over the set finds that it repeats
    order = {id(item): n for n, item in enumerate(i for v in views for i in v.entries)}
    repeated = sorted((g for g in coarse.values() if len(g) > 1), key=lambda g: order[id(g[1][1])])
    for group in repeated:
        exact: dict[str, list[tuple[ProfileView, ResolvedEntry]]] = {}
        for view, item in group:
            exact.setdefault(normalise_text(item.rationale), []).append((view, item))
        for text, members in exact.items():
            if len(members) < min_copies or len(text) < 20:
                continue
            view, item = members[0]
            words = " ".join(item.rationale.split())
            shown = words if len(words) <= 80 else words[:77] + "..."
            uses = listed(f"{v.profile.id}/{i.name}" for v, i in members)
            roles = len({v.profile.id for v, _ in members})
            yield ctx.problem(
                f"the same rationale is used by {len(members)} entries in {roles} "
                f"role(s) ({uses}): {shown!r}; check that each level was assessed for its own role and "
                "competency, and write a rationale for each",
                profile=view,
                entry=item,
            )


REFERENCE = {
    "duplicate-role": _reference_duplicate_role,
    "sibling-inconsistency": _reference_sibling_inconsistency,
    "cross-organisation-inconsistency": _reference_cross_organisation,
    "copied-rationale": _reference_copied_rationale,
}
