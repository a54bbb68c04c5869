"""标准查新 on real .docx, .pdf, .md files made here: statuses, locations, exit codes, XLSX."""
import pytest
from docx import Document
from openpyxl import load_workbook

from .conftest import as_json
from .pdfmake import make_pdf


@pytest.fixture
def env(mini):
    return {"GMDOCS_STANDARDS": str(mini)}


def make_docx(path):
    doc = Document()
    doc.add_paragraph("本报告依据 GB/T 1-2018《测试标准甲》编写。")
    doc.add_paragraph("没有编号的段落。")
    table = doc.add_table(rows=2, cols=2)
    table.cell(1, 1).text = "引用 ＧＢ／Ｔ　１—２０２５"
    doc.save(path)
    return path


def test_docx_citations_with_locations_and_exit_1_for_abolished(cli, env, tmp_path):
    f = make_docx(tmp_path / "报告.docx")
    r = cli("standard", "check", str(f), "--json", env=env)
    assert r.exit_code == 1, r.output
    js = as_json(r)
    cites = {(c["cited_as"], c["location"], c["status"]) for c in js["citations"]}
    assert ("GB/T 1-2018", "第1段", "废止") in cites
    assert ("ＧＢ／Ｔ　１—２０２５", "表格1 第2行第2列", "现行") in cites
    old = next(c for c in js["citations"] if c["status"] == "废止")
    assert old["replaced_by"] == "GB/T 1-2025" and "已被 GB/T 1-2025 代替" in old["note"]
    assert js["abolished"] == 1


def test_pdf_citations_per_page(cli, env, tmp_path):
    f = make_pdf(tmp_path / "a.pdf", [["Basis: GB/T 1-2025"], ["Also GB 99999-2020 and JC/T 2634-2021"]])
    r = cli("standard", "check", str(f), "--json", env=env)
    assert r.exit_code == 0, r.output
    got = [(c["cited_as"], c["location"], c["status"]) for c in as_json(r)["citations"]]
    assert got == [("GB/T 1-2025", "第1页", "现行"), ("GB 99999-2020", "第2页", "未收录"),
                   ("JC/T 2634-2021", "第2页", "未收录")]


def test_undated_citation_and_prefix_is_strict(cli, env, tmp_path):
    f = tmp_path / "a.md"
    f.write_text("按 GB/T 1 执行；GB 1 不是同一个标准。\n", encoding="utf-8")
    cites = as_json(cli("standard", "check", str(f), "--json", env=env))["citations"]
    assert [(c["cited_as"], c["status"], c["number"]) for c in cites] == [
        ("GB/T 1", "现行", "GB/T 1-2025"), ("GB 1", "未收录", None)]
    assert "未注明年份" in cites[0]["note"]


def test_gbk_text_file(cli, env, tmp_path):
    f = tmp_path / "gbk.txt"
    f.write_bytes("依据 GB/T 1-2025 执行".encode("gbk"))
    cites = as_json(cli("standard", "check", str(f), "--json", env=env))["citations"]
    assert cites[0]["status"] == "现行" and cites[0]["location"] == "第1行"


def test_scanned_pdf_warns(cli, env, tmp_path):
    f = make_pdf(tmp_path / "scan.pdf", [[]])
    r = cli("standard", "check", str(f), env=env)
    assert r.exit_code == 0
    assert "没有可提取的文字" in r.stderr


def test_bad_inputs_are_chinese_errors(cli, env, tmp_path):
    r = cli("standard", "check", str(tmp_path / "nope.docx"), env=env)
    assert r.exit_code == 2 and "文件不存在" in r.stderr
    bad = tmp_path / "broken.pdf"
    bad.write_bytes(b"this is not a pdf at all")
    r = cli("standard", "check", str(bad), env=env)
    assert r.exit_code == 2 and "无法读取 PDF" in r.stderr and "Traceback" not in r.output
    bad = tmp_path / "broken.docx"
    bad.write_bytes(b"PK\x03\x04 nope")
    r = cli("standard", "check", str(bad), env=env)
    assert r.exit_code == 2 and "无法打开 Word 文件" in r.stderr
    r = cli("standard", "check", str(tmp_path / "x.xls"), env=env)
    assert r.exit_code == 2


def test_xlsx_report_and_no_overwrite(cli, env, tmp_path):
    f = make_docx(tmp_path / "r.docx")
    out = tmp_path / "查新报告.xlsx"
    r = cli("standard", "check", str(f), "--xlsx", str(out), env=env)
    assert r.exit_code == 1 and out.exists()
    ws = load_workbook(out)["查新结果"]
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][:4] == ("文件", "位置", "引用写法", "状态")
    assert ws.auto_filter.ref and ws.freeze_panes == "A2"
    assert any(r[3] == "废止" and r[6] == "GB/T 1-2025" for r in rows[1:])
    before = out.read_bytes()
    r = cli("standard", "check", str(f), "--xlsx", str(out), env=env)
    assert r.exit_code == 2 and "已存在" in r.stderr and out.read_bytes() == before
    r = cli("standard", "check", str(f), "--xlsx", str(out), "--force", env=env)
    assert r.exit_code == 1
