"""Charts: the energy/CO₂ trend and the 单位产品综合能耗 benchmark chart, drawn with a CJK font, and placed
in a DOCX by render_docx wherever a `Chart` sits in the context."""
import dataclasses
import subprocess
import sys
import zipfile

import pytest
from docx import Document
from PIL import Image

from gmdocs.application.read import load_application
from gmdocs.catalogue import read_catalogue
from gmdocs.documents import charts
from gmdocs.documents.charts import Chart, benchmark_chart, energy_trend_chart, find_cjk_font, report_charts
from gmdocs.documents.render import render_docx
from gmdocs.errors import GmdocsError
from gmdocs.evaluate.checks import check_and_score

from .conftest import ROOT, SHIPPED

EX = ROOT / "examples"
CJK_MARKERS = ("CJK", "SourceHan", "Source Han", "simhei", "msyh", "wqy", "WenQuanYi")


def png(path):
    assert path.is_file() and path.stat().st_size > 10_000
    with Image.open(path) as im:
        im.load()
        return im.size, dict(im.info)


def assert_cjk_png(path):
    (w, h), info = png(path)
    # 15 cm at 200 dpi is 1181 px; the height is a chart's, not a banner's or a poster's
    assert 1100 <= w <= 1250 and 350 <= h <= 800, (w, h)
    used = info.get("Font", "")
    assert any(m.lower() in used.lower() for m in CJK_MARKERS), used
    assert used.split("#")[0] == find_cjk_font().path


def test_font_is_cjk():
    font = find_cjk_font()
    assert any(m.lower() in (font.name + font.path).lower() for m in CJK_MARKERS), font
    assert charts.co2() in ("tCO\u2082", "tCO$_2$")
    if "Noto" in font.name:                      # Noto CJK has no U+2082: mathtext subscript instead of a box
        assert charts.co2() == "tCO$_2$"


def test_energy_trend_three_years(tmp_path):
    out = energy_trend_chart([2023, 2024, 2025], [53046.3106, 54265.5, 55410.66],
                             [204406.46, 209094.05, 213481.54], tmp_path / "e.png")
    assert out == tmp_path / "e.png"
    assert_cjk_png(out)


def test_energy_trend_with_carbon_for_some_years_only(tmp_path):
    """Missing CO₂ years are left out (marked 无数据), never filled in; no CO₂ at all: the energy panel only."""
    both = energy_trend_chart([2023, 2024, 2025], [100.0, 110.0, 120.0], [None, 300.0, 310.0], tmp_path / "a.png")
    alone = energy_trend_chart([2023, 2024], [100.0, 110.0], None, tmp_path / "b.png")
    assert_cjk_png(both)
    assert_cjk_png(alone)


def test_benchmark_two_levels(tmp_path):
    out = benchmark_chart("硅铁", [2023, 2024, 2025], [1668.1, 1664.6, 1659.0],
                          {"标杆水平": 1770, "基准水平": 1850}, tmp_path / "b.png", unit="kgce/t")
    assert_cjk_png(out)


def test_benchmark_close_levels_and_a_missing_year(tmp_path):
    out = benchmark_chart("水泥熟料", [2023, 2024, 2025], [101.2, None, 100.1],
                          [("1级", 100), ("2级", 101), ("3级", 102)], tmp_path / "c.png")
    assert_cjk_png(out)


def test_crowded_values_still_drawn(tmp_path):
    out = energy_trend_chart(list(range(2019, 2026)), [12_345_678.9 + i for i in range(7)],
                             [98_765_432.1 + i for i in range(7)], tmp_path / "d.png")
    assert_cjk_png(out)


def test_decimals():
    assert charts.decimals_for([85.2, 84.9, 84.2]) == 1
    assert charts.decimals_for([1770, 1850]) == 0
    assert charts.decimals_for([53046.3106, 54265.5]) == 0
    assert charts.decimals_for([98.255, 1.5]) == 2
    assert charts.fmt(1286753.537, 0) == "1,286,754"


