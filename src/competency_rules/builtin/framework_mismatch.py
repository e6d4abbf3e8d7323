"""framework-mismatch: an RCP written against one framework is checked against another.

An RCP's levels mean something only on the framework it was written against: "D" on the CDC/SNC A–H
scale and "3" on a Glasgow competency are different things, and a framework's annual review (policy
§4.3: "The competency framework will be reviewed on an annual basis") may change its competencies and
indicators. When a profile file names its framework (`[framework]` in TOML, a `framework` column in CSV)
and the check uses a different one (`--framework`, or configuration), the findings of every other rule
may be wrong.

* a different framework **id** is an **error** (ids are compared ignoring case);
* the same id with a different **version** is a **warning**: the RCP may need re-profiling against the
  current framework. A profile that names no version is not compared.

Profiles that name no framework are not reported.

What to do: check with the framework the RCP names, or re-profile the role against the new one.

**Passes**: checked with `--framework cdc-snc-2015`.

```toml
[framework]
id = "cdc-snc-2015"
version = "2015"
```

**Fails** (error): the same file checked with `--framework glasgow-leadership`.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from competency._findings import Severity

from .._api import Problem, ProfileView, RuleContext, profile_rule
from ._common import NOTHING


@profile_rule(
    id="framework-mismatch",
    summary="the RCP names a different framework (error) or framework version (warning) than the check",
    severity="error",
)
def rule(profile: ProfileView, ctx: RuleContext) -> Iterable[Problem]:
    # Most profiles name no framework, or exactly the one checked against (then ids and versions are
    # equal as written, and the framework's id has no outer white space that strip() would remove from
    # the reference's): nothing to say, without case folding. Any other reference is compared exactly.
    ref = profile.profile.framework
    if ref is None:
        return NOTHING
    fw = profile.framework
    if ref.id == fw.id and (ref.version is None or ref.version == fw.version) and fw.id == fw.id.strip():
        return NOTHING
    return _problems(profile, ctx)


def _problems(profile: ProfileView, ctx: RuleContext) -> Iterator[Problem]:
    ref = profile.profile.framework
    if ref is None:
        return
    fw = profile.framework
    if ref.id.strip().casefold() != fw.id.casefold():
        yield ctx.problem(
            f"this RCP names framework {ref.id!r} but is checked against {fw.id!r} ({fw.title}); its "
            f"levels and competencies may not mean the same — check it against {ref.id!r}",
        )
        return
    if ref.version is not None and ref.version.strip() and ref.version.strip() != fw.version.strip():
        yield ctx.problem(
            f"this RCP names version {ref.version!r} of framework {fw.id!r}, but the check uses version "
            f"{fw.version!r}; review the RCP against the current version",
            severity=Severity.WARNING,
        )
