"""The framework model: kinds, clusters, competencies, themes and their indicators.

A framework is data (a TOML file in the documented format); these frozen classes are what that data
means. Everything a rule or a council system asks of a framework — which competency a name means, which
levels a competency has, which roles it applies to, what a level means — is answered here, once, so that
no caller re-implements the scale or name semantics.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Literal

import attrs

from ._errors import FrameworkError, LevelError, UnknownCompetencyError
from ._names import normalise
from ._scale import Level, Scale

__all__ = [
    "AppliesTo",
    "Cluster",
    "Competency",
    "Framework",
    "IndicatorGroup",
    "Kind",
    "LevelMeaning",
    "LevelRange",
    "Theme",
]

#: Which roles a kind of competency applies to.
AppliesTo = Literal["all", "managerial", "non-managerial", "none"]

IndicatorTable = Mapping[str, tuple[str, ...]]


@attrs.frozen
class Kind:
    """A kind of competency (core, management, …) and the roles it applies to."""

    id: str
    name: str = ""
    #: "all" (every role), "managerial", "non-managerial" or "none".
    applies_to: AppliesTo = "all"
    description: str = ""

    def applies(self, managerial: bool) -> bool:
        """Whether a role (managerial or not) must be profiled on competencies of this kind."""
        if self.applies_to == "all":
            return True
        if self.applies_to == "managerial":
            return managerial
        if self.applies_to == "non-managerial":
            return not managerial
        return False


@attrs.frozen
class Cluster:
    """A group of competencies; clusters nest through ``parent`` (category › subcategory)."""

    id: str
    name: str = ""
    description: str = ""
    parent: str | None = None


@attrs.frozen
class LevelRange:
    """The run of a scale a competency is defined on (Glasgow L2 uses levels 1-3 of 1-6)."""

    first: str
    last: str


@attrs.frozen
class Theme:
    """A sub-area of a competency with its own indicators per level."""

    name: str
    #: Indicators per level id, in scale order: ``{"B": ("…", …), "D": (…)}``.
    indicators: IndicatorTable = attrs.field(factory=dict)
    #: Optional stable id; ``None`` when the file gives none.
    id: str | None = None


@attrs.frozen
class Competency:
    """One competency of a framework."""

    id: str
    name: str
    definition: str = ""
    aliases: tuple[str, ...] = ()
    #: Id of its kind (``None`` in a framework without kinds).
    kind: str | None = None
    #: Id of its cluster, if the framework has clusters.
    cluster: str | None = None
    #: Id of its scale; ``None`` means the framework's default scale.
    scale: str | None = None
    #: The run of the scale it is defined on; ``None`` means the whole scale.
    level_range: LevelRange | None = None
    #: "Features of this competency include" bullets.
    features: tuple[str, ...] = ()
    #: "What it is not": belongs to the competency, not to a level.
    not_this: tuple[str, ...] = ()
    #: Behaviours that show the competency is *not* there.
    development_indicators: tuple[str, ...] = ()
    #: A title per level id (a competency × level cell's heading).
    level_titles: Mapping[str, str] = attrs.field(factory=dict)
    #: Indicators per level id, for competencies without themes.
    indicators: IndicatorTable = attrs.field(factory=dict)
    themes: tuple[Theme, ...] = ()

    @property
    def names(self) -> tuple[str, ...]:
        """Every name this competency answers to: its id, its name, then its aliases."""
        return (self.id, self.name, *self.aliases)


@attrs.frozen
class IndicatorGroup:
    """The indicators one level contributes to a level's meaning, for one theme (or none)."""

    level: Level
    theme: str | None
    indicators: tuple[str, ...]


@attrs.frozen
class LevelMeaning:
    """What a required level means for one competency, per the scale's declared semantics."""

    competency: Competency
    level: Level
    #: The levels whose indicators describe ``level`` (see :meth:`Scale.describing_levels`).
    describing_levels: tuple[Level, ...]
    groups: tuple[IndicatorGroup, ...]
    #: Whether lower levels are implied: True, False, or None when the source does not say.
    cumulative: bool | None
    title: str | None = None

    @property
    def indicators(self) -> tuple[str, ...]:
        """All indicator texts, lowest level first."""
        return tuple(text for group in self.groups for text in group.indicators)


