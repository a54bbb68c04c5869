"""Issue 9: indicators computed from raw data, carbon by hand, awarded points, partial totals, the current round."""
import textwrap

import pytest
import yaml
from openpyxl import load_workbook

from gmdocs.application.read import load_application
from gmdocs.calculate import GridChoice, calculate, carbon_account
from gmdocs.catalogue import load_catalogue
from gmdocs.evaluate.checks import check
from gmdocs.evaluate.score import score

from .conftest import ROOT, as_json

EX = ROOT / "examples"
CAT = None


def cat():
    global CAT
    if CAT is None:
        CAT = load_catalogue(use_user_data=False)
    return CAT


def _app(tmp_path, body: str, name="a.yaml"):
    p = tmp_path / name
    p.write_text(textwrap.dedent(body).lstrip(), encoding="utf-8")
    app, found = load_application(p)
    return app, found, p


FACTORY = textwrap.dedent("""
    类别: 绿色工厂
    年度: 2026
    基本信息:
      名称: 测试工厂
      统一社会信用代码: 91150300MA0N7Q2X1A
      通讯地址: 测试
      法定代表人: 甲
      联系人: 乙
      联系电话: "1"
      所属行业: 通用设备制造
      单位性质: 民营
      主要产品: 泵
    经济与能源汇总:
      - {年份: 2023, 工业总产值: 20000, 工业增加值: 5000, 综合能耗: 1229}
      - {年份: 2024, 工业总产值: 25000, 工业增加值: 6000, 综合能耗: 1229}
      - {年份: 2025, 工业总产值: 40000, 工业增加值: 8000, 综合能耗: 1229}
    能源消费:
      - {能源品种: 电力, 单位: 万kWh, 2023: 1000, 2024: 1000, 2025: 1000}
    原始数据:
      - {项目: 取水量, 分项: 自来水, 单位: 万m3, 2023: 3, 2024: 3, 2025: 3}
      - {项目: 取水量, 分项: 地下水, 单位: m3, 2023: 10000, 2024: 10000, 2025: 10000}
      - {项目: 重复利用水量, 单位: m3, 2023: 160000, 2024: 160000, 2025: 360000}
      - {项目: 一般工业固体废物产生量, 分项: 废钢屑, 单位: t, 2023: 800, 2024: 800, 2025: 800}
      - {项目: 一般工业固体废物产生量, 分项: 废砂, 单位: t, 2023: 200, 2024: 200, 2025: 200}
      - {项目: 一般工业固体废物综合利用量, 分项: 废钢屑, 单位: t, 2023: 800, 2024: 800, 2025: 800}
      - {项目: 综合利用往年贮存量, 单位: t, 2025: 100}
      - {项目: 用地面积, 单位: 亩, 2023: 150, 2024: 150, 2025: 150}
      - {项目: 建筑物和构筑物占地面积, 单位: m2, 2023: 50000, 2024: 50000, 2025: 50000}
      - {项目: 总建筑面积, 单位: 万m2, 2023: 12, 2024: 12, 2025: 12}
      - {项目: 自发自用光伏发电量, 单位: 万kWh, 2025: 100}
      - {项目: 绿证, 单位: 个, 2025: 1000}
      - {项目: 主要污染物年均排放浓度, 分项: 颗粒物, 单位: mg/m3, 2025: 6}
      - {项目: 许可排放限值, 分项: 颗粒物, 单位: mg/m3, 2025: 20}
      - {项目: 主要污染物年均排放浓度, 分项: 二氧化硫, 单位: mg/m3, 2025: 35}
      - {项目: 许可排放限值, 分项: 二氧化硫, 单位: mg/m3, 2025: 50}
""").lstrip()


def _by(calc, formula, year):
    return next(v for v in calc.values if v.formula == formula and v.year == year)


