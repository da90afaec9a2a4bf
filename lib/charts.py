"""House style for every chart: the Chinese font, titles and sources, deterministic files.

Use the fig/ax API::

    fig, ax = new_chart(title="…", xlabel="…", ylabel="…", source="…", lang="zh")
    ax.barh(...)
    save_chart(fig, output_dir, "fig1-items", data)   # PNG + SVG + the CSV behind the chart

In a kernel, the notebook shows the PNG ``save_chart`` writes; without an ``output_dir``, a PNG
of the same layout at the inline backend's resolution. Either is shown at the width the inline
backend would use.

The font is Noto Sans SC from the pinned ``pylopdf-fonts-zh-cn`` package, registered at run
time from site-packages (nothing is downloaded or copied). DejaVu Sans stays as a fallback for
characters no Chinese font has (U+2043 ``⁃``).
"""

from __future__ import annotations

import io
import math
from pathlib import Path

import matplotlib
import matplotlib.pyplot as plt
import pandas as pd
from matplotlib import font_manager

FONT_FAMILY = ["Noto Sans SC", "DejaVu Sans"]
SVG_SALT = "yejie-chuanzhen"  # fixed, so SVG element ids are the same on every run
PALETTE = ["#1f5f8b", "#d1495b", "#edae49", "#00798c", "#66a182", "#8d96a3"]
_FONT_READY = False


def font_path() -> Path:
    """Path of the Simplified Chinese font file shipped by the pinned font package."""
    import pylopdf_fonts_zh_cn

    return Path(pylopdf_fonts_zh_cn.sans_path())


def setup_style() -> None:
    """Register the Chinese font and set the house rcParams (idempotent, ~10 ms)."""
    global _FONT_READY
    if not _FONT_READY:
        font_manager.fontManager.addfont(str(font_path()))
        _FONT_READY = True
    plt.rcParams.update(
        {
            "font.family": FONT_FAMILY,
            "axes.unicode_minus": False,
            "svg.hashsalt": SVG_SALT,
            "svg.fonttype": "path",
            "figure.dpi": 100,
            "savefig.dpi": 150,
            "axes.spines.top": False,
            "axes.spines.right": False,
            "axes.titlesize": 12,
            "axes.titlelocation": "left",
            "axes.prop_cycle": matplotlib.cycler(color=PALETTE),
        }
    )


SOURCE_PREFIX = {"zh": "来源：", "en": "Source: "}


def new_chart(
    *,
    title,
    xlabel="",
    ylabel="",
    source,
    lang: str = "zh",
    figsize: tuple[float, float] = (8, 4.5),
):
    """A figure and axes in house style: a title (quantity, scope, period), axis labels with
    units, and a source line naming the article under the plot. Each text may be a (zh, en)
    pair: the one in ``lang`` is used."""
    from .notebook import tr

    title, xlabel, ylabel, source = (tr(lang, t) for t in (title, xlabel, ylabel, source))
    setup_style()
    fig, ax = plt.subplots(figsize=figsize, layout="constrained")
    ax.set_title(title)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    fig.text(
        0.01,
        0.005,
        SOURCE_PREFIX.get(lang, "") + source,
        fontsize=8,
        color="#555555",
        ha="left",
        va="bottom",
    )
    fig.get_layout_engine().set(h_pad=0.25)
    return fig, ax


def interval_bars(ax, labels, low, high, value=None, *, color=None, label_fmt="{:,.1f}"):
    """Horizontal bars from low to high (a point where low == high), with the printed value
    marked: how a figure's wording shows as an interval."""
    labels = list(labels)
    ys = range(len(labels))
    color = color or PALETTE[0]
    for y, lo, hi in zip(ys, low, high):
        if hi - lo > 0:
            ax.barh(y, hi - lo, left=lo, height=0.5, color=color, alpha=0.35)
        ax.plot([lo, hi], [y, y], color=color, lw=1.5)
    if value is not None:
        ax.plot(list(value), list(ys), "|", color=color, ms=14, mew=2)
        for y, v in zip(ys, value):
            ax.annotate(
                label_fmt.format(v),
                (v, y),
                xytext=(0, 8),
                textcoords="offset points",
                ha="center",
                fontsize=8,
            )
    ax.set_yticks(list(ys), labels)
    ax.invert_yaxis()
    return ax


