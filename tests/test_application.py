"""Applications: examples check clean in both formats; every check fires on a failing input."""
import json
import shutil

import pytest
from openpyxl import load_workbook

import gmdocs

from .conftest import ROOT, as_json, write_tree

EX = ROOT / "examples"
FESI = EX / "硅铁厂-申报数据.yaml"


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


def variant(tmp_path, old, new, src=FESI, name="v.yaml"):
    text = src.read_text(encoding="utf-8")
    assert old in text, old
    p = tmp_path / name
    text = text.replace(old, new, 1).replace("文件: 证明材料/", f"文件: {EX.as_posix()}/证明材料/")
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
    p = variant(tmp_path, "所属行业: 铁合金冶炼", "所属行业: 量子材料制造")
    r, fs = findings(cli, p)
    assert r.exit_code == 0
    assert any(f["code"] == "industry-standard" and "按通则" in f["message"] for f in fs if f["severity"] == "warning")


def test_park_conditions(cli, tmp_path):
    src = EX / "绿色园区-申报数据.yaml"
    p = variant(tmp_path, "工业增加值占比: 69.0", "工业增加值占比: 48.5", src=src)
    _, fs = findings(cli, p)
    assert any(f["code"] == "park-share" and "48.5%" in f["message"] for f in fs)
    p = variant(tmp_path, "园区级别: 省级", "园区级别: 市级", src=src, name="w.yaml")
    _, fs = findings(cli, p)
    assert "park-level" in codes(fs)
    p = variant(tmp_path, "具有法定边界和范围: 是", "具有法定边界和范围: 否", src=src, name="x.yaml")
    _, fs = findings(cli, p)
    assert "park-condition" in codes(fs)


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
    text = FESI.read_text(encoding="utf-8").replace("工业增加值: 58600", "工业增加值: \"58,600\"")
    text = text.replace("文件: 证明材料/", f"文件: {EX.as_posix()}/证明材料/")
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


def test_library_api_returns_plain_data():
    app, read = gmdocs.load_application(FESI)
    rep = gmdocs.check(app, read_findings=read)
    assert rep.ok and rep.energy[2022].tce == pytest.approx(52040.2, abs=0.1)
    ev = gmdocs.score(app)
    assert ev.rulebook == "gbt36132-2018-factory" and ev.total is None
    bench = {(b.document, b.position) for b in ev.benchmarks}
    assert ("发改产业〔2023〕723号", "达到标杆水平") in bench
    json.dumps(ev.to_json(), ensure_ascii=False)


def test_score_withholds_totals_and_names_the_gaps(cli):
    js = as_json(cli("score", str(FESI), "--json"))
    assert js["total"] is None and "无法计算" in js["total_withheld"]
    paths = {n["path"] for n in js["needs"]}
    assert "gbt36132-2018-factory/groups/管理体系/weight" in paths
    assert "gbt36132-2018-factory/scoring/pass_mark" in paths
    res = {r["id"]: r for r in js["indicators"]}
    assert res["产品-碳足迹"]["result"] == "不符合"
    assert res["绩效-单位产品综合能耗"]["value"] == 1678.7


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