def test_each_formula_on_hand_computed_data(tmp_path):
    app, found, _ = _app(tmp_path, FACTORY)
    assert not [f for f in found if f.severity == "error"]
    calc = calculate(app, cat())
    assert calc.year == 2026 and calc.years == [2023, 2024, 2025]
    # 取水量 2025 = 30000 + 10000 m³; 重复利用 360000 → 360000 / 400000 = 90 %
    assert _by(calc, "工业用水重复利用率", 2025).value == pytest.approx(90.0)
    assert _by(calc, "工业用水重复利用率", 2023).value == pytest.approx(80.0)
    assert _by(calc, "单位产值取水量", 2025).value == pytest.approx(40000 / 40000)
    # 固废：800 / (1000 + 0) = 80 % in 2023; 800 / (1000 + 100) in 2025
    assert _by(calc, "一般工业固体废物综合利用率", 2023).value == pytest.approx(80.0)
    assert _by(calc, "一般工业固体废物综合利用率", 2025).value == pytest.approx(800 / 1100 * 100)
    land = 150 * 10000 / 15          # 亩 → m²
    assert _by(calc, "建筑系数", 2025).value == pytest.approx(50000 / land * 100)
    assert _by(calc, "容积率", 2025).value == pytest.approx(120000 / land)
    assert _by(calc, "单位用地面积产值", 2025).value == pytest.approx(40000 / land)
    # 综合能耗 = 1000 万kWh × 0.1229 = 1229 tce; 单位产值综合能耗 kgce/万元
    assert _by(calc, "单位产值综合能耗", 2025).value == pytest.approx(1229 * 1000 / 40000)
    # 可再生：(100 万kWh 光伏 + 1000 绿证 × 1000 kWh) × 0.1229 / (1229 + 100 万kWh × 0.1229)
    ren = (1_000_000 + 1_000_000) * 0.1229 / 1000
    assert _by(calc, "可再生能源利用率", 2025).value == pytest.approx(ren / (1229 + 122.9) * 100)
    assert _by(calc, "可再生能源利用率", 2023).value is None          # nothing renewable stated that year
    # 污染物：颗粒物 (20-6)/20 = 70 %, 二氧化硫 (50-35)/50 = 30 % → 最低 30 %
    assert _by(calc, "废气主要污染物优于限值的最低比例", 2025).value == pytest.approx(30.0)
    # 碳排放强度：电力 1000 万kWh × 2023 年全国因子 0.5306 → 5306 tCO2 (2025 uses the latest published, 2023)
    assert _by(calc, "单位产值碳排放量", 2025).value == pytest.approx(1e7 * 0.5306 / 1000 * 1000 / 40000)
    v = _by(calc, "单位产值碳排放量", 2025)
    assert v.sources and v.text.startswith("单位产值碳排放量")
    nf = _by(calc, "开展碳足迹核算产品类别占比", 2025)
    assert nf.value is None and "开展碳足迹核算的产品类别数" in nf.reason


def test_every_quantitative_2025_indicator_has_a_formula():
    c = cat()
    rb = c.rulebooks["gbt36132-2025-factory"]
    fs = c.formula_sets["gbt36132-2025-formulas"]
    fed = {f.indicator for f in fs.formulas}
    quantitative = {i.id for i in rb.indicators() if i.kind == "quantitative"}
    assert quantitative <= fed
    for f in fs.formulas:
        assert f.sources and f.text and f.expression is not None
    perf = {i.id for i in c.rulebooks["gbt36132-2018-factory"].indicators() if i.id.startswith("绩效-")}
    assert perf <= {f.indicator for f in c.formula_sets["gbt36132-2018-formulas"].formulas}


