"""Name normalisation: how people's spellings of names and levels are matched.

Frameworks are typed by hand into spreadsheets, so "Technical  expertise " and "technical expertise" must
find the same competency. Matching folds case and collapses white space; it never guesses beyond that
(suggestions for near misses are made by the rules, not here).
"""

from __future__ import annotations

import re

__all__ = ["normalise", "slugify"]

_NON_SLUG = re.compile(r"[^a-z0-9]+")


def normalise(name: str) -> str:
    """The matching key of a name: case folded, runs of white space collapsed, ends stripped."""
    # str.split() splits on exactly the characters re's \s matches in a str pattern (a test compares
    # every code point), and is five times faster than re.sub(r"\s+", " ", name).strip(): rules
    # normalise a title or a family per role, 10⁵ times in a large check. Most names are already
    # single-spaced: the only white space a printable string can hold is the ASCII space (every other
    # white-space character is a separator or control character, which isprintable() refuses; the same
    # test checks it), so one without a double, leading or trailing space only needs case folding.
    if name.isprintable() and "  " not in name and not name.startswith(" ") and not name.endswith(" "):
        return name.casefold()
    return " ".join(name.split()).casefold()


def slugify(name: str) -> str:
    """A kebab-case id for a name (``"Job / role expertise"`` -> ``"job-role-expertise"``)."""
    return _NON_SLUG.sub("-", name.casefold()).strip("-")
