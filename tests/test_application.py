"""Applications: examples check clean in both formats; every check fires on a failing input."""
import json
import shutil

import pytest
from openpyxl import load_workbook

import gmdocs

from .conftest import ROOT, as_json, write_tree

EX = ROOT / "examples"
FESI = EX / "硅铁厂-申报数据.yaml"
# The 2023-round examples (GB/T 36132-2018, data years 2020—2022), kept as fixtures for the checks they exercise.
FIX2023 = ROOT / "tests" / "fixtures" / "2023"
FESI_2023 = FIX2023 / "硅铁厂-申报数据.yaml"
NAMES = ["硅铁厂", "水泥厂", "绿色园区", "汽车链主"]


def absolute_attachments(text: str) -> str:
    """Attachment paths of an example or a 2023 fixture, made absolute so that a copy in tmp_path still finds them."""
    return (text.replace("文件: ../../../examples/证明材料/", f"文件: {EX.as_posix()}/证明材料/")
            .replace("文件: 证明材料/", f"文件: {EX.as_posix()}/证明材料/"))


@pytest.mark.parametrize("name", ["硅铁厂", "水泥厂", "绿色园区", "汽车链主"])
@pytest.mark.parametrize("ext", ["yaml", "xlsx"])
def test_examples_check_clean(cli, name, ext):
    r = cli("check", str(EX / f"{name}-申报数据.{ext}"), "--json")
    assert r.exit_code == 0, r.output
    assert as_json(r)["errors"] == 0


@pytest.mark.parametrize("name", ["硅铁厂", "水泥厂", "绿色园区", "汽车链主"])
def test_yaml_and_xlsx_give_the_same_evaluation(cli, name):
    a = as_json(cli("score", str(EX / f"{name}-申报数据.yaml"), "--json"))
    b = as_json(cli("score", str(EX / f"{name}-申报数据.xlsx"), "--json"))
    assert a == b


@pytest.mark.parametrize("name", NAMES)
def test_2023_fixtures_still_check_clean(cli, name):
    r = cli("check", str(FIX2023 / f"{name}-申报数据.yaml"), "--json")
    assert r.exit_code == 0, r.output
    js = as_json(r)
    assert js["errors"] == 0 and js["year"] == 2023


def test_examples_are_for_the_latest_round(cli):
    years = {n: as_json(cli("check", str(EX / f"{n}-申报数据.yaml"), "--json"))["year"] for n in NAMES}
    assert years == {"硅铁厂": 2026, "水泥厂": 2026, "绿色园区": 2025, "汽车链主": 2024}


def _comparable(app):
    """Everything an Application says, without where it was said (file, line, cell)."""
    return {
        "category": app.category, "year": app.year,
        "info": {k: f.value for k, f in app.info.items()},
        "years": [(y.year, y.output_value, y.value_added, y.energy_total, y.value_added_share) for y in app.years],
        "energy": [(e.carrier, e.unit, e.amounts) for e in app.energy],
        "products": [(p.name, p.unit, p.output, p.unit_energy, p.unit_energy_unit, p.claims_benchmark, p.intermediate)
                     for p in app.products],
        "raw": [(r.item, r.part, r.amounts) for r in app.raw],
        "gates": [(a.id, a.result, a.evidence) for a in app.gates],
        "answers": [(a.id, a.result, a.value, a.evidence, a.self_points, a.evaluator_points, a.evaluator_note)
                    for a in app.answers],
        "exclusions": {k: f.value for k, f in app.exclusions.items()},
        "attachments": [a.name for a in app.attachments],
    }


@pytest.mark.parametrize("name", NAMES)
def test_yaml_to_xlsx_round_trip_keeps_every_value(cli, tmp_path, name):
    from gmdocs.application.read import load_application
    src = EX / f"{name}-申报数据.yaml"
    a, fa = load_application(src)
    out = tmp_path / f"{name}.xlsx"
    r = cli("init", a.category, "-o", str(out), "--from", str(src))
    assert r.exit_code == 0, r.output
    b, fb = load_application(out)
    assert not [f for f in fa + fb if f.severity == "error"]
    assert _comparable(b) == _comparable(a)
    if a.category == "factory":
        assert a.raw and any(p.intermediate for p in a.products) == (name == "水泥厂")
        assert all(x.self_points is not None for x in a.answers)
    # the shipped workbook is the regenerated one: same values, attachments resolving to the same files
    shipped, _ = load_application(EX / f"{name}-申报数据.xlsx")
    assert _comparable(shipped) == _comparable(a)
    assert [x.path for x in shipped.attachments] == [x.path for x in a.attachments]


