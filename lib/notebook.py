"""What every notebook does the same way: check its parameters, pick its language, write results.

A notebook's first code cell after the parameters calls :func:`check_choice` for each parameter
with a fixed set of values, so a wrong value fails at once with a message naming the parameter,
the value and the allowed values.
"""

from __future__ import annotations

import json
from pathlib import Path

from .errors import DataError

LANGS = ("zh", "en")


def check_choice(name: str, value, allowed) -> None:
    """DataError unless ``value`` is one of ``allowed``."""
    allowed = list(allowed)
    if value not in allowed:
        raise DataError(f"parameter '{name}': {value!r} is not allowed; expected one of: "
                        + ", ".join(repr(a) for a in allowed))


def check_number(name: str, value, *, low: float | None = None, high: float | None = None) -> None:
    """DataError unless ``value`` is a number within [low, high]."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise DataError(f"parameter '{name}': {value!r} is not a number; expected a number")
    if (low is not None and value < low) or (high is not None and value > high):
        raise DataError(f"parameter '{name}': {value!r} is out of range; expected a number "
                        f"from {low} to {high}")


def pick(lang: str, zh: str, en: str) -> str:
    """The Chinese or the English text, by the notebook's ``lang``."""
    return zh if lang == "zh" else en


def write_results(output_dir: str | Path | None, name: str, results: dict) -> Path | None:
    """Write the notebook's headline numbers as ``name``.json; nothing when output_dir is empty."""
    if not output_dir:
        return None
    out = Path(output_dir)
    out.mkdir(parents=True, exist_ok=True)
    path = out / f"{name}.json"
    path.write_text(json.dumps(results, ensure_ascii=False, indent=2, sort_keys=True) + "\n",
                    encoding="utf-8")
    return path
