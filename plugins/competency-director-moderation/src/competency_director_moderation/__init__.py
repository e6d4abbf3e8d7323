"""director-external-moderation: Director and Chief Executive RCPs need moderation by an external HR provider.

The CDC/SNC Role Competencies Profiling Policy, §2.4: "The RCPs will then be quality assured and checked
for consistency through a moderation process. For Directors and the Chief Executive this moderation
process will be carried out by an appropriate external HR provider. For all other roles, this will be
carried out by a trained internal panel." An internal panel of three employees should not be moderating
the profiles of the people they report to, so an RCP for a Director or the Chief Executive must record
`moderated_by = "external"` in its provenance.

Which roles are Directors and the Chief Executive:

* a role whose **title** contains one of `title_patterns` (default "director" and "chief executive") as
  whole words, ignoring case: "Director of Resources", "Strategic Director", "Deputy Chief Executive",
  "Assistant Director" (a council whose panel moderates Assistant Directors adds "assistant director" to
  `exclude_patterns`);
* but not a role that *supports* one: the phrase right after "to", "for" or "of" ("PA to the Chief
  Executive", "Assistant to the Directors", "Head of the Director's Office"), or in the possessive
  ("Chief Executive's Office Manager"), and not "Directorate Support Officer" (not a whole word);
* and not a title containing one of `exclude_patterns` (default none), matched the same way;
* whatever the title says, a role whose metadata key `metadata_key` (default `external_moderation`; in
  CSV, a column of that name) is "yes" / true is in scope, and "no" / false is out of scope.

What is reported, once per role:

* **error**: the RCP records moderation by the internal panel or an HR review, or records no moderation
  at all although it is not a draft (a moderated or published RCP, or one with no status);
* **warning**: the RCP is a draft (`status = "draft"`) and no moderation is recorded yet — not wrong
  today, but it must go to the external provider, not the panel.

What to do: send the RCP to the external HR provider, and record `moderated_by = "external"` (in CSV, the
`moderated_by` column) once it has been moderated.

**Passes**:

```toml
[[roles]]
id = "CDC-LDR-02"
title = "Director of Resources"
managerial = true
provenance = { status = "moderated", profiled_by = "R. Adeyemi", moderated_by = "external" }
```

**Fails** (error): `provenance = { status = "moderated", moderated_by = "panel" }` on the same role.

**Warns**: `provenance = { status = "draft" }` on the same role.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator, Sequence

from competency import RoleProfile
from competency_rules import Option, Problem, ProfileView, RuleContext, Severity, hookimpl, profile_rule

__all__ = ["RULE_ID", "competency_register_rules", "is_director_role", "rule"]

RULE_ID = "director-external-moderation"

#: Metadata values that switch the rule on or off for one role, whatever its title.
_YES = frozenset({"yes", "y", "true", "1", "external"})
_NO = frozenset({"no", "n", "false", "0", "panel", "internal"})

#: Words that, right before a title pattern, make the role a support role ("PA *to the* Director").
_SUPPORT = r"(?:\b(?:to|for|of)\s+(?:the\s+|a\s+|our\s+)?)"


@functools.lru_cache(maxsize=32)
def _compile(patterns: tuple[str, ...]) -> tuple[re.Pattern[str], ...]:
    """One regular expression per phrase: whole words, any run of spaces between them, any case."""
    compiled = []
    for phrase in patterns:
        words = phrase.split()
        if words:
            body = r"\s+".join(re.escape(word) for word in words)
            compiled.append(re.compile(rf"(?<![\w-]){body}(?![\w-])", re.IGNORECASE))
    return tuple(compiled)


def _names_the_role(title: str, pattern: re.Pattern[str]) -> bool:
    """Whether ``pattern`` occurs in ``title`` as the role itself, not as the person a role supports."""
    for match in pattern.finditer(title):
        before = title[: match.start()]
        after = title[match.end() :]
        if re.search(_SUPPORT + r"$", before, re.IGNORECASE):
            continue  # "PA to the Chief Executive"
        if re.match(r"['’]s?\b", after):
            continue  # "Chief Executive's Office Manager", "Directors' PA"
        return True
    return False


def _flag(profile: RoleProfile, key: str) -> bool | None:
    """The role's metadata flag: True (in scope), False (out of scope) or None (let the title decide)."""
    if not key or key not in profile.metadata:
        return None
    value = profile.metadata[key]
    if isinstance(value, bool):
        return value
    text = str(value).strip().casefold()
    if text in _YES:
        return True
    if text in _NO:
        return False
    return None


def is_director_role(
    profile: RoleProfile,
    title_patterns: Sequence[str] = ("director", "chief executive"),
    exclude_patterns: Sequence[str] = (),
    metadata_key: str = "external_moderation",
) -> bool:
    """Whether policy §2.4 puts ``profile`` in the external moderation route (see the module docs)."""
    flag = _flag(profile, metadata_key)
    if flag is not None:
        return flag
    title = profile.title
    if any(_names_the_role(title, p) for p in _compile(tuple(exclude_patterns))):
        return False
    return any(_names_the_role(title, p) for p in _compile(tuple(title_patterns)))


def _strings(ctx: RuleContext, name: str) -> tuple[str, ...]:
    value = ctx.options[name]
    return value if isinstance(value, tuple) else (str(value),)


@profile_rule(
    id=RULE_ID,
    summary="a Director or Chief Executive RCP does not record moderation by an external HR provider (§2.4)",
    severity="error",
    options=(
        Option(
            "title_patterns",
            ("director", "chief executive"),
            "phrases that make a role title a Director or Chief Executive role (whole words, any case)",
        ),
        Option(
            "exclude_patterns",
            (),
            "phrases that take a title out of scope, e.g. 'assistant director' where the panel moderates ADs",
        ),
        Option(
            "metadata_key",
            "external_moderation",
            "role metadata key (CSV column) whose yes/no value overrides the title",
        ),
    ),
)
def rule(profile: ProfileView, ctx: RuleContext) -> Iterator[Problem]:
    role = profile.profile
    key = ctx.options["metadata_key"]
    if not is_director_role(
        role,
        _strings(ctx, "title_patterns"),
        _strings(ctx, "exclude_patterns"),
        key if isinstance(key, str) else "",
    ):
        return
    provenance = role.provenance
    moderated_by = provenance.moderated_by if provenance is not None else None
    status = provenance.status if provenance is not None else None
    if moderated_by == "external":
        return
    who = f"{role.title!r} ({role.id})"
    policy = "policy §2.4: Directors and the Chief Executive are moderated by an external HR provider"
    if moderated_by is None and status == "draft":
        yield ctx.problem(
            f"{who} is a draft with no moderation recorded yet; send it to the external HR provider, "
            f'not the internal panel ({policy}), and record moderated_by = "external"',
            severity=Severity.WARNING,
        )
    elif moderated_by is None:
        state = f"is {status}" if status else "has no status"
        yield ctx.problem(
            f"{who} {state} but records no moderation ({policy}); have it moderated externally and "
            f'record moderated_by = "external"',
        )
    else:
        route = {"panel": "the internal panel", "hr-review": "an HR review"}.get(moderated_by, moderated_by)
        yield ctx.problem(
            f"{who} was moderated by {route}, but {policy}; have it moderated externally and record "
            f'moderated_by = "external"',
        )


@hookimpl
def competency_register_rules() -> list[object]:
    """The rules this plugin contributes."""
    return [rule]