@attrs.frozen
class Framework:
    """A competency framework: scales, kinds, clusters and competencies, with an id and a version."""

    id: str
    title: str
    version: str
    scales: tuple[Scale, ...]
    competencies: tuple[Competency, ...]
    format: int = 1
    publisher: str = ""
    source: str = ""
    description: str = ""
    default_scale: str | None = None
    kinds: tuple[Kind, ...] = ()
    clusters: tuple[Cluster, ...] = ()
    _index: _FrameworkIndex = attrs.field(init=False, eq=False, repr=False)

    def __attrs_post_init__(self) -> None:
        object.__setattr__(self, "_index", _FrameworkIndex.build(self))

    # -- names -------------------------------------------------------------------------------------
    def find_competency(self, name: str) -> Competency | None:
        """The competency a name, id or alias means (case and white space ignored), or ``None``."""
        return self._index.by_name.get(normalise(name))

    def competency(self, name: str) -> Competency:
        """Like :meth:`find_competency`, but raises :class:`UnknownCompetencyError` with suggestions."""
        found = self.find_competency(name)
        if found is None:
            hint = self.suggest_competency(name)
            extra = f"; did you mean {hint!r}?" if hint else ""
            raise UnknownCompetencyError(f"framework {self.id!r} has no competency {name!r}{extra}")
        return found

    def suggest_competency(self, name: str) -> str | None:
        """The competency name nearest to ``name`` (for "did you mean"), or ``None``."""
        keys = list(self._index.by_name)
        import difflib  # only for suggestions: kept off the start-up path

        match = difflib.get_close_matches(normalise(name), keys, n=1, cutoff=0.6)
        return self._index.by_name[match[0]].name if match else None

    # -- kinds and clusters ------------------------------------------------------------------------
    def kind(self, kind_id: str) -> Kind | None:
        """The kind with this id, or ``None``."""
        return self._index.kinds.get(kind_id)

    def kind_of(self, competency: Competency) -> Kind | None:
        """The kind of ``competency`` (``None`` when it has none or names an undeclared one)."""
        return None if competency.kind is None else self._index.kinds.get(competency.kind)

    def find_kind(self, name: str) -> Kind | None:
        """The kind an id or name means ("Core", "management"), case-insensitively."""
        return self._index.kinds_by_name.get(normalise(name))

    def cluster(self, cluster_id: str) -> Cluster | None:
        """The cluster with this id, or ``None``."""
        return self._index.clusters.get(cluster_id)

    def applies(self, competency: Competency, *, managerial: bool) -> bool:
        """Whether a role (managerial or not) must be profiled on ``competency``.

        A competency without a kind (or of an undeclared kind) applies to every role.
        """
        verdict = None if competency.kind is None else self._index.applies.get(competency.kind)
        return True if verdict is None else verdict[managerial]

    def required_for(self, *, managerial: bool) -> tuple[Competency, ...]:
        """The competencies a role must have a level for."""
        return self._index.required[managerial]

    # -- scales and levels -------------------------------------------------------------------------
    def scale(self, scale_id: str) -> Scale:
        """The scale with this id (:class:`FrameworkError` if there is none)."""
        try:
            return self._index.scales[scale_id]
        except KeyError:
            raise FrameworkError(f"framework {self.id!r} has no scale {scale_id!r}") from None

    def scale_for(self, competency: Competency) -> Scale:
        """The scale ``competency`` is measured on."""
        return self.scale(self._index.scale_ids[competency.id])

    def levels_for(self, competency: Competency) -> tuple[Level, ...]:
        """The levels ``competency`` is defined on (its ``level_range`` of its scale), lowest first."""
        return self._index.levels[competency.id]

    def find_level(self, competency: Competency, value: object) -> Level | None:
        """The level ``value`` names on ``competency``'s own levels, or ``None`` when off its scale."""
        level = self.scale_for(competency).find(value)
        return level if level is not None and level in self._index.level_sets[competency.id] else None

    def parse_level(self, competency: Competency, value: object) -> Level:
        """The level ``value`` names for ``competency``; :class:`LevelError` lists the valid levels."""
        level = self.find_level(competency, value)
        if level is None:
            scale = self.scale_for(competency)
            valid = ", ".join(lv.id for lv in self.levels_for(competency))
            raise LevelError(
                f"{value!r} is not a level of {competency.name!r} (scale {scale.id!r}; valid levels: {valid})"
            )
        return level

    def level_meaning(self, competency: Competency, level: object) -> LevelMeaning:
        """What ``level`` means for ``competency``: the indicators that describe it, per the scale."""
        parsed = self.parse_level(competency, level)
        scale = self.scale_for(competency)
        describing = scale.describing_levels(parsed, within=self.levels_for(competency))
        groups: list[IndicatorGroup] = []
        for lv in describing:
            if competency.indicators.get(lv.id):
                groups.append(IndicatorGroup(lv, None, tuple(competency.indicators[lv.id])))
            for theme in competency.themes:
                texts = theme.indicators.get(lv.id)
                if texts:
                    groups.append(IndicatorGroup(lv, theme.name, tuple(texts)))
        return LevelMeaning(
            competency=competency,
            level=parsed,
            describing_levels=describing,
            groups=tuple(groups),
            cumulative=scale.cumulative,
            title=competency.level_titles.get(parsed.id),
        )