def test_round_trip_converts_raw_units_and_keeps_an_omitted_year(cli, tmp_path):
    from gmdocs.application.read import load_application
    text = FESI.read_text(encoding="utf-8").replace("年度: 2026\n", "")
    text = text.replace("{项目: 重复利用水量, 单位: 万m³, 2023: 1248,", "{项目: 重复利用水量, 单位: 万m³, 2023: 1248.5,")
    text = text.replace("{项目: 用地面积, 单位: m², 2023: 262000, 2024: 262000, 2025: 262000}",
                        "{项目: 用地面积, 单位: 亩, 2023: 393, 2024: 393, 2025: 393}")
    src = tmp_path / "无年度.yaml"
    src.write_text(absolute_attachments(text), encoding="utf-8")
    a, _ = load_application(src)
    assert a.year is None
    out = tmp_path / "无年度.xlsx"
    assert cli("init", "factory", "-o", str(out), "--from", str(src)).exit_code == 0
    b, _ = load_application(out)
    ca, cb = _comparable(a), _comparable(b)
    # 亩 → m² is not exact in binary: the workbook keeps 15–17 significant digits
    assert [(i, p, pytest.approx(v, rel=1e-12)) for i, p, v in ca.pop("raw")] == cb.pop("raw")
    assert b.year is None and cb == ca
    land = next(e for e in b.raw if e.item == "land_area")
    assert land.unit == "m²" and land.amounts[2025] == pytest.approx(393 * 10000 / 15)
    assert load_workbook(out)["经济与能源汇总"]["A4"].value == 2025      # the latest round's data years


def variant(tmp_path, old, new, src=FESI_2023, name="v.yaml"):
    text = src.read_text(encoding="utf-8")
    assert old in text, old
    p = tmp_path / name
    text = absolute_attachments(text.replace(old, new, 1))
    p.write_text(text, encoding="utf-8")
    return p


def findings(cli, path, *extra):
    r = cli("check", str(path), "--json", *extra)
    return r, as_json(r)["findings"] if r.stdout.strip().startswith("{") else []


def codes(fs, severity="error"):
    return {f["code"] for f in fs if f["severity"] == severity}


CASES = [
    ("名称: （示例）北辰硅铁合金有限公司", "名称:", "required", "必填项未填写"),
    ("工业增加值: 58600", "工业增加值: 五万八", "input", "应为数字"),
    ("91150300MA0N7Q2X1A", "91150300MA0N7Q2X1B", "uscc", "校验码错误"),
    ("E2: 否", "E2: 是", "exclusion", "不得申报"),
    ("E6: 否\n", "", "exclusion-undeclared", "未声明"),
    ("综合能耗: 52040.2", "综合能耗: 60000", "energy-sum", "相差"),
    ("2021: 1695.0", "2021: 1500", "unit-energy", "单位产品综合能耗申报"),
    ("  - 年份: 2020", "  - 年份: 2019", "data-years", "不是 2023 年度申报应填的近三年"),
    ("单位: 万kWh", "单位: 万千卡", "energy-carrier", "无法识别"),
    ("{编号: G2, 结论: 符合", "{编号: G2, 结论: 不符合", "gate-failed", "一票否决"),
]


@pytest.mark.parametrize("old,new,code,text", CASES)
def test_each_check_fires_with_location(cli, tmp_path, old, new, code, text):
    p = variant(tmp_path, old, new)
    r, fs = findings(cli, p)
    assert r.exit_code == 1, r.output
    hit = [f for f in fs if f["code"] == code]
    assert hit, fs
    assert any(text in f["message"] for f in hit), hit
    assert all(f["where"].startswith(str(p.name)) or str(p) in f["where"] or "v.yaml" in f["where"] for f in hit)


def test_missing_field_points_at_its_line(cli, tmp_path):
    p = variant(tmp_path, "名称: （示例）北辰硅铁合金有限公司", "名称:")
    _, fs = findings(cli, p)
    f = next(f for f in fs if f["field"] == "名称")
    assert f["where"].endswith("v.yaml:6")


