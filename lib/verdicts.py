"""The audit's verdicts for readers: one row per claim with the readings in words, an
article's claims as a report notebook asks for them (``ArticleAudit``: rows with headers in
Chinese or English, computed intervals, verdicts), the verdicts' names, the count per verdict.

The verdicts themselves are :mod:`lib.claims`'s; this module only presents them.
"""

from __future__ import annotations

import math

import pandas as pd

from .claims import VERDICTS, _default_claims, entry_of, evaluate_claims
from .errors import DataError
from .expr import describe
from .intervals import Interval

AUDIT_HEADERS_ZH = {
    "claim": "陈述",
    "kind": "类型",
    "statement": "原文",
    "computed": "据数字计算",
    "stated": "版面所述",
    "verdict": "结论",
    "strength": "强度",
    "other_readings": "其他读法",
}


VERDICT_NAMES = {  # each verdict as a notebook names it, (zh, en)
    "consistent": ("一致", "consistent"),
    "inconsistent": ("矛盾", "inconsistent"),
    "ambiguous": ("有歧义", "ambiguous"),
    "unverifiable": ("无法核实", "unverifiable"),
}
_SHOWN = ["statement", "computed", "stated", "verdict", "strength"]  # a report notebook's columns


def _for_readers(table: pd.DataFrame, lang: str, columns: list[str]) -> pd.DataFrame:
    """``verdict_table``'s ``columns``, the statement in ``lang``, headers in ``lang``."""
    out = table.assign(statement=table["statement_zh" if lang == "zh" else "statement_en"])
    out = out[columns]
    return out.rename(columns=AUDIT_HEADERS_ZH) if lang == "zh" else out


class ArticleAudit:
    """One article's claims as a report notebook asks for them, evaluated once: the rows to
    show (``rows``), and per claim what the figures give on its natural reading (``computed``),
    its verdict, whether it holds, its strength and room.

    ``audit = ArticleAudit("little-giants", lang)``; ``audit.rows(["lg-mean-revenue"])``;
    ``audit.computed("lg-mean-revenue")`` is an ``Interval``.
    """

    def __init__(self, article: str, lang: str = "en", claims: pd.DataFrame | None = None):
        claims = claims if claims is not None else _default_claims()
        self.claims = claims[claims["article"] == article]
        if self.claims.empty:
            raise DataError(
                f"no claim for article '{article}' in data/claims.csv; "
                f"expected an article id that has claims"
            )
        self.lang = lang
        self.evaluated = evaluate_claims(self.claims)
        self.table = verdict_table(self.claims, self.evaluated).set_index("claim")
        self._heads = {c: _head(r) for c, r in self.evaluated.groupby("claim", sort=False)}

    def _check(self, claim: str) -> None:
        if claim not in self._heads:
            raise DataError(
                f"no claim '{claim}' in the article's claims; expected one of "
                + ", ".join(self._heads)
            )

    def rows(self, claims: list[str], *more: str) -> pd.DataFrame:
        """The claims' rows, indexed by claim id: statement (in ``lang``), computed and stated
        in words, verdict, strength, then ``more`` of ``verdict_table``'s columns (such as
        ``other_readings``); headers in ``lang``."""
        for c in claims:
            self._check(c)
        unknown = [m for m in more if m not in self.table.columns]
        if unknown:
            raise DataError(
                f"no column {', '.join(map(repr, unknown))} in the verdict table; expected one "
                f"of {', '.join(self.table.columns)}"
            )
        return _for_readers(self.table.loc[claims], self.lang, _SHOWN + list(more))

    def computed(self, claim: str) -> Interval:
        """What the figures give for ``claim`` on its natural reading."""
        self._check(claim)
        head = self._heads[claim]
        if head["computed_empty"]:
            return Interval.empty()
        return Interval(head["computed_low"], head["computed_high"])

    def verdict(self, claim: str) -> str:
        self._check(claim)
        return self.table.loc[claim, "verdict"]

    def holds(self, claim: str) -> bool:
        return self.verdict(claim) == "consistent"

    def strength(self, claim: str) -> str:
        self._check(claim)
        return self.table.loc[claim, "strength"]

    def room(self, claim: str) -> str:
        """The share of the computed interval the stated one allows, ``"41%"``; empty when the
        computed interval is unbounded."""
        self._check(claim)
        return self.table.loc[claim, "room"]

    def entries(self, claims: list[str]) -> dict[str, dict]:
        """The claims' entries for a results JSON (:func:`lib.claims.audit_entry`), from the
        rows already evaluated."""
        for c in claims:
            self._check(c)
        return {c: entry_of(self._heads[c]) for c in claims}


