"""Charts for the reports: the three-year 综合能耗 / CO₂ trend and 单位产品综合能耗 against its levels.

Pure drawing functions take plain data (years, values, level labels) and write a PNG (200 dpi, 15 cm
wide, white background); `report_charts` picks the charts that the evaluation has data for and
returns them as `Chart`s, which `render.render_docx` turns into images wherever they sit in the context.

matplotlib is imported only inside the drawing functions (Agg canvas, no pyplot), so importing
gmdocs stays fast. Text is drawn with an installed CJK font (Noto Sans CJK SC first); with none
installed a `GmdocsError` says which package to install, and a glyph missing from the font is an
error rather than a tofu box in a submitted report.
"""
from __future__ import annotations

import os
import sys
import warnings
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from types import SimpleNamespace
from typing import Callable, Iterable, Mapping, Sequence

from ..errors import GmdocsError

EXIT_TOOL = 3                     # same as documents.pdf.EXIT_TOOL: an external tool or system package is missing
DPI = 200
WIDTH_CM = 15.0
TREND_HEIGHT_CM = 6.5
BENCHMARK_HEIGHT_CM = 7.5
FONT_SIZE = 9                     # 小五 (9 pt): ticks, values, level labels
TITLE_SIZE = 10                   # 五号 (10.5 pt) rounded: panel titles
CJK_PREFERENCE = ("Noto Sans CJK SC", "CJK SC", "Source Han Sans", "SimHei", "Microsoft YaHei", "WenQuanYi",
                  # matplotlib < 3.10 lists only the first face of a .ttc (Noto "… CJK JP"); every face of
                  # Noto/Source Han holds all simplified Chinese glyphs, so any of them is acceptable.
                  "Noto Sans CJK", "Source Han", "Noto Serif CJK")
NO_FONT_MESSAGE = ("没有找到可用于图表的中文字体（需要 Noto Sans CJK SC、思源黑体、黑体、微软雅黑或文泉驿之一），"
                   "图表中的中文会显示为方框。请安装中文字体：Debian/Ubuntu 执行 apt-get install fonts-noto-cjk，"
                   "Windows/macOS 安装思源黑体（Source Han Sans SC）；安装后删除 matplotlib 的字体缓存目录（{cache}）再重试。")
BAR_COLOR = "#5B7DB1"
CARBON_COLOR = "#6A9A6E"
GRID_COLOR = "#D9D9D9"
MISSING_COLOR = "#8C8C8C"
SUBSCRIPT_TWO = "\u2082"


@dataclass
class Chart:
    """A chart image for a template: `{{ c }}` places it (width `width_cm`), `{{ c.caption }}` prints its caption.

    A planned chart (plan_charts) knows its size (`height_cm`) and how to draw itself (`make`) before it is
    drawn: `placeholder()` stands in for it while LibreOffice lays the report out, `draw()` writes the PNG."""
    path: Path
    width_cm: float = WIDTH_CM
    caption: str = ""
    height_cm: float | None = None
    make: Callable[[], Path] | None = field(default=None, repr=False, compare=False)

    def __fspath__(self) -> str:          # usable wherever a path is (open, Path, PIL.Image.open)
        return os.fspath(self.path)

    def draw(self) -> Chart:
        if self.make is not None:
            self.make()
        return self

    def placeholder(self) -> Chart:
        """A blank PNG of exactly the pixel size the drawn chart will have (so the page layout is the same)."""
        if self.height_cm is None:
            return self.draw()
        from PIL import Image
        size = (int(self.width_cm / 2.54 * DPI), int(self.height_cm / 2.54 * DPI))
        path = Path(self.path).with_name(Path(self.path).stem + "-placeholder.png")
        if not path.exists():
            Image.new("1", size, 1).save(path, dpi=(DPI, DPI))
        return Chart(path, self.width_cm, self.caption, self.height_cm)


@dataclass(frozen=True)
class CjkFont:
    name: str           # family name as matplotlib knows it
    path: str           # font file
    index: int = 0      # face in a .ttc collection
    subscript_two: bool = False   # has U+2082 (Noto CJK does not: tCO₂ is then drawn with mathtext)


_FONT: CjkFont | None = None