def test_benchmark_claim_contradicted(cli, tmp_path):
    p = variant(tmp_path, "2022: 1678.7}", "2022: 1800.0}")
    _, fs = findings(cli, p)
    msg = next(f["message"] for f in fs if f["code"] == "benchmark-claim")
    assert "高于标杆水平 1770" in msg and "723" in msg


def test_claim_on_missing_benchmark_is_a_warning(cli, tmp_path):
    p = variant(tmp_path, "声明达到标杆水平: 否", "声明达到标杆水平: 是", src=EX / "水泥厂-申报数据.yaml")
    r, fs = findings(cli, p)
    assert r.exit_code == 0
    assert "benchmark-claim" in codes(fs, "warning")


def test_warnings_alone_exit_0_and_unknown_industry_warns(cli, tmp_path):
    p = variant(tmp_path, "所属行业: 铁合金冶炼", "所属行业: 量子材料制造", src=FESI)
    r, fs = findings(cli, p)
    assert r.exit_code == 0
    # no industry standard exists: that is information, not a warning (issue 9, "the right basis")
    assert any(f["code"] == "industry-standard" and "按通则" in f["message"] for f in fs if f["severity"] == "info")


def test_park_conditions(cli, tmp_path):
    src = EX / "绿色园区-申报数据.yaml"
    p = variant(tmp_path, "工业增加值占比: 69.0", "工业增加值占比: 48.5", src=src)
    # 2025: the notice's park conditions were not found, so the share is not checked against a guessed 50 %:
    # a warning names the gap and where the threshold would be found.
    _, fs = findings(cli, p)
    share = [f for f in fs if f["code"] == "park-share"]
    assert share and all(f["severity"] == "warning" for f in share)
    assert "campaign-2025/categories/park/value_added_share_over" in share[0]["message"] and "390号" in share[0]["message"]
    # 2023: the threshold (> 50 %) comes from the 2023 notice in the campaign data.
    _, fs = findings(cli, p, "--year", "2023")
    assert any(f["code"] == "park-share" and f["severity"] == "error" and "48.5%" in f["message"]
               and "须超过 50%" in f["message"] for f in fs)
    # the 2023 notice's conditions on the park's 基本信息 (campaign data), each at its own line
    p = variant(tmp_path, "园区级别: 省级", "园区级别: 市级", src=src, name="w.yaml")
    line = next(i for i, ln in enumerate(p.read_text(encoding="utf-8").splitlines(), 1) if "园区级别" in ln)
    _, fs = findings(cli, p, "--year", "2023")
    assert any(f["code"] == "eligibility" and f["severity"] == "error" and f["where"].endswith(f":{line}")
               and "“市级”" in f["message"] and "2023 年度申报条件“省级及以上工业园区”" in f["message"] for f in fs), fs
    # 2025: only the provincial-list condition is sourced; the 2023 conditions are not applied to another year
    _, fs = findings(cli, p)
    assert not any("省级及以上" in f["message"] for f in fs)
    p = variant(tmp_path, "具有法定边界和范围: 是", "具有法定边界和范围: 否", src=src, name="x.yaml")
    _, fs = findings(cli, p, "--year", "2023")
    assert any(f["code"] == "eligibility" and "具有法定边界和范围" in f["message"] for f in fs)


