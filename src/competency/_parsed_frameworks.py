"""Pre-parsed copies of the bundled framework files, so that start-up does not parse 60 KB of TOML.

tomllib is pure Python: parsing ``cdc-snc-2015.toml`` takes longer than everything else a one-role
``competency check`` does after its imports. Each bundled ``frameworks/<id>.toml`` may therefore have a
``frameworks/parsed/<id>.json`` holding exactly what tomllib makes of it, with the size and CRC-32 of
the TOML bytes it was made from. A copy is used only when both still match the TOML file being read;
otherwise (an edited framework, a missing copy) the TOML is parsed as always, so a stale copy costs
time, never correctness. tests/test_optimisation_equivalence.py fails when a copy is stale.

Regenerate the copies after editing a bundled framework::

    python -c "from competency._parsed_frameworks import main; main()"
"""

from __future__ import annotations

import json
import zlib
from pathlib import Path
from typing import Any

__all__ = ["FOLDER", "parsed_copy", "preparsed", "write_parsed"]

#: The folder, beside the framework files, that holds the copies.
FOLDER = "parsed"


def parsed_copy(toml_path: Path) -> Path:
    """Where the pre-parsed copy of a framework file lives."""
    return toml_path.parent / FOLDER / f"{toml_path.stem}.json"


def _stamp(data: bytes) -> dict[str, int]:
    return {"size": len(data), "crc32": zlib.crc32(data)}


def preparsed(toml_path: Path, data: bytes) -> dict[str, Any] | None:
    """What tomllib makes of ``data`` (the bytes of ``toml_path``), from its copy, or ``None``."""
    try:
        document = json.loads(parsed_copy(toml_path).read_bytes())
    except (OSError, ValueError):
        return None
    if not isinstance(document, dict) or document.get("source") != _stamp(data):
        return None
    parsed = document.get("data")
    return parsed if isinstance(parsed, dict) else None


def _json_safe(value: Any) -> bool:
    if isinstance(value, dict):
        return all(isinstance(k, str) and _json_safe(v) for k, v in value.items())
    if isinstance(value, list):
        return all(_json_safe(v) for v in value)
    return value is None or isinstance(value, str | int | float | bool)


def write_parsed(toml_path: Path) -> Path | None:
    """Write the copy for one framework file; ``None`` when its data has no JSON form (dates)."""
    from ._errors import FrameworkError
    from ._toml_io import read_toml

    data = toml_path.read_bytes()
    parsed = read_toml(data, str(toml_path), FrameworkError)
    target = parsed_copy(toml_path)
    if not _json_safe(parsed):
        target.unlink(missing_ok=True)
        return None
    target.parent.mkdir(exist_ok=True)
    document = {"source": _stamp(data), "data": parsed}
    target.write_text(
        json.dumps(document, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8"
    )
    return target


def main() -> int:
    """Regenerate the copies of every bundled framework in the source checkout."""
    folder = Path(__file__).resolve().parents[2] / "frameworks"
    for path in sorted(folder.glob("*.toml")):
        written = write_parsed(path)
        print(f"{path.name}: {'wrote ' + str(written) if written else 'no JSON form (dates); no copy'}")
    return 0
