"""The evaluator's project ledger (评价项目台账): reading, the per-evaluator cap by year, init, status, build."""
import datetime as dt
import json
from types import SimpleNamespace

import pytest
from openpyxl import Workbook, load_workbook

from gmdocs.catalogue import read_catalogue
from gmdocs.errors import GmdocsError
from gmdocs.ledger import (SHEET, Project, add_project, count_caps, read_ledger, status_of, write_blank_ledger)

from .conftest import ROOT, SHIPPED

EX = ROOT / "examples"
FESI = EX / "硅铁厂-申报数据.yaml"
EVALUATOR = EX / "评价机构.yaml"
ENGAGEMENT = EX / "评价记录-硅铁厂.yaml"
CAT = read_catalogue(SHIPPED, use_user_data=False)
CATS = ("factory", "park", "supply-chain")
HEAD = ["年度", "受评价方名称", "统一社会信用代码", "类别", "层级", "评价机构", "机构统一社会信用代码", "法定代表人", "报告日期"]


def proj(i, year=2023, evaluator="甲评价有限公司", rep="王一", level="国家级", code=None, day=None):
    return Project(year, f"企业{i}", f"91110000MA0000{i:04d}", CATS[i % 3], level, evaluator, code, rep,
                   day or dt.date(year, 3, 1) + dt.timedelta(days=i), f"t:{i}")


def plain(projects):
    return [{k: v for k, v in p.to_json().items() if k != "loc"} for p in projects]


# ------------------------------------------------------------------ counting
def test_2023_one_legal_entity_over_the_batch_cap():
    ps = [proj(i) for i in range(16)]
    ps[3].evaluator_uscc = "91110108MA01A2B3CF"        # one row gives the code: the same entity all the same
    ps[15], ps[7] = ps[7], ps[15]                       # position does not decide, the report date does
    ps.append(proj(99, year=2024))                      # another year: not counted
    (st,) = count_caps(ps, CAT, 2023)
    assert st.count == 16 and st.limit == 15 and st.state == "over"
    assert {p.category for p in st.counted} == set(CATS)
    assert [p.applicant for p in st.over] == ["企业15"]
    assert st.label == "机构：甲评价有限公司"
    assert "202号" in st.rule and "15" in st.rule


def test_same_legal_rep_separate_in_2023_together_from_2024():
    for year in (2023, 2024):
        ps = [proj(i, year, "甲评价有限公司", "王一") for i in range(8)] + \
             [proj(i, year, "乙检测有限公司", " 王一 ") for i in range(8, 16)]
        sts = count_caps(ps, CAT, year)
        if year == 2023:
            assert sorted(s.count for s in sts) == [8, 8] and {s.state for s in sts} == {"ok"}
        else:
            (st,) = sts
            assert st.count == 16 and st.state == "over"
            assert st.label == "法定代表人：王一（甲评价有限公司、乙检测有限公司）"
            assert "第二十条" in st.rule and "国家层面" in st.rule


def test_provincial_projects_listed_not_counted_in_2024():
    ps = [proj(i, 2024) for i in range(14)] + [proj(i, 2024, level="省级") for i in range(14, 20)]
    (st,) = count_caps(ps, CAT, 2024)
    assert st.count == 14 and len(st.not_counted) == 6 and st.state == "warn" and not st.over


def test_warn_from_13():
    assert count_caps([proj(i, 2024) for i in range(12)], CAT, 2024)[0].state == "ok"
    st = count_caps([proj(i, 2024) for i in range(13)], CAT, 2024)[0]
    assert st.state == "warn" and st.state_text.startswith("接近上限")
    assert count_caps([proj(i, 2024) for i in range(15)], CAT, 2024)[0].state == "warn"


def test_unknown_cap_is_said():
    (st,) = count_caps([proj(i, 2031) for i in range(20)], SimpleNamespace(campaigns={}), 2031)
    assert st.state == "unknown" and st.limit is None and "未收录" in st.rule and not st.over


