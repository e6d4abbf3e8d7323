"""Lint a framework file: report every authoring defect, each with its TOML key path.

The strict loader (:func:`competency.load_framework`) stops at the first problem, which is right for a
program reading a framework but slow going for the HR officer writing one: fix, re-run, fix again. The
lint works on the *raw* TOML data instead, so it reports every defect it can see in one pass — and
defects the loader accepts without complaint (an indicator keyed "b" on a scale whose level is "B" is
silently never shown) — then runs the loader's own checks and reports what they find too.

Each defect has a stable ``code`` (see :data:`CODES`), so a team can grep for or discuss one kind of
defect, and the command line prints ``file: key.path: message [code]``.

>>> data = {"id": "x", "title": "X", "version": "1", "scales": [{"id": "s", "levels": [1, 2]}],
...         "competencies": [{"id": "a", "name": "A", "definition": "", "indicators": {"3": ["..."]}}]}
>>> for defect in lint_framework(data):
...     print(defect)
competencies[0].definition: the definition is empty [empty-definition]
competencies[0].indicators.3: '3' is not a level of scale 's' (levels: 1, 2) [level-not-on-scale]
"""

from __future__ import annotations

import ast
import os
import re
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import attrs

from ._converter import _key, _problems, toml_converter
from ._errors import CompetencyError, FrameworkError
from ._framework import Framework
from ._names import normalise

__all__ = ["CODES", "FrameworkDefect", "lint_framework"]

#: Every defect code, with what it means. The order is the order the lint looks for them.
CODES: dict[str, str] = {
    "duplicate-scale-id": "two scales share an id",
    "duplicate-kind-id": "two kinds share an id",
    "duplicate-cluster-id": "two clusters share an id",
    "duplicate-competency-id": "two competencies share an id",
    "unknown-default-scale": "default_scale names a scale the framework does not declare",
    "kind-applies-to-none": "a kind applies to no role, so its competencies are never required",
    "undefined-cluster-parent": "a cluster's parent is not a declared cluster",
    "cyclic-cluster": "clusters are their own ancestors through parent",
    "name-collision": "two competencies answer to the same name, id or alias (case and spaces ignored)",
    "empty-name": "a competency's id or name is empty",
    "empty-definition": "a competency has no definition",
    "undeclared-kind": "a competency's kind is not one of the declared kinds",
    "missing-kind": "the framework declares kinds and some competencies have one, but this one has none",
    "undefined-cluster": "a competency's cluster is not a declared cluster",
    "unknown-scale": "a competency names a scale the framework does not declare, or none when it must",
    "level-range-off-scale": "a level_range end is not a level of the competency's scale",
    "levels-out-of-order": "levels not written lowest first, or a level_range whose first is above its last",
    "level-not-on-scale": "indicators or a title at a level the competency's scale or level_range lacks",
    "indicator-off-anchor": "indicators at a level that is not an anchor of an anchored scale",
    "empty-indicator-list": "a level with an empty list of indicators",
    "empty-indicator": "an empty indicator (or development indicator) string",
    "empty-item": "an empty alias, feature or 'what it is not' string",
    "empty-theme-name": "a theme without a name",
    "duplicate-theme": "two themes of one competency have the same name",
    "no-indicators": "a competency with no indicators at any level",
    "load-error": "the loader refuses the file here (wrong type, unknown key, missing key, …)",
}


@attrs.frozen
class FrameworkDefect:
    """One defect of a framework file."""

    #: The file, or ``None`` for in-memory data.
    path: str | None
    #: TOML key path of the defect (``competencies[3].themes[1].indicators.B``); "" for the whole file.
    where: str
    #: What is wrong, in words an author can act on.
    message: str
    #: Stable defect code, one of :data:`CODES`.
    code: str

    def __str__(self) -> str:
        parts = [p for p in (self.path, self.where) if p]
        return ": ".join([*parts, self.message]) + f" [{self.code}]"


