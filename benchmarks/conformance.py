"""How our extractor does on a peer's test suite: the Chinese specs of Recognizers-Text.

The specs (MIT licence) are read from ``../shared/peers/recognizers-text/`` beside the project's
folder; they are not copied into the project, and the project's own tests stay its own. Every case
of every spec file is run through ``lib.extract.extract`` (the range files through
``extract_ranges``, which joins 20~100 and 大于10小于20 into one interval). A case passes when our
mentions give exactly the values the spec lists, no more and no fewer (and the unit, where the
spec gives one);
a case expecting nothing passes when we give no value. Cases of a category this project rules out
of scope are counted apart, each category with its reason (``OUT_OF_SCOPE`` below, and the README).

    .venv/bin/python benchmarks/conformance.py [--failures FILE]

Prints, per spec file: cases, out of scope (by category), in scope, passed, and the share passed;
then each out-of-scope category with its reason.
Exits 2 if the specs are not there, 1 if a targeted file is below 90% of its in-scope cases.
"""

from __future__ import annotations

import argparse
import json
import math
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from lib.extract import extract, extract_ranges  # noqa: E402
from lib.paths import ROOT  # noqa: E402

PEER = ROOT.parent / "shared" / "peers" / "recognizers-text"
TARGET = 0.90

# spec file -> (model, targeted by issue #11)
SPEC_FILES = {
    "Number/Chinese/NumberModel.json": ("number", True),
    "Number/Chinese/PercentModel.json": ("percent", True),
    "NumberWithUnit/Chinese/CurrencyModel.json": ("currency", True),
    "NumberWithUnit/Chinese/DimensionModel.json": ("dimension", True),
    "Number/Chinese/NumberRangeModel.json": ("range", True),
    "Number/Chinese/NumberRangeModelExperimentalMode.json": ("range", True),
    "Number/Chinese/OrdinalModel.json": ("ordinal", False),
    "NumberWithUnit/Chinese/AgeModel.json": ("age", False),
    "NumberWithUnit/Chinese/TemperatureModel.json": ("temperature", False),
}

# The spec's unit names -> our base unit (currencies) or printed unit (dimensions and ages).
ISO = {
    "CNY": "yuan",
    "USD": "usd",
    "HKD": "hkd",
    "MOP": "mop",
    "TWD": "twd",
    "JPY": "jpy",
    "EUR": "eur",
    "GBP": "gbp",
    "KRW": "krw",
    "CHF": "chf",
    "AUD": "aud",
    "CAD": "cad",
    "SGD": "sgd",
    "RUB": "rub",
    "INR": "inr",
    "NGN": "ngn",
}
# The spec's dimension units -> (our base unit, how many of it): values are compared in base units.
DIMENSION = {
    "Mu": ("mu", 1),
    "Kilogram": ("kg", 1),
    "Centimeter": ("km", 1e-5),
    "Ton": ("kg", 1000),
    "Meter": ("km", 1e-3),
    "Kilometer": ("km", 1),
    "Gram": ("kg", 1e-3),
    "Microgram": ("kg", 1e-9),
    "Jin": ("kg", 0.5),
    "Kilowatt": ("kW", 1),
    "Kilobit": ("byte", 125),
    "Kilobyte": ("byte", 1e3),
    "Megabyte": ("byte", 1e6),
    "Hertz": ("Hz", 1),
    "Megahertz": ("Hz", 1e6),
    "Kilocalorie": ("kcal", 1),
    "Bit": ("byte", 0.125),
    "Year": ("year", 1),
}


# --- out of scope: categories of wording, each with its reason ---------------------------


@dataclass(frozen=True)
class Category:
    name: str
    reason: str
    applies: Callable[[dict, str], bool]  # (case, model)


def _texts(case: dict) -> str:
    return case["Input"] + " " + " ".join(r.get("Text", "") for r in case["Results"])


def _expects(case: dict, pattern: str) -> bool:
    return any(re.search(pattern, r.get("Text", "")) for r in case["Results"])


