"""lib.prizes: the splits of the winners into prize tiers that fit the prize pool."""

from lib import prizes
from lib.intervals import Interval

PRIZES = {"gold": 40000, "silver": 20000, "bronze": 10000, "honourable": 5000}


def test_prize_tier_counts_keeps_only_splits_within_the_pool():
    splits = prizes.prize_tier_counts(Interval(4_000_000, 5_000_000), 6.7261, 77, 4, PRIZES)
    assert len(splits) == 305
    assert (splits["gold"] == 4).all()
    assert (splits[["gold", "silver", "bronze", "honourable"]].sum(axis=1) == 77).all()
    assert splits["total_yuan"].between(4_000_000, 5_000_000).all()
    ranges = prizes.tier_ranges(splits, list(PRIZES)).set_index("tier")
    assert ranges.loc["silver"].tolist() == [0, 14]
    assert ranges.loc["bronze"].tolist() == [0, 43]
    assert ranges.loc["honourable"].tolist() == [30, 68]


def test_prize_tier_counts_is_empty_when_the_pool_is_out_of_reach():
    assert prizes.prize_tier_counts(Interval(100, 200), 6.7261, 77, 4, PRIZES).empty
