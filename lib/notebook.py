"""What every notebook does the same way: check its parameters, pick its language, write results.

A notebook's first code cell after the parameters calls :func:`check_choice` for each parameter
with a fixed set of values, so a wrong value fails at once with a message naming the parameter,
the value and the allowed values.
"""

from __future__ import annotations

import json
import math
import os
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
    """DataError unless ``value`` is a finite number within [low, high] (NaN and the
    infinities compare false with every bound, so they are rejected first)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise DataError(f"parameter '{name}': {value!r} is not a number; expected a number")
    if not math.isfinite(value):
        raise DataError(f"parameter '{name}': {value!r} is not a finite number; expected a "
                        f"number" + (f" from {low} to {high}" if low is not None
                                     and high is not None else ""))
    if (low is not None and value < low) or (high is not None and value > high):
        raise DataError(f"parameter '{name}': {value!r} is out of range; expected a number "
                        f"from {low} to {high}")


def pick(lang: str, zh: str, en: str) -> str:
    """The Chinese or the English text, by the notebook's ``lang``."""
    return zh if lang == "zh" else en


def write_results(output_dir: str | Path | None, name: str, results: dict) -> Path | None:
    """Write the notebook's headline numbers as ``name``.json; nothing when output_dir is empty.

    The file is strict JSON: a NaN or an infinity anywhere in ``results`` is a DataError naming
    its key (JSON has no such numbers; Python would write a bare ``NaN``)."""
    if not output_dir:
        return None
    bad = _non_finite(results)
    if bad is not None:
        raise DataError(f"results '{name}': {bad[0]} is {bad[1]!r}, which JSON cannot hold; "
                        f"expected a finite number (or None for unknown)")
    text = json.dumps(results, ensure_ascii=False, indent=2, sort_keys=True, allow_nan=False)
    out = Path(output_dir)
    out.mkdir(parents=True, exist_ok=True)
    path = out / f"{name}.json"
    tmp = out / f".{name}.json.writing-{os.getpid()}"  # whole or not at all: then renamed
    try:
        tmp.write_text(text + "\n", encoding="utf-8")
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    return path


def _non_finite(value, where: str = "results") -> tuple[str, float] | None:
    """(where, value) of the first NaN or infinity inside ``value``, e.g.
    ``("results['pool_usd'][1]", nan)``; None if there is none."""
    if isinstance(value, float) and not math.isfinite(value):
        return where, value
    if isinstance(value, dict):
        items = ((f"{where}[{k!r}]", v) for k, v in value.items())
    elif isinstance(value, (list, tuple)):
        items = ((f"{where}[{k}]", v) for k, v in enumerate(value))
    else:
        return None
    for sub, v in items:
        found = _non_finite(v, sub)
        if found is not None:
            return found
    return None
