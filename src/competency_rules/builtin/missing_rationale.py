"""missing-rationale: a level without a real rationale.

The RCP template (Appendix A) has a **Rationale** column beside every level, and each RCP is "defined
using qualitative methodology" (committee report §3.2): the rationale is the evidence the moderation
panel reviews "for consistency, accuracy and fairness" (policy §2.5), and what a post holder reads when
they think their RCP is inaccurate (policy §2.7). A level with no reason cannot be moderated.

For every entry that states a level:

* an empty rationale is an **error**;
* a placeholder — by default "n/a", "na", "tbc", "tbd", "-", "--", "see above", "as above", "none",
  "same as above", "various", "?", "x", "...", "to follow" — is a **warning**. Placeholders are compared
  ignoring case, extra spaces and trailing punctuation, so "TBC." and " n/a " are placeholders; a text
  with no letter or digit at all ("—", "…") is always one;
* a rationale shorter than `min_length` characters (25 by default) is a **warning**: too short to say
  why the role needs this level rather than the one below.

Entries without a level are left to `missing-core` / `missing-management`.

What to do: write, in a sentence or two, what in the role's duties calls for this level.

**Passes** (`cdc-snc-2015`):

```toml
[[roles.competencies]]
competency = "Customer Focus"
level = "D"
rationale = "Handles first-contact housing enquiries and resolves most without referral."
```

**Fails**: an error, a placeholder warning, and a too-short warning.

```toml
[[roles.competencies]]
competency = "Communication"
level = "D"
rationale = ""

[[roles.competencies]]
competency = "Customer Focus"
level = "D"
rationale = "TBC"

[[roles.competencies]]
competency = "Collaborative Teamwork"
level = "C"
rationale = "Works in a team."
```
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Iterator

from competency._findings import Severity

from .._api import Option, Problem, ProfileView, RuleContext, profile_rule
from ._common import NOTHING, Derived, int_option, level_given, normalise_text, strings_option

DEFAULT_PLACEHOLDERS = (
    "n/a", "na", "tbc", "tbd", "-", "--", "see above", "as above", "none", "same as above", "various",
    "?", "x", "...", "to follow",
)  # fmt: skip


@functools.lru_cache(maxsize=64)
def _placeholder_keys(placeholders: tuple[str, ...]) -> tuple[frozenset[str], int]:
    """The placeholders' comparison keys, and how long a text can be and still normalise to one.

    A function of the option's value alone, so caching it shares nothing but arithmetic between checks.
    """
    keys = frozenset(normalise_text(p) for p in placeholders if p.strip())
    longest = max((len(p) for p in placeholders), default=0)
    # White space collapses and trailing punctuation goes, so allow generous padding around the longest.
    return keys, 2 * longest + 16


def _is_placeholder(text: str, placeholders: frozenset[str]) -> bool:
    key = normalise_text(text)
    return key in placeholders or not any(ch.isalnum() for ch in key)


def _settings_for(ctx: RuleContext) -> tuple[frozenset[str], int, int, int]:
    """The placeholders' keys, the longest text that may be one, ``min_length``, and the length above
    which a stripped rationale can be neither empty, nor a placeholder, nor too short."""
    placeholders, limit = _placeholder_keys(strings_option(ctx, "placeholders"))
    min_length = int_option(ctx, "min_length")
    return placeholders, limit, min_length, max(limit, min_length - 1)


_settings = Derived(_settings_for)


@profile_rule(
    id="missing-rationale",
    summary=(
        "a level with an empty rationale (error); a placeholder such as 'n/a', 'tbc', '-', 'see above', or "
        "one under min_length characters (warning)"
    ),
    severity="error",
    options=(
        Option(
            "placeholders",
            DEFAULT_PLACEHOLDERS,
            "texts that are not a rationale (compared ignoring case, spaces and trailing punctuation)",
        ),
        Option("min_length", 25, "a rationale shorter than this many characters is a warning (0: off)"),
    ),
)
def rule(profile: ProfileView, ctx: RuleContext) -> Iterable[Problem]:
    # Nearly every rationale is a sentence or two: one strip() and len() tell it is fine, whatever its
    # level. Only an RCP with a short one is walked again by the exact checks.
    hit = _settings.last
    placeholders, limit, min_length, fine_above = hit[1] if hit[0] is ctx else _settings(ctx)
    for entry in profile.profile.competencies:
        if len(entry.rationale.strip()) <= fine_above:
            return _problems(profile, ctx, placeholders, limit, min_length)
    return NOTHING


def _problems(
    profile: ProfileView, ctx: RuleContext, placeholders: frozenset[str], limit: int, min_length: int
) -> Iterator[Problem]:
    for item in profile.entries:
        entry = item.entry
        raw_level = entry.level
        if raw_level is None or not level_given(raw_level):
            continue
        text = entry.rationale.strip()
        if not text:
            yield ctx.problem(
                f"level {raw_level} has no rationale; write why the role needs this level — the panel "
                "cannot moderate a level without one",
                entry=item,
            )
        elif len(text) <= limit and _is_placeholder(text, placeholders):
            yield ctx.problem(
                f"the rationale for level {raw_level} is a placeholder ({text!r}); write why the role needs "
                "this level",
                entry=item,
                severity=Severity.WARNING,
            )
        elif len(text) < min_length:
            yield ctx.problem(
                f"the rationale for level {raw_level} is only {len(text)} characters ({text!r}); say what in "
                f"the role calls for this level (at least {min_length} characters)",
                entry=item,
                severity=Severity.WARNING,
            )
