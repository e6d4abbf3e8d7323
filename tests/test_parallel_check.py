"""A check shared out over processes finds exactly what one process finds, or steps back to one process.

``competency check`` cuts a large input into shares checked at once in forked workers
(``competency._parallel``). These tests lower the size at which an input is shared out, so that small
generated sets are cut into two or three shares, and compare every finding with the one-process check:
on CSV cut between rows, on folders of TOML files cut between files, on cuts that fall inside a quoted
field or between the rows of one RCP (which must step back to one process), on errors in a later
share (which must be reported exactly as one process reports them), and on rules that crash in a worker.
"""

from __future__ import annotations

import csv
import io
import json
import os
import sys
import time
from pathlib import Path
from typing import Any

import pytest

import competency._parallel as parallel
from competency import CheckConfig, Checker, ConfigError, ProfileError, load_profiles
from competency._loading import iter_profile_files
from competency._table_io import CsvShares, shift_rows
from competency.checking import result_to_json
from competency.cli.main import main
from test_optimisation_equivalence import GOLDEN, RATE, ROLES, SEED, _generator

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="shares are checked in forked processes")

HEADER = "role_id,role_title,organisation,role_family,managerial,type,competence,level,rationale\n"


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The equivalence test's generated set (300 roles, defects planted), as CSV and TOML folder."""
    generate = _generator()
    folder = tmp_path_factory.mktemp("parallel")
    gen = generate.generate(ROLES, SEED, defect_rate=RATE)
    generate.write(gen, csv_path=folder / "set.csv", toml_dir=folder / "set")
    return folder


@pytest.fixture
def small_shares(monkeypatch: pytest.MonkeyPatch) -> None:
    """Share out anything over 16 KB (the real threshold is megabytes)."""
    monkeypatch.setattr(parallel, "MIN_SHARE_BYTES", 16 << 10)


def _serial(*paths: Path) -> dict[str, Any]:
    return result_to_json(Checker("cdc-snc-2015").check(load_profiles(*paths)))


def _with_plugin(path: Path, source: str) -> CheckConfig:
    """A configuration that loads the plugin ``source``, written to ``path``, against cdc-snc-2015."""
    path.write_text(source, encoding="utf-8")
    return CheckConfig(plugins=(str(path),), framework="cdc-snc-2015")


def _shared(*paths: Path, jobs: int = 2, checker: Checker | None = None) -> parallel.ParallelCheck:
    checker = checker or Checker("cdc-snc-2015")
    files = list(iter_profile_files(*paths))
    outcome = parallel.check_files(checker, files, jobs=jobs)
    assert outcome is not None, "the input was expected to be shared out"
    return outcome


@pytest.mark.parametrize("jobs", [2, 3])
@pytest.mark.parametrize("name", ["set.csv", "set"])
def test_shared_out_check_finds_what_one_process_finds(
    generated: Path, small_shares: None, name: str, jobs: int
) -> None:
    outcome = _shared(generated / name, jobs=jobs)
    assert outcome.jobs == jobs
    assert result_to_json(outcome.result) == _serial(generated / name)


def test_the_command_gives_the_golden_findings_with_any_jobs(
    generated: Path, small_shares: None, tmp_path: Path
) -> None:
    """The golden file of the equivalence test, reached through ``competency check --jobs 2``."""
    golden = json.loads(GOLDEN.read_text(encoding="utf-8"))
    for name in ("set.csv", "set"):
        out = tmp_path / f"{name}.json"
        args = ["check", str(generated / name), "--framework", "cdc-snc-2015", "--format", "json"]
        assert main([*args, "--jobs", "2", "-o", str(out)]) == 1
        document = json.loads(out.read_text(encoding="utf-8"))
        prefix = f"{generated}{os.sep}"
        for finding in document["findings"]:
            if finding.get("path"):
                finding["path"] = Path(finding["path"]).relative_to(generated).as_posix()
            finding["message"] = finding["message"].replace(prefix, "")
        assert document == golden["csv" if name.endswith(".csv") else "toml"]