def find_cjk_font() -> CjkFont:
    """The CJK font charts are drawn with (cached); GmdocsError (exit 3) when none is installed."""
    global _FONT
    if _FONT is not None:
        return _FONT
    import matplotlib
    from matplotlib import font_manager as fm
    entries = fm.fontManager.ttflist
    for want in CJK_PREFERENCE:
        hits = [e for e in entries if (e.name == want if want == CJK_PREFERENCE[0] else want.lower() in e.name.lower())]
        if not hits:
            continue
        # the regular weight, upright, first: bold faces come from the same family by weight
        e = min(hits, key=lambda e: (e.style != "normal", abs(int(e.weight) - 400) if str(e.weight).isdigit() else 500,
                                     "mono" in e.name.lower(), e.name))
        font = fm.get_font(fm.findfont(fm.FontProperties(family=e.name), fallback_to_default=False))
        if font.get_char_index(ord("中")) == 0:
            continue
        _FONT = CjkFont(e.name, str(e.fname), int(getattr(e, "index", 0) or 0),
                        font.get_char_index(ord(SUBSCRIPT_TWO)) != 0)
        return _FONT
    raise GmdocsError(NO_FONT_MESSAGE.format(cache=matplotlib.get_cachedir()), EXIT_TOOL)


def co2(unit_prefix: str = "t") -> str:
    """'tCO₂' when the chart font has the subscript two, else mathtext 'tCO$_2$' (never a tofu box)."""
    return f"{unit_prefix}CO{SUBSCRIPT_TWO}" if find_cjk_font().subscript_two else f"{unit_prefix}CO$_2$"


def _plain(text: str) -> str:
    """User text (product names …) drawn literally: a '$' must not start mathtext."""
    return str(text).replace("$", r"\$")


def decimals_for(values: Iterable[float | None]) -> int:
    """One number of decimals for a whole series: no more than its values have (85.2 → 1, 1,770 → 0), and no
    more than its magnitude is worth (≥10,000: 0; ≥100: 1; else 2), so 53,046.3106 tce prints 53,046."""
    vals = [abs(float(v)) for v in values if v is not None]
    top = max(vals, default=0.0)
    cap = 0 if top >= 10000 else (1 if top >= 100 else 2)
    need = 0
    for v in vals:
        while need < cap and abs(round(v, need) - v) > 1e-9 * max(1.0, v):
            need += 1
    return need


def fmt(value: float, digits: int) -> str:
    return f"{value:,.{digits}f}"


@contextmanager
def _style():
    """rcParams for one chart (restored afterwards): CJK font, 9–10 pt, white background, grey grid, Agg."""
    import matplotlib
    if "matplotlib.pyplot" not in sys.modules:     # never switch the backend of someone's interactive session
        matplotlib.use("Agg")
    font = find_cjk_font()
    rc = {"font.family": [font.name, "DejaVu Sans"], "font.size": FONT_SIZE, "axes.titlesize": TITLE_SIZE,
          "axes.labelsize": FONT_SIZE, "xtick.labelsize": FONT_SIZE, "ytick.labelsize": FONT_SIZE,
          "axes.unicode_minus": False, "figure.facecolor": "white", "axes.facecolor": "white",
          "savefig.facecolor": "white", "axes.edgecolor": "#808080", "axes.linewidth": 0.6,
          "xtick.color": "#404040", "ytick.color": "#404040", "axes.labelcolor": "#262626",
          "grid.color": GRID_COLOR, "grid.linewidth": 0.6, "mathtext.fontset": "custom",
          "mathtext.rm": font.name, "mathtext.it": font.name, "mathtext.bf": font.name, "mathtext.sf": font.name,
          "mathtext.tt": font.name, "mathtext.cal": font.name,
          "svg.hashsalt": "gmdocs"}
    state = SimpleNamespace(font=font, out=None)
    with matplotlib.rc_context(rc), warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        yield state
    missing = sorted({str(w.message) for w in caught if "missing from font" in str(w.message)})
    if missing:
        if state.out is not None:
            Path(state.out).unlink(missing_ok=True)
        raise GmdocsError("图表中有字体缺少的字符，会显示为方框，未生成图表：" + "；".join(missing), EXIT_TOOL)