def lint_framework(
    path_or_data: str | os.PathLike[str] | Mapping[str, Any] | Framework,
) -> tuple[FrameworkDefect, ...]:
    """Every defect of a framework: a file path, a bundled framework id, raw TOML data (a mapping) or a
    loaded :class:`~competency.Framework` (linted as the file it would be written to).

    Returns an empty tuple for a clean framework. A file that cannot be read at all (missing, not UTF-8,
    not TOML) raises :class:`~competency.FrameworkError`: there is nothing to lint.
    """
    if isinstance(path_or_data, Framework):
        from ._toml_io import framework_data

        return _Linter(None, framework_data(path_or_data)).run()
    if isinstance(path_or_data, Mapping):
        return _Linter(None, path_or_data).run()
    from ._loading import bundled_framework_path
    from ._toml_io import read_bytes, read_toml

    text = os.fspath(path_or_data)
    path = Path(text)
    if not path.exists() and isinstance(path_or_data, str):
        bundled = bundled_framework_path(text)
        if bundled is not None:
            path, text = bundled, str(bundled)
    raw = read_toml(read_bytes(path, FrameworkError), text, FrameworkError)
    return _Linter(text, raw).run()


# -- helpers over raw, possibly malformed data ------------------------------------------------------
def _tables(data: Mapping[str, Any], key: str) -> Iterator[tuple[int, Mapping[str, Any]]]:
    """``(index, table)`` for each table in the array ``data[key]`` (anything else is the loader's job)."""
    value = data.get(key)
    if isinstance(value, list):
        for index, item in enumerate(value):
            if isinstance(item, Mapping):
                yield index, item


def _text(table: Mapping[str, Any], key: str) -> str | None:
    value = table.get(key)
    return value if isinstance(value, str) else None


def _level_id(value: object) -> str | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, str | int):
        return str(value).strip()
    if isinstance(value, Mapping):
        return _level_id(value.get("id"))
    return None


_PATH_PART = re.compile(r"\[(\d+)\]|\[('(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\")\]|\.?([^.\[]+)")


def _file_order(data: object, where: str) -> tuple[int, ...]:
    """Where a key path lies in the file, as a sortable tuple, so defects come out in file order.

    Each step is the position of the key (or array index) among its siblings; a key the file lacks
    (a missing definition) sorts after its present siblings.
    """
    order: list[int] = []
    node: object = data
    for match in _PATH_PART.finditer(where):
        index, quoted, name = match.groups()
        if index is not None and isinstance(node, list) and int(index) < len(node):
            order.append(int(index))
            node = node[int(index)]
            continue
        key = ast.literal_eval(quoted) if quoted is not None else name
        if isinstance(node, Mapping) and key in node:
            order.append(list(node).index(key))
            node = node[key]
        else:
            order.append(1_000_000)
            node = None
    return tuple(order)


@attrs.define
class _RawScale:
    id: str
    levels: list[str]
    names: dict[str, str]  # normalised id or name -> level id
    anchors: list[str]

    def describe(self, run: list[str] | None = None) -> str:
        return f"scale {self.id!r} (levels: {', '.join(run if run is not None else self.levels)})"


def _raw_scale(table: Mapping[str, Any]) -> _RawScale | None:
    scale_id = _text(table, "id")
    raw_levels = table.get("levels")
    if scale_id is None or not isinstance(raw_levels, list):
        return None
    levels: list[str] = []
    names: dict[str, str] = {}
    for item in raw_levels:
        level_id = _level_id(item)
        if not level_id:
            continue
        levels.append(level_id)
        names.setdefault(normalise(level_id), level_id)
        if isinstance(item, Mapping) and isinstance(item.get("name"), str):
            names.setdefault(normalise(item["name"]), level_id)
    anchors = table.get("anchors")
    anchor_ids = [a for a in anchors if isinstance(a, str)] if isinstance(anchors, list) else []
    return _RawScale(scale_id, levels, names, anchor_ids)