@attrs.frozen
class _FrameworkIndex:
    """Look-up tables derived once from a framework (never part of its value)."""

    by_name: dict[str, Competency]
    kinds: dict[str, Kind]
    kinds_by_name: dict[str, Kind]
    clusters: dict[str, Cluster]
    scales: dict[str, Scale]
    scale_ids: dict[str, str]
    levels: dict[str, tuple[Level, ...]]
    level_sets: dict[str, frozenset[Level]]
    required: dict[bool, tuple[Competency, ...]]
    #: Per declared kind id: whether it applies to (non-managerial, managerial) roles; asked per entry.
    applies: dict[str, tuple[bool, bool]]

    @classmethod
    def build(cls, fw: Framework) -> _FrameworkIndex:
        scales = {scale.id: scale for scale in fw.scales}
        default = fw.default_scale or (fw.scales[0].id if len(fw.scales) == 1 else None)
        by_name: dict[str, Competency] = {}
        scale_ids: dict[str, str] = {}
        levels: dict[str, tuple[Level, ...]] = {}
        for pos, comp in enumerate(fw.competencies):
            for name in comp.names:
                by_name.setdefault(normalise(name), comp)
            where = f"competencies[{pos}]"
            scale_id = comp.scale or default
            if scale_id is None:
                raise FrameworkError(
                    "names no scale and the framework has no default_scale", where=f"{where}.scale"
                )
            scale = scales.get(scale_id)
            if scale is None:
                raise FrameworkError(
                    f"unknown scale {scale_id!r} (declared: {', '.join(scales) or 'none'})",
                    where=f"{where}.scale" if comp.scale else "default_scale",
                )
            scale_ids[comp.id] = scale_id
            levels[comp.id] = _level_run(scale, comp.level_range, f"{where}.level_range")
        kinds = {kind.id: kind for kind in fw.kinds}
        kinds_by_name: dict[str, Kind] = {}
        for kind in fw.kinds:
            kinds_by_name.setdefault(normalise(kind.id), kind)
            if kind.name:
                kinds_by_name.setdefault(normalise(kind.name), kind)

        def applies(comp: Competency, managerial: bool) -> bool:
            kind = kinds.get(comp.kind) if comp.kind is not None else None
            return True if kind is None else kind.applies(managerial)

        return cls(
            by_name=by_name,
            kinds=kinds,
            kinds_by_name=kinds_by_name,
            clusters={cluster.id: cluster for cluster in fw.clusters},
            scales=scales,
            scale_ids=scale_ids,
            levels=levels,
            level_sets={cid: frozenset(run) for cid, run in levels.items()},
            required={m: tuple(c for c in fw.competencies if applies(c, m)) for m in (False, True)},
            applies={kind_id: (kind.applies(False), kind.applies(True)) for kind_id, kind in kinds.items()},
        )


def _level_run(scale: Scale, level_range: LevelRange | None, where: str) -> tuple[Level, ...]:
    if level_range is None:
        return scale.levels
    try:
        first = scale.parse(level_range.first)
        last = scale.parse(level_range.last)
    except LevelError as exc:
        raise FrameworkError(exc.message, where=where) from None
    if last < first:
        raise FrameworkError(f"first level {first.id!r} is above last level {last.id!r}", where=where)
    return scale.levels[first.index : last.index + 1]
