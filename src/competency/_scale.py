"""Scales and levels: the ordered values an RCP's required level is taken from.

One model covers every scale the project has met: the CDC/SNC letters A-H where only the *anchor* levels
B, D, F, H carry descriptors; Glasgow's cumulative numbers, where each competency uses its own run 1..n;
and any named ordinal scale a framework declares (levels whose names contain commas, a scale whose best
level is "A"). The order of a scale is always the order the framework file declares, lowest first.

What a level *means* — which indicators describe it — depends on two declared facts, never on guesses:

* ``anchors``: the levels that carry descriptors (none declared: every level may carry them);
* ``cumulative``: whether a level implies all below it (``None`` when the source does not say).

See docs/scales.md for the full semantics.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import Any

import attrs

from ._errors import LevelError
from ._names import normalise

__all__ = ["Level", "Scale"]

_LEVEL_PREFIX = re.compile(r"^level\s+", re.IGNORECASE)


@attrs.frozen(order=False)
class Level:
    """One level of one scale: a value, totally ordered within its scale and hashable.

    ``str(level)`` is its canonical id ("D", "3"). Levels of two different scales are never compared:
    ``<`` between them raises :class:`TypeError` rather than answer a meaningless question.
    """

    #: Id of the scale this level belongs to.
    scale_id: str
    #: Position in the scale, 0 for the lowest level.
    index: int
    #: Canonical id, as the framework file writes it ("D", "3").
    id: str = attrs.field(eq=False)
    #: Optional longer name ("Practitioner, working alone").
    name: str | None = attrs.field(default=None, eq=False)

    def __str__(self) -> str:
        return self.id

    def _check(self, other: object) -> Level | None:
        if not isinstance(other, Level):
            return None
        if other.scale_id != self.scale_id:
            raise TypeError(
                f"cannot compare level {self.id!r} of scale {self.scale_id!r} "
                f"with level {other.id!r} of scale {other.scale_id!r}"
            )
        return other

    def __lt__(self, other: object) -> bool:
        o = self._check(other)
        return NotImplemented if o is None else self.index < o.index

    def __le__(self, other: object) -> bool:
        o = self._check(other)
        return NotImplemented if o is None else self.index <= o.index

    def __gt__(self, other: object) -> bool:
        o = self._check(other)
        return NotImplemented if o is None else self.index > o.index

    def __ge__(self, other: object) -> bool:
        o = self._check(other)
        return NotImplemented if o is None else self.index >= o.index


def _spelled(levels: tuple[Level, ...]) -> tuple[tuple[Level, str, str | None], ...]:
    return tuple((level, level.id, level.name) for level in levels)


def _lookup_table(levels: tuple[Level, ...]) -> dict[str, Level]:
    # No blank key: blank text states no level, whatever a framework spells a level (so a level found
    # is always a level stated, which rules rely on).
    table: dict[str, Level] = {}
    for level in levels:
        for spelling in (level.id, level.name):
            key = normalise(spelling or "")
            if key:
                table.setdefault(key, level)
    return table


@attrs.frozen
class Scale:
    """An ordered set of levels, lowest first, with its declared semantics."""

    #: Id, unique within its framework ("a-h").
    id: str
    #: The levels, lowest first, as the framework declares them. Compared with their ids and names:
    #: a :class:`Level` alone compares by scale and position, but two scales that spell their levels
    #: differently are different scales.
    levels: tuple[Level, ...] = attrs.field(eq=_spelled)
    #: Human name of the scale.
    name: str = ""
    #: Ids of the levels that carry descriptors; empty when any level may carry them.
    anchors: tuple[str, ...] = ()
    #: Whether a level implies every level below it; ``None`` when the source does not say.
    cumulative: bool | None = None
    #: Free text about the scale.
    description: str = ""
    _lookup: dict[str, Level] = attrs.field(init=False, eq=False, repr=False)

    def __attrs_post_init__(self) -> None:
        object.__setattr__(self, "_lookup", _lookup_table(self.levels))

    @classmethod
    def build(
        cls,
        id: str,
        levels: Iterable[str | int | tuple[str, str | None]],
        *,
        name: str = "",
        anchors: Iterable[str] = (),
        cumulative: bool | None = None,
        description: str = "",
    ) -> Scale:
        """Build a scale from level ids (or ``(id, name)`` pairs), lowest first."""
        built = []
        for index, spec in enumerate(levels):
            level_id, level_name = spec if isinstance(spec, tuple) else (str(spec), None)
            built.append(Level(id, index, str(level_id), level_name))
        return cls(
            id=id,
            levels=tuple(built),
            name=name,
            anchors=tuple(str(a) for a in anchors),
            cumulative=cumulative,
            description=description,
        )

    def __iter__(self) -> Iterator[Level]:
        return iter(self.levels)

    def __len__(self) -> int:
        return len(self.levels)

    def __contains__(self, value: object) -> bool:
        if isinstance(value, Level):
            return value.scale_id == self.id and 0 <= value.index < len(self.levels)
        return self.find(value) is not None

    def find(self, value: Any) -> Level | None:
        """The level ``value`` names, or ``None``; accepts "d", " D ", "3", 3, "Level 3" and level names."""
        if isinstance(value, Level):
            return value if value in self else None
        if isinstance(value, bool) or not isinstance(value, (str, int)):
            return None
        key = normalise(str(value))
        found = self._lookup.get(key)
        if found is None and key.startswith("level"):
            found = self._lookup.get(normalise(_LEVEL_PREFIX.sub("", key)))
        return found

    def parse(self, value: Any, *, within: tuple[Level, ...] | None = None) -> Level:
        """The level ``value`` names; :class:`LevelError` listing the valid levels when it is off the scale.

        ``within`` restricts the valid levels to a competency's own run of the scale.
        """
        level = self.find(value)
        valid = self.levels if within is None else within
        if level is None or (within is not None and level not in within):
            raise LevelError(f"{value!r} is not a level of {self.describe(valid)}")
        return level

    def describe(self, valid: tuple[Level, ...] | None = None) -> str:
        """``scale 'a-h' (valid levels: A, B, …)`` — for error messages."""
        shown = ", ".join(level.id for level in (self.levels if valid is None else valid))
        return f"scale {self.id!r} (valid levels: {shown})"

    def level(self, value: Any) -> Level:
        """Alias of :meth:`parse` without a restriction."""
        return self.parse(value)

    def is_anchor(self, level: Level) -> bool:
        """Whether ``level`` carries descriptors of its own (every level does on a scale without anchors)."""
        return not self.anchors or level.id in self.anchors

    def describing_levels(
        self, level: Level, *, within: tuple[Level, ...] | None = None
    ) -> tuple[Level, ...]:
        """The levels whose indicators describe ``level``, lowest first.

        * cumulative scale: every describing level at or below ``level``;
        * otherwise (not cumulative, or not stated): the nearest describing level at or below ``level``,
          so on the CDC/SNC scale a C is described by B ("all of B, not yet D").

        A describing level is an anchor (or any level when the scale declares no anchors) inside ``within``
        (a competency's own run of the scale; the whole scale by default).
        """
        pool = self.levels if within is None else within
        if level not in pool and level not in self:
            raise LevelError(f"{level.id!r} is not a level of {self.describe(pool)}")
        candidates = tuple(lv for lv in pool if self.is_anchor(lv) and lv <= level)
        if self.cumulative:
            return candidates
        return candidates[-1:]