def _figure(height_cm: float, width_cm: float = WIDTH_CM, ncols: int = 1):
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    fig = Figure(figsize=(width_cm / 2.54, height_cm / 2.54), dpi=DPI, layout="constrained")
    FigureCanvasAgg(fig)
    fig.get_layout_engine().set(w_pad=0.06, h_pad=0.06, wspace=0.08)
    axes = fig.subplots(1, ncols, squeeze=False)[0]
    return fig, list(axes)


def _thousands_axis(ax, digits: int) -> None:
    from matplotlib.ticker import FuncFormatter, MaxNLocator
    ax.yaxis.set_major_locator(MaxNLocator(nbins=5, min_n_ticks=3))
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _pos: fmt(v, 0 if v.is_integer() else min(digits, 2))))
    ax.grid(axis="y", zorder=0)
    ax.set_axisbelow(True)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    ax.tick_params(axis="both", length=2.5, width=0.6)


def _save(fig, out: Path, st: SimpleNamespace, ax) -> Path:
    from matplotlib import font_manager as fm
    out = Path(out)
    font, st.out = st.font, out
    out.parent.mkdir(parents=True, exist_ok=True)
    used = fm.findfont(ax.title.get_fontproperties(), fallback_to_default=False)
    meta = {"Software": None, "Font": f"{os.fspath(used)}#{getattr(used, 'face_index', font.index)}", "Font-Name": font.name}
    meta = {k: v for k, v in meta.items() if v is None or v.isascii()}      # PNG text chunks are Latin-1
    fig.savefig(out, dpi=DPI, format="png", metadata=meta)
    return out


def _bars(ax, years: Sequence[int], values: Sequence[float | None], color: str, digits: int, inside: bool,
          top: float, missing: str = "无数据") -> list:
    """Bars with their values (thousands separators, `digits` decimals); a year without a value says so.
    Returns the value labels (see `_fit`)."""
    xs = range(len(years))
    got = [v for v in values if v is not None]
    bottom = min(0.0, min(got, default=0.0) * 1.15)
    span = top - bottom
    texts = []
    for x, v in zip(xs, values):
        if v is None:
            ax.text(x, bottom + span * 0.03, missing, ha="center", va="bottom", color=MISSING_COLOR, fontsize=FONT_SIZE)
            continue
        ax.bar(x, v, width=0.56, color=color, zorder=2)
        if inside and abs(v) > span * 0.2:
            t = ax.text(x, v * 0.5, fmt(v, digits), ha="center", va="center", color="white",
                        fontsize=FONT_SIZE, fontweight="bold", zorder=4)
        else:
            t = ax.text(x, v + (span if v >= 0 else -span) * 0.015, fmt(v, digits), ha="center",
                        va="bottom" if v >= 0 else "top", color="#262626", fontsize=FONT_SIZE, zorder=4,
                        bbox={"boxstyle": "square,pad=0.05", "facecolor": "white", "edgecolor": "none"})
        t._gmdocs_value = v
        texts.append(t)
    ax.set_xticks(list(xs), [f"{y}年" for y in years])
    ax.set_xlim(-0.6, len(years) - 0.4)
    ax.set_ylim(bottom, top)
    if bottom < 0:
        ax.axhline(0, color="#808080", linewidth=0.6, zorder=2)
    return texts


def _layout(fig):
    """Lay the figure out (constrained layout, no rasterising) and return the renderer to measure text with."""
    renderer = fig.canvas.get_renderer()
    fig.get_layout_engine().execute(fig)
    return renderer