class _Linter:
    """One pass over one framework's raw data; ``run`` returns the defects in file order per check."""

    def __init__(self, path: str | None, data: Mapping[str, Any]) -> None:
        self.path = path
        self.data = data
        self.defects: list[FrameworkDefect] = []
        self.scales: dict[str, _RawScale] = {}
        self.kinds: set[str] = set()
        self.clusters: dict[str, Mapping[str, Any]] = {}

    def add(self, where: str, message: str, code: str) -> None:
        self.defects.append(FrameworkDefect(self.path, where, message, code))

    def run(self) -> tuple[FrameworkDefect, ...]:
        self._declarations()
        self._clusters()
        self._competency_names()
        kinds_used = [c for _, c in _tables(self.data, "competencies") if c.get("kind") is not None]
        for index, comp in _tables(self.data, "competencies"):
            self._competency(f"competencies[{index}]", comp, bool(kinds_used))
        self._load_errors()
        return tuple(sorted(self.defects, key=lambda d: _file_order(self.data, d.where)))

    # -- scales, kinds, clusters ------------------------------------------------------------------
    def _declarations(self) -> None:
        for key, code in (("scales", "duplicate-scale-id"), ("kinds", "duplicate-kind-id")):
            seen: dict[str, int] = {}
            for index, table in _tables(self.data, key):
                item_id = _text(table, "id")
                if item_id is None:
                    continue
                if item_id in seen:
                    self.add(
                        f"{key}[{index}].id",
                        f"id {item_id!r} is already used by {key}[{seen[item_id]}]",
                        code,
                    )
                    continue
                seen[item_id] = index
                if key == "scales":
                    scale = _raw_scale(table)
                    if scale is not None:
                        self.scales[item_id] = scale
                else:
                    self.kinds.add(item_id)
                    if table.get("applies_to") == "none":
                        self.add(
                            f"kinds[{index}].applies_to",
                            f"kind {item_id!r} applies to no role, so its competencies are never required",
                            "kind-applies-to-none",
                        )
        default = self.data.get("default_scale")
        if isinstance(default, str) and default not in self.scales:
            self.add(
                "default_scale",
                f"no scale {default!r} is declared ({self._declared_scales()})",
                "unknown-default-scale",
            )

    def _declared_scales(self) -> str:
        return f"declared: {', '.join(self.scales)}" if self.scales else "no scales are declared"

    def _clusters(self) -> None:
        where_of: dict[str, int] = {}
        for index, table in _tables(self.data, "clusters"):
            cluster_id = _text(table, "id")
            if cluster_id is None:
                continue
            if cluster_id in self.clusters:
                self.add(
                    f"clusters[{index}].id",
                    f"id {cluster_id!r} is already used by clusters[{where_of[cluster_id]}]",
                    "duplicate-cluster-id",
                )
                continue
            self.clusters[cluster_id] = table
            where_of[cluster_id] = index
        reported: set[str] = set()
        for cluster_id, table in self.clusters.items():
            parent = _text(table, "parent")
            where = f"clusters[{where_of[cluster_id]}].parent"
            if parent is None:
                continue
            if parent not in self.clusters:
                self.add(
                    where,
                    f"parent {parent!r} is not a declared cluster{self._cluster_hint()}",
                    "undefined-cluster-parent",
                )
                continue
            chain = [cluster_id]
            current: str | None = parent
            while current is not None and current in self.clusters and current not in chain:
                chain.append(current)
                current = _text(self.clusters[current], "parent")
            if current == cluster_id and cluster_id not in reported:
                reported.update(chain)
                shown = " › ".join([*chain, cluster_id])
                self.add(where, f"cluster {cluster_id!r} is its own ancestor ({shown})", "cyclic-cluster")

    def _cluster_hint(self) -> str:
        return f" (declared: {', '.join(self.clusters)})" if self.clusters else " (no clusters are declared)"

    # -- competencies -------------------------------------------------------------------------------
    def _competency_names(self) -> None:
        ids: dict[str, int] = {}
        owners: dict[str, tuple[int, str, str]] = {}  # normalised name -> (competency index, key path, name)
        for index, comp in _tables(self.data, "competencies"):
            base = f"competencies[{index}]"
            comp_id = _text(comp, "id")
            duplicate = comp_id is not None and comp_id in ids
            if comp_id is not None and duplicate:
                self.add(
                    f"{base}.id",
                    f"id {comp_id!r} is already used by competencies[{ids[comp_id]}]",
                    "duplicate-competency-id",
                )
            elif comp_id is not None:
                ids[comp_id] = index
            names: list[tuple[str, str]] = []
            if comp_id is not None and not duplicate:
                names.append((f"{base}.id", comp_id))
            if (name := _text(comp, "name")) is not None:
                names.append((f"{base}.name", name))
            aliases = comp.get("aliases")
            if isinstance(aliases, list):
                names.extend((f"{base}.aliases[{i}]", a) for i, a in enumerate(aliases) if isinstance(a, str))
            for where, name in names:
                key = normalise(name)
                if not key:
                    continue
                owner = owners.get(key)
                if owner is None:
                    owners[key] = (index, where, name)
                elif owner[0] != index:
                    self.add(
                        where,
                        f"{name!r} also names another competency ({owner[1]} is {owner[2]!r}); "
                        "names, ids and aliases must be unique, ignoring case and spaces",
                        "name-collision",
                    )

    def _competency(self, base: str, comp: Mapping[str, Any], kinds_used: bool) -> None:
        for key in ("id", "name"):
            value = comp.get(key)
            if isinstance(value, str) and not value.strip():
                self.add(f"{base}.{key}", f"the {key} is empty", "empty-name")
        definition = comp.get("definition")
        if definition is None:
            self.add(f"{base}.definition", "no definition", "empty-definition")
        elif isinstance(definition, str) and not definition.strip():
            self.add(f"{base}.definition", "the definition is empty", "empty-definition")
        self._kind_and_cluster(base, comp, kinds_used)
        for key, code in (("aliases", "empty-item"), ("features", "empty-item"), ("not_this", "empty-item"),
                          ("development_indicators", "empty-indicator")):  # fmt: skip
            items = comp.get(key)
            if isinstance(items, list):
                for i, item in enumerate(items):
                    if isinstance(item, str) and not item.strip():
                        self.add(f"{base}.{key}[{i}]", "empty text", code)
        run = self._level_run(base, comp)
        scale = run[0] if run else None
        levels = run[1] if run else None
        keyed = self._table(f"{base}.indicators", comp.get("indicators"), scale, levels, indicators=True)
        self._table(f"{base}.level_titles", comp.get("level_titles"), scale, levels, indicators=False)
        seen: dict[str, int] = {}
        for index, theme in _tables(comp, "themes"):
            where = f"{base}.themes[{index}]"
            name = theme.get("name")
            if isinstance(name, str) and not name.strip():
                self.add(f"{where}.name", "the theme has no name", "empty-theme-name")
            elif isinstance(name, str):
                if normalise(name) in seen:
                    self.add(
                        f"{where}.name",
                        f"theme {name!r} is already themes[{seen[normalise(name)]}]",
                        "duplicate-theme",
                    )
                seen.setdefault(normalise(name), index)
            keyed += self._table(
                f"{where}.indicators", theme.get("indicators"), scale, levels, indicators=True
            )
        if not keyed:
            self.add(f"{base}.indicators", "the competency has no indicators at any level", "no-indicators")

    def _kind_and_cluster(self, base: str, comp: Mapping[str, Any], kinds_used: bool) -> None:
        kind = comp.get("kind")
        if isinstance(kind, str) and kind not in self.kinds:
            declared = (
                f"declared: {', '.join(sorted(self.kinds))}"
                if self.kinds
                else "the framework declares no kinds"
            )
            self.add(f"{base}.kind", f"kind {kind!r} is not declared ({declared})", "undeclared-kind")
        elif kind is None and self.kinds and kinds_used:
            self.add(
                f"{base}.kind",
                "no kind, but the framework declares kinds and other competencies have one "
                "(give every competency a kind, or none)",
                "missing-kind",
            )
        cluster = comp.get("cluster")
        if isinstance(cluster, str) and cluster not in self.clusters:
            self.add(
                f"{base}.cluster",
                f"cluster {cluster!r} is not declared{self._cluster_hint()}",
                "undefined-cluster",
            )

    def _level_run(self, base: str, comp: Mapping[str, Any]) -> tuple[_RawScale, list[str]] | None:
        """The competency's scale and its run of levels, or ``None`` (reported) when it has none."""
        named = comp.get("scale")
        default = self.data.get("default_scale")
        if isinstance(named, str):
            scale_id: str | None = named
        elif isinstance(default, str):
            scale_id = default
        else:
            scale_id = next(iter(self.scales)) if len(self.scales) == 1 else None
        if named is not None and not isinstance(named, str):
            return None
        if scale_id is None:
            if len(self.scales) > 1:
                self.add(
                    f"{base}.scale", "names no scale and the framework has no default_scale", "unknown-scale"
                )
            return None
        scale = self.scales.get(scale_id)
        if scale is None:
            if isinstance(named, str):  # an unknown default_scale is reported once, at default_scale
                self.add(
                    f"{base}.scale",
                    f"no scale {scale_id!r} is declared ({self._declared_scales()})",
                    "unknown-scale",
                )
            return None
        level_range = comp.get("level_range")
        if not isinstance(level_range, Mapping):
            return scale, scale.levels
        ends: list[int] = []
        for key in ("first", "last"):
            value = level_range.get(key)
            if not isinstance(value, str):
                return None
            level_id = scale.names.get(normalise(value))
            if level_id is None:
                self.add(
                    f"{base}.level_range.{key}",
                    f"{value!r} is not a level of {scale.describe()}",
                    "level-range-off-scale",
                )
                return None
            ends.append(scale.levels.index(level_id))
        first, last = ends
        if first > last:
            self.add(
                f"{base}.level_range",
                f"first level {scale.levels[first]!r} is above last level {scale.levels[last]!r}",
                "levels-out-of-order",
            )
            return None
        return scale, scale.levels[first : last + 1]

    def _table(
        self, where: str, table: object, scale: _RawScale | None, run: list[str] | None, *, indicators: bool
    ) -> int:
        """Check one ``level = value`` table; returns how many levels it names."""
        if not isinstance(table, Mapping):
            return 0
        previous: tuple[int, str] | None = None
        disordered = False
        for key, value in table.items():
            here = where + _key(str(key))
            if indicators and isinstance(value, list):
                if not value:
                    self.add(here, f"level {key!r} has an empty list of indicators", "empty-indicator-list")
                for i, text in enumerate(value):
                    if isinstance(text, str) and not text.strip():
                        self.add(f"{here}[{i}]", "empty indicator", "empty-indicator")
            if scale is None or run is None:
                continue
            level = str(key)
            if level not in scale.levels:
                exact = scale.names.get(normalise(level))
                hint = f"; write the level id {exact!r}" if exact else ""
                self.add(here, f"{level!r} is not a level of {scale.describe()}{hint}", "level-not-on-scale")
                continue
            if level not in run:
                self.add(
                    here,
                    f"{level!r} is outside the competency's level_range ({run[0]} to {run[-1]})",
                    "level-not-on-scale",
                )
                continue
            if indicators and scale.anchors and level not in scale.anchors:
                self.add(
                    here,
                    f"{level!r} is not an anchor of scale {scale.id!r}: "
                    f"only {', '.join(scale.anchors)} carry indicators",
                    "indicator-off-anchor",
                )
            position = scale.levels.index(level)
            if previous is not None and position < previous[0] and not disordered:
                disordered = True
                self.add(
                    here,
                    f"level {level!r} is written after {previous[1]!r}; "
                    f"write levels lowest first, in scale order ({', '.join(run)})",
                    "levels-out-of-order",
                )
            elif previous is None or position > previous[0]:
                previous = (position, level)
        return len(table)

    # -- the loader's own verdict -------------------------------------------------------------------
    def _load_errors(self) -> None:
        """What the strict loader refuses, minus what was already reported at the same key path."""
        from ._toml_io import _check_format

        try:
            _check_format(dict(self.data), self.path or "", FrameworkError)
        except CompetencyError as exc:
            self.add(exc.where or "", exc.message, "load-error")
        problems: list[tuple[str, str]] = []
        try:
            toml_converter(True).structure(dict(self.data), Framework)
        except CompetencyError as exc:
            problems.append((exc.where or "", exc.message))
        except Exception as exc:  # cattrs' exception groups, or a leaf error
            problems.extend(_problems(exc, ""))
        reported = {d.where for d in self.defects}
        for where, message in problems:
            if any(where == seen or where.startswith(seen + ".") for seen in reported if seen):
                continue
            self.add(where, message, "load-error")