def test_provincial_list_condition_follows_the_year_and_the_level(cli, tmp_path):
    park = EX / "绿色园区-申报数据.yaml"
    # 2025 (工信厅节函〔2025〕390号, single source): a park not on the provincial list is refused at national level
    p = variant(tmp_path, "已列入省级绿色制造名单: 是", "已列入省级绿色制造名单: 否", src=park)
    r, fs = findings(cli, p)
    hit = [f for f in fs if f["code"] == "eligibility"]
    assert r.exit_code == 1 and hit and hit[0]["severity"] == "error" and "申报园区须已列入省级绿色制造名单" in hit[0]["message"]
    assert as_json(r)["conditions"] == [{"text": "申报园区须已列入省级绿色制造名单", "shown": "已列入省级绿色制造名单：否",
                                         "met": False, "binding": True, "confidence_mark": "【未核实：单一来源】"}]
    assert "【未核实：单一来源】" in hit[0]["message"]
    # …but not when it applies for the provincial list itself
    p2 = variant(tmp_path, "已列入省级绿色制造名单: 是", "已列入省级绿色制造名单: 否\n  申报层级: 省级", src=park, name="b.yaml")
    _, fs = findings(cli, p2)
    assert not [f for f in fs if f["code"] == "eligibility"]
    # left empty: said, not assumed
    p3 = variant(tmp_path, "  已列入省级绿色制造名单: 是\n", "", src=park, name="c.yaml")
    _, fs = findings(cli, p3)
    assert any(f["code"] == "eligibility" and f["severity"] == "warning" and "未填写“已列入省级绿色制造名单”" in f["message"]
               for f in fs)
    # 2024: the park conditions were not found: a warning names the gap, no other year's rule is applied
    _, fs = findings(cli, p, "--year", "2024")
    el = [f for f in fs if f["code"] == "eligibility"]
    assert len(el) == 1 and el[0]["severity"] == "warning" and "申报条件未收录" in el[0]["message"]
    # 2026 factory: the rule is carried over from the standing 2024 measures (uncertain): a warning, not an error
    p4 = variant(tmp_path, "已列入省级绿色制造名单: 是", "已列入省级绿色制造名单: 否", src=FESI, name="d.yaml")
    _, fs = findings(cli, p4)
    el = [f for f in fs if f["code"] == "eligibility"]
    assert el and all(f["severity"] == "warning" for f in el) and "【未核实：存疑】" in el[0]["message"]


def test_supply_chain_not_in_2025(cli):
    r, fs = findings(cli, EX / "汽车链主-申报数据.yaml", "--year", "2025")
    assert r.exit_code == 1
    assert any(f["code"] == "campaign" and "没有“绿色供应链管理企业”类别" in f["message"] for f in fs)


def test_xlsx_errors_name_sheet_and_cell(cli, tmp_path):
    p = tmp_path / "a.xlsx"
    shutil.copy(EX / "硅铁厂-申报数据.xlsx", p)
    wb = load_workbook(p)
    wb["基本信息"]["B5"] = "91150300MA0N7Q2X1B"        # 统一社会信用代码 row
    wb["经济与能源汇总"]["C3"] = "六万三千八"
    wb["能源消费"]["C2"] = "23,512.5"                   # number stored as text with a comma: fine
    wb.save(p)
    r, fs = findings(cli, p)
    assert r.exit_code == 1
    where = {f["code"]: f["where"] for f in fs if f["severity"] == "error"}
    assert where["uscc"].endswith("基本信息!B5")
    assert where["input"].endswith("经济与能源汇总!C3")
    assert "energy-carrier" not in where


def test_bom_and_text_numbers_load(cli, tmp_path):
    text = FESI.read_text(encoding="utf-8").replace("工业增加值: 3790", "工业增加值: \"3,790\"")
    text = absolute_attachments(text)
    p = tmp_path / "带BOM的文件.yaml"
    p.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    r = cli("check", str(p))
    assert r.exit_code == 0, r.output


@pytest.mark.parametrize("content,msg", [
    ("类别: [未闭合", "无法读取申报数据"),
    ("- 只是一个列表", "顶层应为映射"),
    ("类别: 绿色商店\n", "类别应为"),
])
def test_bad_files_exit_2(cli, tmp_path, content, msg):
    p = tmp_path / "bad.yaml"
    p.write_text(content, encoding="utf-8")
    r = cli("check", str(p))
    assert r.exit_code == 2 and msg in r.stderr and "Traceback" not in r.output


def test_missing_and_unsupported_and_corrupt_files_exit_2(cli, tmp_path):
    assert cli("check", str(tmp_path / "none.yaml")).exit_code == 2
    (tmp_path / "a.csv").write_text("x", encoding="utf-8")
    assert "不支持的申报数据格式" in cli("check", str(tmp_path / "a.csv")).stderr
    (tmp_path / "b.xlsx").write_bytes(b"not a zip")
    r = cli("check", str(tmp_path / "b.xlsx"))
    assert r.exit_code == 2 and "无法打开 Excel 文件" in r.stderr