def _fit(fig, ax, texts: list, minimum: float = 7.0) -> bool:
    """Make a laid-out panel's value labels and year ticks fit the width of a year's slot: smaller type (not below
    `minimum` pt), then value labels turned upright, and years without 年 or slanted. True if anything changed."""
    renderer = fig.canvas.get_renderer()
    slot = abs(ax.transData.transform((1, 0))[0] - ax.transData.transform((0, 0))[0]) * 0.88   # room between
    changed = False
    if texts:
        widest = max(t.get_window_extent(renderer).width for t in texts)
        if widest > slot:
            changed = True
            size = max(minimum, FONT_SIZE * slot / widest)
            for t in texts:
                t.set_fontsize(size)
            if widest * size / FONT_SIZE > slot:             # still too wide: upright, inside the bar when it is tall
                lo, hi = ax.get_ylim()
                for t in texts:
                    v = t._gmdocs_value
                    t.set_fontsize(FONT_SIZE)
                    t.set_rotation(90)
                    if abs(v) > (hi - lo) * 0.45:
                        t.set(y=v * 0.5, va="center", ha="center", color="white", fontweight="bold")
                    else:
                        t.set(va="bottom" if v >= 0 else "top", ha="center")
    ticks = ax.get_xticklabels()
    if ticks and max(t.get_window_extent(renderer).width for t in ticks) > slot:
        changed = True
        short = [t.get_text().removesuffix("年") for t in ticks]
        ax.set_xticks(ax.get_xticks(), short)
        prop = ticks[0].get_fontproperties()
        widest = max(renderer.get_text_width_height_descent(s, prop, ismath=False)[0] for s in short)
        if widest > slot:
            ax.tick_params(axis="x", labelrotation=45)
            for t in ax.get_xticklabels():
                t.set_ha("right")
    return changed


def energy_trend_chart(years: Sequence[int], energy_tce: Sequence[float | None],
                       carbon_tco2: Sequence[float | None] | None, out: Path, width_cm: float = WIDTH_CM) -> Path:
    """综合能耗 (tce) and CO₂ emissions (tCO₂) per year, two panels side by side, one bar per year.

    `carbon_tco2` may hold None for years not accounted (the bar is left out and marked 无数据), or be
    None / all None: then only the energy panel is drawn. Returns `out`.
    """
    years = list(years)
    energy = list(energy_tce)
    carbon = list(carbon_tco2) if carbon_tco2 is not None else [None] * len(years)
    if len(energy) != len(years) or len(carbon) != len(years):
        raise ValueError("years, energy_tce and carbon_tco2 must have the same length")
    has_carbon = any(v is not None for v in carbon)
    with _style() as st:
        fig, axes = _figure(TREND_HEIGHT_CM, width_cm, 2 if has_carbon else 1)
        panels = [(axes[0], energy, BAR_COLOR, "综合能耗（tce）")]
        if has_carbon:
            panels.append((axes[1], carbon, CARBON_COLOR, f"二氧化碳排放量（{co2()}）"))
        texts = []
        for ax, vals, color, title in panels:
            got = [v for v in vals if v is not None]
            top = max(max(got, default=1.0) * 1.15, 0.0) or 1.0
            digits = decimals_for(vals)
            texts.append((ax, _bars(ax, years, vals, color, digits, inside=False, top=top)))
            _thousands_axis(ax, digits)
            ax.set_title(title, loc="left", fontsize=TITLE_SIZE, pad=6)
        _layout(fig)
        if any([_fit(fig, ax, labels) for ax, labels in texts]):
            _layout(fig)
        fig.set_layout_engine("none")       # laid out: saving need not do it again
        return _save(fig, out, st, axes[0])


def _level_colors(n: int) -> list[str]:
    """Best (lowest, e.g. 标杆水平/1级) green → worst (基准水平/3级) red."""
    return {0: [], 1: ["#555555"], 2: ["#2E7D32", "#C62828"], 3: ["#2E7D32", "#E08600", "#C62828"]}.get(
        n, ["#2E7D32", "#7CB342", "#E08600", "#E65100", "#C62828", "#8E0000"][:n])


def _spread(ys: list[float], gap: float, lo: float, hi: float) -> list[float]:
    """Label positions (sorted input, any unit) at least `gap` apart, kept within [lo, hi]."""
    out = list(ys)
    for i in range(1, len(out)):
        out[i] = max(out[i], out[i - 1] + gap)
    if out and out[-1] > hi:
        out[-1] = hi
        for i in range(len(out) - 2, -1, -1):
            out[i] = min(out[i], out[i + 1] - gap)
    if out and out[0] < lo:
        shift = lo - out[0]
        out = [y + shift for y in out]
    return out


