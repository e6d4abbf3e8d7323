"""``--format sarif``: SARIF 2.1.0, the format CI code-scanning services (GitHub, Azure DevOps) upload.

A council that keeps its RCPs in a repository sees findings as code-scanning alerts on the rows and
lines they concern. The log has one run whose ``tool.driver`` is ``competency`` with every rule that
ran (id, summary, documentation, default level), and one result per finding:

* ``level``: error → ``error``, warning → ``warning``, info → ``note``;
* the location: the file relative to the current folder with forward slashes and ``uriBaseId``
  ``%SRCROOT%`` (files outside it get an absolute ``file:`` URI), and ``region.startLine`` when the
  line (TOML) or row (CSV) is known;
* ``partialFingerprints``: a hash of rule, role and competency (and the occurrence among findings with
  that identity) — never the line, so an alert survives re-sorting a spreadsheet;
* ``properties``: role, title, organisation, competency, required level and sheet, where known.

An incomplete check (a rule crashed) sets the invocation's ``executionSuccessful`` to false and adds a
tool-execution notification, besides the ``rule-crashed`` result itself.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections import Counter
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

if TYPE_CHECKING:
    from competency._findings import CheckResult, Finding
    from competency._framework import Framework
    from competency._profile import RoleProfile

__all__ = ["FINGERPRINT_KEY", "INFORMATION_URI", "SCHEMA", "render", "sarif_log"]

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
INFORMATION_URI = "https://pypi.org/project/competency/"
#: The key of the fingerprint in ``partialFingerprints`` (versioned, as SARIF recommends).
FINGERPRINT_KEY = "competencyFinding/v1"
#: The base every relative artifact URI is resolved against: the folder the check ran in.
SRCROOT = "%SRCROOT%"

_LEVELS = {"error": "error", "warning": "warning", "info": "note"}


def _text(text: str) -> dict[str, str]:
    return {"text": text}


def _first_paragraph(docs: str) -> str:
    return docs.strip().split("\n\n", 1)[0].replace("\n", " ").strip()


def _descriptor(rule_id: str, rule: Any) -> dict[str, Any]:
    if rule is None:
        return {"id": rule_id, "shortDescription": _text(rule_id)}
    docs = (rule.docs or "").strip() or rule.summary
    return {
        "id": rule_id,
        "name": "".join(part.capitalize() for part in rule_id.split("-")),
        "shortDescription": _text(rule.summary),
        "fullDescription": _text(_first_paragraph(docs)),
        "help": {"text": docs, "markdown": docs},
        "defaultConfiguration": {"level": _LEVELS[rule.severity.value]},
        "properties": {"scope": rule.scope, "source": rule.source},
    }


def artifact_location(path: str) -> dict[str, str]:
    """``{"uri", "uriBaseId"}`` for a file: relative to the current folder when below it."""
    absolute = os.path.abspath(path)
    try:
        relative = os.path.relpath(absolute)
    except ValueError:  # another drive, on Windows
        relative = ".."
    if relative.startswith(".."):
        return {"uri": Path(absolute).as_uri()}
    return {"uri": quote(relative.replace(os.sep, "/"), safe="/"), "uriBaseId": SRCROOT}


def _fingerprint(finding: Finding, occurrence: int) -> str:
    identity = "\x00".join((finding.rule, finding.role or "", finding.competency or "", str(occurrence)))
    return hashlib.sha256(identity.encode("utf-8")).hexdigest()[:32]


def _properties(finding: Finding) -> dict[str, Any]:
    values = {
        "role": finding.role,
        "roleTitle": finding.role_title,
        "organisation": finding.organisation,
        "competency": finding.competency,
        "requiredLevel": finding.level,
        "sheet": finding.sheet,
        "row": finding.line if finding.sheet else None,
        "severity": finding.severity.value,
    }
    return {k: v for k, v in values.items() if v is not None}


def _location(finding: Finding, fallback: str | None) -> dict[str, Any] | None:
    path = finding.path or fallback
    if path is None:
        return None
    physical: dict[str, Any] = {"artifactLocation": artifact_location(path)}
    if finding.path is not None and finding.sheet is None and finding.line is not None and finding.line >= 1:
        physical["region"] = {"startLine": finding.line}
    location: dict[str, Any] = {"physicalLocation": physical}
    if finding.role is not None:
        name = finding.role + (f"/{finding.competency}" if finding.competency else "")
        location["logicalLocations"] = [{"name": finding.role, "fullyQualifiedName": name, "kind": "object"}]
    return location


def sarif_log(
    result: CheckResult,
    *,
    profiles: Sequence[RoleProfile] | None = None,
    rules: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """The SARIF log for ``result`` as plain data."""
    from competency import __version__

    known = rules or {}
    rule_ids = list(dict.fromkeys([*result.rules_run, *(f.rule for f in result.findings)]))
    index = {rule_id: i for i, rule_id in enumerate(rule_ids)}
    fallback = next(
        (p.location.path for p in profiles or () if p.location is not None and p.location.path), None
    )
    seen: Counter[tuple[str, str | None, str | None]] = Counter()
    results = []
    for f in result.findings:
        seen[f.key()] += 1
        item: dict[str, Any] = {
            "ruleId": f.rule,
            "ruleIndex": index[f.rule],
            "level": _LEVELS[f.severity.value],
            "message": _text(f.message),
        }
        location = _location(f, fallback)
        if location is not None:
            item["locations"] = [location]
        item["partialFingerprints"] = {FINGERPRINT_KEY: _fingerprint(f, seen[f.key()])}
        item["properties"] = _properties(f)
        results.append(item)
    invocation: dict[str, Any] = {"executionSuccessful": result.complete}
    notes = [
        {"level": "error", "message": _text(f.message), "descriptor": {"id": f.rule}}
        for f in result.findings
        if f.rule == "rule-crashed"
    ]
    if notes:
        invocation["toolExecutionNotifications"] = notes
    return {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "competency",
                        "version": __version__,
                        "semanticVersion": __version__,
                        "informationUri": INFORMATION_URI,
                        "rules": [_descriptor(rule_id, known.get(rule_id)) for rule_id in rule_ids],
                    }
                },
                "invocations": [invocation],
                "results": results,
            }
        ],
    }


def render(
    result: CheckResult,
    *,
    profiles: Sequence[RoleProfile] | None = None,
    framework: Framework | None = None,
    rules: Mapping[str, Any] | None = None,
    color: bool = False,
) -> str:
    """The SARIF log for ``result`` as JSON text (ending with a newline)."""
    log = sarif_log(result, profiles=profiles, rules=rules)
    return json.dumps(log, indent=2, ensure_ascii=False) + "\n"
