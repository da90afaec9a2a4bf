"""The parameter checks and the results JSON every notebook uses, without a kernel: one
rejection per notebook from its own first cells, in this process, and one through a kernel."""

import json
import math

import pandas as pd
import papermill
import pytest

from lib.errors import DataError
from lib.notebook import check_choice, check_number, write_results
from lib.paths import ROOT


@pytest.mark.parametrize("value", [math.nan, math.inf, -math.inf, float("nan")])
def test_check_number_rejects_nan_and_infinities_naming_the_parameter(value):
    with pytest.raises(
        DataError,
        match=r"parameter 'usd_cny': .* is not a finite number; "
        r"expected a number from 5 to 9",
    ):
        check_number("usd_cny", value, low=5, high=9)


def test_check_number_rejects_nan_without_bounds_too():
    with pytest.raises(DataError, match=r"parameter 'x': nan is not a finite number"):
        check_number("x", math.nan)


@pytest.mark.parametrize(
    "value, message",
    [
        ("7", r"parameter 'months_per_year': '7' is not a number; expected a number"),
        (True, r"parameter 'months_per_year': True is not a number"),
        (13, r"parameter 'months_per_year': 13 is out of range; expected a number from 1 to 12"),
        (0.5, r"parameter 'months_per_year': 0.5 is out of range"),
    ],
)
def test_check_number_rejects_non_numbers_and_values_out_of_range(value, message):
    with pytest.raises(DataError, match=message):
        check_number("months_per_year", value, low=1, high=12)


@pytest.mark.parametrize("value", [1, 12, 6.5])
def test_check_number_accepts_the_bounds_and_values_between(value):
    check_number("months_per_year", value, low=1, high=12)


def test_check_choice_names_parameter_value_and_allowed_values():
    check_choice("lang", "zh", ("zh", "en"))
    with pytest.raises(
        DataError,
        match=r"parameter 'lang': 'fr' is not allowed; expected one "
        r"of: 'zh', 'en'",
    ):
        check_choice("lang", "fr", ("zh", "en"))


def test_write_results_writes_strict_json_sorted_and_readable(tmp_path):
    path = write_results(tmp_path / "out", "demo", {"b": [1.5, None], "a": "业界"})
    text = path.read_text(encoding="utf-8")
    assert json.loads(text) == {"a": "业界", "b": [1.5, None]}
    assert text.index('"a"') < text.index('"b"') and "业界" in text


@pytest.mark.parametrize(
    "results, where",
    [
        ({"rate": math.nan}, r"results\['rate'\] is nan"),
        ({"pool": {"usd": [1.0, math.inf]}}, r"results\['pool'\]\['usd'\]\[1\] is inf"),
    ],
)
def test_write_results_refuses_nan_naming_the_key_and_writes_nothing(tmp_path, results, where):
    with pytest.raises(
        DataError,
        match=r"results 'demo': " + where + r", which JSON cannot "
        r"hold; expected a finite number",
    ):
        write_results(tmp_path, "demo", results)
    assert list(tmp_path.iterdir()) == []


