"""Small helpers shared by the built-in rules: how roles, levels and lists are named in messages.

Kept here so that every rule names a role the same way ("'HR Adviser' (CDC-HR-01)") and treats a blank
level the same way, and so that the hot loops of the rules stay free of repeated work.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from typing import Generic, TypeVar, cast

from competency._profile import RoleProfile, SourceLocation

from .._api import Problem, ProfileView, ResolvedEntry, RuleContext

__all__ = [
    "NOTHING",
    "PUNCTUATION",
    "Derived",
    "and_more",
    "coverage",
    "int_option",
    "level_given",
    "listed",
    "normalise_text",
    "place",
    "role_label",
    "stated_ids",
    "strings_option",
]

K = TypeVar("K")
V = TypeVar("V")

#: What a per-profile rule returns when it finds nothing: an empty tuple, so that the engine does not
#: make and run a generator for each of 10⁵ RCPs only to find it empty.
NOTHING: tuple[Problem, ...] = ()

#: Trailing characters ignored when texts are compared ("N/A." is "n/a").
PUNCTUATION = ".,;:!?…"

_SPACE = re.compile(r"\s+")


def level_given(raw: str | None) -> bool:
    """Whether an entry states a level (``None`` and blank text mean "not profiled")."""
    return raw is not None and bool(raw.strip())


def role_label(profile: RoleProfile) -> str:
    """``'HR Adviser' (CDC-HR-01)`` — how messages name a role."""
    return f"{profile.title!r} ({profile.id})"


def listed(items: Iterable[str], limit: int = 5) -> str:
    """``a, b, c`` — at most ``limit`` items, then ``and N more``."""
    every = list(items)
    return and_more(every[:limit], len(every))


def and_more(shown: Sequence[str], total: int) -> str:
    """``a, b and 3 more``: the items shown, then how many of ``total`` are not (for messages that keep
    only the first few of a large group, without the rest at hand)."""
    head = ", ".join(shown)
    rest = total - len(shown)
    return f"{head} and {rest} more" if rest > 0 else head


def normalise_text(text: str) -> str:
    """A free text's comparison key: case folded, white space collapsed, trailing punctuation dropped.

    A text that is nothing but punctuation ("-", "...", "?") keeps it, so that it can still be matched.
    """
    key = _SPACE.sub(" ", text).strip().casefold()
    stripped = key.rstrip(PUNCTUATION + " ")
    return stripped or key


def place(location: SourceLocation | None) -> str | None:
    """``line 12`` (TOML) or ``row 12`` (CSV, spreadsheet) — for messages that point at another entry."""
    if location is None or location.line is None:
        return None
    path = location.path or ""
    word = "line" if path.endswith(".toml") or not path else "row"
    return f"{word} {location.line}"


class Derived(Generic[K, V]):
    """``build(key)``, made once per key object and reused while the key is among the last ``size``.

    For what a rule derives from an immutable object it is handed on every call — the framework of a
    view, the rule's context and its options — so that a check of 10⁵ RCPs derives it once per framework
    or context instead of once per RCP. Frameworks and contexts are not hashable (they hold dicts), so keys
    are matched by identity; the cache holds each key, so no other object can take its id while its entry
    is kept. The value depends on nothing but the key, so checkers and threads that share an entry get
    what they would have built themselves (a race costs one extra ``build``), and at most ``size`` keys
    are kept.

    Calling it costs a function call, a tenth of a microsecond that adds up over 10⁵ RCPs; a rule's hot
    path first tries :attr:`last`, which costs none::

        hit = _settings.last
        settings = hit[1] if hit[0] is ctx else _settings(ctx)
    """

    __slots__ = ("_build", "_size", "_table", "last")

    def __init__(self, build: Callable[[K], V], *, size: int = 8) -> None:
        self._build = build
        self._size = size
        self._table: dict[int, tuple[K, V]] = {}
        #: The key and value of the latest call, in one tuple so that a reader on another thread never
        #: pairs one call's key with another's value. The first key is one no caller has.
        self.last: tuple[object, V] = (object(), cast("V", None))

    def __call__(self, key: K) -> V:
        table = self._table
        hit = table.get(id(key))
        if hit is not None and hit[0] is key:
            value = hit[1]
        else:
            value = self._build(key)
            if len(table) >= self._size:
                table.clear()
            table[id(key)] = (key, value)
        self.last = (key, value)
        return value


def _stated_ids(profile: ProfileView) -> set[str]:
    found: set[str] = set()
    add = found.add
    for entry, (comp, level) in zip(profile.profile.competencies, profile.resolved, strict=True):
        if comp is None:
            continue
        if level is not None:  # resolved: stated (a scale finds no level from blank text)
            add(comp.id)
        else:
            raw = entry.level
            if raw and not raw.isspace():  # the test of level_given(): strip() and isspace() agree
                add(comp.id)
    return found


#: missing-core and missing-management both ask, one after the other, for the same view.
_stated = Derived(_stated_ids, size=1)


def stated_ids(profile: ProfileView) -> set[str]:
    """Ids of the competencies with a stated level: the first half of :func:`coverage`, alone, for the
    quick test of the rules that need a level for every required competency. The set is shared by the
    rules that ask about the same view: do not change it."""
    hit = _stated.last
    return hit[1] if hit[0] is profile else _stated(profile)


def coverage(profile: ProfileView) -> tuple[set[str], dict[str, ResolvedEntry]]:
    """What an RCP covers: ids of competencies with a stated level (on the scale or not), and, for
    competencies that have entries but no level in any of them, the first such entry."""
    stated: set[str] = set()
    levelless: dict[str, ResolvedEntry] = {}
    for item in profile.entries:
        comp = item.competency
        if comp is None:
            continue
        raw = item.entry.level
        if raw is not None and raw.strip():
            stated.add(comp.id)
        else:
            levelless.setdefault(comp.id, item)
    return stated, levelless


def int_option(ctx: RuleContext, name: str) -> int:
    """An integer option's value (the engine has already checked its type against the default)."""
    value = ctx.options[name]
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"option {name!r} of rule {ctx.rule.id!r} must be an integer, got {value!r}")
    return value


def strings_option(ctx: RuleContext, name: str) -> tuple[str, ...]:
    """A list-of-strings option's value, as a tuple."""
    value = ctx.options[name]
    if not isinstance(value, tuple):
        raise TypeError(f"option {name!r} of rule {ctx.rule.id!r} must be a list of strings, got {value!r}")
    return value