def test_csv_cuts_fall_between_records_and_rows_keep_their_numbers(tmp_path: Path) -> None:
    rows = []
    for role in range(400):
        for comp in ("Communication", "Customer Focus", "Working Together"):
            note = f'"line one\nline two, with a comma and ""quotes"" {role}"' if role % 7 == 0 else "Plain."
            rows.append(f"R-{role:04d},Officer {role},Cherwell District Council,F,no,Core,{comp},D,{note}\n")
    path = tmp_path / "multi.csv"
    path.write_text(HEADER + "".join(rows), encoding="utf-8")
    serial = load_profiles(path)
    for parts in (2, 3, 5):
        shares = CsvShares.plan(path, str(path), "utf-8-sig", parts)
        assert shares is not None
        profiles: list[Any] = []
        before = 0
        for part in range(len(shares.bounds)):
            got, records, clean = shares.read(part)
            assert clean
            shift_rows(got, before)
            before += records
            profiles.extend(got)
        assert profiles == list(serial)
        assert [p.location.line for p in profiles] == [p.location.line for p in serial]
        lines = [e.location.line for p in profiles for e in p.competencies]
        assert lines == [e.location.line for p in serial for e in p.competencies]
        assert before == len(list(csv.reader(io.StringIO(path.read_text(encoding="utf-8")))))


def test_a_cut_inside_a_quoted_field_is_noticed(tmp_path: Path) -> None:
    """A cut planned inside a field that spans lines is found out when the share before it is read.

    The field's lines look like records (nine cells each), so the planner's guess is fooled.
    """
    path = tmp_path / "long-field.csv"
    field = "\n".join(f"R-{n},a,b,c,no,Core,Communication,D,looks like a row" for n in range(2000))
    filler = "".join(f"F-{n},Filler {n},C,F,no,Core,Communication,D,Plain.\n" for n in range(1500))
    path.write_text(
        HEADER + filler + f'R-1,Officer,C,F,no,Core,Communication,D,"{field}"\n' + filler.replace("F-", "G-"),
        encoding="utf-8",
    )
    shares = CsvShares.plan(path, str(path), "utf-8-sig", 2)
    assert shares is not None
    _, _, clean = shares.read(0)
    assert not clean
    assert parallel.check_files(Checker("cdc-snc-2015"), [path], jobs=2, min_share_bytes=1) is None
    assert Checker("cdc-snc-2015").check_files(path, jobs=2) == Checker("cdc-snc-2015").check(
        load_profiles(path)
    )


def test_an_rcp_whose_rows_straddle_a_cut_is_checked_in_one_process(tmp_path: Path) -> None:
    """Rows of one RCP at both ends of the file: sharing out would split it, so it is not done."""
    filler = "".join(
        f"R-{n:04d},Officer {n},C,F,no,Core,Communication,D,Rationale number {n} written out.\n"
        for n in range(3000)
    )
    path = tmp_path / "straddle.csv"
    first = "R-9999,Straddler,C,F,no,Core,Communication,D,At the start of the file.\n"
    last = "R-9999,Straddler,C,F,no,Core,Customer Focus,D,At the end of the file.\n"
    path.write_text(HEADER + first + filler + last, encoding="utf-8")
    checker = Checker("cdc-snc-2015")
    assert parallel.check_files(checker, [path], jobs=2, min_share_bytes=1) is None
    assert checker.check_files(path, jobs=2) == checker.check(load_profiles(path))


