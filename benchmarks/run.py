"""Benchmark ``competency check`` against the floor of merely reading its input.

One command (docs/performance.md)::

    python benchmarks/run.py            # the full run: 1k, 10k, 100k roles; about 12 minutes on 2 cores
    python benchmarks/run.py --quick    # a smoke run at 1k roles

It generates the profile sets with benchmarks/generate.py into benchmarks/out/ (git-ignored; reused when
the generator and its arguments have not changed), then, on the same files, runs each case as a separate
process and records its wall time and peak memory:

* the **floor**: a ``python -c`` process that reads the same CSV with the csv module alone (streaming,
  nothing kept), or the same TOML files with tomllib alone;
* ``competency check --format json`` with every built-in rule, as a whole process;
* the start-up reference, ``python -c "import attrs, cattrs, pluggy, tomllib"``, and the check of a
  one-role file;
* in one process, the median time of ``Checker.check_profile`` on one RCP against a framework loaded
  once, with the per-profile rules (what a council system pays when a line manager saves an RCP).

Each case runs ``--repeat`` times (default 5), each run right after a run of its floor, after one unmeasured
warm-up run; medians are quoted, and each check is judged by the median of its paired ratios (each run
against the floor run just before it).

``competency check`` may fork worker processes (``--jobs``; by default one per core on a large input), so
peak memory is that of the whole process tree: a small wrapper process spawns the case and, while it
waits, samples the summed RSS of the case's process and all its descendants every 5 ms (``--sample-ms``),
keeping the largest sum. The figure reported is the larger of that sampled peak and the case process's own
``ru_maxrss`` from ``os.wait4`` (the peak of the process and of its largest reaped descendant, not their
sum), so a spike shorter than the sampling interval still bounds the figure from below. Pages shared
after a fork count once in each process, so with workers the figure is an upper bound.

Where ``competency check --help`` lists ``--jobs``, the largest CSV set and the largest TOML folder are
also checked with ``--jobs 1`` (one process), as informational rows without a target; the targets apply
to the default run. The table goes to standard output and the figures to ``--json FILE`` (default
benchmarks/out/results.json).

Only the standard library is used here; the code measured is the installed ``competency``.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import marshal
import os
import platform
import statistics
import subprocess
import sys
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
DEFAULT_OUT = HERE / "out"
FRAMEWORK = "cdc-snc-2015"
DEFAULT_SEED = 2015
MIB = 1024 * 1024

FLOOR_CSV = """
import csv, sys
with open(sys.argv[1], newline="", encoding="utf-8-sig") as handle:
    for row in csv.reader(handle):
        pass
"""

FLOOR_TOML = """
import os, sys, tomllib
for root, dirs, files in os.walk(sys.argv[1]):
    for name in files:
        if name.endswith(".toml"):
            with open(os.path.join(root, name), "rb") as handle:
                tomllib.load(handle)
"""

IMPORT_REFERENCE = "import attrs, cattrs, pluggy, tomllib"

PER_SAVE = """
import json, statistics, sys, time
import competency
from competency import Checker, load_framework, load_profiles
framework = load_framework(sys.argv[2])
profile = next(p for p in load_profiles(sys.argv[1], framework=framework) if p.managerial)
checker = Checker(framework)
result = checker.check_profile(profile)
for _ in range(200):
    checker.check_profile(profile)
times = []
clock = time.perf_counter_ns
for _ in range(int(sys.argv[3])):
    start = clock()
    checker.check_profile(profile)
    times.append(clock() - start)