def test_no_cjk_font_is_a_clear_error(monkeypatch):
    from matplotlib import font_manager as fm
    monkeypatch.setattr(charts, "_FONT", None)
    monkeypatch.setattr(fm.fontManager, "ttflist", [e for e in fm.fontManager.ttflist if "DejaVu" in e.name])
    with pytest.raises(GmdocsError) as exc:
        find_cjk_font()
    assert exc.value.exit_code == 3
    assert "fonts-noto-cjk" in exc.value.message and "中文字体" in exc.value.message
    monkeypatch.setattr(charts, "_FONT", None)


@pytest.fixture(scope="module")
def cat():
    return read_catalogue(SHIPPED, use_user_data=False)


def evaluate(cat, name):
    app, read_findings = load_application(EX / name)
    rep, ev = check_and_score(app, cat, None, read_findings)
    return app, ev


def test_report_charts_factory(cat, tmp_path):
    app, ev = evaluate(cat, "硅铁厂-申报数据.yaml")
    got = report_charts(app, ev, tmp_path)
    assert list(got) == ["energy_trend", "benchmark_1"]
    for c in got.values():
        assert isinstance(c, Chart) and c.caption and c.width_cm == 15.0
        assert_cjk_png(c.path)
    assert "硅铁" in got["benchmark_1"].caption and "越低越好" in got["benchmark_1"].caption


def test_report_charts_without_products(cat, tmp_path):
    """A park has no products: no benchmark chart (decided from the data, not the category)."""
    app, ev = evaluate(cat, "绿色园区-申报数据.yaml")
    got = report_charts(app, ev, tmp_path)
    assert not any(k.startswith("benchmark") for k in got)


def test_report_charts_nothing_without_data(cat, tmp_path):
    """Fewer than two years of 综合能耗 and no products: no chart and no file at all."""
    app, ev = evaluate(cat, "绿色园区-申报数据.yaml")
    first = sorted(app.years, key=lambda y: y.year)[0]
    app = dataclasses.replace(app, years=[first], energy=[], products=[])
    ev.calc = None
    ev.benchmarks = []
    assert report_charts(app, ev, tmp_path / "charts") == {}
    assert not (tmp_path / "charts").exists()


def test_chart_in_docx(tmp_path):
    img = energy_trend_chart([2023, 2024], [1.0, 2.0], None, tmp_path / "c.png")
    doc = Document()
    doc.add_paragraph("{{ chart }}")
    doc.add_paragraph("{{ nested.charts[1] }}")
    doc.add_paragraph("{{ chart.caption }}")
    tpl = tmp_path / "t.docx"
    doc.save(str(tpl))
    ctx = {"chart": Chart(img, 12.0, "图 综合能耗 & <趋势>"), "nested": {"charts": ("x", Chart(img))}}
    out = tmp_path / "out.docx"
    render_docx(tpl, ctx, out)
    assert isinstance(ctx["chart"], Chart)          # the caller's context is left as it was
    with zipfile.ZipFile(out) as z:
        media = [n for n in z.namelist() if n.startswith("word/media/")]
        xml = z.read("word/document.xml").decode()
    assert media
    assert xml.count("<w:drawing>") == 2
    assert "图 综合能耗 &amp; &lt;趋势&gt;" in xml    # autoescaped like any text
    assert str(int(12.0 * 360000)) in xml            # width in EMU


def test_missing_chart_file_is_an_error(tmp_path):
    doc = Document()
    doc.add_paragraph("{{ chart }}")
    doc.save(str(tmp_path / "t.docx"))
    with pytest.raises(GmdocsError, match="图表文件不存在"):
        render_docx(tmp_path / "t.docx", {"chart": Chart(tmp_path / "nope.png")}, tmp_path / "o.docx")


def test_importing_gmdocs_does_not_import_matplotlib():
    code = ("import sys, gmdocs, gmdocs.documents.charts, gmdocs.documents.render;"
            "print('matplotlib' in sys.modules)")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert r.stdout.strip() == "False"


def test_a_glyph_no_font_has_is_an_error_not_a_box(tmp_path):
    out = tmp_path / "tofu.png"
    with pytest.raises(GmdocsError, match="方框") as exc:
        benchmark_chart("硅铁\ue000", [2025], [1659.0], {"标杆水平": 1770}, out)
    assert exc.value.exit_code == 3
    assert not out.exists()
