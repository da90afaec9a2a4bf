import warnings

import matplotlib
import pytest

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402

from lib import charts  # noqa: E402


def test_every_character_of_the_page_renders_without_missing_glyphs(page, tmp_path):
    chars = sorted(set(page.raw) - set(" \n\t"))
    lines = ["".join(chars[i : i + 60]) for i in range(0, len(chars), 60)]
    fig, ax = charts.new_chart(title="字形测试", source="业界传真")
    for k, line in enumerate(lines):
        ax.text(0, k, line, fontsize=6)
    ax.set_ylim(-1, len(lines))
    with warnings.catch_warnings():
        warnings.filterwarnings("error", message="Glyph .* missing")
        fig.savefig(tmp_path / "glyphs.png")
        fig.savefig(tmp_path / "glyphs.svg")
    plt.close(fig)
    assert len(chars) > 700  # every distinct character of the page was drawn


def _draw(out, name):
    fig, ax = charts.new_chart(
        title="外迁企业数（家）", xlabel="年份", ylabel="家", source="《深圳市制造业迁移全景报告》"
    )
    ax.bar(["2017", "2021"], [463, 4344])
    data = pd.DataFrame({"year": [2017, 2021], "firms": [463, 4344]})
    paths = charts.save_chart(fig, out, name, data)
    plt.close(fig)
    return paths


def test_save_chart_writes_png_svg_and_csv_and_svg_is_byte_identical(tmp_path):
    first = _draw(tmp_path / "a", "fig")
    second = _draw(tmp_path / "b", "fig")
    assert [p.name for p in first] == ["fig.png", "fig.svg", "fig.csv"]
    assert first[1].read_bytes() == second[1].read_bytes()
    assert b"<dc:date>" not in first[1].read_bytes()
    assert first[2].read_text(encoding="utf-8") == "year,firms\n2017,463\n2021,4344\n"


def test_the_check_and_both_files_are_drawn_from_one_layout(tmp_path, monkeypatch):
    """One layout pass, then one draw a file: the PNG and the SVG show the axes exactly where
    the text check measured them (savefig would otherwise lay the figure out again, twice)."""
    from matplotlib.figure import Figure

    drawn = []
    real_draw = Figure.draw

    def draw(self, renderer):
        real_draw(self, renderer)
        drawn.append(tuple(self.axes[0].get_position().bounds))  # where this draw put them

    monkeypatch.setattr(Figure, "draw", draw)
    fig, ax = _chart("Firms moving out")
    ax.bar(["2017", "2021"], [463, 4344])
    charts.save_chart(fig, tmp_path, "fig", DATA)
    assert len(drawn) == 3 and len(set(drawn)) == 1
    assert fig.get_layout_engine() is None
    plt.close(fig)


def test_save_chart_with_empty_output_dir_writes_nothing(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert _draw("", "fig") == []
    assert list(tmp_path.iterdir()) == []


def test_font_comes_from_the_pinned_package():
    assert charts.font_path().name == "NotoSansSC-Regular.otf"
    assert charts.font_path().is_file()


def _chart(title, lang="en"):
    return charts.new_chart(
        title=title, xlabel="year", ylabel="firms", source="a fixture", lang=lang
    )


DATA = pd.DataFrame({"x": [1, 2]})


@pytest.mark.parametrize(
    "title, lang",
    [
        (
            "Destinations of Shenzhen manufacturers' whole-firm moves (share, %; "
            "period not stated) and the denominators the report leaves unstated",
            "en",
        ),
        (
            "深圳市制造业整体迁移企业的迁入地分布（占比，%；报告未说明统计时段，也未说明分母是哪一类企业）",
            "zh",
        ),
    ],
)
def test_a_title_too_long_for_the_figure_is_wrapped_to_fit(tmp_path, title, lang):
    fig, ax = _chart(title, lang)
    ax.plot([0, 1], [0, 1])
    charts.save_chart(fig, tmp_path, "long", DATA)
    shown = ax.get_title(loc="left")
    assert "\n" in shown and shown.replace("\n", "").replace(" ", "") == title.replace(" ", "")
    assert charts.text_outside(fig) == []
    plt.close(fig)


def test_text_outside_the_figure_is_an_error_naming_the_chart_and_the_text(tmp_path):
    fig, ax = _chart("A short title")
    ax.plot([0, 1], [0, 1])
    fig.text(0.97, 0.5, "label past the edge")  # figure text: no layout makes room for it
    # wrapping cannot bring it in: it starts three per cent from the edge
    with pytest.raises(
        ValueError,
        match=r"chart 'fig9': text outside the figure: 'label\\npast"
        r".*': x from \d+ to \d+.*expected every label inside",
    ):
        charts.save_chart(fig, tmp_path, "fig9", DATA)
    assert list(tmp_path.iterdir()) == []  # nothing written
    plt.close(fig)


def test_tick_labels_beyond_the_axis_limits_are_not_counted_as_outside():
    fig, ax = _chart("Counts on a log scale")
    ax.bar(["2017", "2021"], [463, 4344])
    ax.set_yscale("log")
    fig.draw_without_rendering()
    assert charts.text_outside(fig) == []
    plt.close(fig)


def test_new_chart_takes_zh_en_pairs():
    fig, ax = charts.new_chart(
        title=("标题", "Title"), xlabel=("年份", "year"), source=("业界传真", "the page"), lang="en"
    )
    assert ax.get_title(loc="left") == "Title" and ax.get_xlabel() == "year"
    assert fig.texts[0].get_text() == "Source: the page"
    plt.close(fig)


def test_scale_ends_maps_finite_ends_to_minus_one_one_and_open_ends_out():
    import math

    row = {
        "computed_low": 10.0,
        "computed_high": 20.0,
        "stated_low": 15.0,
        "stated_high": math.nan,
        "computed_empty": False,
    }
    x = charts.scale_ends(row)
    assert x["x_computed_low"] == -1 and x["x_computed_high"] == 1
    assert x["x_stated_low"] == 0 and x["x_stated_high"] == charts.OPEN
    empty = charts.scale_ends({**row, "computed_empty": True, "stated_high": 15.0})
    assert math.isnan(empty["x_computed_low"]) and empty["x_stated_low"] == 0.0


def test_rows_bars_draws_one_tick_label_per_row():
    fig, ax = charts.new_chart(title="t", source="s")
    rows = pd.DataFrame({"label": ["a", "b"], "low": [1, 2], "high": [3, 2], "value": [2, 2]})
    charts.rows_bars(ax, rows)
    assert [t.get_text() for t in ax.get_yticklabels()] == ["a", "b"]
    plt.close(fig)
