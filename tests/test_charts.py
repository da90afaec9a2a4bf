import warnings

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402

from lib import charts  # noqa: E402


def test_every_character_of_the_page_renders_without_missing_glyphs(page, tmp_path):
    chars = sorted(set(page.raw) - set(" \n\t"))
    lines = ["".join(chars[i:i + 60]) for i in range(0, len(chars), 60)]
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
    fig, ax = charts.new_chart(title="外迁企业数（家）", xlabel="年份", ylabel="家",
                               source="《深圳市制造业迁移全景报告》")
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


def test_save_chart_with_empty_output_dir_writes_nothing(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert _draw("", "fig") == []
    assert list(tmp_path.iterdir()) == []


def test_font_comes_from_the_pinned_package():
    assert charts.font_path().name == "NotoSansSC-Regular.otf"
    assert charts.font_path().is_file()