def test_init_writes_blank_inputs_that_load_and_never_overwrite(cli, tmp_path):
    for cat in ("factory", "park", "supply-chain"):
        for ext in ("yaml", "xlsx"):
            out = tmp_path / f"{cat}.{ext}"
            r = cli("init", cat, "--year", "2023", "-o", str(out))
            assert r.exit_code == 0, r.output
            r = cli("check", str(out), "--json")
            assert r.exit_code == 1 and "required" in codes(as_json(r)["findings"])
    wb = load_workbook(tmp_path / "factory.xlsx")
    assert {"说明", "基本信息", "经济与能源汇总", "能源消费", "产品", "基本要求", "指标", "排除情形"} <= set(wb.sheetnames)
    assert wb["排除情形"].data_validations.dataValidation, "是/否 drop-down"
    assert [c.value for c in wb["经济与能源汇总"]["A"][1:4]] == [2020, 2021, 2022]
    before = (tmp_path / "factory.yaml").read_bytes()
    r = cli("init", "factory", "-o", str(tmp_path / "factory.yaml"))
    assert r.exit_code == 2 and "已存在" in r.stderr
    assert (tmp_path / "factory.yaml").read_bytes() == before
    r = cli("init", "supply-chain", "--year", "2025", "-o", str(tmp_path / "sc.yaml"))
    assert r.exit_code == 2 and "没有“绿色供应链管理企业”类别" in r.stderr


def test_init_blanks_have_raw_data_intermediate_products_and_points(cli, tmp_path):
    import yaml
    from gmdocs.application.spec import RAW_ITEMS, RAW_UNITS
    y, x = tmp_path / "f.yaml", tmp_path / "f.xlsx"
    assert cli("init", "factory", "--year", "2026", "-o", str(y)).exit_code == 0
    assert cli("init", "factory", "--year", "2026", "-o", str(x)).exit_code == 0
    text = y.read_text(encoding="utf-8")
    assert "原始数据:" in text and "中间产品: 否" in text
    for item in RAW_ITEMS:
        assert f"{item.label}：单位：{RAW_UNITS[item.kind][0]}" in text
        assert f"# - {{项目: {item.label}," in text
    assert text.count("自评得分:") == text.count("核定得分:") == text.count("评价说明:") == text.count("  - 编号: ") - 4
    # every commented raw row, once enabled, is valid YAML that loads
    enabled = text.replace("  # - {项目:", "  - {项目:")
    data = yaml.safe_load(enabled)
    assert [r["项目"] for r in data["原始数据"]] == [i.label for i in RAW_ITEMS]
    assert set(data["原始数据"][0]) == {"项目", "分项", "单位", 2023, 2024, 2025, "备注"}
    wb = load_workbook(x)
    raw = wb["原始数据"]
    assert [c.value for c in raw[1]] == ["项目", "分项", "单位", "2023年", "2024年", "2025年", "备注"]
    assert raw.freeze_panes == "A2"
    lists = {str(d.sqref): d.formula1 for d in raw.data_validations.dataValidation if d.type == "list"}
    opts = wb["选项"]
    assert opts.sheet_state == "hidden"
    col = lists["A2:A200"].split("!")[1].replace("$", "").split(":")[0][0]
    assert [opts[f"{col}{i}"].value for i in range(1, len(RAW_ITEMS) + 1)] == [i.label for i in RAW_ITEMS]
    ucol = lists["C2:C200"].split("!")[1].replace("$", "").split(":")[0][0]
    units = {opts[f"{ucol}{i}"].value for i in range(1, 200) if opts[f"{ucol}{i}"].value}
    assert units == {u for _, table in RAW_UNITS.values() for u in table} | {c for c, _ in RAW_UNITS.values()}
    assert wb["产品"]["K1"].value == "中间产品"
    product_lists = wb["产品"].data_validations.dataValidation
    assert any(str(d.sqref).startswith("K2") and d.formula1 == '"是,否"' for d in product_lists)
    ind = wb["指标"]
    assert [ind[f"{c}1"].value for c in "HIJ"] == ["自评得分", "核定得分", "评价说明"]
    dec = [d for d in ind.data_validations.dataValidation if d.type == "decimal"]
    assert dec and str(dec[0].sqref).startswith("H2:I")
    assert dec[0].operator == "greaterThanOrEqual" and dec[0].formula1 == "0"
    notes = "\n".join(str(c.value) for c in wb["说明"]["A"] if c.value)
    assert all(item.label in notes for item in RAW_ITEMS) and "中间产品" in notes