# ------------------------------------------------------------------ reading
YAML_LEDGER = """\
# 评价项目台账
项目:
  - 年度: 2024
    受评价方名称: 甲厂
    统一社会信用代码: ９１１１００００ma00000001
    类别: 绿色工厂
    层级: 国家级
    评价机构: 甲评价有限公司
    机构统一社会信用代码: 91110108MA01A2B3CF
    法定代表人: 王一
    报告日期: 2024-05-06
  - 年度: 2024年
    受评价方名称: 乙园区
    统一社会信用代码: 91110000MA00000002
    类别: park
    层级: 省级
    评价机构: 甲评价有限公司
    法定代表人: 王一
"""


def xlsx_ledger(path, rows, head=HEAD, sheet=SHEET):
    wb = Workbook()
    ws = wb.active
    ws.title = sheet
    ws.append(head)
    for r in rows:
        ws.append(r)
    wb.save(path)
    return path


def test_yaml_and_xlsx_read_the_same(tmp_path):
    y = tmp_path / "台账.yaml"
    y.write_text(YAML_LEDGER, encoding="utf-8")
    head = ["评价机构", "法定代表人", "年度", "受评价方名称", "统一社会信用代码", "类别", "层级", "报告日期", "机构统一社会信用代码", "备注"]
    x = xlsx_ledger(tmp_path / "台账.xlsx", [
        ["甲评价有限公司", "王一", 2024, "甲厂", "91110000MA00000001", "绿色工厂", "国家级", dt.datetime(2024, 5, 6),
         "91110108ma01a2b3cf", "随便写"],
        [None] * 10,                                     # empty rows are skipped
        ["甲评价有限公司", "王一", "2024", "乙园区", "91110000MA00000002", "绿色工业园区", "省级", None, None, None],
    ], head)
    a, b = read_ledger(y), read_ledger(x)
    assert plain(a) == plain(b)
    assert a[0].uscc == "91110000MA00000001" and a[0].report_date == dt.date(2024, 5, 6)
    assert a[1].category == "park" and a[1].level == "省级" and a[1].year == 2024
    assert a[0].loc.endswith("台账.yaml:3") and b[1].loc.endswith(f"台账.xlsx {SHEET}!D4")


def test_bad_rows_are_named(tmp_path):
    y = tmp_path / "坏.yaml"
    y.write_text("项目:\n  - 年度: 二〇二四\n    受评价方名称: 甲厂\n    统一社会信用代码: X1\n    类别: 绿色工場\n"
                 "    评价机构: 甲\n    报告日期: 2024-13-45\n    颜色: 红\n", encoding="utf-8")
    with pytest.raises(GmdocsError) as e:
        read_ledger(y)
    assert e.value.exit_code == 2
    got = {(p.field, p.line) for p in e.value.problems}
    assert {("年度", 2), ("类别", 5), ("报告日期", 7), ("颜色", 8), ("法定代表人", 2)} <= got
    assert any("绿色工場" in p.message for p in e.value.problems)
    x = xlsx_ledger(tmp_path / "坏.xlsx", [
        [2024, "甲厂", "91110000MA00000001", "绿色工厂", "国家级", "甲", None, "王一", "2024-05-06"],
        [2024, None, "91110000MA00000002", "绿色工场", "国家", "甲", None, None, "下周"],
    ])
    with pytest.raises(GmdocsError) as e:
        read_ledger(x)
    where = {p.file.split(" ", 1)[1]: p.field for p in e.value.problems}
    assert where == {f"{SHEET}!B3": "受评价方名称", f"{SHEET}!D3": "类别", f"{SHEET}!H3": "法定代表人",
                     f"{SHEET}!I3": "报告日期"}
    with pytest.raises(GmdocsError) as e:
        read_ledger(xlsx_ledger(tmp_path / "表名.xlsx", [], sheet="Sheet1"))
    assert SHEET in str(e.value) and e.value.exit_code == 2