def test_silicon_iron_example_carbon_by_hand():
    data = yaml.safe_load((EX / "硅铁厂-申报数据.yaml").read_text(encoding="utf-8"))
    app, _ = load_application(EX / "硅铁厂-申报数据.yaml")
    grid = {2021: 0.5568, 2022: 0.5366, 2023: 0.5306}        # 全国电力平均二氧化碳排放因子, kgCO2/kWh
    fuel = {"焦炭": (28.435, 0.0295, 0.93), "柴油": (42.652, 0.0202, 0.98), "原煤": (20.908, 0.02637, 0.94)}
    unit_t = {"t": 1, "吨": 1, "万t": 1e4}
    unit_kwh = {"万kWh": 1e4, "kWh": 1, "MWh": 1e3}
    for year in sorted({int(k) for row in data["能源消费"] for k in row if str(k).isdigit()}):
        expected = 0.0
        for row in data["能源消费"]:
            if year not in row:
                continue
            if row["能源品种"] == "电力":
                expected += row[year] * unit_kwh[row["单位"]] * grid[max(2021, min(year, 2023))] / 1000
            else:
                ncv, cc, of = fuel[row["能源品种"]]
                expected += row[year] * unit_t[row["单位"]] * ncv * cc * of * 44 / 12
        for row in data.get("原始数据", []):
            if row["项目"] == "过程排放" and year in row:
                expected += row[year]
            if row["项目"] == "输出电力" and year in row:
                expected -= row[year] * unit_kwh[row["单位"]] * grid[max(2021, min(year, 2023))] / 1000
        got = carbon_account(app, cat(), year).total
        assert got == pytest.approx(expected, rel=1e-9), year


def test_grid_calibre_choice_and_green_power_deduction(tmp_path):
    app, _, _ = _app(tmp_path, FACTORY + "  - {项目: 绿电交易电量, 单位: 万kWh, 2025: 200}\n")
    avg = carbon_account(app, cat(), 2025)
    excl = carbon_account(app, cat(), 2025, GridChoice.parse("national-excl-market"))
    assert avg.total == pytest.approx(1e7 * 0.5306 / 1000)
    assert excl.total == pytest.approx((1e7 - 2e6) * 0.6096 / 1000)
    prov = carbon_account(app, cat(), 2023, GridChoice.parse("provincial:内蒙古"))
    assert prov.total == pytest.approx(1e7 * 0.6479 / 1000)
    with pytest.raises(ValueError, match="口径"):
        GridChoice.parse("grid-x")


def test_typed_value_differing_from_computed_is_an_error(tmp_path):
    body = FACTORY + "指标:\n  - {编号: 资源高效化-工业用水重复利用率, 数值: 95}\n"
    app, found, p = _app(tmp_path, body)
    rep = check(app, cat(), None, found)
    errs = [f for f in rep.errors if f.code == "computed-value"]
    assert len(errs) == 1 and "95" in errs[0].message and "90" in errs[0].message
    assert errs[0].where == f"{p.name}:{len(body.splitlines())}" or errs[0].where.endswith(f":{len(body.splitlines())}")


def test_default_year_is_the_latest_round_of_the_category(tmp_path, cli):
    body = FACTORY.replace("年度: 2026\n", "")
    p = tmp_path / "noyear.yaml"
    p.write_text(textwrap.dedent(body).lstrip(), encoding="utf-8")
    r = cli("score", str(p), "--json")
    data = as_json(r)
    assert data["year"] == 2026 and "最新年度" in data["year_reason"]
    assert data["rulebook"] == "gbt36132-2025-factory"
    assert "评价年度" in r.stderr


def test_self_score_above_maximum_is_an_error(cli, tmp_path):
    src = (ROOT / "tests" / "fixtures" / "2023" / "汽车链主-申报数据.yaml").read_text(encoding="utf-8")
    src = src.replace("{编号: X11, 结论: 符合", "{编号: X11, 自评得分: 99, 结论: 符合", 1)
    p = tmp_path / "sc.yaml"
    p.write_text(src, encoding="utf-8")
    shutil_copy_attachments(tmp_path)
    ev = score(load_application(p)[0], cat())
    msgs = [pf.message for pf in ev.point_findings if pf.severity == "error"]
    assert any("超过该项满分" in m and "99" in m for m in msgs), msgs
    r = cli("check", str(p))
    assert r.exit_code == 1 and "超过该项满分" in r.stdout


def shutil_copy_attachments(tmp_path):
    import shutil
    dst = tmp_path / "证明材料"
    if not dst.exists():
        shutil.copytree(EX / "证明材料", dst)


def test_partial_total_for_the_supply_chain_fixture():
    app, _ = load_application(ROOT / "tests" / "fixtures" / "2023" / "汽车链主-申报数据.yaml")
    ev = score(app, cat())
    assert ev.total is None
    assert ev.fixed_points == pytest.approx(80.5) and ev.open_points == pytest.approx(14)
    assert ev.total_range == [pytest.approx(80.5), pytest.approx(94.5)]
    assert "gmdocs rules form gscm-general" in ev.next_step