def test_write_results_without_output_dir_writes_nothing(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert write_results("", "demo", {"a": 1}) is None
    assert list(tmp_path.iterdir()) == []


# One rejection per notebook: the first cell's checks run before any other work, and the error
# a user sees names the parameter, the value and what is allowed.
REJECTIONS = [
    (
        "00-overview.ipynb",
        {"lang": "fr"},
        "parameter 'lang': 'fr' is not allowed; expected one of: 'zh', 'en'",
    ),
    (
        "01-shenzhen-migration.ipynb",
        {"migration": "both"},
        "parameter 'migration': 'both' is not allowed; expected one of: 'whole', 'partial'",
    ),
    (
        "02-chongqing-ic.ipynb",
        {"months_per_year": float("nan")},  # as `-p months_per_year nan`
        "parameter 'months_per_year': nan is not a finite number; expected a number from 1 to 12",
    ),
    (
        "03-little-giants.ipynb",
        {"sector": "textiles"},
        "parameter 'sector': 'textiles' is not allowed; expected one of: 'all', 'materials', "
        "'medicine', 'chips', 'auto'",
    ),
    (
        "04-ningxia-computing.ipynb",
        {"investment": "loans"},
        "parameter 'investment': 'loans' is not allowed; expected one of: 'agreements', 'projects'",
    ),
    (
        "05-math-competition.ipynb",
        {"usd_cny": 12},
        "parameter 'usd_cny': 12 is out of range; expected a number from 5 to 9",
    ),
    (
        "06-briefs.ipynb",
        {"span_reading": "poles"},
        "parameter 'span_reading': 'poles' is not allowed; expected one of: 'towers', 'gaps'",
    ),
    (
        "07-claims-audit.ipynb",
        {"article": "nope"},
        "parameter 'article': 'nope' is not allowed; expected one of: 'all', 'shenzhen-migration', "
        "'chongqing-ic', 'highway-alliance', 'digital-sports', 'math-competition', "
        "'ningxia-computing', 'little-giants', 'caption-transmission-line', 'caption-diankou'",
    ),
    ("08-audit-page.ipynb", {"page": "no-such-page.txt"}, "no-such-page.txt: file not found"),
]


def test_every_notebook_has_a_rejection_below():
    assert sorted(name for name, _, _ in REJECTIONS) == sorted(
        p.name for p in (ROOT / "notebooks").glob("*.ipynb")
    )


def run_first_cells(name, **parameters):
    """A notebook's parameters cell, then ``parameters`` as papermill injects them, then the
    cell after them (the imports and the parameter checks), in this process: what a bad
    parameter meets before any analysis runs. No kernel: the rule under test is the cell's."""
    nb = json.loads((ROOT / "notebooks" / name).read_text(encoding="utf-8"))
    code = [c for c in nb["cells"] if c["cell_type"] == "code"]
    assert "parameters" in code[0]["metadata"].get("tags", [])  # papermill injects after it
    namespace: dict = {}
    exec(compile("".join(code[0]["source"]), f"{name}, parameters cell", "exec"), namespace)
    namespace.update(parameters)
    # the display options a first cell sets are put back for the tests that follow
    with pd.option_context("display.float_format", None, "display.max_colwidth", 50):
        exec(compile("".join(code[1]["source"]), f"{name}, first cell", "exec"), namespace)
    return namespace


@pytest.mark.parametrize(
    "name, parameters, message", REJECTIONS, ids=[name.split("-")[0] for name, _, _ in REJECTIONS]
)
def test_a_bad_parameter_stops_the_notebook_with_an_error_naming_it(
    name, parameters, message, monkeypatch
):
    monkeypatch.chdir(ROOT / "notebooks")  # where a notebook runs
    with pytest.raises(DataError) as err:
        run_first_cells(name, **parameters)
    assert message in str(err.value)


@pytest.mark.parametrize("name", [name for name, _, _ in REJECTIONS])
def test_the_default_parameters_pass_every_notebooks_checks(name, monkeypatch):
    monkeypatch.chdir(ROOT / "notebooks")
    assert "lang" in run_first_cells(name)


def test_a_bad_parameter_reaches_a_user_of_papermill_as_the_notebooks_error(run_notebook):
    """Through a kernel, as a user runs it: papermill's error carries the notebook's."""
    name, parameters, message = REJECTIONS[5]
    with pytest.raises(papermill.PapermillExecutionError) as err:
        run_notebook(name, **parameters)
    assert err.value.ename == "DataError"
    assert message in err.value.evalue


def test_tr_resolves_a_pair_a_dict_and_a_list_by_lang():
    from lib.notebook import tr

    assert tr("zh", ("去向", "destination")) == "去向"
    assert tr("en", ("去向", "destination")) == "destination"
    assert tr("en", {"prd": ("珠三角地区", "Pearl River Delta"), "x": "same"}) == {
        "prd": "Pearl River Delta",
        "x": "same",
    }
    assert tr("zh", [("一", "one"), ("二", "two")]) == ["一", "二"]
    with pytest.raises(TypeError, match="not a .zh, en. pair"):
        tr("zh", 3)


def test_lookup_labels_come_from_data():
    from lib.notebook import Lookup, lang_column

    en, zh = Lookup("en"), Lookup("zh")
    assert en.subject("sz-outmigrants-2021") == "manufacturing firms that moved out of Shenzhen"
    assert zh.subject("sz-outmigrants-2021") == "深圳市迁出制造业企业数"
    assert zh.title("shenzhen-migration") == "《深圳市制造业迁移全景报告》发布"
    assert en.printed("lg-band-10-30-share") == "31.9"
    assert en.value("sz-outmigrants-2021") == 4344
    iv = en.interval("lg-band-5-10-share")
    assert (iv.low, iv.high) == (33.15, 33.25)
    assert lang_column("title", "en") == "title_en"
    with pytest.raises(DataError, match="no row with id 'nope' in data/articles.csv"):
        en.title("nope")


def test_interval_rows_from_ids_pairs_and_triples():
    import pandas as pd

    from lib.intervals import Interval
    from lib.notebook import Lookup, interval_rows

    look = Lookup("en")
    rows = interval_rows(
        look,
        [
            "lg-band-5-10-share",
            (("五至十亿", "5 to 10"), "lg-band-5-10-share"),
            (("差", "gap"), Interval(1, 2), 1.5),
        ],
        figure=lambda i: i,
    )
    assert list(rows.columns) == ["label", "low", "high", "value", "figure"]
    assert rows["label"].tolist() == ["share of firms with revenue of 5-10亿元", "5 to 10", "gap"]
    assert rows["low"].tolist() == [33.15, 33.15, 1]
    assert rows["value"].tolist() == [33.2, 33.2, 1.5]
    assert rows["figure"].tolist()[:2] == ["lg-band-5-10-share", "lg-band-5-10-share"]
    assert pd.isna(rows["figure"].iloc[2])  # a triple names no figure


def test_headed_keeps_and_renames_columns_in_order():
    import pandas as pd

    from lib.notebook import headed

    df = pd.DataFrame({"a": [1], "b": [2], "c": [3]})
    out = headed("zh", df, {"c": ("丙", "C"), "a": ("甲", "A")})
    assert list(out.columns) == ["丙", "甲"] and out.iloc[0].tolist() == [3, 1]


def test_frame_names_headers_in_lang_and_keeps_values():
    from lib.notebook import frame

    df = frame("en", {("指标", "measure"): ["a", "b"], "raw": [1.5, 2]})
    assert list(df.columns) == ["measure", "raw"] and df["raw"].tolist() == [1.5, 2]
    assert list(frame("zh", {("指标", "measure"): [1]}).columns) == ["指标"]


def test_a_charts_source_line_is_the_page_and_the_items_headline_from_the_data():
    from lib.figures import load_articles
    from lib.notebook import Lookup

    titles = load_articles().set_index("id")
    zh, en = Lookup("zh"), Lookup("en")
    assert (
        zh.source("ningxia-computing")
        == "《业界传真》版：" + titles.loc["ningxia-computing", "title_zh"]
    )
    assert "宁厦" in zh.source("ningxia-computing")  # the headline as printed, misprint and all
    assert en.source("little-giants") == "业界传真 page: " + titles.loc["little-giants", "title_en"]


def test_a_lookups_between_writes_intervals_in_its_language():
    from lib.intervals import Interval
    from lib.notebook import Lookup

    x = Interval(48_000.4, 52_000)
    assert Lookup("zh").between(x, 0) == "48,000至52,000"
    assert Lookup("en").between(x, 0) == "48,000 to 52,000"