def test_library_api_returns_plain_data():
    app, read = gmdocs.load_application(FESI_2023)
    rep = gmdocs.check(app, read_findings=read)
    assert rep.ok and rep.energy[2022].tce == pytest.approx(52040.2, abs=0.1)
    ev = gmdocs.score(app)
    assert ev.rulebook == "gbt36132-2018-factory" and ev.total is None
    bench = {(b.document, b.position) for b in ev.benchmarks}
    assert ("发改产业〔2023〕723号", "达到标杆水平") in bench
    json.dumps(ev.to_json(), ensure_ascii=False)


def test_score_withholds_totals_and_names_the_gaps(cli):
    js = as_json(cli("score", str(FESI_2023), "--json"))
    assert js["total"] is None and "无法计算" in js["total_withheld"]
    assert js["next_step"] and "gmdocs rules form" in js["next_step"]
    paths = {n["path"] for n in js["needs"]}
    assert "gbt36132-2018-factory/groups/管理体系/weight" in paths
    assert "gbt36132-2018-factory/scoring/pass_mark" in paths
    res = {r["id"]: r for r in js["indicators"]}
    assert res["产品-碳足迹"]["result"] == "不符合"
    # computed from the energy data with the formula (GB/T 2589-2020), not the typed 1678.7
    assert res["绩效-单位产品综合能耗"]["value"] == pytest.approx(1678.7, rel=0.001)
    assert res["绩效-单位产品综合能耗"]["value_source"] == "计算"


GSCM_SUPPLEMENT = """
kind: supplement
title: 测试用：供应链定量指标计分规则
fills:
  - {gap: gscm-general/groups/X2/indicators/X26/baseline, value: 50, sources: [{ref: 测试资料 第1条}]}
  - {gap: gscm-general/groups/X2/indicators/X26/leading, value: 90, sources: [{ref: 测试资料 第1条}]}
  - {gap: gscm-general/groups/X4/indicators/X41/baseline, value: 50, sources: [{ref: 测试资料 第2条}]}
  - {gap: gscm-general/groups/X4/indicators/X41/leading, value: 95, sources: [{ref: 测试资料 第2条}]}
  - {gap: gscm-general/groups/X4/indicators/X42/baseline, value: 60, sources: [{ref: 测试资料 第3条}]}
  - {gap: gscm-general/groups/X4/indicators/X42/leading, value: 90, sources: [{ref: 测试资料 第3条}]}
"""


def test_hand_computed_total_with_user_supplement(cli, tmp_path):
    """The automobile example, scored against the general supply-chain requirements.

    By hand (max points from the catalogue; X25 and X63 answered 不符合):
      X1 战略      X11 8 + X12 6 + X13 6                                  = 20
      X2 供应商    X21 4 + X22 3 + X23 3 + X24 3 + X25 0
                   + X26 4 × (86.5 − 50)/(90 − 50) = 4 × 0.9125 = 3.65    = 16.65
      X3 生产      X31 10 + X32 10                                        = 20
      X4 回收      X41 5 × (72 − 50)/(95 − 50) = 2.44; X42 91 ≥ 90 → 5;
                   X43 5 + X44 5                                          = 17.44
      X5 平台      X51 10                                                 = 10
      X6 披露      X61 2.5 + X62 2.5 + X63 0 + X64 2.5                    = 7.5
      total = 20 + 16.65 + 20 + 17.44 + 10 + 7.5                           = 91.59
    """
    data = write_tree(tmp_path / "data", {"gscm.yaml": GSCM_SUPPLEMENT})
    r = cli("--data-dir", str(data), "score", str(EX / "汽车链主-申报数据.yaml"), "--json")
    assert r.exit_code == 0, r.output
    js = as_json(r)
    groups = {g["id"]: g["points"] for g in js["groups"]}
    assert groups == {"X1": 20, "X2": 16.65, "X3": 20, "X4": 17.44, "X5": 10, "X6": 7.5}
    assert js["total"] == pytest.approx(91.59)
    assert js["total_max"] == 100
    assert set(js["user_supplied"]) == {"X26 低风险供应商占比", "X41 产品回收率", "X42 包装回收率"}
    text = cli("--data-dir", str(data), "score", str(EX / "汽车链主-申报数据.yaml")).stdout
    assert "总分：91.59/100" in text and "依据用户补充的数据" in text
    without = as_json(cli("score", str(EX / "汽车链主-申报数据.yaml"), "--json"))
    assert without["total"] is None
