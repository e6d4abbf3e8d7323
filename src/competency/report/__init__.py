"""The moderation report: one HTML file the panel reads before it meets.

The panel reviews RCPs "for consistency, accuracy and fairness" and sense-checks outcomes across both
councils (policy §2.5). :func:`build_report` turns a checked profile set into one self-contained HTML
page — no network, no CDN, so it opens from an e-mail attachment — with:

* a summary: roles, organisations, role families, findings per severity and per rule;
* per role family, a heat map of roles × competencies coloured by each level's position on its scale,
  each role's organisation beside it, the family median below, and findings marked on their cells;
* the findings table, sortable and filterable by severity, rule, family and organisation;
* for any cell, what its level means (the framework's indicators), on hover and on click.

>>> from competency import check, load_framework, load_profiles
>>> from competency.report import build_report
>>> fw = load_framework("cdc-snc-2015")
>>> profiles = load_profiles("examples/cdc-snc/profiles.csv")            # doctest: +SKIP
>>> html = build_report(profiles, check(profiles, fw), fw)              # doctest: +SKIP

``competency report PATHS… -o report.html`` does the same from the command line (docs/report.md).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

from ._html import json_for_script, render_html
from ._model import Report, build_model

if TYPE_CHECKING:
    from .._findings import CheckResult
    from .._framework import Framework
    from .._profile import RoleProfile

__all__ = ["Report", "build_model", "build_report", "json_for_script"]


def build_report(
    profiles: Iterable[RoleProfile],
    result: CheckResult,
    framework: Framework,
    *,
    title: str | None = None,
    generated: str | None = None,
    rule_summaries: Mapping[str, str] | None = None,
) -> str:
    """The moderation report for ``profiles``, checked into ``result`` against ``framework``, as HTML.

    ``title`` replaces the default heading ("Moderation report: <framework title>"); ``generated`` is
    shown as the time the report was made (left out when ``None``, so the output is reproducible);
    ``rule_summaries`` maps rule ids to the one-line summaries shown beside the counts per rule.
    Every text from the input is escaped.
    """
    model = build_model(
        tuple(profiles),
        result,
        framework,
        title=title,
        generated=generated,
        rule_summaries=rule_summaries,
    )
    return render_html(model)
