"""Property: no input, however broken, ends in a traceback — only Chinese findings or a Chinese error."""
import re

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gmdocs.application.read import load_application
from gmdocs.application.spec import INFO_FIELDS, YEAR_FIELDS
from gmdocs.catalogue import read_catalogue
from gmdocs.errors import GmdocsError
from gmdocs.evaluate.checks import check
from gmdocs.evaluate.score import score

from .conftest import ROOT, SHIPPED

CAT = read_catalogue(SHIPPED, use_user_data=False)
HAN = re.compile(r"[\u4e00-\u9fff]")
LABELS = sorted({s.label for specs in INFO_FIELDS.values() for s in specs} | {s.label for s in YEAR_FIELDS})
TOP = ["类别", "年度", "基本信息", "经济与能源汇总", "能源消费", "产品", "原始数据", "基本要求", "指标", "排除情形"]

scalars = st.one_of(st.none(), st.booleans(), st.integers(-10**12, 10**12),
                    st.floats(allow_nan=True, allow_infinity=True), st.text(max_size=20),
                    st.sampled_from(["是", "否", "符合", "不符合", "不适用", "2022", "1,234.5", "１２３", "91350100M000100Y43",
                                     "绿色工厂", "绿色工业园区", "绿色供应链管理企业", "电力", "万kWh", "t", "气田天然气",
                                     "取水量", "m³", "颗粒物"]))
keys = st.one_of(st.sampled_from(LABELS + TOP + ["编号", "结论", "数值", "证据", "名称", "单位", "产量", "能源品种",
                                                 "单位产品综合能耗", "声明达到标杆水平", "E1", "G1", "X11", "项目", "分项",
                                                 "中间产品", "自评得分", "核定得分", "评价说明"]),
                 st.integers(2015, 2025), st.text(max_size=6))
values = st.recursive(scalars, lambda inner: st.one_of(st.lists(inner, max_size=4),
                                                       st.dictionaries(keys, inner, max_size=5)), max_leaves=25)
documents = st.fixed_dictionaries(
    {"类别": st.sampled_from(["绿色工厂", "绿色工业园区", "绿色供应链管理企业", "x", None]),
     "年度": st.one_of(st.sampled_from([2023, 2024, 2025, 2026, 1999, "二〇二三"]), scalars)},
    optional={k: values for k in TOP[2:]})


def run(path):
    try:
        app, found = load_application(path)
    except GmdocsError as err:
        assert HAN.search(str(err)), str(err)
        return 2
    rep = check(app, CAT, None, found)
    ev = score(app, CAT)
    for f in rep.findings:
        assert HAN.search(f.message), f
    ev.to_json()
    return 0 if rep.ok else 1


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(doc=documents)
def test_generated_yaml_never_tracebacks(tmp_path, doc):
    p = tmp_path / "gen.yaml"
    p.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    assert run(p) in (0, 1, 2)


EXAMPLE_LINES = (ROOT / "examples" / "硅铁厂-申报数据.yaml").read_text(encoding="utf-8").splitlines()


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(drop=st.sets(st.integers(0, len(EXAMPLE_LINES) - 1), max_size=6),
       edits=st.lists(st.tuples(st.integers(0, len(EXAMPLE_LINES) - 1), st.text(max_size=12)), max_size=4))
def test_mutated_example_never_tracebacks(tmp_path, drop, edits):
    lines = [ln for i, ln in enumerate(EXAMPLE_LINES) if i not in drop]
    for i, text in edits:
        if i < len(lines):
            head = lines[i].split(":")[0]
            lines[i] = f"{head}: {text}" if ":" in lines[i] else text
    p = tmp_path / "mut.yaml"
    p.write_text("\n".join(lines), encoding="utf-8")
    assert run(p) in (0, 1, 2)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(raw=st.binary(max_size=200))
def test_random_bytes_are_a_clear_error(tmp_path, raw):
    for ext in ("yaml", "xlsx"):
        p = tmp_path / f"raw.{ext}"
        p.write_bytes(raw)
        assert run(p) in (0, 1, 2)


XLSX = ROOT / "examples" / "硅铁厂-申报数据.xlsx"
SHEETS = ["基本信息", "经济与能源汇总", "能源消费", "产品", "原始数据", "基本要求", "指标", "排除情形", "附件"]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(edits=st.lists(st.tuples(st.sampled_from(SHEETS), st.integers(1, 40), st.integers(1, 10), scalars), max_size=8))
def test_mutated_xlsx_never_tracebacks(tmp_path, edits):
    from openpyxl import load_workbook
    wb = load_workbook(XLSX)
    for sheet, row, col, value in edits:
        if isinstance(value, float) and value != value:      # NaN cannot be stored
            value = "nan"
        if isinstance(value, str):                              # openpyxl refuses control characters
            value = "".join(ch for ch in value if ch.isprintable())
        wb[sheet].cell(row, col, value)
    p = tmp_path / "mut.xlsx"
    wb.save(p)
    assert run(p) in (0, 1, 2)
