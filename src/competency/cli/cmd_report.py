"""``competency report PATHS… -o report.html``: check RCPs and write the moderation report.

The report is one self-contained HTML file for the moderation panel (docs/report.md). This module reads
the files and the configuration exactly as ``competency check`` does, runs the same checker, and hands
the profiles and the result to :func:`competency.report.build_report`.

Exit codes: 0 the report was written; 1 it was written and ``--fail-on`` was given and a finding is at
or above it; 2 usage, configuration or input error (nothing written); 3 it was written but the check is
incomplete (a rule crashed).
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from ._common import SEVERITIES, add_check_arguments


def register(subparsers: Any, name: str) -> None:
    parser = subparsers.add_parser(
        name,
        help="write the moderation report (one self-contained HTML file)",
        description=(
            "Check Role Competencies Profiles (TOML, CSV or .xlsx files, or folders of them) and write the "
            "moderation report: a summary, a heat map per role family with findings marked on the cells, "
            "the findings table, and what each level means. One HTML file with no links to the network, "
            "so it can be sent as an e-mail attachment. Configuration and flags as for 'competency check'."
        ),
        epilog=(
            "exit codes: 0 report written; 1 written, and a finding is at or above --fail-on (only when "
            "given); 2 usage, configuration or input error; 3 written, but a rule crashed (check incomplete)"
        ),
    )
    parser.add_argument(
        "paths", nargs="+", metavar="PATH", help="profile files or folders (searched recursively)"
    )
    parser.add_argument(
        "-o",
        "--output",
        metavar="FILE",
        required=True,
        help="the HTML file to write ('-' for standard output)",
    )
    add_check_arguments(parser)
    parser.add_argument("--title", metavar="TEXT", help="heading of the report (default: from the framework)")
    parser.add_argument(
        "--fail-on", choices=SEVERITIES, help="exit 1 when a finding is at or above this (default: never)"
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    import datetime as dt
    from pathlib import Path

    from competency import CompetencyError, load_profiles
    from competency._findings import Severity
    from competency._loading import iter_profile_files, write_bytes_atomic
    from competency.checking import Checker
    from competency.config import load_config
    from competency.report import build_report

    loaded = load_config(args.config).with_overrides(
        framework=args.framework,
        select=args.select,
        ignore=args.ignore,
        severity=dict(args.severity),
        plugins=args.plugins,
        encoding=args.encoding,
    )
    files = list(iter_profile_files(*args.paths))
    if args.output != "-" and Path(args.output).resolve() in {f.resolve() for f in files}:
        raise CompetencyError(f"--output {args.output} is one of the input files; it would be overwritten")
    baseline = None
    if args.baseline:
        from competency.baseline import load_baseline

        baseline = load_baseline(args.baseline)
    profiles = load_profiles(*files, encoding=loaded.encoding or "utf-8-sig", sheet=args.sheet)
    if not profiles:
        raise CompetencyError("no RCPs found in " + ", ".join(args.paths))
    try:
        checker = Checker(config=loaded.config)
        frameworks = {}
        for profile in profiles:
            fw = checker.framework_for(profile)
            frameworks[fw.id] = fw
        result = checker.check(profiles)
    except CompetencyError as exc:
        raise loaded.blame(exc) from None
    if len(frameworks) > 1:
        raise CompetencyError(
            "one report covers one framework, and these profiles name "
            + ", ".join(sorted(frameworks))
            + "; report them separately, or choose one with --framework"
        )
    if baseline is not None:
        result = baseline.filter(result)
    framework = next(iter(frameworks.values()))
    html = build_report(
        profiles,
        result,
        framework,
        title=args.title,
        generated=dt.datetime.now().strftime("%d %B %Y %H:%M"),
        rule_summaries={rule_id: rule.summary for rule_id, rule in checker.rules.items()},
    )
    if args.output == "-":
        sys.stdout.write(html)
    else:
        write_bytes_atomic(Path(args.output), html.encode("utf-8"))
        count = len(result.findings)
        print(
            f"competency: wrote {args.output} ({len(profiles)} role{'s' if len(profiles) != 1 else ''}, "
            f"{count} finding{'s' if count != 1 else ''})",
            file=sys.stderr,
        )
    if not result.complete:
        return 3
    if args.fail_on and result.fails(Severity.parse(args.fail_on)):
        return 1
    return 0