times.sort()
print(json.dumps({
    "median_ms": statistics.median(times) / 1e6,
    "p90_ms": times[int(len(times) * 0.9)] / 1e6,
    "repetitions": len(times),
    "entries": len(profile.competencies),
    "findings": len(result.findings),
}))
"""


@dataclass
class Case:
    """One measured command and how it is judged."""

    name: str
    kind: str  # "floor", "check", "reference"
    command: list[str]
    roles: int
    rows: int = 0
    files: int = 1
    floor: str | None = None
    #: The ``.planted.json`` sidecar of the set checked, to compare the findings with.
    sidecar: dict[str, Any] | None = None
    #: ``--jobs`` given to the check (``None``: the check's own default).
    jobs: int | None = None
    #: An informational row: shown beside the case it varies, never judged against a target.
    informational: bool = False
    #: The case (same input, default options) whose findings this case's must equal byte for byte.
    same_findings_as: str | None = None
    #: Why the case is not run (it is still listed, so that the table says so).
    skipped: str | None = None
    walls: list[float] = field(default_factory=list)
    #: Per run: the larger of the sampled tree peak and ``ru_maxrss`` (the figure reported).
    rss: list[int] = field(default_factory=list)
    #: Per run: the peak of the summed RSS of the process tree, as sampled.
    tree_rss: list[int] = field(default_factory=list)
    #: Per run: ``ru_maxrss`` of the case process from ``os.wait4``.
    maxrss: list[int] = field(default_factory=list)
    samples: list[int] = field(default_factory=list)
    #: Per run: CPU seconds the wrapper spent sampling while the case ran.
    sampler_cpu: list[float] = field(default_factory=list)
    codes: list[int] = field(default_factory=list)
    stdout: Path | None = None

    @property
    def wall(self) -> float:
        return statistics.median(self.walls) if self.walls else float("nan")

    @property
    def peak_rss(self) -> int:
        return max(self.rss) if self.rss else 0

    def paired_ratios(self, floor: Case) -> list[float]:
        """Each run's wall time over that of the floor run just before it (the runs alternate)."""
        if not self.walls or len(self.walls) != len(floor.walls):
            return []
        return [wall / under for wall, under in zip(self.walls, floor.walls, strict=True)]

    def paired_ratio(self, floor: Case) -> float | None:
        """The median of :meth:`paired_ratios` (``None`` without runs)."""
        ratios = self.paired_ratios(floor)
        return statistics.median(ratios) if ratios else None


@dataclass(frozen=True)
class Measurement:
    """One run of one command, as the wrapper saw it."""

    wall: float
    #: The larger of ``tree_rss`` and ``maxrss``: the peak memory reported.
    peak_rss: int
    #: The largest sum of RSS over the process and its descendants seen in the samples (0: not sampled).
    tree_rss: int
    #: ``ru_maxrss`` of the process from ``os.wait4``: its own peak, or its largest reaped descendant's.
    maxrss: int
    samples: int
    #: CPU seconds the wrapper used between spawning the command and reaping it (the sampling's cost).
    sampler_cpu: float
    code: int


#: Milliseconds between two samples of the process tree's RSS.
SAMPLE_MS = 5
#: While the command has no descendant, the wrapper looks for new processes only every ``ALONE`` samples'
#: time: a lone process's peak is its ``ru_maxrss``, and each wake-up costs the wrapper about 0.1 ms of CPU.
ALONE = 4

#: Runs one command and reports its wall time, memory and exit code. A separate, small process (no site
#: packages) spawns the command, because a child's ``ru_maxrss`` starts from the RSS of the process that
#: spawned it: measured from this script (which has imported the generator), every case would look as
#: big as this script. The wrapper is about 9 MiB, less than any command measured.
#:
#: While the command runs, the wrapper sums the RSS of the command's process and of every descendant
#: (``/proc/PID/statm``: the same resident figure as ``VmRSS`` in ``/proc/PID/status``, cheaper to read)
#: every ``SAMPLE_MS`` and keeps the largest sum. Descendants are found from each process's parent in
#: ``/proc/PID/stat``: ``/proc/PID/task/*/children`` is missing from kernels built without
#: ``CONFIG_PROC_CHILDREN`` (this machine's among them). To stay light beside the timed process:
#:
#: * it lists ``/proc`` again only when the newest pid in ``/proc/loadavg`` has changed (some process
#:   or thread was created somewhere), and reads the parent of a pid only once; the processes that
#:   existed before the command are listed before it starts and never read;
#: * it keeps ``loadavg`` and each member's ``statm`` open and re-reads them with ``pread``: a sample is
#:   two small reads for a lone process, one more per worker;
#: * while the command has no descendant it wakes only every ``ALONE`` × ``SAMPLE_MS``;
#: * it waits on a pidfd, so it wakes as soon as the command exits and the wall time is as exact as with
#:   a plain ``wait4``.
#:
#: It reports the CPU time it used while the command ran (about 0.1 ms per wake-up here, mostly the
#: wake-up itself: 1-2% of one core at 5 ms). Where there is no ``/proc``, it only waits (tree figure 0).
#: A descendant whose parent exits before it is re-parented out of the tree and no longer counted.
WRAPPER = """
import os, sys, time
out, interval, alone, rest = sys.argv[1], float(sys.argv[2]) / 1000, int(sys.argv[3]), sys.argv[4]
command = sys.argv[5:]
fd = os.open(out, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
sampling = interval > 0 and os.path.isdir("/proc/self")
if sampling:  # processes that exist before the command cannot descend from it: their parents are not read
    parents = dict.fromkeys(map(int, filter(str.isdigit, os.listdir("/proc"))), 0)
start = time.perf_counter()
pid = os.posix_spawn(command[0], command, os.environ, file_actions=[(os.POSIX_SPAWN_DUP2, fd, 1)])
before = time.process_time()
os.close(fd)
import marshal
exec(marshal.loads(bytes.fromhex(rest)))
"""

