"""``competency check PATHS…``: run the moderation rules over RCP files and report the findings.

This module only reads files, builds a :class:`~competency.Checker` from the configuration and flags,
calls it, and formats what it returns; every rule, the baseline matching and each output format live in
the library. It never writes to an input file.

Exit codes (docs/cli.md): 0 no finding at or above ``--fail-on``; 1 findings at or above it; 2 usage,
configuration or input error (nothing checked); 3 a rule crashed (check incomplete; wins over 1).
"""

from __future__ import annotations

import argparse
import gc
import os
import sys
from typing import Any

from ._common import SEVERITIES, add_check_arguments

FORMATS = ("text", "json", "sarif", "csv")


def register(subparsers: Any, name: str) -> None:
    parser = subparsers.add_parser(
        name,
        help="check RCPs with the moderation rules",
        description=(
            "Check Role Competencies Profiles (TOML, CSV or .xlsx files, or folders of them) with the "
            "built-in moderation rules and any plugins, and report the findings. Configuration comes "
            "from competency.toml or [tool.competency] in pyproject.toml (see docs/configuration.md); "
            "flags override it."
        ),
        epilog=(
            "exit codes: 0 no finding at or above --fail-on; 1 findings at or above it; 2 usage, "
            "configuration or input error; 3 a rule crashed (check incomplete)"
        ),
    )
    parser.add_argument(
        "paths", nargs="+", metavar="PATH", help="profile files or folders (searched recursively)"
    )
    add_check_arguments(parser)
    parser.add_argument(
        "--fail-on", choices=SEVERITIES, help="exit 1 when a finding is at or above this (default: error)"
    )
    parser.add_argument("--format", choices=FORMATS, default="text", help="output format (default: text)")
    parser.add_argument(
        "-o", "--output", metavar="FILE", help="write the report to FILE instead of standard output"
    )
    parser.add_argument(
        "--write-baseline", metavar="FILE", help="record today's findings in FILE (adopting the checker)"
    )
    parser.add_argument("--no-color", action="store_true", help="never colour the text report")
    parser.add_argument(
        "-j",
        "--jobs",
        type=_jobs,
        metavar="N",
        help="check a large input in up to N processes, with the same findings (default: one per core; "
        "1 checks in this process only)",
    )
    parser.set_defaults(run=run)