def test_an_error_in_a_later_share_is_reported_as_one_process_reports_it(tmp_path: Path) -> None:
    rows = "".join(f"R-{n:04d},Officer {n},C,F,no,Core,Communication,D,Plain text.\n" for n in range(3000))
    path = tmp_path / "bad-late.csv"
    path.write_text(HEADER + rows + "R-5000,,C,F,no,Core,Communication,D,No title.\n", encoding="utf-8")
    with pytest.raises(ProfileError) as serial:
        load_profiles(path)
    assert parallel.check_files(Checker("cdc-snc-2015"), [path], jobs=2, min_share_bytes=1) is None
    with pytest.raises(ProfileError) as shared:
        Checker("cdc-snc-2015").check_files(path, jobs=2)
    assert str(shared.value) == str(serial.value)
    assert "row 3002" in str(serial.value)


CRASHING_PLUGIN = """
from competency_rules import ShardedSetRule, hookimpl, set_rule


@set_rule(id="crashes-in-gather", summary="crashes", severity="warning")
class Crashes(ShardedSetRule):
    def summarise(self, profiles, ctx):
        return len(profiles)

    def combine(self, summaries, ctx):
        return sum(summaries)

    def gather(self, profiles, plan, ctx):
        raise RuntimeError(f"boom over {plan} roles")

    def judge(self, evidence, plan, ctx):
        return []


@hookimpl
def competency_register_rules():
    return [Crashes]
"""

SUMMARY_CRASH_PLUGIN = """
from competency_rules import ShardedSetRule, hookimpl, set_rule


@set_rule(id="crashes-in-summarise", summary="crashes", severity="warning")
class Crashes(ShardedSetRule):
    def summarise(self, profiles, ctx):
        if any(view.profile.location.line == 2 for view in profiles):
            raise RuntimeError("boom where the file starts")
        return len(profiles)

    def combine(self, summaries, ctx):
        return sum(summaries)

    def gather(self, profiles, plan, ctx):
        return plan

    def judge(self, evidence, plan, ctx):
        return []


@hookimpl
def competency_register_rules():
    return [Crashes]
"""

PLAIN_SET_PLUGIN = """
from competency_rules import hookimpl, set_rule


@set_rule(id="counts-roles", summary="counts", severity="info")
def counts(profiles, ctx):
    return []


@hookimpl
def competency_register_rules():
    return [counts]
"""


def test_a_rule_crashing_in_a_worker_is_reported_and_the_others_still_run(
    generated: Path, small_shares: None, tmp_path: Path
) -> None:
    config = _with_plugin(tmp_path / "crashing.py", CRASHING_PLUGIN)
    outcome = _shared(generated / "set.csv", checker=Checker(config=config))
    serial = Checker(config=config).check(load_profiles(generated / "set.csv"))
    assert not outcome.result.complete and not serial.complete
    assert outcome.result == serial
    crash = [f for f in outcome.result.findings if f.rule == "rule-crashed"]
    assert len(crash) == 1 and "RuntimeError: boom over 300 roles" in crash[0].message


def test_a_set_rule_crashing_in_a_workers_summary_is_reported_once(
    generated: Path, small_shares: None, tmp_path: Path
) -> None:
    """Only the first share holds row 2: the worker's summary fails, and it says so beside the rule's
    key, while the other rules' summaries still arrive one by one and are combined."""
    config = _with_plugin(tmp_path / "crashing.py", SUMMARY_CRASH_PLUGIN)
    outcome = _shared(generated / "set.csv", checker=Checker(config=config))
    serial = Checker(config=config).check(load_profiles(generated / "set.csv"))
    assert outcome.result == serial and not outcome.result.complete
    crash = [f for f in outcome.result.findings if f.rule == "rule-crashed"]
    assert len(crash) == 1 and "RuntimeError: boom where the file starts" in crash[0].message
    assert {f.rule for f in outcome.result.findings} >= {"copied-rationale", "duplicate-role"}


def test_a_set_rule_without_a_sharded_form_keeps_the_check_in_one_process(
    generated: Path, small_shares: None, tmp_path: Path
) -> None:
    checker = Checker(config=_with_plugin(tmp_path / "plain.py", PLAIN_SET_PLUGIN))
    assert parallel.check_files(checker, [generated / "set.csv"], jobs=2) is None
    assert checker.check_files(generated / "set.csv", jobs=2) == checker.check(
        load_profiles(generated / "set.csv")
    )


