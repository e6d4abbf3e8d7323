"""Small helpers shared by the built-in rules: how roles, levels and lists are named in messages.

Kept here so that every rule names a role the same way ("'HR Adviser' (CDC-HR-01)") and treats a blank
level the same way, and so that the hot loops of the rules stay free of repeated work.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from competency._profile import RoleProfile, SourceLocation

from .._api import ProfileView, ResolvedEntry, RuleContext

__all__ = [
    "PUNCTUATION",
    "coverage",
    "int_option",
    "level_given",
    "listed",
    "normalise_text",
    "place",
    "role_label",
    "strings_option",
]

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
    shown = list(items)
    head = ", ".join(shown[:limit])
    rest = len(shown) - limit
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