def _jobs(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of processes, 1 or more, got {text!r}")
    return value


def _use_color(args: argparse.Namespace) -> bool:
    if args.no_color or args.format != "text" or args.output not in (None, "-"):
        return False
    if os.environ.get("NO_COLOR"):
        return False
    isatty = getattr(sys.stdout, "isatty", None)
    return bool(isatty and isatty())


#: Inputs smaller than this are never shared out by default (two shares of
#: ``competency._parallel.MIN_SHARE_BYTES``): a small check does not even import the parallel machinery.
_SHARE_FROM_BYTES = 8 << 20


def _worth_sharing(files: list[Any]) -> bool:
    total = 0
    for path in files:
        try:
            total += os.stat(path).st_size
        except OSError:
            return False  # the reader reports it
        if total >= _SHARE_FROM_BYTES:
            return True
    return False


def _refuse_overwriting_inputs(args: argparse.Namespace, inputs: list[Any]) -> None:
    from pathlib import Path

    from competency import CompetencyError

    targets = [t for t in (args.output, args.write_baseline) if t not in (None, "-")]
    if not targets:
        return  # nothing is written to a file: no need to resolve 10⁴ input paths
    resolved = {Path(p).resolve() for p in inputs}
    for flag, target in (("--output", args.output), ("--write-baseline", args.write_baseline)):
        if target not in (None, "-") and Path(target).resolve() in resolved:
            raise CompetencyError(f"{flag} {target} is one of the input files; it would be overwritten")


def _write(data: str | bytes, output: str | None) -> None:
    if output in (None, "-"):
        if isinstance(data, bytes):
            sys.stdout.flush()
            sys.stdout.buffer.write(data)
            sys.stdout.buffer.flush()
        else:
            sys.stdout.write(data)
        return
    from pathlib import Path

    from competency import CompetencyError
    from competency._loading import write_bytes_atomic

    assert output is not None
    try:
        write_bytes_atomic(Path(output), data if isinstance(data, bytes) else data.encode("utf-8"))
    except OSError as exc:
        raise CompetencyError(f"cannot write the report: {exc.strerror}", path=output) from None


def run(args: argparse.Namespace) -> int:
    # A check builds a few objects per CSV row (10⁶ rows for a shared HR service) and keeps them all to
    # the end, and the model holds no reference cycles: the cyclic collector would only re-scan the
    # growing heap again and again (a third of the run at 10⁵ roles). Reference counting still frees
    # everything that is dropped. Restored afterwards for callers of main() in a longer-lived process.
    enabled = gc.isenabled()
    gc.disable()
    try:
        return _run(args)
    finally:
        if enabled:
            gc.enable()


def _run(args: argparse.Namespace) -> int:
    from competency import CompetencyError, load_profiles
    from competency._loading import iter_profile_files
    from competency.checking import Checker
    from competency.config import load_config
    from competency.output import render

    loaded = load_config(args.config).with_overrides(
        framework=args.framework,
        select=args.select,
        ignore=args.ignore,
        severity=dict(args.severity),
        fail_on=args.fail_on,
        plugins=args.plugins,
        encoding=args.encoding,
    )
    files = list(iter_profile_files(*args.paths))
    _refuse_overwriting_inputs(args, files)
    baseline = None
    if args.baseline:
        from competency.baseline import load_baseline

        baseline = load_baseline(args.baseline)
    encoding = loaded.encoding or "utf-8-sig"
    # The checker is built before the input is read (a worker process needs it), but a configuration
    # error is still reported after an input error, as it always has been.
    checker: Checker | None = None
    checker_error: CompetencyError | None = None
    try:
        checker = Checker(config=loaded.config)
    except CompetencyError as exc:
        checker_error = exc
    shared = None
    if checker is not None and (args.jobs or 0) != 1 and (args.jobs or _worth_sharing(files)):
        from competency._parallel import check_files, default_jobs

        jobs = args.jobs or default_jobs()
        if jobs > 1:
            try:
                shared = check_files(checker, files, jobs=jobs, encoding=encoding, sheet=args.sheet)
            except CompetencyError as exc:  # what checking the profiles in one process would raise
                raise loaded.blame(exc) from None
    if shared is not None:
        assert checker is not None
        result, profiles = shared.result, shared.profiles
        frameworks = {fw.id: fw for fw in shared.frameworks}
    else:
        profiles = load_profiles(*files, encoding=encoding, sheet=args.sheet)
        if checker_error is not None:
            raise loaded.blame(checker_error) from None
        assert checker is not None
        try:
            result = checker.check(profiles)
        except CompetencyError as exc:
            raise loaded.blame(exc) from None
        frameworks = {fw.id: fw for fw in map(checker.framework_for, profiles)}
    framework = next(iter(frameworks.values())) if len(frameworks) == 1 else None

    fail_on = loaded.config.fail_on
    if args.write_baseline:
        from competency.baseline import write_baseline

        recorded = write_baseline(result, args.write_baseline)
        print(
            f"competency: recorded {len(recorded)} finding{'s' if len(recorded) != 1 else ''} "
            f"in baseline {args.write_baseline}",
            file=sys.stderr,
        )
    shown = result
    if baseline is not None:
        shown = baseline.filter(result)
        hidden = len(result.findings) - len(shown.findings)
        if hidden:
            print(
                f"competency: {hidden} finding{'s' if hidden != 1 else ''} already in baseline "
                f"{args.baseline} not shown",
                file=sys.stderr,
            )
    data = render(
        args.format,
        shown,
        profiles=profiles,
        framework=framework,
        rules=checker.rules,
        color=_use_color(args),
    )
    _write(data, args.output)
    # Writing a baseline adopts today's findings: only an incomplete check is a failure.
    code = (0 if shown.complete else 3) if args.write_baseline else shown.exit_code(fail_on)
    if getattr(args, "leave_quickly", False):
        # Everything is written: end here, without freeing the model one object at a time (a third of a
        # second at 10⁵ roles) as returning would. Only the console script asks for this, never a caller
        # of main(); a failed flush is main()'s to report.
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)
    return code