#: The rest of the wrapper, loaded only once the command has started: compiled first, it would raise the
#: wrapper's RSS at the spawn, and with it the command's ``ru_maxrss``, by about 0.3 MiB. It is passed
#: compiled (by this interpreter, which also runs the wrapper), sparing the wrapper 1 ms of compiling
#: beside the command.
SAMPLER = """
peak = samples = 0
done = None

def read(path):
    handle = os.open(path, os.O_RDONLY)
    try:
        return os.read(handle, 4096)
    finally:
        os.close(handle)

def find_tree(parents):
    # parents: pid -> parent pid of every process in /proc, each read once; then the command's tree.
    live = set()
    for name in os.listdir("/proc"):
        if name.isdigit():
            child = int(name)
            live.add(child)
            if child not in parents:
                try:
                    parents[child] = int(read(f"/proc/{name}/stat").rpartition(b")")[2].split()[1])
                except (OSError, IndexError, ValueError):
                    pass
    for gone in parents.keys() - live:
        del parents[gone]
    children = {}
    for child, parent in parents.items():
        children.setdefault(parent, []).append(child)
    found, todo = set(), [pid]
    while todo:
        member = todo.pop()
        found.add(member)
        todo.extend(children.get(member, ()))
    return found

if sampling:
    import select

    page = os.sysconf("SC_PAGE_SIZE")
    try:
        poller = select.poll()
        poller.register(os.pidfd_open(pid), select.POLLIN)
    except (AttributeError, OSError):
        poller = None
    try:
        loadavg = os.open("/proc/loadavg", os.O_RDONLY)
    except OSError:
        loadavg = None
    statm, newest = {}, None  # statm: member pid -> its /proc/PID/statm, open, read with pread
    while True:
        try:
            last = os.pread(loadavg, 256, 0).rsplit(None, 1)[-1]  # the newest pid
        except (OSError, TypeError, IndexError):
            last = None
        if last is None or last != newest:
            newest = last
            tree = find_tree(parents)
            for member in statm.keys() - tree:
                os.close(statm.pop(member))
            for member in tree - statm.keys():
                try:
                    statm[member] = os.open(f"/proc/{member}/statm", os.O_RDONLY)
                except OSError:
                    pass
        total = 0
        for member, handle in list(statm.items()):
            try:
                total += int(os.pread(handle, 256, 0).split()[1])
            except (OSError, IndexError, ValueError):  # gone: this fd never reads a reused pid
                os.close(statm.pop(member))
        samples += 1
        peak = max(peak, total * page)
        # Alone, the command's own peak is its ru_maxrss: only look out for new processes, less often.
        pause = interval if len(statm) > 1 else interval * alone
        if poller is not None:
            if poller.poll(pause * 1000):
                break
        else:
            done = os.wait4(pid, os.WNOHANG)
            if done[0]:
                break
            time.sleep(pause)
if not done or not done[0]:
    done = os.wait4(pid, 0)
wall = time.perf_counter() - start
cpu = time.process_time() - before
_, status, usage = done
maxrss = usage.ru_maxrss * 1024
print(wall, max(peak, maxrss), peak, maxrss, samples, cpu, os.waitstatus_to_exitcode(status))
"""