def benchmark_chart(product: str, years: Sequence[int], values: Sequence[float | None],
                    levels: Mapping[str, float] | Sequence[tuple[str, float]], out: Path, unit: str = "kgce/t",
                    lower_is_better: bool = True, width_cm: float = WIDTH_CM) -> Path:
    """单位产品综合能耗 per year as bars, each level (label → value, e.g. {"标杆水平": 1770, "基准水平": 1850})
    as a dashed horizontal line labelled "标杆水平 1,770" at the right. Returns `out`."""
    years, values = list(years), list(values)
    if len(values) != len(years):
        raise ValueError("years and values must have the same length")
    lv = sorted(((str(k), float(v)) for k, v in (levels.items() if isinstance(levels, Mapping) else levels)
                 if v is not None), key=lambda kv: kv[1], reverse=not lower_is_better)
    if not lv:
        raise ValueError("at least one level is needed")
    got = [v for v in values if v is not None]
    top = max(got + [v for _, v in lv]) * 1.12
    digits = decimals_for(got)
    better = "越低越好" if lower_is_better else "越高越好"
    with _style() as st:
        fig, (ax,) = _figure(BENCHMARK_HEIGHT_CM, width_cm)
        value_labels = _bars(ax, years, values, BAR_COLOR, digits, inside=True, top=top, missing="未填写")
        _thousands_axis(ax, digits)
        ax.set_ylabel(f"单位产品综合能耗（{_plain(unit)}）")
        ax.set_title(f"{_plain(product)}：单位产品综合能耗与能效水平（{better}）", loc="left", fontsize=TITLE_SIZE, pad=6)
        colors = _level_colors(len(lv))
        lv_digits = 0 if all(float(v).is_integer() for _, v in lv) else decimals_for([v for _, v in lv])
        labels = []
        for (name, v), color in zip(lv, colors):
            ax.axhline(v, color=color, linestyle=(0, (5, 3)), linewidth=1.2, zorder=3)
            labels.append(ax.text(1.015, v, f"{_plain(name)} {fmt(v, lv_digits)}", transform=ax.get_yaxis_transform(),
                                  ha="left", va="center", color=color, fontsize=FONT_SIZE, clip_on=False))
        _layout(fig)                        # the final layout: the axes' height in pixels is now known
        if _fit(fig, ax, value_labels):
            _layout(fig)
        # keep labels of close levels apart (one text line between centres); a moved label gets a leader line
        to_px = ax.transData.transform
        ys = [to_px((0, v))[1] for _, v in lv]
        order = sorted(range(len(ys)), key=lambda i: ys[i])
        gap = FONT_SIZE * 1.35 * DPI / 72.0
        y0, y1 = to_px((0, 0))[1], to_px((0, top))[1]
        spread = _spread([ys[i] for i in order], gap, y0 + gap / 2, y1 - gap / 2)
        moved = any(abs(y - ys[i]) > 1 for i, y in zip(order, spread))
        inv = ax.transData.inverted().transform
        for i, y in zip(order, spread):
            labels[i].set_y(inv((0, y))[1])
            if moved:
                labels[i].set_x(1.06)
                ax.plot([1.0, 1.02, 1.052], [lv[i][1], lv[i][1], inv((0, y))[1]], transform=ax.get_yaxis_transform(),
                        color=colors[i], linewidth=0.8, clip_on=False, zorder=3)
        if moved:
            _layout(fig)                    # the labels moved right: the axes get narrower, not shorter
        fig.set_layout_engine("none")
        return _save(fig, out, st, ax)


def _years_of(app, ev) -> list[int]:
    calc = getattr(ev, "calc", None)
    if calc is not None and calc.years:
        return sorted(calc.years)
    return sorted(y.year for y in app.years)


