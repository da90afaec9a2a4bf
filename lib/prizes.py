"""Prize tiers a prize pool allows (notebook 05, the maths competition).

The page gives the prize per winner in each tier, the number of winners, how many won gold and
the pool in yuan, but not how many won each other tier: :func:`prize_tier_counts` lists every
split of the winners that fits the pool, :func:`tier_ranges` the fewest and most per tier.
"""

from __future__ import annotations

from itertools import product

import pandas as pd

from .intervals import Interval

TOLERANCE_USD = 1e-6  # float noise allowed at the ends of the pool


def prize_tier_counts(
    pool_yuan: Interval, usd_cny: float, winners: int, gold: int, prizes_usd: dict[str, float]
) -> pd.DataFrame:
    """Every split of the winners into prize tiers whose total prize money fits the pool.

    ``prizes_usd`` maps the tiers, highest first, to the prize per person in US dollars; the
    first tier is the gold one and has exactly ``gold`` winners; the other ``winners - gold``
    are shared among the remaining tiers (each may be empty). The pool is in yuan and is
    converted at ``usd_cny`` yuan per dollar; the ends of the pool count as inside.

    Columns: one per tier (count of winners), ``total_usd``, ``total_yuan``. Sorted by the
    tier counts, highest tier first.
    """
    tiers = list(prizes_usd)
    if gold > winners:
        raise ValueError(f"gold {gold} exceeds winners {winners}")
    pool_usd = pool_yuan / usd_cny
    rest = winners - gold
    gold_usd = gold * prizes_usd[tiers[0]]
    others = tiers[1:]
    rows = []
    for counts in product(range(rest + 1), repeat=len(others) - 1):
        last = rest - sum(counts)
        if last < 0:
            continue
        split = dict(zip(others, [*counts, last]))
        total = gold_usd + sum(n * prizes_usd[t] for t, n in split.items())
        if pool_usd.low - TOLERANCE_USD <= total <= pool_usd.high + TOLERANCE_USD:
            rows.append(
                {tiers[0]: gold, **split, "total_usd": total, "total_yuan": total * usd_cny}
            )
    df = pd.DataFrame(rows, columns=[*tiers, "total_usd", "total_yuan"])
    for t in tiers:
        df[t] = df[t].astype("int64")
    return df.sort_values(tiers, ascending=False, ignore_index=True)


def tier_ranges(splits: pd.DataFrame, tiers: list[str]) -> pd.DataFrame:
    """The fewest and most winners each tier can have across the feasible splits.

    Columns: ``tier``, ``min``, ``max``.
    """
    return pd.DataFrame(
        {
            "tier": tiers,
            "min": [int(splits[t].min()) for t in tiers],
            "max": [int(splits[t].max()) for t in tiers],
        }
    )
