"""Checking from Python: the same findings as the command line, and checkers that never share state."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

import competency
from check_data import clean_roles, write_csv, write_toml
from competency import CheckConfig, Checker, CheckResult, RoleProfile, Severity, load_framework, load_profiles
from competency.checking import result_to_json
from competency.cli.main import main
from competency_rules import Option, Problem, ProfileView, RuleContext, hookimpl, profile_rule, set_rule


def _defective_roles() -> list[Any]:
    roles = clean_roles()
    roles[0] = roles[0].with_entry("Communication", rationale="tbc")
    roles[1] = roles[1].with_entry("Communication", level="G")
    roles[2] = roles[2].with_entry("Customer Focus", level="K")
    roles[4] = roles[4].with_entry("Collaborative Teamwork", competency="Colaborative Teamwork")
    roles[5] = roles[5].with_entry("Customer Focus", rationale="")
    return roles


@pytest.fixture
def csv_path(tmp_path: Path) -> Path:
    return write_csv(tmp_path / "rcps.csv", _defective_roles())


def _cli_json(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, dict[str, Any]]:
    code = main(["check", *argv, "--format", "json"])
    return code, json.loads(capsys.readouterr().out)


# -- same findings as the command line ------------------------------------------------------------------
def test_check_gives_the_cli_json(csv_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, doc = _cli_json(capsys, str(csv_path))
    result = competency.check(load_profiles(csv_path))
    assert result_to_json(result) == doc
    assert result.exit_code() == code == 1
    assert len(result.findings) >= 5
    # and the same through a Checker given the framework object
    assert result_to_json(Checker(load_framework("cdc-snc-2015")).check(load_profiles(csv_path))) == doc


def test_flags_and_config_objects_agree(csv_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, doc = _cli_json(
        capsys,
        str(csv_path),
        "--ignore",
        "unknown-competency",
        "--severity",
        "missing-rationale=info",
        "--fail-on",
        "warning",
    )
    config = CheckConfig(
        ignore=("unknown-competency",),
        severity={"missing-rationale": Severity.INFO},
        fail_on=Severity.WARNING,
    )
    result = competency.check(load_profiles(csv_path), config=config)
    assert result_to_json(result) == doc
    assert result.exit_code(config.fail_on) == code


def test_toml_and_csv_of_one_set_give_the_same_identities(tmp_path: Path) -> None:
    roles = _defective_roles()
    from_csv = competency.check(load_profiles(write_csv(tmp_path / "a.csv", roles)))
    from_toml = competency.check(load_profiles(write_toml(tmp_path / "a.toml", roles)))
    assert sorted(f.key() for f in from_csv.findings) == sorted(f.key() for f in from_toml.findings)
    assert from_csv.summary == from_toml.summary


# -- check_profile ----------------------------------------------------------------------------------------
def test_check_profile_runs_the_per_profile_rules_on_one_rcp(csv_path: Path) -> None:
    checker = Checker("cdc-snc-2015")
    profiles = load_profiles(csv_path)
    whole = checker.check(profiles)
    (one,) = [p for p in profiles if p.id == "CDC-HR-02"]
    single = checker.check_profile(one)
    assert single.summary.roles == 1
    assert single.complete
    profile_rules = {rule_id for rule_id, rule in checker.rules.items() if rule.scope == "profile"}
    assert set(single.rules_run) <= profile_rules
    assert set(single.rules_run) == profile_rules & set(checker.active_rules)
    assert [f.key() for f in single.findings] == [
        f.key() for f in whole.findings if f.role == "CDC-HR-02" and f.rule in profile_rules
    ]
    assert ("level-off-scale", "CDC-HR-02", "Customer Focus") in [f.key() for f in single.findings]


def test_check_profile_on_a_profile_built_in_memory() -> None:
    checker = Checker(
        load_framework("cdc-snc-2015"), CheckConfig(select=("unknown-competency", "level-off-scale"))
    )
    rcp = RoleProfile(
        id="CDC-PLN-004",
        title="Planning Officer",
        organisation="Cherwell District Council",
        competencies=(
            competency.ProfileEntry(
                "Comunication", "D", "Negotiates with applicants and presents at committee."
            ),
            competency.ProfileEntry(
                "Customer Focus", "J", "Answers residents' planning questions every day."
            ),
        ),
    )
    result = checker.check_profile(rcp)
    assert sorted((f.rule, f.competency, f.path) for f in result.findings) == [
        ("level-off-scale", "Customer Focus", None),
        ("unknown-competency", "Comunication", None),
    ]
    assert result.exit_code() == 1


# -- isolation ------------------------------------------------------------------------------------------
def _title_rule(rule_id: str, word: str) -> Any:
    @profile_rule(
        id=rule_id, summary=f"titles containing {word!r}", severity="warning", options=[Option("word", word)]
    )
    def rule(profile: ProfileView, ctx: RuleContext) -> Iterator[Problem]:
        if str(ctx.options["word"]) in profile.profile.title:
            yield ctx.problem(f"{rule_id}: {profile.profile.title}")

    return rule


def _family_size_rule(rule_id: str) -> Any:
    @set_rule(id=rule_id, summary="counts families", severity="info")
    def rule(profiles: Sequence[ProfileView], ctx: RuleContext) -> Iterator[Problem]:
        seen: dict[str, int] = {}
        for view in profiles:
            seen[view.profile.family or ""] = seen.get(view.profile.family or "", 0) + 1
            if seen[view.profile.family or ""] == 3:
                yield ctx.problem(f"family {view.profile.family} has 3 roles", profile=view)

    return rule


class _Plugin:
    def __init__(self, *rules: Any) -> None:
        self._rules = rules

    @hookimpl
    def competency_register_rules(self) -> Sequence[Any]:
        return list(self._rules)


def _two_checkers() -> tuple[Checker, Checker]:
    a = Checker(
        "cdc-snc-2015",
        CheckConfig(
            ignore=("missing-rationale",),
            severity={"level-off-scale": Severity.WARNING},
            options={"adviser-titles": {"word": "Adviser"}},
        ),
        plugins=[_Plugin(_title_rule("adviser-titles", "Manager"))],
    )
    b = Checker(
        "cdc-snc-2015",
        CheckConfig(
            select=("level-off-scale", "missing-rationale", "officer-titles", "family-sizes"),
            options={"missing-rationale": {"min_length": 500}},
        ),
        plugins=[_Plugin(_title_rule("officer-titles", "Officer"), _family_size_rule("family-sizes"))],
    )
    return a, b


def _expectations(a: CheckResult, b: CheckResult) -> None:
    rules_a = {f.rule for f in a.findings}
    rules_b = {f.rule for f in b.findings}
    assert "missing-rationale" not in rules_a and "officer-titles" not in rules_a
    assert {f.role for f in a.findings if f.rule == "adviser-titles"} == {"CDC-HR-01", "SNC-HR-01"}
    assert {f.severity for f in a.findings if f.rule == "level-off-scale"} == {Severity.WARNING}
    assert rules_b <= {"level-off-scale", "missing-rationale", "officer-titles", "family-sizes"}
    assert {f.role for f in b.findings if f.rule == "officer-titles"} == {"CDC-PLN-01", "SNC-PLN-01"}
    assert {f.severity for f in b.findings if f.rule == "level-off-scale"} == {Severity.ERROR}
    # min_length 500 makes every rationale too short for b, but a ignores the rule
    assert sum(f.rule == "missing-rationale" for f in b.findings) >= 30
    assert [f.role for f in b.findings if f.rule == "family-sizes"] == ["CDC-HR-02"]


def test_two_checkers_interleaved_do_not_affect_each_other(csv_path: Path) -> None:
    profiles = load_profiles(csv_path)
    a, b = _two_checkers()
    alone_a = a.check(profiles)
    alone_b = b.check(profiles)
    _expectations(alone_a, alone_b)
    # built again, interleaved: the same results each time
    a2, b2 = _two_checkers()
    for _ in range(3):
        assert b2.check(profiles) == alone_b
        assert a2.check(profiles) == alone_a
        assert b2.check_profile(profiles[0]) == b.check_profile(profiles[0])
    # a third checker without plugins knows neither plugin's rules
    plain = Checker("cdc-snc-2015")
    assert not {"adviser-titles", "officer-titles", "family-sizes"} & set(plain.rules)
    with pytest.raises(competency.UnknownRuleError):
        Checker("cdc-snc-2015", CheckConfig(select=("officer-titles",)))


def test_two_checkers_on_two_threads(csv_path: Path) -> None:
    profiles = load_profiles(csv_path)
    a, b = _two_checkers()
    expected = {"a": a.check(profiles), "b": b.check(profiles)}
    barrier = threading.Barrier(2)

    def job(name: str) -> list[CheckResult]:
        barrier.wait()  # start both threads together
        checker_a, checker_b = _two_checkers()
        mine = checker_a if name == "a" else checker_b
        return [mine.check(profiles) for _ in range(15)]

    with ThreadPoolExecutor(max_workers=2) as pool:
        futures = {name: pool.submit(job, name) for name in ("a", "b")}
        results = {name: future.result(timeout=120) for name, future in futures.items()}
    for name, runs in results.items():
        assert all(run == expected[name] for run in runs), name

    # one shared checker used from two threads at once gives the same answer too
    with ThreadPoolExecutor(max_workers=2) as pool:
        shared = list(pool.map(lambda _: b.check(profiles), range(8)))
    assert all(run == expected["b"] for run in shared)