def test_small_inputs_are_checked_in_one_process(generated: Path) -> None:
    checker = Checker("cdc-snc-2015")
    assert parallel.check_files(checker, [generated / "set.csv"], jobs=2) is None  # 1 MB < threshold


@pytest.mark.parametrize("value", ["0", "-1", "two"])
def test_jobs_must_be_a_positive_whole_number(value: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["check", "examples/cdc-snc/profiles.csv", "--jobs", value])
    assert exit_.value.code == 2
    assert "expected a whole number of processes" in capsys.readouterr().err


def test_workers_leave_no_process_behind(generated: Path, small_shares: None) -> None:
    """Workers are collected once they have exited (on a thread of their own, so that the report need
    not wait while the system takes back a large share's memory): none is left running or unreaped."""
    before = _children()
    _shared(generated / "set.csv", jobs=3)
    deadline = time.monotonic() + 30
    while _children() != before and time.monotonic() < deadline:
        time.sleep(0.05)
    assert _children() == before


def test_one_checker_shares_out_check_after_check(generated: Path, small_shares: None) -> None:
    """A checker's next shared-out check first collects the workers of its last one (so that it never
    forks while a collecting thread runs), and gives the same result again."""
    checker = Checker("cdc-snc-2015")
    first = _shared(generated / "set.csv", jobs=2, checker=checker)
    second = _shared(generated / "set.csv", jobs=2, checker=checker)
    assert result_to_json(second.result) == result_to_json(first.result) == _serial(generated / "set.csv")
    assert len(checker._reapers) <= 1  # at most the second check's one worker's: the first's were collected


def test_an_error_checking_the_first_share_is_raised_without_reading_again(
    tmp_path: Path, small_shares: None, capsys: pytest.CaptureFixture[str]
) -> None:
    """A role that names no framework (no --framework given) is reported by the shared-out check itself,
    exactly as one process reports it, once the other shares have been read without error; an input
    error in a later share still sends the check back to one process, which reports that first."""
    rows = "".join(f"R-{n:05d},Officer {n},C,F,no,Core,Communication,D,Plain text.\n" for n in range(6000))
    path = tmp_path / "no-framework.csv"
    path.write_text(HEADER + rows, encoding="utf-8")
    with pytest.raises(ConfigError) as serial:
        Checker().check(load_profiles(path))
    with pytest.raises(ConfigError) as shared:
        parallel.check_files(Checker(), [path], jobs=2, min_share_bytes=1)
    assert str(shared.value) == str(serial.value)
    assert "R-00000" in str(shared.value)
    path.write_text(HEADER + rows + "R-X,,C,F,no,Core,Communication,D,No title.\n", encoding="utf-8")
    assert parallel.check_files(Checker(), [path], jobs=2, min_share_bytes=1) is None
    with pytest.raises(ProfileError, match="empty role_title"):
        Checker().check_files(path, jobs=2)
    path.write_text(HEADER + rows, encoding="utf-8")
    capsys.readouterr()
    assert main(["check", str(path), "--jobs", "1"]) == 2
    one = capsys.readouterr().err
    assert main(["check", str(path), "--jobs", "2"]) == 2
    assert capsys.readouterr().err == one
    assert "names no framework" in one