def test_rules_form_round_trip_makes_the_total_appear(cli, tmp_path):
    form = tmp_path / "补充表.xlsx"
    assert cli("rules", "form", "gscm-general", "-o", str(form)).exit_code == 0
    wb = load_workbook(form)
    ws = wb["补充表"]
    for r in range(2, ws.max_row + 1):
        what = ws.cell(r, 2).value
        ws.cell(r, 6).value = 100 if "满分" in what else 60 if "合格" in what else (80 if "基准" in what else 95)
        ws.cell(r, 7).value = "测试：购得原文 表A.1"
    wb.save(form)
    data = tmp_path / "data"
    r = cli("--data-dir", str(data), "rules", "import", str(form))
    assert r.exit_code == 0, r.output
    r = cli("--data-dir", str(data), "score", str(ROOT / "tests" / "fixtures" / "2023" / "汽车链主-申报数据.yaml"), "--json")
    ev = as_json(r)
    assert ev["total"] is not None and ev["user_supplied"]
    text = cli("--data-dir", str(data), "score", str(ROOT / "tests" / "fixtures" / "2023" / "汽车链主-申报数据.yaml")).stdout
    assert "【用户补充】" in text and "总分：" in text


def test_status_as_of_the_campaign_date(cli):
    r = cli("which", "--industry", "铁合金冶炼", "--product", "硅铁", "--year", "2023", "--json")
    data = as_json(r)
    assert data["general_standards"][0]["number"] == "GB/T 36132-2018"
    assert data["general_standards"][0]["status"] == "现行" and data["general_standards"][0]["status_today"] == "废止"
    assert not any(s["number"] == "GB 21341-2022" for s in data["quota_standards"])   # in force only from 2024-01-01
    assert any("GB 21341-2022" in n and "尚未实施" in n for n in data["notes"])


def test_cement_with_clinker_checks_clean_and_builds(cli, tmp_path):
    r = cli("check", str(EX / "水泥厂-申报数据.yaml"))
    assert r.exit_code == 0, r.stdout
    app, _ = load_application(EX / "水泥厂-申报数据.yaml")
    assert any(p.intermediate for p in app.products) and any(not p.intermediate for p in app.products)
    out = tmp_path / "out"
    r = cli("build", str(EX / "水泥厂-申报数据.yaml"), "-o", str(out), "--no-pdf")
    assert r.exit_code == 0, r.output


def test_calc_command_prints_formulas_and_sources(cli):
    r = cli("calc", str(EX / "硅铁厂-申报数据.yaml"))
    assert r.exit_code == 0
    assert "工业用水重复利用率" in r.stdout and "公式：" in r.stdout and "出处：" in r.stdout
    assert "碳排放核算" in r.stdout and "全国电力平均二氧化碳排放因子" in r.stdout
    data = as_json(cli("calc", str(EX / "硅铁厂-申报数据.yaml"), "--json"))
    computed = {v["formula"] for v in data["values"] if v["value"] is not None}
    rb = cat().rulebooks["gbt36132-2025-factory"]
    fs = cat().formula_sets["gbt36132-2025-formulas"]
    needed = {f.indicator for f in fs.formulas if f.indicator} & {i.id for i in rb.indicators() if i.kind == "quantitative"}
    fed = {f.indicator for f in fs.formulas if f.id in computed}
    assert needed <= fed, needed - fed
    r = cli("calc", str(EX / "硅铁厂-申报数据.yaml"), "--grid", "nonsense")
    assert r.exit_code == 2 and "口径" in r.output