def rows_bars(ax, rows: pd.DataFrame, **kwargs):
    """:func:`interval_bars` of a table with columns label, low, high and value (as
    :func:`lib.notebook.interval_rows` builds)."""
    return interval_bars(ax, rows["label"], rows["low"], rows["high"], rows["value"], **kwargs)


# --- stated against computed intervals, each claim on its own scale (the claims audit) ---------

OPEN = 1.3  # where an open end is drawn, on the scale where the finite ends run from -1 to 1
ENDS = {"computed_low": -1, "computed_high": 1, "stated_low": -1, "stated_high": 1}


def scale_ends(row) -> pd.Series:
    """The four ends of a claim's row (computed_low/high, stated_low/high) mapped to [-1, 1]
    between its lowest and highest finite end, as x_computed_low etc.; an open end (NaN) goes to
    -OPEN or OPEN, the computed ends stay NaN when ``computed_empty``. Display only."""
    live = [k for k in ENDS if not (row["computed_empty"] and k.startswith("computed"))]
    finite = [row[k] for k in live if not math.isnan(row[k])]
    lo, hi = min(finite), max(finite)
    out = {f"x_{k}": math.nan for k in ENDS}
    for k in live:
        x = row[k]
        out[f"x_{k}"] = (
            ENDS[k] * OPEN
            if math.isnan(x)
            else 0.0
            if hi == lo
            else round(-1 + 2 * (x - lo) / (hi - lo), 4)
        )
    return pd.Series(out)


def span(ax, y, lo, hi, color, height, alpha, ms):
    """One interval on the scaled axis of :func:`scale_ends`: a bar, a tick for a point, arrows
    at open ends (display only)."""
    if hi > lo:
        ax.barh(y, hi - lo, left=lo, height=height, color=color, alpha=alpha, lw=0)
    else:
        ax.plot([lo], [y], "|", color=color, ms=ms, mew=2.5)
    for x, marker in ((lo, "<"), (hi, ">")):
        if abs(x) == OPEN:
            ax.plot([x], [y], marker, color=color, ms=ms / 2)


def text_outside(fig, *, layout: bool = True) -> list[str]:
    """Every piece of text of ``fig`` that does not lie wholly inside the figure, each as
    ``'text': x from a to b, y from c to d (figure 0..W x 0..H px)``; [] when all fit.

    The figure is laid out first (constrained layout included), without rendering pixels;
    ``layout=False`` skips that when it has just been done."""
    if layout:
        fig.draw_without_rendering()
    renderer = fig.canvas.get_renderer()
    width, height = fig.bbox.width, fig.bbox.height
    found = []
    for text in _drawn_texts(fig):
        box = text.get_window_extent(renderer)
        if box.x0 < -0.5 or box.y0 < -0.5 or box.x1 > width + 0.5 or box.y1 > height + 0.5:
            found.append(
                f"{text.get_text()!r}: x from {box.x0:.0f} to {box.x1:.0f}, y from "
                f"{box.y0:.0f} to {box.y1:.0f} (figure 0..{width:.0f} x "
                f"0..{height:.0f} px)"
            )
    return found


def _drawn_texts(fig) -> list:
    """The figure's Text artists that a draw shows: visible, not empty, and of the axes' tick
    labels only those of ticks inside the view limits (matplotlib keeps the others, unplaced)."""
    from matplotlib.text import Text

    ticks, drawn = set(), set()
    for ax in fig.axes:
        for axis in ax._axis_map.values():
            for tick in axis.get_major_ticks() + axis.get_minor_ticks():
                ticks.update((id(tick.label1), id(tick.label2)))
            for tick in axis._update_ticks():  # what Axis.draw draws
                drawn.update((id(tick.label1), id(tick.label2)))
    return [
        t
        for t in fig.findobj(Text)
        if t.get_visible() and t.get_text().strip() and (id(t) not in ticks or id(t) in drawn)
    ]


def _wrap(text: str, chars: int) -> str:
    """``text`` broken into lines of at most ``chars`` characters, at spaces where it has them
    (English), anywhere otherwise (Chinese)."""
    import textwrap

    lines = []
    for line in text.split("\n"):
        if " " in line:
            lines += textwrap.wrap(line, max(chars, 8), break_long_words=False) or [""]
        else:
            lines += [line[k : k + max(chars, 4)] for k in range(0, len(line), max(chars, 4))] or [
                ""
            ]
    return "\n".join(lines)