def plan_charts(app, ev, workdir: Path) -> dict[str, Chart]:
    """The charts this application has data for, as PNG files to be drawn in `workdir` (Chart.draw()):

    - "energy_trend": 综合能耗 and CO₂ per data year (needs 综合能耗 for at least 2 years; CO₂ drawn for
      the years it could be accounted);
    - "benchmark_1", "benchmark_2", …: one per product with a declared 单位产品综合能耗 and at least one known
      level (标杆水平/基准水平 of the 标杆基准 document, 1/2/3级 of the 能耗限额 standard), in product order.

    Nothing is returned for a chart without data (a park or supply-chain application has no products). Values
    are the evaluation's own: energy = the 综合能耗 the evaluation used per year (GB/T 2589 当量值 from the energy
    carriers, else the declared total), CO₂ = the GB/T 32150 account's total, unit energy = the declared
    per-year values that `ev.benchmarks` compares. Nothing is interpolated or invented.
    """
    from ..catalogue.model import LEVEL_NAMES
    workdir = Path(workdir)
    years = _years_of(app, ev)
    calc = getattr(ev, "calc", None)
    out: dict[str, Chart] = {}

    declared = {y.year: y.energy_total for y in app.years}
    energy = [(calc.variables.get(y, {}).get("energy_tce") if calc is not None else None) for y in years]
    energy = [e if e is not None else declared.get(y) for y, e in zip(years, energy)]
    carbon = [(calc.carbon[y].total if calc is not None and y in calc.carbon else None) for y in years]
    keep = [i for i, e in enumerate(energy) if e is not None]
    if len(keep) >= 2:
        ys = [years[i] for i in keep]
        cs = [carbon[i] for i in keep]
        path = workdir / "energy_trend.png"
        make = partial(energy_trend_chart, ys, [energy[i] for i in keep], cs, path)
        caption = f"{ys[0]}—{ys[-1]}年综合能耗与二氧化碳排放量" if any(c is not None for c in cs) else \
            f"{ys[0]}—{ys[-1]}年综合能耗"
        gaps = [str(y) for y, c in zip(ys, cs) if c is None]
        if any(c is not None for c in cs) and gaps:
            caption += f"（{'、'.join(gaps)}年二氧化碳排放量无法核算）"
        out["energy_trend"] = Chart(path, WIDTH_CM, caption, TREND_HEIGHT_CM, make)

    products = {p.name: p for p in app.products}
    by_product: dict[str, list] = {}
    for b in getattr(ev, "benchmarks", []) or []:
        if b.product in products and any(v is not None for v in b.levels.values()):
            by_product.setdefault(b.product, []).append(b)
    n = 0
    for name, results in by_product.items():
        p = products[name]
        values = [p.unit_energy.get(y) for y in years]
        if all(v is None for v in values):
            continue
        # levels of all documents for the product; a value two documents share (标杆水平 = 2级) gets one line,
        # a level name with two values (two rows of one document) is told apart by its document
        entries = [(LEVEL_NAMES.get(k, k), b.document, v) for b in results for k, v in b.levels.items() if v is not None]
        clash = {lab for lab, _, v in entries if len({v2 for lab2, _, v2 in entries if lab2 == lab}) > 1}
        merged: dict[float, list[str]] = {}
        names_by_doc: dict[str, list[str]] = {}
        for label, doc, v in entries:
            shown = f"{label}（{doc}）" if label in clash else label
            if shown not in merged.setdefault(v, []):
                merged[v].append(shown)
            names_by_doc.setdefault(doc, []).append(label)
        levels = [("、".join(labels), v) for v, labels in merged.items()]
        unit = next((b.unit for b in results if b.unit), None) or p.unit_energy_unit or ""
        n += 1
        path = workdir / f"benchmark_{n}.png"
        make = partial(benchmark_chart, name, years, values, levels, path, unit=unit)
        docs = "；".join(f"{'、'.join(dict.fromkeys(labels))}依据{doc}" for doc, labels in names_by_doc.items())
        out[f"benchmark_{n}"] = Chart(path, WIDTH_CM, f"{name}单位产品综合能耗与能效水平对比（越低越好；{docs}）",
                                      BENCHMARK_HEIGHT_CM, make)
    return out


def report_charts(app, ev, workdir: Path) -> dict[str, Chart]:
    """plan_charts, drawn: the PNG files exist when this returns."""
    return {k: c.draw() for k, c in plan_charts(app, ev, workdir).items()}


__all__ = ["Chart", "CjkFont", "benchmark_chart", "energy_trend_chart", "find_cjk_font", "plan_charts", "report_charts"]