def test_basis_is_the_system_that_applies_and_its_gaps_are_listed(cli):
    # 2023 cement: JC/T 2634-2021 is the basis; its rules are gaps; the 通则 scores as a reference
    ev = as_json(cli("score", str(ROOT / "tests" / "fixtures" / "2023" / "水泥厂-申报数据.yaml"), "--json"))
    assert ev["basis"] == "jct2634-2021-factory" and ev["rulebook"] == "gbt36132-2018-factory"
    paths = [n["path"] for n in ev["needs"]]
    assert "jct2634-2021-factory/groups" in paths and "jct2634-2021-factory/scoring/total" in paths
    r = cli("check", str(ROOT / "tests" / "fixtures" / "2023" / "水泥厂-申报数据.yaml"), "--json")
    fs = as_json(r)["findings"]
    assert not any(f["code"] == "industry-standard" and f["severity"] == "warning" for f in fs)
    # a car maker's supply chain: the 汽车行业 system is the basis
    ev = as_json(cli("score", str(EX / "汽车链主-申报数据.yaml"), "--json"))
    assert ev["basis"] == "gscm-automobile"
    # the 2023 park: the notice's attachment 2, relation to the 2016 requirements stated as unknown
    ev = as_json(cli("score", str(ROOT / "tests" / "fixtures" / "2023" / "绿色园区-申报数据.yaml"), "--json"))
    assert ev["basis"] == "park-2023-att2"
    assert "2016" in cat().rulebooks["park-2023-att2"].notes and "未知" in cat().rulebooks["park-2023-att2"].notes
    # 2025+: a known key sector (textiles) is evaluated by its industry requirement
    r = as_json(cli("which", "--industry", "印染", "--year", "2026", "--json"))
    assert r["rulebooks"][0]["id"] == "miit-2025-key-textile-factory"


@pytest.mark.parametrize("name", ["硅铁厂", "水泥厂", "绿色园区", "汽车链主"])
def test_every_example_prints_a_total(cli, name):
    for ext in ("yaml", "xlsx"):
        r = cli("score", str(EX / f"{name}-申报数据.{ext}"))
        assert r.exit_code == 0
        ev = as_json(cli("score", str(EX / f"{name}-申报数据.{ext}"), "--json"))
        assert ev["total"] is not None or ev["self_total"] is not None
        assert ("总分：" in r.stdout) or ("申报单位自评分" in r.stdout)
        assert "/groups/" not in r.stdout           # gap paths stay in --json and catalogue gaps


def test_2018_performance_formulas_on_hand_computed_data(tmp_path):
    body = FACTORY.replace("年度: 2026", "年度: 2023").replace("2023:", "2020:").replace("2024:", "2021:") \
        .replace("2025:", "2022:").replace("年份: 2023", "年份: 2020").replace("年份: 2024", "年份: 2021") \
        .replace("年份: 2025", "年份: 2022")
    body += textwrap.dedent("""
      - {项目: 回用水量, 单位: m3, 2022: 4500}
      - {项目: 废水处理量, 单位: m3, 2022: 6000}
      - {项目: 绿色物料使用量, 单位: t, 2022: 300}
      - {项目: 同类物料使用总量, 单位: 万t, 2022: 0.1}
      - {项目: 废水产生量, 单位: m3, 2022: 8000}
    产品:
      - {名称: 泵, 单位: 台, 产量: {2022: 4000}}
    """)
    app, found, _ = _app(tmp_path, body)
    assert not [f for f in found if f.severity == "error"], found
    calc = calculate(app, cat())
    assert calc.formula_set == "gbt36132-2018-formulas"
    land = 150 * 10000 / 15
    assert _by(calc, "建筑密度", 2022).value == pytest.approx(50000 / land * 100)
    assert _by(calc, "废水处理回用率", 2022).value == pytest.approx(75.0)
    assert _by(calc, "绿色物料使用率", 2022).value == pytest.approx(30.0)
    assert _by(calc, "单位产品废水产生量", 2022).value == pytest.approx(2.0)
    assert _by(calc, "单位产品综合能耗", 2022).value == pytest.approx(1229 * 1000 / 4000)
    # 2022 电力因子 0.5366 → 5366 tCO2 / 4000 台
    assert _by(calc, "单位产品碳排放量", 2022).value == pytest.approx(1e7 * 0.5366 / 1000 / 4000)
    assert _by(calc, "单位产品主要原材料消耗量", 2022).value is None