_SAMPLER_CODE = marshal.dumps(compile(SAMPLER, "<sampler>", "exec")).hex()


def measure(command: Sequence[str], stdout: Path | None, sample_ms: float = SAMPLE_MS) -> Measurement:
    """Run ``command`` once: its wall time, the peak memory of its process tree, and its exit code."""
    result = subprocess.run(
        [
            sys.executable,
            "-S",
            "-c",
            WRAPPER,
            str(stdout or os.devnull),
            str(sample_ms),
            str(ALONE),
            _SAMPLER_CODE,
            *command,
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    if result.stderr:
        sys.stderr.write(result.stderr)
    wall, peak, tree, maxrss, samples, cpu, code = result.stdout.split()
    return Measurement(float(wall), int(peak), int(tree), int(maxrss), int(samples), float(cpu), int(code))


def competency_command() -> list[str]:
    """The installed console script beside this interpreter, or ``python -m competency``."""
    script = Path(sys.executable).parent / "competency"
    return [str(script)] if script.exists() else [sys.executable, "-m", "competency"]


# -- data ---------------------------------------------------------------------------------------------
def _generator_digest() -> str:
    return hashlib.sha256((HERE / "generate.py").read_bytes()).hexdigest()[:16]


def ensure_set(
    out: Path, name: str, roles: int, seed: int, *, toml: bool, defect_rate: float
) -> tuple[Path, dict[str, Any]]:
    """Generate ``name`` unless the same generator already made it with the same arguments."""
    if str(HERE) not in sys.path:
        sys.path.insert(0, str(HERE))
    import generate

    target = out / (name if toml else f"{name}.csv")
    sidecar = Path(f"{target}.planted.json")
    wanted = {
        "roles": roles,
        "seed": seed,
        "framework": FRAMEWORK,
        "defect_rate": defect_rate,
        "generator": _generator_digest(),
    }
    if sidecar.exists() and target.exists():
        try:
            data = json.loads(sidecar.read_text(encoding="utf-8"))
        except ValueError:
            data = {}
        if data.get("arguments") == wanted:
            return target, data
    print(
        f"generating {target.relative_to(out.parent) if out.parent in target.parents else target} "
        f"({roles} roles)...",
        file=sys.stderr,
        flush=True,
    )
    gen = generate.generate(roles, seed, framework=FRAMEWORK, defect_rate=defect_rate)
    if toml:
        generate.write(gen, toml_dir=target, args=wanted)
    else:
        generate.write(gen, csv_path=target, args=wanted)
    return target, json.loads(sidecar.read_text(encoding="utf-8"))


def jobs_supported(check: Sequence[str]) -> bool:
    """Whether this ``competency check`` takes ``--jobs`` (asked once, from its ``--help``)."""
    result = subprocess.run([*check, "check", "--help"], capture_output=True, text=True, check=False)
    return "--jobs" in result.stdout


#: Why the ``--jobs 1`` rows are not run when the check does not take the option.
NO_JOBS = "skipped: `competency check` has no `--jobs` option"


def _check_cases(
    check: list[str],
    out: Path,
    path: Path,
    info: dict[str, Any],
    stem: str,
    floor: Case,
    *,
    files: int,
    serial: bool | None,
) -> list[Case]:
    """The default check of one set, and, when ``serial`` is not ``None``, its ``--jobs 1`` twin.

    ``serial`` is ``True`` when the check takes ``--jobs``; ``False`` lists the twin as skipped.
    """
    name = f"check {stem.replace('-', ' ')}"
    command = [*check, "check", str(path), "--framework", FRAMEWORK, "--format", "json"]
    default = Case(
        name,
        "check",
        command,
        info["roles"],
        info["rows"],
        files=files,
        floor=floor.name,
        stdout=out / f"findings-{stem}.json",
        sidecar=info,
    )
    if serial is None:
        return [default]
    twin = Case(
        f"{name}, --jobs 1",
        "check",
        [*command, "--jobs", "1"],
        info["roles"],
        info["rows"],
        files=files,
        floor=floor.name,
        stdout=out / f"findings-{stem}-jobs1.json",
        sidecar=info,
        jobs=1,
        informational=True,
        same_findings_as=name,
        skipped=None if serial else NO_JOBS,
    )
    return [default, twin]


def build_cases(out: Path, quick: bool, seed: int, *, serial: bool) -> list[Case]:
    """Every case, in the order they run. ``serial``: the check takes ``--jobs`` (see :data:`NO_JOBS`).

    The largest CSV set and the largest TOML folder are also checked with ``--jobs 1``.
    """
    py = sys.executable
    check = competency_command()
    cases: list[Case] = []
    csv_sizes = (1_000,) if quick else (1_000, 10_000, 100_000)
    toml_sizes = (1_000,) if quick else (1_000, 10_000)
    for size in csv_sizes:
        label = f"{size // 1000}k"
        path, info = ensure_set(out, f"csv-{label}", size, seed, toml=False, defect_rate=0.02)
        floor = Case(
            f"floor csv {label}", "floor", [py, "-c", FLOOR_CSV, str(path)], info["roles"], info["rows"]
        )
        cases.append(floor)
        twin = serial if size == csv_sizes[-1] else None
        cases.extend(_check_cases(check, out, path, info, f"csv-{label}", floor, files=1, serial=twin))
    for size in toml_sizes:
        label = f"{size // 1000}k"
        path, info = ensure_set(out, f"toml-{label}", size, seed, toml=True, defect_rate=0.02)
        floor = Case(
            f"floor toml {label}",
            "floor",
            [py, "-c", FLOOR_TOML, str(path)],
            info["roles"],
            info["rows"],
            files=info["roles"],
        )
        cases.append(floor)
        twin = serial if size == toml_sizes[-1] else None
        cases.extend(
            _check_cases(check, out, path, info, f"toml-{label}", floor, files=info["roles"], serial=twin)
        )
    one, info = ensure_set(out, "one-role", 1, seed, toml=True, defect_rate=0.0)
    reference = Case("import attrs, cattrs, pluggy, tomllib", "reference", [py, "-c", IMPORT_REFERENCE], 0, 0)
    cases.append(reference)
    cases.append(
        Case(
            "check one role (start-up)",
            "check",
            [*check, "check", str(one), "--framework", FRAMEWORK, "--format", "json"],
            1,
            info["rows"],
            floor=reference.name,
            stdout=out / "findings-one-role.json",
            sidecar=info,
        )
    )
    return cases


def per_save(out: Path, seed: int, repetitions: int) -> dict[str, Any]:
    """Median time to check one RCP (the first managerial role of the 1k set: 11 entries) in a process that
    has loaded the framework once."""
    one, _ = ensure_set(out, "csv-1k", 1_000, seed, toml=False, defect_rate=0.02)
    result = subprocess.run(
        [sys.executable, "-c", PER_SAVE, str(one), FRAMEWORK, str(repetitions)],
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        return {"error": result.stderr.strip().splitlines()[-1:] or ["failed"]}
    data: dict[str, Any] = json.loads(result.stdout)
    return data


def compare_findings(case: Case) -> dict[str, Any] | None:
    """The check's findings against the planted defects: (rule, role, competency) found and planted."""
    if case.skipped or case.sidecar is None or case.stdout is None or not case.stdout.exists():
        return None
    try:
        findings = json.loads(case.stdout.read_text(encoding="utf-8"))["findings"]
    except (ValueError, KeyError):
        return {"error": "no findings document"}
    found = [(f["rule"], f["role"], f["competency"]) for f in findings]
    planted = [(p["rule"], p["role"], p["competency"]) for p in case.sidecar["planted"]]
    missed = _minus(planted, found)
    extra = _minus(found, planted)
    return {
        "planted": len(planted),
        "found": len(found),
        "missed": missed[:20],
        "extra": extra[:20],
        "n_missed": len(missed),
        "n_extra": len(extra),
    }


def same_findings(case: Case, by_name: dict[str, Case]) -> bool | None:
    """Whether the check wrote byte for byte the report of the case it varies (``None``: nothing to
    compare). The reports are those of each case's last run."""
    other = by_name.get(case.same_findings_as or "")
    if case.skipped or other is None or case.stdout is None or other.stdout is None:
        return None
    try:
        return case.stdout.read_bytes() == other.stdout.read_bytes()
    except OSError:
        return False


def _minus(a: list[tuple[Any, ...]], b: list[tuple[Any, ...]]) -> list[list[Any]]:
    """The items of ``a`` not matched one for one in ``b``."""
    left = Counter(b)
    out = []
    for item in a:
        if left[item] > 0:
            left[item] -= 1
        else:
            out.append(list(item))
    return out


# -- targets ------------------------------------------------------------------------------------------
def judge(case: Case, by_name: dict[str, Case]) -> tuple[str, bool | None]:
    """The target for a case (issue 4), and whether it is met (``None``: no target)."""
    floor = by_name.get(case.floor or "")
    # Judged on the median of the paired ratios: each check against the floor run just before it. The
    # check of a large set takes both cores and the floor one, so a neighbour's burst of work on the
    # host moves them differently from one minute to the next; a pair sees the same minute.
    ratio = case.paired_ratio(floor) if floor else None
    if case.name == "check csv 100k":
        ok = ratio is not None and ratio <= 2.0 and case.peak_rss < 1024 * MIB
        return "≤2× floor, <1 GiB", ok
    if case.name == "check toml 10k":
        return "≤1.5× floor", ratio is not None and ratio <= 1.5
    if case.name == "check one role (start-up)":
        return "≤0.15 s, ≤1.5× ref", ratio is not None and case.wall <= 0.15 and ratio <= 1.5
    return "", None


def compile_bytecode() -> list[str]:
    """Compile the measured packages' byte-code first, as pip does when it installs a wheel.

    Without it, an editable install under ``PYTHONDONTWRITEBYTECODE`` (set in some CI images and
    containers) compiles every module of ``competency`` from source in every process, while attrs,
    cattrs and pluggy load from their installed byte-code: the start-up figure would measure the
    compiler, not the checker.
    """
    import compileall
    import importlib.util

    compiled = []
    for name in ("competency", "competency_rules"):
        spec = importlib.util.find_spec(name)
        for folder in (spec.submodule_search_locations or []) if spec else []:
            compileall.compile_dir(folder, quiet=1)
            compiled.append(folder)
    return compiled


#: How many times more often the start-up cases (reference and one-role check) run than the others.
STARTUP_RUNS = 7


def record(case: Case, sample_ms: float) -> None:
    """Run ``case`` once and keep its figures."""
    m = measure(case.command, case.stdout, sample_ms)
    case.walls.append(m.wall)
    case.rss.append(m.peak_rss)
    case.tree_rss.append(m.tree_rss)
    case.maxrss.append(m.maxrss)
    case.samples.append(m.samples)
    case.sampler_cpu.append(m.sampler_cpu)
    case.codes.append(m.code)
    print(
        f"  {case.name:<40} {m.wall:8.3f} s {m.peak_rss / MIB:8.1f} MiB (tree {m.tree_rss / MIB:.1f}, "
        f"ru_maxrss {m.maxrss / MIB:.1f})  exit {m.code}  sampler {m.sampler_cpu * 1000:.1f} ms CPU "
        f"({m.sampler_cpu / m.wall:.1%} of one core)",
        file=sys.stderr,
        flush=True,
    )


def run(args: argparse.Namespace) -> dict[str, Any]:
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)
    compile_bytecode()
    serial = jobs_supported(competency_command())
    cases = build_cases(out, args.quick, args.seed, serial=serial)
    by_name = {c.name: c for c in cases}
    measured = [case for case in cases if not case.skipped]
    if not args.quick:
        for case in measured:  # warm-up: page cache, byte-code caches
            measure(case.command, case.stdout, args.sample_ms)
    # A start-up takes a tenth of a second, so a neighbour's burst of work moves it by a third: the
    # start-up pair runs STARTUP_RUNS times as often, each check right after its reference.
    startup = [case for case in measured if case.roles <= 1]
    for _ in range(args.repeat):
        for case in measured:
            if case not in startup:
                record(case, args.sample_ms)
        for _ in range(STARTUP_RUNS):
            for case in startup:
                record(case, args.sample_ms)
    save = per_save(out, args.seed, args.per_save_repetitions)
    rows = []
    for case in cases:
        floor = by_name.get(case.floor or "")
        target, ok = judge(case, by_name)
        equal = same_findings(case, by_name)
        bad_exit = case.kind == "check" and any(code not in (0, 1) for code in case.codes)
        ran = bool(case.walls)
        rows.append(
            {
                "case": case.name,
                "kind": case.kind,
                "roles": case.roles,
                "rows": case.rows,
                "files": case.files,
                "jobs": case.jobs,
                "informational": case.informational,
                "skipped": case.skipped,
                "wall_s": case.wall if ran else None,
                "walls_s": case.walls,
                "roles_per_s": case.roles / case.wall if ran and case.roles and case.wall else None,
                "peak_rss_mib": case.peak_rss / MIB if ran else None,
                "peak_rss_tree_sampled_mib": max(case.tree_rss) / MIB if ran else None,
                "ru_maxrss_mib": max(case.maxrss) / MIB if ran else None,
                "rss_runs_mib": {
                    "peak": [b / MIB for b in case.rss],
                    "tree_sampled": [b / MIB for b in case.tree_rss],
                    "ru_maxrss": [b / MIB for b in case.maxrss],
                },
                "rss_samples": case.samples,
                "sampler_cpu_s": case.sampler_cpu,
                "ratio_to_floor": case.wall / floor.wall if ran and floor else None,
                "ratio_to_floor_paired": case.paired_ratio(floor) if ran and floor else None,
                "ratios_paired": case.paired_ratios(floor) if ran and floor else [],
                "floor": case.floor,
                "exit_codes": case.codes,
                "target": target,
                "pass": False if bad_exit or equal is False else ok,
                "findings_vs_planted": compare_findings(case),
                "same_findings_as": case.same_findings_as,
                "findings_identical": equal,
            }
        )
    growth = None
    if "check csv 10k" in by_name and "check csv 100k" in by_name:
        growth = by_name["check csv 100k"].wall / by_name["check csv 10k"].wall
    ok_save = "median_ms" in save and save["median_ms"] < 1.0
    cpu = [c for case in measured for c in case.sampler_cpu]
    walls = [w for case in measured for w in case.walls]
    return {
        "machine": {
            "python": platform.python_version(),
            "implementation": platform.python_implementation(),
            "platform": platform.platform(),
            "cpus": os.cpu_count(),
        },
        "repeat": args.repeat,
        "seed": args.seed,
        "framework": FRAMEWORK,
        "jobs_option": serial,
        "memory": {
            "peak_rss": "max(peak of the summed RSS of the process and its descendants, sampled; ru_maxrss)",
            "sample_ms": args.sample_ms,
            "sampler_cpu_s": sum(cpu),
            "sampler_cpu_share": sum(cpu) / sum(walls) if walls else None,
        },
        "cases": rows,
        "growth_10k_to_100k": {
            "ratio": growth,
            "target": "≤11×",
            "pass": None if growth is None else growth <= 11,
        },
        "per_save": {**save, "target": "<1 ms", "pass": ok_save},
    }


#: How the ratio to the floor is taken, said under the table.
PAIRS_NOTE = (
    "× floor (pairs): the median, over the runs, of each run's wall time divided by that of its floor run "
    "just before it (the targets are judged on it); ÷ floor's median: the median wall time divided by the "
    "floor's median wall time."
)

#: What the memory column holds, said under the table.
RSS_NOTE = (
    "Peak RSS (tree Σ): the largest sum of the resident memory of the process and all its descendants "
    "(worker processes), sampled every {ms:g} ms, or the process's own `ru_maxrss` if larger. Pages shared "
    "between processes after a fork count once in each, so with workers it is an upper bound."
)


def table(results: dict[str, Any]) -> str:
    """The figures as a Markdown table (pasted as is into docs/performance.md), and a note on memory."""
    lines = [
        "| case | roles | wall (median) | roles/s | peak RSS (tree Σ) | × floor (pairs) | ÷ floor's median "
        "| target | pass | findings = planted |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- | --- |",
    ]
    for row in results["cases"]:
        if row["skipped"]:
            lines.append(f"| {row['case']} | {row['roles'] or ''} | {row['skipped']} | | | | | | | |")
            continue
        rate = f"{row['roles_per_s']:,.0f}" if row["roles_per_s"] else ""
        paired = row["ratio_to_floor_paired"]
        ratio = f"{paired:.2f}×" if paired is not None else ""
        of_medians = f"{row['ratio_to_floor']:.2f}×" if row["ratio_to_floor"] is not None else ""
        verdict = {True: "pass", False: "FAIL", None: ""}[row["pass"]]
        if row["informational"] and not verdict:
            verdict = "(info)"
        agreement = _agreement(row["findings_vs_planted"])
        if row["findings_identical"] is not None:
            same = "same report" if row["findings_identical"] else "NOT the same report"
            agreement = f"{agreement}; {same} as `{row['same_findings_as']}`"
        lines.append(
            f"| {row['case']} | {row['roles'] or ''} | {row['wall_s']:.3f} s | {rate} | "
            f"{row['peak_rss_mib']:.0f} MiB | {ratio} | {of_medians} | {row['target']} | {verdict} | "
            f"{agreement} |"
        )
    growth = results["growth_10k_to_100k"]
    if growth["ratio"] is not None:
        verdict = "pass" if growth["pass"] else "FAIL"
        lines.append(
            f"| growth csv 10k → 100k | | {growth['ratio']:.2f}× | | | | | {growth['target']} | {verdict} | |"
        )
    save = results["per_save"]
    if "median_ms" in save:
        verdict = "pass" if save["pass"] else "FAIL"
        lines.append(
            f"| per-save `check_profile` ({save['entries']} entries, median of {save['repetitions']}) | 1 | "
            f"{save['median_ms'] * 1000:.0f} µs | | | | | {save['target']} | {verdict} | |"
        )
    else:
        error = save.get("error")
        lines.append(f"| per-save `check_profile` | 1 | error: {error} | | | | | <1 ms | FAIL | |")
    lines += ["", PAIRS_NOTE, "", RSS_NOTE.format(ms=results["memory"]["sample_ms"])]
    memory = results["memory"]
    if memory["sampler_cpu_share"] is not None:
        lines.append(
            f"The sampler used {memory['sampler_cpu_s']:.2f} s of CPU in all, "
            f"{memory['sampler_cpu_share']:.1%} of one core while the cases ran."
        )
    return "\n".join(lines)


def _agreement(comparison: dict[str, Any] | None) -> str:
    if comparison is None:
        return ""
    if "error" in comparison:
        return str(comparison["error"])
    if not comparison["n_missed"] and not comparison["n_extra"]:
        return f"yes ({comparison['found']})"
    return f"NO: {comparison['n_missed']} missed, {comparison['n_extra']} extra"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--repeat", type=int, default=5, help="measured runs per case (default 5; medians)")
    parser.add_argument("--quick", action="store_true", help="a smoke run: 1k roles only")
    parser.add_argument(
        "--seed", type=int, default=DEFAULT_SEED, help=f"generator seed (default {DEFAULT_SEED})"
    )
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="folder for generated sets and outputs")
    parser.add_argument(
        "--json", type=Path, metavar="FILE", help="write the figures here (default OUT/results.json)"
    )
    parser.add_argument(
        "--sample-ms",
        type=float,
        default=SAMPLE_MS,
        metavar="MS",
        help=f"sample the process tree's memory every MS ms (default {SAMPLE_MS}; 0: ru_maxrss only)",
    )
    parser.add_argument("--per-save-repetitions", type=int, default=5000, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")
    if args.sample_ms < 0:
        parser.error("--sample-ms must be 0 or more")
    results = run(args)
    target = args.json or args.out / "results.json"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(table(results))
    print(f"\nfigures written to {target}")
    failed = [
        r["case"]
        for r in results["cases"]
        if r["kind"] == "check" and any(c not in (0, 1) for c in r["exit_codes"])
    ]
    if failed:
        print(f"error: competency check did not finish cleanly in: {', '.join(failed)}", file=sys.stderr)
    differ = [r["case"] for r in results["cases"] if r["findings_identical"] is False]
    if differ:
        print(f"error: not the same report as the default run in: {', '.join(differ)}", file=sys.stderr)
    return 2 if failed or differ else 0


if __name__ == "__main__":
    sys.exit(main())
