"""Baselines: adopt the checker on legacy profiles, and from then on see only what is new.

A council that starts checking RCPs written over years will get hundreds of findings on day one. Rather
than fix them all before the checker can gate anything, it records today's findings in a baseline file
(``competency check --write-baseline FILE``) and from then on checks with ``--baseline FILE``, which
shows only findings that are new since.

Findings are matched by **rule, role id and competency** — never by file or line number — so that
re-sorting a spreadsheet, moving a role to another file or editing a rationale elsewhere does not make an
old finding look new. A key recorded N times hides up to N findings with that key: a role that had one
placeholder rationale and now has two shows the second. ``rule-crashed`` findings are never recorded or
hidden: an incomplete check must always be seen.

>>> from competency.baseline import Baseline
>>> baseline = Baseline.from_result(result)            # doctest: +SKIP
>>> new_only = baseline.filter(later_result)           # doctest: +SKIP

The file is JSON (docs/output.md#baseline-files)::

    {"version": 1, "findings": [{"rule": "missing-rationale", "role": "CDC-HR-01",
                                 "competency": "Communication", "count": 1}, ...]}
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import attrs

from ._errors import ConfigError
from ._findings import CheckResult, Finding, Summary

__all__ = ["BASELINE_VERSION", "Baseline", "BaselineEntry", "load_baseline", "write_baseline"]

#: Version of the baseline file format.
BASELINE_VERSION = 1

#: Findings about the check itself, which a baseline never hides.
NEVER_BASELINED = frozenset({"rule-crashed"})

Key = tuple[str, str | None, str | None]


@attrs.frozen
class BaselineEntry:
    """One recorded finding identity and how many times it occurred."""

    rule: str
    role: str | None
    competency: str | None
    count: int = 1

    @property
    def key(self) -> Key:
        return (self.rule, self.role, self.competency)


def _sort_key(entry: BaselineEntry) -> tuple[str, str, str]:
    return (entry.role or "", entry.rule, entry.competency or "")


@attrs.frozen
class Baseline:
    """The findings a profile set had when it was adopted, by identity and count."""

    entries: tuple[BaselineEntry, ...] = ()

    @classmethod
    def from_findings(cls, findings: Iterable[Finding]) -> Baseline:
        """A baseline recording ``findings`` (except ``rule-crashed``)."""
        counts = Counter(f.key() for f in findings if f.rule not in NEVER_BASELINED)
        entries = [BaselineEntry(rule, role, comp, n) for (rule, role, comp), n in counts.items()]
        return cls(tuple(sorted(entries, key=_sort_key)))

    @classmethod
    def from_result(cls, result: CheckResult) -> Baseline:
        """A baseline recording every finding of ``result``."""
        return cls.from_findings(result.findings)

    def counts(self) -> dict[Key, int]:
        """How many findings each key hides."""
        found: Counter[Key] = Counter()
        for entry in self.entries:
            found[entry.key] += entry.count
        return dict(found)

    def __len__(self) -> int:
        return sum(entry.count for entry in self.entries)

    def new_findings(self, findings: Iterable[Finding]) -> tuple[Finding, ...]:
        """The findings this baseline does not account for, in their order.

        A key recorded N times hides the first N findings with that key.
        """
        left = self.counts()
        new: list[Finding] = []
        for finding in findings:
            key = finding.key()
            if finding.rule not in NEVER_BASELINED and left.get(key, 0) > 0:
                left[key] -= 1
                continue
            new.append(finding)
        return tuple(new)

    def filter(self, result: CheckResult) -> CheckResult:
        """``result`` with only the new findings; the summary counts what is left, ``complete`` is kept."""
        shown = self.new_findings(result.findings)
        return attrs.evolve(result, findings=shown, summary=Summary.of(shown, result.summary.roles))

    def to_json(self) -> dict[str, Any]:
        """The baseline file's document."""
        return {
            "version": BASELINE_VERSION,
            "findings": [
                {"rule": e.rule, "role": e.role, "competency": e.competency, "count": e.count}
                for e in self.entries
            ],
        }

    @classmethod
    def from_json(cls, data: object, *, path: str | None = None) -> Baseline:
        """A baseline from its document; anything else is a :class:`~competency.ConfigError`."""

        def bad(message: str, where: str | None = None) -> ConfigError:
            return ConfigError(f"not a competency baseline: {message}", path=path, where=where)

        if not isinstance(data, Mapping):
            raise bad("expected a JSON object")
        version = data.get("version")
        if version != BASELINE_VERSION:
            raise bad(f"unsupported version {version!r} (expected {BASELINE_VERSION})", "version")
        items = data.get("findings")
        if not isinstance(items, list):
            raise bad("expected a list", "findings")
        entries = []
        for index, item in enumerate(items):
            where = f"findings[{index}]"
            if not isinstance(item, Mapping):
                raise bad("expected an object", where)
            rule = item.get("rule")
            if not isinstance(rule, str) or not rule:
                raise bad("expected a rule id", f"{where}.rule")
            for key in ("role", "competency"):
                if not isinstance(item.get(key), str | None):
                    raise bad("expected a string or null", f"{where}.{key}")
            count = item.get("count", 1)
            if isinstance(count, bool) or not isinstance(count, int) or count < 1:
                raise bad("expected a whole number of at least 1", f"{where}.count")
            entries.append(BaselineEntry(rule, item.get("role"), item.get("competency"), count))
        return cls(tuple(entries))


def load_baseline(path: str | os.PathLike[str]) -> Baseline:
    """Read a baseline file; a missing, unreadable or malformed one is a :class:`~competency.ConfigError`."""
    import json

    shown = os.fspath(path)
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise ConfigError("no such baseline file (write one with --write-baseline)", path=shown) from None
    except IsADirectoryError:
        raise ConfigError("is a folder, not a baseline file", path=shown) from None
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) else "not UTF-8 text"
        raise ConfigError(f"cannot read baseline: {reason}", path=shown) from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ConfigError(
            f"not a competency baseline: invalid JSON ({exc.msg})", path=shown, where=f"line {exc.lineno}"
        ) from None
    return Baseline.from_json(data, path=shown)


def write_baseline(result: CheckResult | Iterable[Finding], path: str | os.PathLike[str]) -> Baseline:
    """Record the findings of ``result`` in ``path`` (written atomically); returns the baseline."""
    import json

    from ._loading import write_text_atomic

    findings = result.findings if isinstance(result, CheckResult) else result
    baseline = Baseline.from_findings(findings)
    text = json.dumps(baseline.to_json(), indent=2, ensure_ascii=False) + "\n"
    try:
        write_text_atomic(Path(path), text)
    except OSError as exc:
        raise ConfigError(f"cannot write baseline: {exc.strerror}", path=os.fspath(path)) from None
    return baseline