# ------------------------------------------------------------------ writing
def test_init_writes_a_ledger_that_reads_back(cli, tmp_path):
    out = tmp_path / "台账.xlsx"
    r = cli("evaluator", "init", "-o", str(out))
    assert r.exit_code == 0, r.output
    assert read_ledger(out) == []
    wb = load_workbook(out)
    ws = wb[SHEET]
    assert [c.value for c in ws[1]] == HEAD
    assert ws.freeze_panes == "A2" and ws.auto_filter.ref.startswith("A1:I")
    lists = {dv.formula1 for dv in ws.data_validations.dataValidation if dv.type == "list"}
    assert '"绿色工厂,绿色工业园区,绿色供应链管理企业"' in lists and '"国家级,省级"' in lists
    assert ws.column_dimensions["I"].number_format == "yyyy-mm-dd"
    notes = " ".join(str(c.value) for row in wb["填写说明"].iter_rows() for c in row if c.value)
    assert "工信厅节函〔2023〕202号" in notes and "第二十条" in notes and "法定代表人" in notes
    r = cli("evaluator", "init", "-o", str(out))
    assert r.exit_code == 2 and "--force" in r.stderr
    assert cli("evaluator", "init", "-o", str(out), "--force").exit_code == 0


def test_add_project_appends_once_and_keeps_the_form(tmp_path):
    x = write_blank_ledger(tmp_path / "台账.xlsx")
    p = proj(1, 2024)
    assert add_project(x, p) is True
    assert add_project(x, proj(1, 2024, day=dt.date(2024, 9, 9))) is False       # same engagement
    assert add_project(x, proj(2, 2024)) is True
    assert plain(read_ledger(x)) == plain([p, proj(2, 2024)])
    ws = load_workbook(x)[SHEET]
    assert len(ws.data_validations.dataValidation) >= 2 and ws.auto_filter.ref == "A1:I3"
    assert ws["I2"].number_format == "yyyy-mm-dd"
    assert not [f for f in tmp_path.iterdir() if f.suffix in (".tmp", ".lock")]     # nothing beside the ledger
    y = tmp_path / "台账.yaml"
    y.write_text(YAML_LEDGER, encoding="utf-8")
    assert add_project(y, p) is True and add_project(y, p) is False
    text = y.read_text(encoding="utf-8")
    assert text.startswith("# 评价项目台账") and len(read_ledger(y)) == 3
    assert plain(read_ledger(y))[-1] == plain([p])[0]


def test_add_project_refuses_a_broken_ledger(tmp_path):
    y = tmp_path / "台账.yaml"
    y.write_text("项目:\n  - 年度: 2024\n", encoding="utf-8")
    before = y.read_bytes()
    with pytest.raises(GmdocsError):
        add_project(y, proj(1, 2024))
    assert y.read_bytes() == before


# ------------------------------------------------------------------ CLI status
def test_status_json_and_exit_code(cli, tmp_path):
    x = write_blank_ledger(tmp_path / "台账.xlsx")
    for i in range(16):
        add_project(x, proj(i, 2023))
    add_project(x, proj(1, 2024))
    r = cli("evaluator", "status", str(x), "--year", "2023", "--json")
    assert r.exit_code == 1
    doc = json.loads(r.stdout)
    assert doc["year"] == 2023 and doc["over"] is True and doc["limit"] == 15
    (g,) = doc["groups"]
    assert g["count"] == 16 and g["state"] == "over" and [p["applicant"] for p in g["over"]] == ["企业15"]
    assert g["over"][0]["loc"].endswith(f"{SHEET}!B17")
    r = cli("evaluator", "status", str(x), "--year", "2023")
    assert r.exit_code == 1 and "超过上限" in r.stdout and "16/15" in r.stdout and f"{SHEET}!B17" in r.stdout
    r = cli("evaluator", "status", str(x))                  # the latest year: 2024
    assert r.exit_code == 0 and "2024 年度" in r.stdout and "正常" in r.stdout
    assert json.loads(cli("evaluator", "status", str(x), "--json").stdout)["year"] == 2024
    r = cli("evaluator", "status", str(tmp_path / "无.xlsx"))
    assert r.exit_code == 2 and "evaluator init" in r.stderr


# ------------------------------------------------------------------ build --ledger
def third_party(cli, out, ledger, *extra):
    return cli("build", str(FESI), "-o", str(out), "--no-pdf", "--report", "third-party", "--evaluator", str(EVALUATOR),
               "--engagement", str(ENGAGEMENT), "--date", "2026-05-20", "--ledger", str(ledger), *extra)