def test_the_earliest_shares_error_is_raised_whichever_process_checked_it(
    tmp_path: Path, small_shares: None
) -> None:
    """Only the coordinator's share (the last) holds a role that names no framework: its error is raised
    once the earlier share has checked cleanly. When the worker's share (the first) holds one too, the
    worker's comes first, as in one process."""

    def rows(start: int, stop: int, framework: str) -> str:
        return "".join(
            f"R-{n:05d},Officer {n},C,F,no,{framework},Core,Communication,D,Plain text.\n"
            for n in range(start, stop)
        )

    header = HEADER.replace("managerial,", "managerial,framework,")
    path = tmp_path / "late-no-framework.csv"
    for first_framework in ("cdc-snc-2015", ""):
        path.write_text(
            header + rows(0, 3000, first_framework) + rows(3000, 5990, "cdc-snc-2015") + rows(5990, 6000, ""),
            encoding="utf-8",
        )
        with pytest.raises(ConfigError) as serial:
            Checker().check(load_profiles(path))
        with pytest.raises(ConfigError) as shared:
            parallel.check_files(Checker(), [path], jobs=2, min_share_bytes=1)
        assert str(shared.value) == str(serial.value)
        assert ("R-00000" if not first_framework else "R-05990") in str(shared.value)


def test_a_check_that_falls_back_stops_its_workers(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An error in the coordinator's share (the last) sends the check back to one process at once: the
    worker, still reading its share (here: for a minute), is stopped and collected rather than left to
    finish."""
    rows = "".join(f"R-{n:04d},Officer {n},C,F,no,Core,Communication,D,Plain text.\n" for n in range(30000))
    path = tmp_path / "bad-late.csv"
    path.write_text(HEADER + rows + "R-X,,C,F,no,Core,Communication,D,No title.\n", encoding="utf-8")
    load = parallel._Share.load

    def slow_in_a_worker(share: Any, encoding: str, sheet: str | None) -> Any:
        if share.part < len(share.csv.bounds) - 1:
            time.sleep(60)
        return load(share, encoding, sheet)

    monkeypatch.setattr(parallel._Share, "load", slow_in_a_worker)
    before = _children()
    started = time.monotonic()
    assert parallel.check_files(Checker("cdc-snc-2015"), [path], jobs=2, min_share_bytes=1) is None
    while _children() != before and time.monotonic() < started + 20:
        time.sleep(0.05)
    assert _children() == before
    assert time.monotonic() - started < 20


def _children() -> set[int]:
    if not sys.platform.startswith("linux"):
        pytest.skip("reads /proc")
    me = os.getpid()
    found = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == me:
                found.add(int(entry.name))
    return found


def test_the_console_script_leaves_quickly_with_its_report_written(tmp_path: Path) -> None:
    """After a check the console script ends the process without freeing the model; the report is
    complete on standard output and in a file, and the exit code is the check's."""
    import subprocess

    code = (
        "import sys; from competency.cli.main import entry; sys.argv = ['competency', *sys.argv[1:]]; entry()"
    )
    example = Path(__file__).resolve().parents[1] / "examples" / "cdc-snc" / "profiles.csv"
    out = tmp_path / "report.json"
    for extra in (["-o", str(out)], []):
        done = subprocess.run(
            [sys.executable, "-c", code, "check", str(example), "--format", "json", *extra],
            capture_output=True,
            text=True,
            check=False,
        )
        assert done.returncode == 1, done.stderr
        document = json.loads(out.read_text(encoding="utf-8") if extra else done.stdout)
        assert document["summary"]["findings"] == 17


def test_the_command_shares_out_only_inputs_of_two_shares_or_more() -> None:
    """The command's own size test (which spares small checks the import) agrees with the engine's."""
    from competency.cli import cmd_check

    assert cmd_check._SHARE_FROM_BYTES == 2 * parallel.MIN_SHARE_BYTES


OWN_CLASS_PLUGIN = """
from competency_rules import ShardedSetRule, hookimpl, set_rule


class Count:
    def __init__(self, n):
        self.n = n


@set_rule(id="own-class-summary", summary="counts", severity="info")
class OwnClass(ShardedSetRule):
    def summarise(self, profiles, ctx):
        return Count(len(profiles))

    def combine(self, summaries, ctx):
        return sum(s.n for s in summaries)

    def gather(self, profiles, plan, ctx):
        return plan

    def judge(self, evidence, plan, ctx):
        if plan != 300:
            yield ctx.problem(f"saw {plan} roles")


@hookimpl
def competency_register_rules():
    return [OwnClass]
"""


def test_a_summary_that_cannot_travel_keeps_the_check_in_one_process(
    generated: Path, small_shares: None, tmp_path: Path
) -> None:
    """A plugin loaded by path is not importable by name: its own classes cannot be unpickled, so the
    check steps back to one process (as docs/plugins.md says) and still sees all 300 roles."""
    checker = Checker(config=_with_plugin(tmp_path / "own_class.py", OWN_CLASS_PLUGIN))
    assert parallel.check_files(checker, [generated / "set.csv"], jobs=2) is None
    result = checker.check_files(generated / "set.csv", jobs=2)
    assert result.complete and not [f for f in result.findings if f.rule == "own-class-summary"]


def test_frameworks_named_by_the_files_are_reported_by_the_shared_out_check(
    generated: Path, small_shares: None
) -> None:
    """With no framework given, each TOML file names its own: the shares find them, and the command is
    told which framework the RCPs were checked against."""
    checker = Checker(config=CheckConfig())
    outcome = _shared(generated / "set", checker=checker)
    assert [fw.id for fw in outcome.frameworks] == ["cdc-snc-2015"]
    serial = Checker(config=CheckConfig()).check(load_profiles(generated / "set"))
    assert outcome.result == serial


def test_sarif_names_the_inputs_first_file_for_a_finding_without_one(
    generated: Path, small_shares: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A set rule's crash has no file of its own: SARIF names the input's first file for it, with any
    number of processes (the first file is the first worker's, not the coordinator's)."""
    plugin = tmp_path / "crashing.py"
    plugin.write_text(CRASHING_PLUGIN, encoding="utf-8")
    logs = []
    for jobs in ("1", "2", "3"):
        args = ["check", str(generated / "set"), "--framework", "cdc-snc-2015", "--plugin", str(plugin)]
        out = tmp_path / f"jobs-{jobs}.sarif"
        assert main([*args, "--format", "sarif", "--jobs", jobs, "-o", str(out)]) == 3
        logs.append(json.loads(out.read_text(encoding="utf-8")))
    assert logs[1] == logs[0] and logs[2] == logs[0]
    (crash,) = [r for r in logs[0]["runs"][0]["results"] if r["ruleId"] == "rule-crashed"]
    first_file = min(p for p in (generated / "set").rglob("*.toml"))
    named = crash["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
    assert named.endswith(first_file.relative_to(generated / "set").as_posix())


def test_the_outbox_writes_messages_in_order_while_its_sender_goes_on() -> None:
    """A worker's summaries are larger than a pipe holds: the outbox takes them all at once (its thread
    writes while nobody reads yet), and the reader gets them whole and in order."""
    import threading

    read_fd, write_fd = os.pipe()
    big = [bytes(range(256)) * 4096 for _ in range(3)]  # 1 MiB each, sixteen pipes' worth
    with parallel._Outbox(write_fd) as outbox:
        sender = threading.Thread(
            target=lambda: [outbox.send(("summary", n, blob)) for n, blob in enumerate(big)], daemon=True
        )
        sender.start()
        sender.join(timeout=30)
        returned = not sender.is_alive()  # every send returned before anything was read
        got = [parallel._receive(read_fd) for _ in big]
    os.close(read_fd)
    os.close(write_fd)
    assert returned
    assert got == [("summary", n, blob) for n, blob in enumerate(big)]


def test_an_outbox_whose_reader_has_gone_says_so() -> None:
    read_fd, write_fd = os.pipe()
    os.close(read_fd)
    try:
        with pytest.raises(BrokenPipeError), parallel._Outbox(write_fd) as outbox:
            outbox.send(("summary", 0, b"x" * 100_000))
            for _ in range(200):  # the writer's failure shows at a later send, or when the box closes
                time.sleep(0.005)
                outbox.send(("summary", 1, b"y"))
    finally:
        os.close(write_fd)
