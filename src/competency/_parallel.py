"""Checking large inputs in several processes: shares of the profiles, checked at once, findings merged.

A shared HR service's file of 10⁵ RCPs takes seconds to read and check in one process, and a machine
has more than one core. For a large input, :func:`check_files` cuts the input into consecutive
*shares* — whole files, or byte ranges of one large CSV file cut between RCPs — forks one worker
process per share but the last, which it checks itself, and checks each share where it was read:

1. every process reads its share and runs the per-profile rules over it;
2. every process summarises its share for each set rule (:class:`~competency_rules.ShardedSetRule`),
   and the coordinating process (this one, which checked the last share) combines the summaries
   into a plan per rule;
3. every process gathers its evidence for the plans, and the coordinator judges it.

Only findings, summaries, plans and evidence cross between processes — never the rows. The findings
are exactly those of one process (they are merged and sorted the same way); whenever that could not
be guaranteed — a cut fell inside a quoted field, an RCP's rows straddle a cut, a share failed to
read, a worker died, a set rule has no sharded form — :func:`check_files` returns ``None`` and the
caller checks in one process, which also gives every error message exactly as it has always been.

Workers are started with ``os.fork`` (so they share the loaded rules and framework without pickling
them); where there is no ``fork``, everything runs in one process.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import pickle
import signal
import struct
import sys
import threading
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

import attrs

from ._errors import CompetencyError
from ._findings import CheckResult
from ._framework import Framework
from ._profile import RoleProfile

__all__ = ["COORDINATOR_WEIGHT", "MIN_SHARE_BYTES", "ParallelCheck", "check_files", "default_jobs"]

#: Inputs are shared out only when every share would hold at least this much: below it, starting a
#: process costs more than it saves.
MIN_SHARE_BYTES = 4 << 20


#: The coordinating process's share, relative to each worker's. A worker also pickles its summaries
#: and evidence to send them, and the coordinator unpickles them, combines, judges and writes the
#: report; measured at 10⁵ roles on two cores, the two come out about even with the coordinator
#: reading slightly more.
COORDINATOR_WEIGHT = 1.05


def default_jobs() -> int:
    """How many processes a check may use: the cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


@attrs.frozen
class ParallelCheck:
    """What a shared-out check gives the command: the result, and what it needs to report it."""

    result: CheckResult
    #: The input's first RCP that names its file, if any: output formats use RCPs only for context (SARIF
    #: names that file for a finding that has none), and one process gives them every RCP, first first.
    profiles: tuple[RoleProfile, ...]
    #: The frameworks the RCPs were checked against, in order of first use.
    frameworks: tuple[Framework, ...]
    #: How many processes checked.
    jobs: int
    #: The coordinator's working state (views, the set rules' groups). Held here so that freeing it,
    #: object by object, waits until the caller drops the result — a command about to exit never does.
    working_state: Any = attrs.field(default=None, eq=False, repr=False)


class _Fallback(Exception):
    """The shared-out check cannot promise the one-process findings: check in one process."""


class _Refused(Exception):
    """A share cannot be checked, for the reason one process would give too (say, a role that names no
    framework): every share was read without error and every earlier share checked without one. Report
    it without reading the input again."""

    def __init__(self, error: CompetencyError) -> None:
        super().__init__(str(error))
        self.error = error


# -- the shares ------------------------------------------------------------------------------------------


@attrs.frozen
class _Share:
    """One process's part of the input: whole files, or one byte range of a CSV file."""

    files: tuple[Path, ...] = ()
    csv: Any = None  # _table_io.CsvShares
    part: int = 0

    def load(self, encoding: str, sheet: str | None) -> tuple[list[RoleProfile], int]:
        """The share's RCPs, and (for a byte range) the records it held."""
        if self.csv is not None:
            profiles, records, clean = self.csv.read(self.part)
            if not clean:
                raise _Fallback("a cut fell inside a quoted field")
            return profiles, records
        from ._loading import load_profiles

        return list(load_profiles(*self.files, encoding=encoding, sheet=sheet)), 0