def test_build_records_the_project(cli, tmp_path):
    ledger = tmp_path / "台账.xlsx"
    write_blank_ledger(ledger)
    add_project(ledger, proj(1, 2026, "（示例）华诚绿色制造评价中心有限公司", "何立平"))
    r = third_party(cli, tmp_path / "out", ledger)
    assert r.exit_code == 0, r.output
    assert "已记入评价项目台账" in r.stderr
    got = read_ledger(ledger)
    assert len(got) == 2
    new = got[-1]
    assert (new.year, new.applicant, new.uscc, new.category, new.level, new.legal_rep, new.evaluator_uscc,
            new.report_date) == (2026, "（示例）北辰硅铁合金有限公司", "91150300MA0N7Q2X1A", "factory", "国家级", "何立平",
                                 "91110108MA01A2B3CF", dt.date(2026, 5, 20))
    r = third_party(cli, tmp_path / "out", ledger, "--force")      # rebuilt: not recorded twice
    assert r.exit_code == 0 and "已有本项目" in r.stderr and len(read_ledger(ledger)) == 2


def test_build_refused_over_the_cap_unless_forced(cli, tmp_path):
    ledger = tmp_path / "台账.xlsx"
    write_blank_ledger(ledger)
    for i in range(15):        # another firm of the same legal representative: counted together from 2024 on
        add_project(ledger, proj(i, 2026, "（示例）华诚检测技术有限公司", "何立平"))
    add_project(ledger, proj(20, 2026, "（示例）华诚检测技术有限公司", "何立平", level="省级"))
    before = ledger.read_bytes()
    r = third_party(cli, tmp_path / "out", ledger)
    assert r.exit_code == 1
    assert "16 项" in r.stderr and "上限 15 项" in r.stderr and "第二十条" in r.stderr and "--force" in r.stderr
    assert not (tmp_path / "out").exists() and ledger.read_bytes() == before
    r = third_party(cli, tmp_path / "out", ledger, "--force")
    assert r.exit_code == 0, r.output
    assert "超过上限" in r.stderr and (tmp_path / "out" / "绿色工厂第三方评价报告.docx").exists()
    assert len(read_ledger(ledger)) == 17
    got = read_ledger(ledger)
    st = status_of(count_caps(got, CAT, 2026), got[-1])
    assert st.count == 16 and len(st.not_counted) == 1 and [p.applicant for p in st.over] == ["（示例）北辰硅铁合金有限公司"]


def test_ledger_only_with_third_party_reports(cli, tmp_path):
    ledger = write_blank_ledger(tmp_path / "台账.xlsx")
    r = cli("build", str(FESI), "-o", str(tmp_path / "o"), "--no-pdf", "--ledger", str(ledger))
    assert r.exit_code == 2 and "--ledger" in r.stderr and not (tmp_path / "o").exists()
    ev = tmp_path / "ev.yaml"
    ev.write_text("".join(ln for ln in EVALUATOR.read_text(encoding="utf-8").splitlines(True)
                          if not ln.startswith(("法定代表人", "资质材料", "  -"))), encoding="utf-8")
    r = cli("build", str(FESI), "-o", str(tmp_path / "o"), "--no-pdf", "--report", "third-party", "--evaluator", str(ev),
            "--engagement", str(ENGAGEMENT), "--ledger", str(ledger))
    assert r.exit_code == 2 and "法定代表人" in r.stderr and not (tmp_path / "o").exists()
    r = cli("build", str(FESI), "-o", str(tmp_path / "o"), "--no-pdf", "--report", "third-party",
            "--evaluator", str(EVALUATOR), "--engagement", str(ENGAGEMENT), "--ledger", str(tmp_path / "无.xlsx"))
    assert r.exit_code == 2 and "评价项目台账不存在" in r.stderr and not (tmp_path / "o").exists()


def test_concurrent_appends_all_land(tmp_path):
    from concurrent.futures import ThreadPoolExecutor
    for ledger in (write_blank_ledger(tmp_path / "台账.xlsx"), write_blank_ledger(tmp_path / "台账.yaml")):
        with ThreadPoolExecutor(8) as pool:
            assert all(pool.map(lambda i, ledger=ledger: add_project(ledger, proj(i, 2024)), range(12)))
        assert sorted(p.applicant for p in read_ledger(ledger)) == sorted(f"企业{i}" for i in range(12))