OUT_OF_SCOPE = [
    Category(
        "notation",
        "arithmetic and scientific notation (2^5, 2e5, 21.2E0): formulas, "
        "not the wording of news text",
        lambda c, model: bool(re.search(r"\d\s*\^|\d[eE][-+－]?\d", _texts(c))),
    ),
    Category(
        "latin-magnitudes",
        "Latin-letter magnitudes (40k, -2.5 M, 百分之15k): English "
        "abbreviations, not Chinese print",
        lambda c, model: (
            bool(re.search(r"\d\s*[kKＫmM](?![a-zA-Z])", _texts(c)))
            and not re.search(r"\d\s*[cCkK]?[mM]\b(?![a-zA-Z])", c["Input"].replace("k", ""))
        ),
    ),
    Category(
        "zhao",
        "兆 as a magnitude: 10**6 in mainland usage, 10**12 in Taiwan and Japan; "
        "the extractor refuses it (a mention with no value and the reason), never guesses",
        lambda c, model: _expects(c, r"兆") and not _expects(c, r"兆(赫|字节|瓦)"),
    ),
    Category(
        "vague-as-value",
        "几 resolved to one value (二十几万 → 200000), and 几, 余, 多 "
        "resolved to no upper end (五百多 → (500,)): we give the interval the words allow "
        "(二十几 is 21 to 29, 五百多 is 500 to 600), because a single value or an open end "
        "would be a wrong number",
        lambda c, model: _expects(c, r"[几幾]") or model == "range" and _expects(c, r"余|多"),
    ),
    Category(
        "dates-times",
        "digits inside dates and clock times (1991年1月16日, 20点): read as a "
        "date, which the spec's Number model splits into bare numbers",
        lambda c, model: bool(
            re.search(
                r"[0-9０-９]+\s*[年月]\s*[0-9０-９]+|[0-9０-９]+\s*(点|點)："
                r"|\d:\d",
                c["Input"],
            )
        ),
    ),
    Category(
        "dozen",
        "打 (a dozen) as a multiplier (五十打 → 600): shop-counter speech",
        lambda c, model: _expects(c, r"打$"),
    ),
    Category(
        "small-change",
        "money in 角, 毛, 分 and 块 (五元三毛, 三块, 两美元又三美分): "
        "spoken small change, not how news prints amounts",
        lambda c, model: _expects(c, r"[角毛块塊]|美分|日本銭"),
    ),
    Category(
        "currency-no-amount",
        "a currency name with no amount (人民币 美元): not a quantity",
        lambda c, model: any(r["Resolution"].get("value") is None for r in c["Results"]),
    ),
    Category(
        "liang-weight",
        "两 (liang) as a unit of weight (二两, 两万两): the same character as the numeral 两",
        lambda c, model: any(r["Resolution"].get("unit") == "Liang" for r in c["Results"]),
    ),
    Category(
        "half-open-ranges",
        "20~100, 一千到一千五百, 20和30之间 read as half-open [20,100): "
        "the spec's sister file (ExperimentalMode) reads the same wordings as [20,100], and "
        "so do we: both ends are stated figures, and nothing in the wording drops the upper",
        lambda c, model: (
            model == "range"
            and bool(c["Results"])
            and all(
                re.fullmatch(r"\[[^,\]]+,[^\])]+\)", r["Resolution"]["value"]) for r in c["Results"]
            )
            and bool(re.search(r"[~～\-–—至到]|[和与跟].*间", c["Input"]))
            and not re.search(r"[大小高低多少等]于|比|以[上下内]", c["Input"])
        ),
    ),
    Category(
        "yishang-exclusive",
        "以上 and 以下 read as excluding the number: Chinese law and "
        "statistics include it (Civil Code art. 1259: 以上、以下、以内 … 包括本数), "
        "as our rules do",
        lambda c, model: _expects(c, r"以上|以下"),
    ),
]


# --- running a case -----------------------------------------------------------------------


def _close(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=1e-6, abs_tol=1e-12)


def _value(s: str) -> float:
    return float(s.rstrip("%"))


def _ours(model: str, text: str) -> list[tuple]:
    """Our mentions of ``text`` as the spec's model sees them: (value, unit) or intervals."""
    if model == "range":
        return [
            (_interval(r), None)
            for r in extract_ranges(text, bare_numerals=True).itertuples(index=False)
        ]
    df = extract(text, bare_numerals=model == "number")
    out = []
    for r in df.itertuples(index=False):
        if model == "number":
            if r.number == r.number and r.unit not in ("日期", "年份"):
                value = r.base_value if r.base_unit == "ratio" else r.number * r.multiplier
                out.append((value, None))
        elif model == "percent":
            if r.base_unit in ("percent", "pp") and r.base_value == r.base_value:
                out.append((r.base_value, None))
            elif r.base_unit == "ratio" and "分之" in r.value:  # 百万分之五: a share, in percent
                out.append((r.base_value * 100, None))
        elif model == "currency":
            if r.base_unit in ISO.values() and r.base_value == r.base_value:
                out.append((r.base_value, r.base_unit))
        elif model in ("dimension", "age"):
            kinds = {"year"} if model == "age" else {b for b, _ in DIMENSION.values()} - {"year"}
            if r.base_unit in kinds and r.base_value == r.base_value:
                out.append((r.base_value, r.base_unit))
        elif model == "ordinal" and r.unit == "名次":
            out.append((r.number, None))
    return out  # temperature: 度 away from 电 is refused, so nothing