def _head(rows: pd.DataFrame) -> pd.Series:
    """A claim's headline row: its natural reading's, else its first."""
    return rows[rows["natural"]].iloc[0] if rows["natural"].any() else rows.iloc[0]


def article_audit(
    articles: str | list[str], lang: str = "en", claims: pd.DataFrame | None = None
) -> pd.DataFrame:
    """The audit's rows for one article (or several), for a report notebook to show: claim id,
    kind, the statement in ``lang`` ("zh": the Chinese quote; "en": our English), computed and
    stated (natural reading), verdict and strength; headers in ``lang``."""
    claims = claims if claims is not None else _default_claims()
    wanted = [articles] if isinstance(articles, str) else list(articles)
    own = claims[claims["article"].isin(wanted)]
    if own.empty:
        raise DataError(
            f"no claim for article '{', '.join(wanted)}' in data/claims.csv; "
            f"expected an article id that has claims"
        )
    table = verdict_table(own, evaluate_claims(own))
    return _for_readers(table, lang, ["claim", "kind"] + _SHOWN)


def count_verdicts(evaluated: pd.DataFrame) -> pd.Series:
    """Claims per overall verdict, in the order of VERDICTS."""
    per_claim = evaluated.drop_duplicates("claim")["claim_verdict"]
    return per_claim.value_counts().reindex(list(VERDICTS), fill_value=0)


def describe_readings(evaluated: pd.DataFrame) -> pd.DataFrame:
    """:func:`evaluate_claims`'s rows with the intervals in words: ``computed`` and ``stated``
    (in the claim's unit) and ``reading_short`` (the readings without their rule names)."""
    return evaluated.assign(
        computed=[
            describe(Interval.empty() if e else Interval(lo, hi), u)
            for lo, hi, u, e in zip(
                evaluated["computed_low"],
                evaluated["computed_high"],
                evaluated["unit"],
                evaluated["computed_empty"],
            )
        ],
        stated=[
            describe(Interval(lo, hi), u)
            for lo, hi, u in zip(
                evaluated["stated_low"], evaluated["stated_high"], evaluated["unit"]
            )
        ],
        reading_short=evaluated["reading"].str.replace(r"[a-z_]+=", "", regex=True),
    )


def verdict_table(claims: pd.DataFrame, evaluated: pd.DataFrame) -> pd.DataFrame:
    """One row per claim, for readers: what the page states, what its figures give, the verdict.

    Columns: ``article``, ``claim``, ``kind``, ``statement_zh``, ``statement_en``, ``computed``
    and ``stated`` (intervals in words, in the claim's unit, under the natural reading),
    ``verdict`` (the headline verdict), ``strength`` (how much a consistent verdict proves:
    firm, partial or weak), ``room`` (the share of the computed interval within the stated
    one, in percent, empty when unbounded), ``natural`` (the natural reading in words, with
    why), ``other_readings`` (each other reading in words with its verdict) and ``note``.
    """
    ev = describe_readings(evaluated)
    rows_of = dict(list(ev.groupby("claim", sort=False)))  # each claim's rows, in order
    out = []
    for _, c in claims.iterrows():
        r = rows_of.get(c["id"], ev.iloc[0:0])
        head = _head(r)
        others = r[~r["natural"]] if r["natural"].any() else r.iloc[0:0]
        out.append(
            {
                "article": c["article"],
                "claim": c["id"],
                "kind": c["kind"],
                "statement_zh": c["statement_zh"],
                "statement_en": c["statement_en"],
                "computed": head["computed"]
                if len(r) == 1 or r["natural"].any()
                else "; ".join(f"{a}: {b}" for a, b in zip(r["reading_short"], r["computed"])),
                "stated": head["stated"],
                "verdict": head["claim_verdict"],
                "strength": head["claim_strength"],
                "room": "" if math.isnan(head["inside"]) else f"{head['inside'] * 100:.0f}%",
                "natural": f"{head['reading_en']} ({c['natural_why']})"
                if head["reading_en"]
                else "",
                "other_readings": "; ".join(
                    f"{w}: {x}" for w, x in zip(others["reading_en"], others["verdict"])
                ),
                "note": head["claim_note"],
            }
        )
    return pd.DataFrame(
        out,
        columns=[
            "article",
            "claim",
            "kind",
            "statement_zh",
            "statement_en",
            "computed",
            "stated",
            "verdict",
            "strength",
            "room",
            "natural",
            "other_readings",
            "note",
        ],
    )