def _plan_shares(files: Sequence[Path], jobs: int, encoding: str, min_bytes: int) -> list[_Share] | None:
    sizes = []
    for path in files:
        try:
            sizes.append(path.stat().st_size)
        except OSError:
            return None
    total = sum(sizes)
    jobs = min(jobs, total // max(min_bytes, 1))
    if jobs < 2:
        return None
    if len(files) == 1:
        if files[0].suffix.lower() != ".csv":
            return None
        from ._table_io import CsvShares

        shares = CsvShares.plan(files[0], str(files[0]), encoding, jobs, last_weight=COORDINATOR_WEIGHT)
        if shares is None:
            return None
        return [_Share(csv=shares, part=part) for part in range(len(shares.bounds))]
    jobs = min(jobs, len(files))
    cuts, running, unit = [0], 0, total / (COORDINATOR_WEIGHT + jobs - 1)
    for index, size in enumerate(sizes):
        running += size
        target = unit * len(cuts)
        if running >= target and len(cuts) < jobs and index + 1 < len(files):
            cuts.append(index + 1)
    cuts.append(len(files))
    if len(cuts) < 3:
        return None
    return [_Share(files=tuple(files[a:b])) for a, b in itertools.pairwise(cuts)]


# -- messages between processes ---------------------------------------------------------------------------


def _send(fd: int, message: Any) -> None:
    _write_all(fd, _framed(message))


def _framed(message: Any) -> bytes:
    data = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    return struct.pack("<Q", len(data)) + data


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        written = os.write(fd, view)
        view = view[written:]


class _Outbox:
    """Messages pickled by the caller and written to ``fd`` by a thread of their own, in order: a pipe
    holds 64 KiB, and a worker should not wait, with its next summary to make, until the coordinator
    reads the last one. Leaving the ``with`` block waits until everything is written."""

    def __init__(self, fd: int) -> None:
        import queue

        self._fd = fd
        self._queue: queue.SimpleQueue[bytes | None] = queue.SimpleQueue()
        self._error: OSError | None = None
        self._thread = threading.Thread(target=self._write, name="competency-outbox", daemon=True)

    def __enter__(self) -> _Outbox:
        self._thread.start()
        return self

    def send(self, message: Any) -> None:
        if self._error is not None:
            raise self._error
        self._queue.put(_framed(message))

    def _write(self) -> None:
        while (data := self._queue.get()) is not None:
            try:
                _write_all(self._fd, data)
            except OSError as exc:  # the coordinator has gone: tell the worker at its next message
                self._error = exc
                return

    def __exit__(self, *exc_info: object) -> None:
        self._queue.put(None)
        self._thread.join()
        if self._error is not None and exc_info[0] is None:
            raise self._error


def _receive(fd: int) -> Any:
    head = _read_exactly(fd, 8)
    (length,) = struct.unpack("<Q", head)
    return pickle.loads(_read_exactly(fd, length))


def _read_exactly(fd: int, length: int) -> bytes:
    chunks, left = [], length
    while left:
        chunk = os.read(fd, min(left, 1 << 20))
        if not chunk:
            raise _Fallback("a worker process ended early")
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


# -- one share's work -------------------------------------------------------------------------------------


class _ShareCheck:
    """The per-process state of one share: its RCPs, the per-profile findings, the set rules' state."""

    def __init__(self, checker: Any, profiles: list[RoleProfile]) -> None:
        from .checking import _Run

        self.checker = checker
        self.profiles = profiles
        self.run = _Run(checker)
        self.groups: dict[str, list[Any]] = {}
        self.rules: dict[tuple[str, str], Any] = {}  # (framework id, rule id) -> the rule's instance
        self.failed: dict[tuple[str, str], tuple[str, str]] = {}  # -> (exception type, text)

    def check_profiles(self) -> None:
        self.groups = self.checker._check_share(self.profiles, self.run)

    def _step(self, key: tuple[str, str], call: Callable[..., Any], *args: Any) -> Any:
        if key in self.failed:
            return None
        try:
            return call(*args)
        except Exception as exc:  # a rule's bug must not end the run
            self.failed[key] = (type(exc).__name__, str(exc))
            return None

    def _set_rules(self) -> Iterator[tuple[tuple[str, str], Any, list[Any], Any]]:
        """``(key, rule, views, context)`` for each set rule over each framework's views of this share,
        in the order every step takes them (the key: framework id, rule id)."""
        for fw_id, views in self.groups.items():
            for rule, _, ctx in self.checker._plan(self.checker._set_rules, views[0].framework):
                yield (fw_id, rule.id), rule, views, ctx

    def keys(self) -> list[tuple[str, str]]:
        """(framework id, rule id) of each set rule this share summarises, in the order it does."""
        return [key for key, _, _, _ in self._set_rules()]

    def summaries(self) -> Iterator[tuple[tuple[str, str], Any]]:
        """Each set rule's summary of this share (``None`` where the rule failed), one by one."""
        for key, rule, views, ctx in self._set_rules():
            instance = self.rules[key] = rule.sharded()
            yield key, self._step(key, instance.summarise, views, ctx)

    def summarise(self) -> dict[tuple[str, str], Any]:
        return dict(self.summaries())

    def gather(self, plans: dict[tuple[str, str], Any]) -> dict[tuple[str, str], Any]:
        return {
            key: self._step(key, self.rules[key].gather, views, plans[key], ctx)
            for key, _, views, ctx in self._set_rules()
            if key in plans
        }

    def report(self) -> dict[str, Any]:
        """What the coordinator needs of this share after its per-profile rules."""
        run = self.run
        return {
            "findings": run.findings,
            "crashes": run.crashes,
            "complete": run.complete,
            "roles": len(self.profiles),
            "frameworks": list(self.groups),
            "keys": [hash(_role_key(p)) for p in self.profiles],
            "first_located": _first_located(self.profiles),
        }


def _first_located(profiles: list[RoleProfile]) -> RoleProfile | None:
    """The first RCP that names the file it was read from."""
    return next((p for p in profiles if p.location is not None and p.location.path), None)


def _role_key(profile: RoleProfile) -> tuple[Any, ...]:
    """What makes rows one RCP (a coarser key than the reader's raw columns: equal raw keys give
    equal keys here, so a straddling RCP is always caught)."""
    return (profile.id, profile.title, profile.organisation, profile.family, profile.managerial,
            profile.grade, profile.framework, profile.provenance)  # fmt: skip


# -- the worker -------------------------------------------------------------------------------------------


def _work(share: _Share, checker: Any, encoding: str, sheet: str | None, out_fd: int, in_fd: int) -> None:
    """A worker's whole life: read, check, summarise, gather — answering the coordinator at each step."""
    try:
        profiles, records = share.load(encoding, sheet)
        _send(out_fd, ("read", records))
        _shift(share, profiles, _receive(in_fd))
        state = _ShareCheck(checker, profiles)
        try:
            state.check_profiles()
        except CompetencyError as exc:  # the error one process gives, if no earlier share has one
            _send(out_fd, ("refused", exc))
            return
        # Each set rule's summary is sent as soon as it is made, through a thread that writes while the
        # next is made: the coordinator combines the first rules' summaries while this process is still
        # pickling the last one's, instead of waiting for all of them.
        with _Outbox(out_fd) as outbox:
            outbox.send(("checked", state.report(), state.keys()))
            for key, summary in state.summaries():
                outbox.send(("summary", key, summary, state.failed.get(key)))
        plans = _receive(in_fd)
        _send(out_fd, ("gathered", state.gather(plans), state.failed))
    except BaseException as exc:
        with contextlib.suppress(BaseException):
            _send(out_fd, ("failed", f"{type(exc).__name__}: {exc}"))


def _shift(share: _Share, profiles: list[RoleProfile], offset: int) -> None:
    """Number a CSV share's rows from the start of the file, once the records before it are counted."""
    if offset and share.csv is not None:
        from ._table_io import shift_rows

        shift_rows(profiles, offset)


class _Worker:
    def __init__(self, pid: int, out_fd: int, in_fd: int) -> None:
        self.pid, self.out_fd, self.in_fd = pid, out_fd, in_fd
        self.finished = False  # set once the worker has sent its last message

    def expect(self, kind: str) -> tuple[Any, ...]:
        message = _receive(self.out_fd)
        if message[0] == "refused":
            raise _Refused(message[1])
        if message[0] != kind:
            raise _Fallback(f"worker {self.pid}: {message[1] if message[0] == 'failed' else message[0]}")
        return tuple(message[1:])

    def tell(self, message: Any) -> None:
        _send(self.in_fd, message)

    def end(self) -> threading.Thread | None:
        """Stop the worker if it has work left (the check fell back to one process, which should not
        share its cores with a worker still reading), and reap it without waiting: the thread that will,
        if it has not exited yet.

        A worker that has sent everything is already exiting, but the system takes a while (a quarter
        of a second at 10⁵ roles) to take back the memory of its share: the report need not wait for
        that, so the exit is collected on a thread of its own."""
        if not self.finished:
            with contextlib.suppress(OSError):
                os.kill(self.pid, signal.SIGKILL)
        for fd in (self.out_fd, self.in_fd):
            with contextlib.suppress(OSError):
                os.close(fd)
        try:
            if os.waitpid(self.pid, os.WNOHANG)[0] != 0:
                return None
        except ChildProcessError:
            return None
        reaper = threading.Thread(target=_reap, args=(self.pid,), name=f"reap-{self.pid}", daemon=True)
        reaper.start()
        return reaper


def _reap(pid: int) -> None:
    with contextlib.suppress(ChildProcessError):
        os.waitpid(pid, 0)


def _start(share: _Share, checker: Any, encoding: str, sheet: str | None) -> _Worker:
    up_read, up_write = os.pipe()
    down_read, down_write = os.pipe()
    sys.stdout.flush()
    sys.stderr.flush()
    pid = os.fork()
    if pid == 0:  # the worker: never returns into the caller's code
        status = 0
        try:
            os.close(up_read)
            os.close(down_write)
            _work(share, checker, encoding, sheet, up_write, down_read)
        except BaseException:
            status = 1
        finally:
            os._exit(status)
    os.close(up_write)
    os.close(down_read)
    return _Worker(pid, up_read, down_write)


# -- the coordinator --------------------------------------------------------------------------------------


def check_files(
    checker: Any,
    files: Sequence[Path],
    *,
    jobs: int,
    encoding: str = "utf-8-sig",
    sheet: str | None = None,
    min_share_bytes: int | None = None,
) -> ParallelCheck | None:
    """Check ``files`` in up to ``jobs`` processes; ``None`` when it must be done in one.

    ``None`` is returned before any output or side effect: the caller then loads and checks in one
    process as usual (also to report any error in the input exactly as one process does). An error
    that checking the first RCPs raises, once every share has been read without error, is raised here
    as one process would raise it (say, a role that names no framework), rather than paid for twice.
    """
    if jobs < 2 or not hasattr(os, "fork") or any(rule.sharded is None for rule in checker._set_rules):
        return None
    min_bytes = MIN_SHARE_BYTES if min_share_bytes is None else min_share_bytes
    shares = _plan_shares(files, jobs, encoding, min_bytes)
    if shares is None:
        return None
    # The workers of this checker's previous check are collected before forking again: forking while
    # another thread runs is what Python 3.12 and later warn about.
    reapers = checker._reapers
    while reapers:
        reapers.pop().join()
    workers: list[_Worker] = []
    try:
        for share in shares[:-1]:
            workers.append(_start(share, checker, encoding, sheet))
        return _coordinate(checker, shares[-1], workers, encoding, sheet)
    except _Fallback:
        return None
    except _Refused as refused:
        raise refused.error from None
    except Exception:
        # An error in the coordinator's share (or anywhere): one process reports it exactly as it always
        # has.
        return None
    finally:
        for worker in workers:
            reaper = worker.end()
            if reaper is not None:
                reapers.append(reaper)


def _coordinate(
    checker: Any, last: _Share, workers: list[_Worker], encoding: str, sheet: str | None
) -> ParallelCheck:
    """Check the last share here while the workers check the others, then combine and judge.

    The coordinator takes the last share, not the first, so that no process waits to learn where its
    rows start: the first share's rows are numbered from the top of the file, the worker that reads it
    is told so at once, and by the time the coordinator has read its own (larger) share, every worker
    has long since said how many records it read. (Each later worker is told its offset as soon as the
    shares before it are counted.)
    """
    from .checking import Checker

    assert isinstance(checker, Checker)
    if workers:
        workers[0].tell(0)
    profiles, _ = last.load(encoding, sheet)
    offset = 0
    for index, worker in enumerate(workers):
        (share_records,) = worker.expect("read")
        offset += share_records
        if index + 1 < len(workers):
            workers[index + 1].tell(offset)
    _shift(last, profiles, offset)
    state = _ShareCheck(checker, profiles)
    refused: CompetencyError | None = None
    try:
        state.check_profiles()
        own_report = state.report()  # before the workers' summaries arrive, rather than after
        own_summary = state.summarise()
    except CompetencyError as exc:
        refused = exc
    # Every share was read cleanly. An earlier share's error comes first, as it would in one process
    # (``expect`` raises a worker's); only then is this share's the one to report.
    reports, announced = [], []
    for worker in workers:
        report, share_keys = worker.expect("checked")
        reports.append(report)
        announced.append(set(share_keys))
    if refused is not None:
        raise _Refused(refused)
    reports.append(own_report)
    seen: set[int] = set()
    for report in reports:
        keys = set(report["keys"])
        if not seen.isdisjoint(keys):
            raise _Fallback("an RCP's rows straddle two shares")
        seen |= keys

    # Every share's summaries, in share order (this one's last). A worker sends its summaries one by
    # one, as it makes them: each rule is combined as soon as every share holding it has sent its own.
    summaries: list[dict[tuple[str, str], Any]] = [{} for _ in workers]
    failed: list[_Failures] = [{} for _ in workers]
    summaries.append(own_summary)
    failed.append(state.failed)

    def collect(key: tuple[str, str]) -> None:
        for index, worker in enumerate(workers):
            if key in announced[index]:
                while key not in summaries[index]:
                    got, summary, failure = worker.expect("summary")
                    summaries[index][got] = summary
                    if failure is not None:
                        failed[index][got] = failure

    # Combine every share's summaries into one plan per framework and rule.
    run = state.run
    set_rules = {rule.id: rule for rule in checker._set_rules}
    framework_ids = list(dict.fromkeys(fw_id for report in reports for fw_id in report["frameworks"]))
    plans: dict[tuple[str, str], Any] = {}
    contexts: dict[tuple[str, str], Any] = {}
    frameworks: list[Framework] = []
    crashed: _Failures = {}
    for fw_id in framework_ids:
        fw = _framework_of(state, fw_id) or checker._frameworks.get(fw_id)
        if fw is None:
            raise _Fallback(f"framework {fw_id!r} is used only by another process's share")
        frameworks.append(fw)
        for rule_id, rule in set_rules.items():
            key = (fw_id, rule_id)
            collect(key)
            reason = next((share[key] for share in failed if key in share), None)
            if reason is not None:
                crashed[key] = reason  # the earliest share's failure, as one process would meet it
                continue
            ctx = contexts[key] = checker._context(rule, fw)
            held = [s[key] for s in summaries if key in s]
            instance = state.rules.get(key) or rule.sharded()  # type: ignore[misc]
            state.rules[key] = instance
            try:
                plans[key] = instance.combine(held, ctx)
            except Exception as exc:
                crashed[key] = (type(exc).__name__, str(exc))
    for worker in workers:
        worker.tell(plans)
    own_evidence = state.gather(plans)
    evidence: list[dict[tuple[str, str], Any]] = []
    gather_failed: list[_Failures] = []  # each share's failures by now: its summary's and its gather's
    for worker in workers:
        gathered, share_failed = worker.expect("gathered")
        worker.finished = True
        evidence.append(gathered)
        gather_failed.append(share_failed)
    evidence.append(own_evidence)
    gather_failed.append(state.failed)
    for key, reason in _merge_failures(gather_failed).items():
        crashed.setdefault(key, reason)

    # Merge the per-profile findings and crashes of every share (in share order, the coordinator's
    # last), then judge.
    run.findings = [finding for report in reports for finding in report["findings"]]
    crashes: dict[str, tuple[int, str]] = {}
    for report in reports:
        for rule_id, (count, text) in report["crashes"].items():
            before, first_text = crashes.get(rule_id, (0, ""))
            crashes[rule_id] = (before + count, first_text or text)
        run.complete = run.complete and report["complete"]
    run.crashes = crashes
    for key, plan in plans.items():
        fw_id, rule_id = key
        rule = set_rules[rule_id]
        if key in crashed:
            continue
        held = [e[key] for e in evidence if key in e]
        try:
            problems = state.rules[key].judge(held, plan, contexts[key])
            if problems is not None:
                for problem in problems:
                    run.add(rule, problem, None)
        except Exception as exc:
            crashed[key] = (type(exc).__name__, str(exc))
    for (_, rule_id), (kind, text) in crashed.items():
        run.crashed(set_rules[rule_id], _exception_named(kind, text), None)
    roles = sum(report["roles"] for report in reports)
    result = checker._finish(run, roles, set_rules=True)
    working = (state, summaries, evidence, reports)
    first = next((report["first_located"] for report in reports if report["first_located"] is not None), None)
    context = (first,) if first is not None else ()
    return ParallelCheck(result, context, tuple(frameworks), len(workers) + 1, working)


def _exception_named(kind: str, text: str) -> Exception:
    """An exception reported as ``kind: text``, as the rule's own was (it may have come from another
    process, where only its type name and text were kept)."""
    named: Exception = type(kind, (Exception,), {})(text)
    return named


_Failures = dict[tuple[str, str], tuple[str, str]]


def _merge_failures(failed: list[_Failures]) -> _Failures:
    merged: _Failures = {}
    for share in failed:
        for key, reason in share.items():
            merged.setdefault(key, reason)
    return merged


def _framework_of(state: _ShareCheck, fw_id: str) -> Framework | None:
    views = state.groups.get(fw_id)
    return views[0].framework if views else None