def _interval(r) -> str:
    """A range row as the spec writes it: (20,35], [3,), (,100]."""
    low = "" if r.low != r.low else f"{r.low:g}"
    high = "" if r.high != r.high else f"{r.high:g}"
    return (
        ("(" if r.low_open or not low else "[")
        + low
        + ","
        + high
        + (")" if r.high_open or not high else "]")
    )


def _expected(model: str, case: dict) -> list[tuple]:
    out = []
    for r in case["Results"]:
        res = r["Resolution"]
        if model == "currency":
            out.append((float(res["value"]), ISO.get(res.get("isoCurrency"), "?")))
        elif model in ("dimension", "age"):
            base, size = DIMENSION.get(res.get("unit"), ("?", 1))
            out.append((float(res["value"]) * size, base))
        elif model == "range":
            out.append((_canonical_range(res["value"]), None))
        else:
            out.append((_value(res["value"]), None))
    return out


def _canonical_range(s: str) -> str:
    m = re.fullmatch(r"([\[(])([^,]*),([^\])]*)([\])])", s)
    low, high = (f"{float(x):g}" if x else "" for x in m.group(2, 3))
    return m.group(1) + low + "," + high + m.group(4)


def _matches(model: str, got: list[tuple], want: list[tuple]) -> bool:
    if len(got) != len(want):
        return False
    left = list(got)
    for value, unit in want:
        for k, (v, u) in enumerate(left):
            same = v == value if isinstance(value, str) else _close(v, value)
            if model in ("dimension", "age", "currency"):
                same = same and u == unit
            if same:
                del left[k]
                break
        else:
            return False
    return True


def run(spec: Path, model: str) -> dict:
    """Counts for one spec file: cases, out of scope by category, in scope, passed, failures."""
    cases = json.loads(spec.read_text(encoding="utf-8-sig"))
    out: dict[str, int] = {}
    passed, failures = 0, []
    for case in cases:
        category = next((c for c in OUT_OF_SCOPE if c.applies(case, model)), None)
        if category:
            out[category.name] = out.get(category.name, 0) + 1
            continue
        got, want = _ours(model, case["Input"]), _expected(model, case)
        if _matches(model, got, want):
            passed += 1
        else:
            failures.append((case["Input"], want, got))
    in_scope = len(cases) - sum(out.values())
    return {
        "cases": len(cases),
        "out": out,
        "in_scope": in_scope,
        "passed": passed,
        "failures": failures,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--failures", type=Path, help="write every failing in-scope case here")
    args = parser.parse_args(argv)
    specs = PEER / "Specs"
    if not specs.is_dir():
        print(
            f"error: the peer specs are not at {PEER} (expected ../shared/peers/"
            f"recognizers-text/Specs beside the project's folder, with Number/Chinese and "
            f"NumberWithUnit/Chinese)",
            file=sys.stderr,
        )
        return 2
    below, lines = 0, []
    print(f"{'spec file':<55} {'cases':>5} {'out':>4} {'in':>4} {'passed':>6} {'share':>6}")
    for name, (model, targeted) in SPEC_FILES.items():
        result = run(specs / name, model)
        share = result["passed"] / result["in_scope"] if result["in_scope"] else 1.0
        mark = "" if not targeted else (" met" if share >= TARGET else " BELOW 90%")
        below += targeted and share < TARGET
        print(
            f"{name:<55} {result['cases']:>5} {sum(result['out'].values()):>4} "
            f"{result['in_scope']:>4} {result['passed']:>6} {share:>6.1%}{mark}"
        )
        if result["out"]:
            print("    out of scope: " + ", ".join(f"{k} {v}" for k, v in result["out"].items()))
        for inp, want, got in result["failures"]:
            lines.append(f"{name}: {inp!r}\n    spec {want}\n    ours {got}")
    print("\nout of scope, and why:")
    for c in OUT_OF_SCOPE:
        print(f"  {c.name}: {c.reason}")
    if args.failures:
        args.failures.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return 1 if below else 0


if __name__ == "__main__":
    sys.exit(main())