def fit_text(fig) -> bool:
    """Wrap each title and figure text (the source line) that runs past the figure's right
    edge onto more lines, so that it fits; constrained layout then makes room for them.
    Leaves the figure laid out; returns whether a text was wrapped."""
    fig.draw_without_rendering()
    renderer = fig.canvas.get_renderer()
    width = fig.bbox.width
    texts = list(fig.texts)
    for ax in fig.axes:
        texts += [ax.title, ax._left_title, ax._right_title]
    changed = False
    for text in texts:
        content = text.get_text()
        for _ in range(6):  # each pass wraps shorter; a few passes fit any title
            box = text.get_window_extent(renderer)
            if not content.strip() or (box.x1 <= width - 2 and box.x0 >= 0):
                break
            longest = max(len(line) for line in content.split("\n"))
            room = (width - 4 - max(box.x0, 0)) / max(box.width, 1)  # < 1: the share that fits
            lines = math.ceil(1 / max(room, 0.05))  # as many lines as needed, of even length
            content = _wrap(content, min(math.ceil(longest / lines) + 2, longest - 1))
            text.set_text(content)
            changed = True
            fig.draw_without_rendering()
    if changed:
        fig.draw_without_rendering()
    return changed


def save_chart(fig, output_dir: str | Path | None, name: str, data: pd.DataFrame) -> list[Path]:
    """Write ``name``.png, ``name``.svg and ``name``.csv (the data behind the chart) into
    ``output_dir``; write nothing when it is empty. Returns the paths written. In a kernel, the
    notebook shows that PNG (without an ``output_dir``, one at the figure's own dpi).

    Every chart passes here, with or without an ``output_dir``: a title too long for the
    figure is wrapped, and any other text that falls outside the figure is a ValueError naming
    the chart and the text, so no chart is published with a label cut off. The layout is then
    fixed (:func:`freeze_layout`): the check and every file are of one and the same layout."""
    fit_text(fig)
    freeze_layout(fig)
    outside = text_outside(fig, layout=False)
    if outside:
        raise ValueError(
            f"chart '{name}': text outside the figure: "
            + "; ".join(outside)
            + "; expected every label inside (shorten it, or widen the figure)"
        )
    paths: list[Path] = []
    png = None
    if output_dir:
        out = Path(output_dir)
        out.mkdir(parents=True, exist_ok=True)
        paths = [out / f"{name}.png", out / f"{name}.svg", out / f"{name}.csv"]
        png = _png(fig)
        paths[0].write_bytes(png)
        fig.savefig(paths[1], metadata={"Date": None, "Creator": None})
        data.to_csv(paths[2], index=False, encoding="utf-8", lineterminator="\n")
    if _inline_backend():
        _show_png(fig, png or _png(fig, dpi=fig.dpi))  # no file: the inline backend's dpi
    return paths


def freeze_layout(fig) -> None:
    """Keep the figure's axes where its layout engine last put them, and drop the engine.

    With constrained layout, every ``savefig`` lays the figure out again before it draws (a
    second, text-measuring pass over every label): the PNG and the SVG each cost two draws.
    Once :func:`fit_text` has laid the figure out, nothing moves any more, so one layout serves
    the check and both files, and each file is one draw."""
    with matplotlib.rc_context(
        {"figure.autolayout": False, "figure.constrained_layout.use": False}
    ):
        fig.set_layout_engine(None)


def _png(fig, dpi: float | None = None) -> bytes:
    png = io.BytesIO()
    fig.savefig(png, format="png", dpi=dpi, metadata={"Software": None})
    return png.getvalue()


def _inline_backend() -> bool:
    """True in a Jupyter kernel whose charts are drawn by the inline backend."""
    if "inline" not in matplotlib.get_backend():
        return False
    from IPython import get_ipython

    return get_ipython() is not None


def _show_png(fig, png: bytes) -> None:
    """Show the chart's PNG, at the width the inline backend would show the chart, and close
    the figure: left open, the backend would draw it once more at the end of the cell."""
    from IPython.display import Image, display

    display(Image(data=png, format="png", width=round(fig.get_figwidth() * fig.dpi)))
    plt.close(fig)
