"""Documents: safe rendering, template lint, cross-check, build outputs, PDF package."""
import re
import shutil
import zipfile

import pytest
from docx import Document
from docx.oxml.ns import qn
from openpyxl import load_workbook
from pypdf import PdfReader, PdfWriter

from gmdocs.application.read import load_application
from gmdocs.catalogue import read_catalogue
from gmdocs.documents.context import SCHEMA, build_context
from gmdocs.documents.lint import lint_template
from gmdocs.evaluate.checks import check
from gmdocs.evaluate.score import score

from .conftest import ROOT, SHIPPED, as_json
from .pdfmake import make_pdf

EX = ROOT / "examples"
FESI = EX / "硅铁厂-申报数据.yaml"
EVALUATOR = EX / "评价机构.yaml"
ENGAGEMENT = EX / "评价记录-硅铁厂.yaml"
FESI_2023 = ROOT / "tests" / "fixtures" / "2023" / "硅铁厂-申报数据.yaml"   # the 2023-round example
HAS_SOFFICE = shutil.which("soffice") is not None
CAT = read_catalogue(SHIPPED, use_user_data=False)


def shape(value, schema, path="ctx"):
    """Assert that a context value has exactly the keys the schema documents."""
    if schema == "*":
        return
    if isinstance(schema, dict):
        assert isinstance(value, dict), path
        assert set(value) == set(schema), f"{path}: {sorted(set(value) ^ set(schema))}"
        for k in schema:
            shape(value[k], schema[k], f"{path}.{k}")
    elif isinstance(schema, list):
        assert isinstance(value, list), path
        for i, item in enumerate(value):
            shape(item, schema[0], f"{path}[{i}]")


@pytest.mark.parametrize("name", ["硅铁厂", "水泥厂", "绿色园区", "汽车链主"])
def test_context_matches_documented_schema(name):
    app, found = load_application(EX / f"{name}-申报数据.yaml")
    rep = check(app, CAT, None, found)
    ctx = build_context(app, rep, score(app, CAT), CAT, "third-party", {"name": "机构"})
    shape(ctx, SCHEMA)


def docx_text(path):
    doc = Document(str(path))
    parts = [p.text for p in doc.paragraphs]
    for t in doc.tables:
        for r in t.rows:
            parts += [c.text for c in r.cells]
    for s in doc.sections:
        parts += [p.text for p in s.header.paragraphs]
    return "\n".join(parts)


def yaml_variant(tmp_path, replace=(), name="a.yaml", src=FESI):
    text = src.read_text(encoding="utf-8")
    for old, new in replace:
        assert old in text, old
        text = text.replace(old, new)
    text = (text.replace("文件: ../../../examples/证明材料/", f"文件: {EX.as_posix()}/证明材料/")
            .replace("文件: 证明材料/", f"文件: {EX.as_posix()}/证明材料/"))
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


@pytest.mark.parametrize("name", ["硅铁厂", "水泥厂", "绿色园区", "汽车链主"])
def test_every_example_builds_docx_and_crosschecks(cli, tmp_path, name):
    out = tmp_path / "out"
    r = cli("build", str(EX / f"{name}-申报数据.yaml"), "-o", str(out), "--no-pdf")
    assert r.exit_code == 0, r.output
    docx = next(out.glob("*自评价报告.docx"))
    text = docx_text(docx)
    app, _ = load_application(EX / f"{name}-申报数据.yaml")
    assert app.name in text and app.get("uscc") in text
    assert "已交叉核对文档中的" in r.stderr
    assert (out / "评价结果.json").exists() and (out / "标准查新报告.xlsx").exists()
    assert not list(tmp_path.glob(".gmdocs-build-*")), "no staging folder left behind"


def test_jinja_looking_name_special_characters_and_control_chars_print_literally(cli, tmp_path):
    p = yaml_variant(tmp_path, [("名称: （示例）北辰硅铁合金有限公司", '名称: "{{ 7*7 }} A&B <C> 公司"'),
                                ("单位简介: 拥有", '单位简介: "铃声\\a与\\x0b控制符 拥有')], src=FESI_2023)
    text = p.read_text(encoding="utf-8")
    text = text.replace('余热发电自用。', '余热发电自用。"', 1)
    p.write_text(text, encoding="utf-8")
    out = tmp_path / "out"
    r = cli("build", str(p), "-o", str(out), "--no-pdf")
    assert r.exit_code == 0, r.output
    t = docx_text(out / "绿色工厂自评价报告.docx")
    assert "{{ 7*7 }} A&B <C> 公司" in t and "49" not in t.split("公司")[0]
    assert "铃声与控制符 拥有" in t
    with zipfile.ZipFile(out / "绿色工厂自评价报告.docx") as z:
        xml = z.read("word/document.xml").decode("utf-8")
    assert "\x07" not in xml and "\x0b" not in xml


def make_template(path, paragraphs, table=None):
    doc = Document()
    for runs in paragraphs:
        p = doc.add_paragraph()
        for r in ([runs] if isinstance(runs, str) else runs):
            p.add_run(r)
    if table:
        t = doc.add_table(rows=len(table), cols=len(table[0]))
        for i, row in enumerate(table):
            for j, text in enumerate(row):
                t.cell(i, j).text = text
    doc.save(path)
    return path


def test_lint_lists_every_problem_with_location(cli, tmp_path):
    tpl = make_template(tmp_path / "bad.docx", [
        "{{ applicant.nmae }}",
        ["{{ applicant.", "name }}"],
        "{{ “引号” }}",
        "{{ unknown_thing }}",
        "{% if total.value %}",
        "{{ oops",
    ], table=[["{%tr for r in gates %}", ""], ["{{ r.id }}", "{{ r.bogus }}"], ["", ""]])
    r = cli("template", "lint", str(tpl))
    assert r.exit_code == 1
    out = r.stdout
    assert "第1段" in out and "未知字段 applicant.nmae" in out
    assert "第2段" in out and "被拆分在多个文字块" in out
    assert "第3段" in out and "弯引号" in out
    assert "未知变量 'unknown_thing'" in out
    assert "标签没有闭合" in out
    assert "表格1 第2行第2列" in out and "未知字段 r.bogus" in out
    assert "没有对应的结束标签" in out       # {%tr for%} and {% if %} never closed
    js = as_json(cli("template", "lint", str(tpl), "--json"))
    assert js["count"] >= 8


@pytest.mark.parametrize("name", sorted(str(p.relative_to(ROOT / "templates")) for p in (ROOT / "templates").glob("*/*.docx")))
def test_shipped_templates_are_clean(name):
    assert lint_template(ROOT / "templates" / name) == []


def test_build_with_broken_user_template_stops_before_writing(cli, tmp_path):
    tpl = make_template(tmp_path / "bad.docx", ["{{ applicant.nmae }}", "{%p for x in basis.documents %}"])
    out = tmp_path / "out"
    r = cli("build", str(FESI), "-o", str(out), "--no-pdf", "--template", str(tpl))
    assert r.exit_code == 2
    assert "模板有 2 处问题" in r.stderr and "applicant.nmae" in r.stderr
    assert not out.exists()


def test_missing_field_is_an_error_naming_the_field(tmp_path):
    from gmdocs.documents.render import render_docx
    from gmdocs.errors import GmdocsError
    tpl = make_template(tmp_path / "t.docx", ["{{ applicant.nmae }}"])
    with pytest.raises(GmdocsError) as e:
        render_docx(tpl, {"applicant": {"name": "x"}}, tmp_path / "o.docx")
    assert "nmae" in str(e.value)


def test_user_template_that_prints_a_wrong_score_fails_the_crosscheck(cli, tmp_path):
    tpl = make_template(tmp_path / "wrong.docx", ["{{ applicant.name }} {{ applicant.uscc }}"], table=[
        ["编号", "得分/满分"], ["{%tr for g in groups %}", ""], ["{%tr for i in g.indicators %}", ""],
        ["{{ i.id }}", "99/99"], ["{%tr endfor %}", ""], ["{%tr endfor %}", ""]])
    assert lint_template(tpl) == []
    out = tmp_path / "out"
    r = cli("build", str(EX / "汽车链主-申报数据.yaml"), "-o", str(out), "--no-pdf", "--template", str(tpl))
    assert r.exit_code == 1
    assert "交叉核对失败" in r.stderr and "X11" in r.stderr and "'99/99'" in r.stderr
    assert not out.exists()


def test_no_overwrite_without_force(cli, tmp_path):
    out = tmp_path / "out"
    assert cli("build", str(FESI), "-o", str(out), "--no-pdf").exit_code == 0
    before = (out / "绿色工厂自评价报告.docx").read_bytes()
    r = cli("build", str(FESI), "-o", str(out), "--no-pdf")
    assert r.exit_code == 2 and "已存在" in r.stderr and "--force" in r.stderr
    assert (out / "绿色工厂自评价报告.docx").read_bytes() == before
    assert cli("build", str(FESI), "-o", str(out), "--no-pdf", "--force").exit_code == 0


def test_errors_refuse_build_and_draft_marks_every_page(cli, tmp_path):
    p = yaml_variant(tmp_path, [("91150300MA0N7Q2X1A", "91150300MA0N7Q2X1B")])
    out = tmp_path / "out"
    r = cli("build", str(p), "-o", str(out), "--no-pdf")
    assert r.exit_code == 1 and "不能生成正式文件" in r.stderr and "校验码错误" in r.stderr
    assert not out.exists()
    r = cli("build", str(p), "-o", str(out), "--no-pdf", "--draft")
    assert r.exit_code == 0, r.output
    doc = Document(str(out / "绿色工厂自评价报告.docx"))
    for s in doc.sections:
        for h in (s.header, s.first_page_header):
            assert "草稿" in "".join(p.text for p in h.paragraphs)


def test_third_party_needs_evaluator(cli, tmp_path):
    r = cli("build", str(FESI), "-o", str(tmp_path / "o"), "--no-pdf", "--report", "third-party")
    assert r.exit_code == 2 and "--evaluator" in r.stderr
    bad = tmp_path / "ev.yaml"
    bad.write_text("机构名称: 某机构\n统一社会信用代码: 123\n颜色: 红\n", encoding="utf-8")
    r = cli("build", str(FESI), "-o", str(tmp_path / "o"), "--no-pdf", "--report", "third-party", "--evaluator", str(bad))
    assert r.exit_code == 2 and "颜色" in r.stderr and "长度应为 18 位" in r.stderr
    r = cli("build", str(FESI), "-o", str(tmp_path / "o"), "--no-pdf", "--report", "third-party",
            "--evaluator", str(EX / "评价机构.yaml"))
    assert r.exit_code == 2 and "--engagement" in r.stderr
    # an engagement record of another applicant is refused, naming both
    r = cli("build", str(FESI), "-o", str(tmp_path / "o"), "--no-pdf", "--report", "third-party",
            "--evaluator", str(EX / "评价机构.yaml"), "--engagement", str(EX / "评价记录-水泥厂.yaml"))
    assert r.exit_code == 2 and "不属于本申报单位" in r.stderr and "皖江建材" in r.stderr and "北辰硅铁" in r.stderr
    assert not (tmp_path / "o").exists()
    # missing required parts of the official form are listed before rendering
    partial = tmp_path / "rec.yaml"
    partial.write_text("受评价方名称: （示例）北辰硅铁合金有限公司\n受评价方统一社会信用代码: 91150300MA0N7Q2X1A\n",
                       encoding="utf-8")
    r = cli("build", str(FESI), "-o", str(tmp_path / "o"), "--no-pdf", "--report", "third-party",
            "--evaluator", str(EX / "评价机构.yaml"), "--engagement", str(partial))
    assert r.exit_code == 1 and "主要亮点" in r.stderr and "评价过程" in r.stderr and "结论意见" in r.stderr
    assert not (tmp_path / "o").exists()
    r = cli("build", str(FESI), "-o", str(tmp_path / "o"), "--no-pdf", "--report", "third-party",
            "--evaluator", str(EX / "评价机构.yaml"), "--engagement", str(EX / "评价记录-硅铁厂.yaml"))
    assert r.exit_code == 0, r.output
    t = docx_text(tmp_path / "o" / "绿色工厂第三方评价报告.docx")
    assert "华诚绿色制造评价中心" in t and "现场评价" in t and "矿热炉" in t


def test_libreoffice_missing_is_a_clear_error(cli, tmp_path, monkeypatch):
    monkeypatch.setenv("GMDOCS_SOFFICE", str(tmp_path / "no-soffice"))
    out = tmp_path / "out"
    r = cli("build", str(FESI), "-o", str(out))
    assert r.exit_code == 3 and "LibreOffice" in r.stderr and "Traceback" not in r.output
    assert not out.exists()


@pytest.mark.skipif(not HAS_SOFFICE, reason="LibreOffice not installed (CI installs it)")
def test_broken_and_encrypted_attachments_name_the_file(cli, tmp_path):
    broken = tmp_path / "坏附件.pdf"
    broken.write_bytes(b"%PDF-1.4 garbage")
    p = yaml_variant(tmp_path, [("证明材料/能源统计报表摘要（示例）.pdf", str(broken))])
    r = cli("build", str(p), "-o", str(tmp_path / "o"))
    assert r.exit_code == 1 and "坏附件.pdf" in r.stderr and "损坏" in r.stderr
    assert not (tmp_path / "o").exists()
    plain = make_pdf(tmp_path / "plain.pdf", [["x"]])
    w = PdfWriter(clone_from=str(plain))
    w.encrypt("secret")
    enc = tmp_path / "加密.pdf"
    with open(enc, "wb") as fh:
        w.write(fh)
    p = yaml_variant(tmp_path, [("证明材料/能源统计报表摘要（示例）.pdf", str(enc))], name="b.yaml")
    r = cli("build", str(p), "-o", str(tmp_path / "o"))
    assert r.exit_code == 1 and "加密.pdf" in r.stderr and "加密的 PDF" in r.stderr
    assert not (tmp_path / "o").exists()
    r = cli("check", str(p), "--json")
    line = next(i for i, ln in enumerate(p.read_text(encoding="utf-8").splitlines(), 1) if "加密.pdf" in ln)
    assert any(f["code"] == "attachment" and f["where"].endswith(f":{line}") for f in as_json(r)["findings"]), r.stdout


@pytest.mark.skipif(not HAS_SOFFICE, reason="LibreOffice not installed (CI installs it)")
def test_package_pdf_bookmarks_pages_labels_and_chinese_text(cli, tmp_path):
    out = tmp_path / "out"
    r = cli("build", str(FESI), "-o", str(out))
    assert r.exit_code == 0, r.output
    report = PdfReader(str(out / "绿色工厂自评价报告.pdf"))
    pkg = PdfReader(str(out / "申报材料汇编.pdf"))
    att = [PdfReader(str(EX / "证明材料" / f)) for f in ("营业执照（示例）.pdf", "能源统计报表摘要（示例）.pdf")]
    toc_pages = sum(1 for lbl in pkg.page_labels if not lbl.isdigit())
    assert toc_pages >= 1
    assert len(pkg.pages) == toc_pages + len(report.pages) + sum(len(a.pages) for a in att)
    assert pkg.page_labels[toc_pages] == "1"
    top = [o.title for o in pkg.outline if not isinstance(o, list)]
    assert top == ["目录", "绿色工厂自评价报告", "附件"]
    children = next(o for o in pkg.outline if isinstance(o, list) and o and o[0].title == "营业执照")
    assert [c.title for c in children] == ["营业执照", "能源统计报表摘要"]
    assert pkg.get_destination_page_number(children[0]) == toc_pages + len(report.pages)
    first = pkg.pages[0].extract_text()
    assert "目" in first and "营业执照" in first
    body = "".join(p.extract_text() for p in report.pages[:3])
    assert "北辰硅铁合金有限公司" in body and "基本信息表" in body
    # the TOC inside the report carries real page numbers: the heading's page matches
    import re
    toc_text = next(p.extract_text() for p in report.pages if re.search(r"目\s*录", p.extract_text() or ""))
    m = re.search(r"(（[一二三四五六七八九十]+）评价指标)\.*\s*(\d+)", toc_text)
    assert m, toc_text
    assert m.group(1) in report.pages[int(m.group(2)) - 1].extract_text()


def _toc_entries_and_pages(report_pdf):
    """[(TOC title, printed page, text of that page)] of a report PDF."""
    reader = PdfReader(str(report_pdf))
    texts = [re.sub(r"\s+", "", p.extract_text() or "") for p in reader.pages]
    toc = next(t for t in texts if "目录" in t and "..." in t)
    entries = re.findall(r"([一二三四五六七八九十（）]+[、]?[^.\d][^.]*?)\.{3,}(\d+)", toc.split("目录", 1)[1])
    return [(title, int(page), texts[int(page) - 1] if int(page) <= len(texts) else "") for title, page in entries]


@pytest.mark.skipif(not HAS_SOFFICE, reason="LibreOffice not installed (CI installs it)")
def test_every_toc_entry_points_at_its_heading_even_when_the_layout_probe_is_wrong(cli, tmp_path, monkeypatch):
    from gmdocs.documents import build as build_mod
    out = tmp_path / "ok"
    assert cli("build", str(FESI), "-o", str(out)).exit_code == 0
    good = _toc_entries_and_pages(out / "绿色工厂自评价报告.pdf")
    assert len(good) >= 8
    for title, page, text in good:
        assert title in text, (title, page)
    # LibreOffice's layout of the probe is only a forecast: a wrong one is caught against the PDF's bookmarks
    # and the report is made again with the PDF's page numbers
    real = build_mod._probe_layout

    def off_by_one(*args):
        n, pages = real(*args)
        return n + 1, [p + 1 if p else p for p in pages]
    monkeypatch.setattr(build_mod, "_probe_layout", off_by_one)
    out2 = tmp_path / "wrong-probe"
    r = cli("build", str(FESI), "-o", str(out2))
    assert r.exit_code == 0, r.output
    assert _toc_entries_and_pages(out2 / "绿色工厂自评价报告.pdf") == good
    # the attachments' page ranges in the evidence index follow the real page count
    assert docx_text(out2 / "绿色工厂自评价报告.docx") == docx_text(out / "绿色工厂自评价报告.docx")
    assert len(PdfReader(str(out2 / "申报材料汇编.pdf")).pages) == len(PdfReader(str(out / "申报材料汇编.pdf")).pages)


def _font_names(reader):
    names = set()
    for page in reader.pages:
        fonts = page.get("/Resources", {}).get("/Font", {})
        for f in fonts.values():
            names.add(str(f.get_object().get("/BaseFont", "")))
    return names


@pytest.mark.skipif(not HAS_SOFFICE, reason="LibreOffice not installed (CI installs it)")
@pytest.mark.parametrize("name,report", [("水泥厂", "self"), ("绿色园区", "self"), ("汽车链主", "self"),
                                         ("水泥厂", "third-party"), ("绿色园区", "third-party"),
                                         ("汽车链主", "third-party")])
def test_every_template_converts_with_cjk_fonts(cli, tmp_path, name, report):
    out = tmp_path / "out"
    # the 2025 park requirements have only two known indicators: the 2023 park fills every part of the template
    src = (FESI_2023.parent if name == "绿色园区" else EX) / f"{name}-申报数据.yaml"
    args = ["build", str(src), "-o", str(out), "--report", report]
    if report == "third-party":
        args += ["--evaluator", str(EX / "评价机构.yaml"), "--engagement", str(EX / f"评价记录-{name}.yaml")]
    r = cli(*args)
    assert r.exit_code == 0, r.output
    pdf = next(p for p in out.glob("*.pdf") if p.name != "申报材料汇编.pdf")
    reader = PdfReader(str(pdf))
    assert len(reader.pages) >= 8
    assert any("CJK" in f for f in _font_names(reader)), _font_names(reader)
    app, _ = load_application(src)
    assert app.name in "".join(p.extract_text() for p in reader.pages[:2])


TOOL_WORDS = re.compile(r"gmdocs|single-source|uncertain|user-supplied|\.ya?ml\b|[a-z0-9]+(-[a-z0-9]+)+/(groups|scoring|rows)/")


@pytest.mark.parametrize("name", ["硅铁厂", "水泥厂", "绿色园区", "汽车链主"])
@pytest.mark.parametrize("report", ["self", "third-party"])
def test_submitted_documents_hold_nothing_of_the_tool(cli, tmp_path, name, report):
    out = tmp_path / "out"
    args = ["build", str(EX / f"{name}-申报数据.yaml"), "-o", str(out), "--no-pdf", "--report", report,
            "--date", "2026-06-20"]
    if report == "third-party":
        args += ["--evaluator", str(EX / "评价机构.yaml"), "--engagement", str(EX / f"评价记录-{name}.yaml")]
    r = cli(*args)
    assert r.exit_code == 0, r.output
    docx = next(out.glob("*.docx"))
    text = docx_text(docx)
    assert not TOOL_WORDS.search(text), TOOL_WORDS.search(text).group(0)
    assert "2026年6月20日" in text
    doc = Document(str(docx))
    assert doc.core_properties.author and doc.core_properties.author not in ("gmdocs", "python-docx")
    assert doc.core_properties.created.year == 2026
    # every table row is kept on one page
    for t in doc.tables:
        for row in t.rows:
            assert row._tr.trPr is not None and row._tr.trPr.find(qn("w:cantSplit")) is not None
    # cross-references name headings that exist
    heads = {p.text.strip() for p in doc.paragraphs if p.style.name.startswith("Heading")}
    for ref in re.findall(r"见“([^”]+)”", text):
        assert ref in heads, ref
    # the exclusions are answered in the report; the verification detail is in the internal working file
    assert any(h.endswith(("否决条件", "申报条件核查")) for h in heads) and "不得申报的情形" in text
    # the list is named by where it comes from: from 2024 the standing 梯度培育办法, not a notice of that year
    assert "对照《绿色工厂梯度培育及管理暂行办法》所列不得申报的情形逐项核查：均不存在。" in text
    if name == "汽车链主":                        # a 不符合 item's explanation is not listed as a 证明材料
        doc_index = [t for t in doc.tables if [c.text for c in t.rows[0].cells][:3] == ["序号", "对应条目", "证明材料"]]
        listed = [row.cells[2].text for row in doc_index[0].rows[1:]]
        assert "营业执照" in listed and "供应商培训尚未形成年度计划" not in listed
    if name == "硅铁厂":                          # the verdict says what holds, in one sentence
        assert "该工厂符合2026年度申报条件，近三年不存在不得申报的情形，满足全部基本要求。" in text
    wb = load_workbook(out / "评价说明（内部）.xlsx")
    assert {"检查结果", "申报条件", "未核实的规则", "缺失值", "指标计算", "碳排放"} <= set(wb.sheetnames)
    # the year's 申报条件 with the applicant's answer; how sure the rule is stays in the working file
    if name != "汽车链主":                       # 2024 supply chain: no condition on 基本信息 recorded
        assert "已列入省级绿色制造名单：是" in text and "待核实" not in text
        rows = list(wb["申报条件"].iter_rows(values_only=True))
        assert rows[0][:3] == ("条件", "申报情况", "结论") and any(r[1] == "已列入省级绿色制造名单：是" for r in rows[1:])
    # only factories get the energy benchmarking chapter
    assert ("能源消费与能效对标" in text) == (name in ("硅铁厂", "水泥厂"))


def test_an_unmet_condition_is_in_the_conclusion_and_a_formal_build_refuses(cli, tmp_path):
    p = yaml_variant(tmp_path, [("已列入省级绿色制造名单: 是", "已列入省级绿色制造名单: 否")],
                     src=EX / "绿色园区-申报数据.yaml")
    r = cli("build", str(p), "-o", str(tmp_path / "formal"), "--no-pdf")
    assert r.exit_code == 1 and "申报园区须已列入省级绿色制造名单" in r.output
    assert not (tmp_path / "formal").exists() or not list((tmp_path / "formal").glob("*.docx"))
    r = cli("build", str(p), "-o", str(tmp_path / "draft"), "--no-pdf", "--draft")
    assert r.exit_code == 0, r.output
    text = docx_text(next((tmp_path / "draft").glob("*.docx")))
    assert "该园区不符合申报条件：申报园区须已列入省级绿色制造名单。" in text
    assert "符合2025年度申报条件" not in text
    assert "已列入省级绿色制造名单：否" in text and "不符合或未填写的见下表" in text


def test_placeholder_evidence_is_refused(cli, tmp_path):
    p = yaml_variant(tmp_path, [("证据: 能源统计报表 B205-1（单位产品综合能耗 kgce/t）", "证据: 见证明材料清单")])
    r = cli("check", str(p))
    assert r.exit_code == 1 and "具体的证明材料名称" in r.stdout


@pytest.mark.parametrize("name", sorted(str(p.relative_to(ROOT / "templates")) for p in (ROOT / "templates").glob("*/*.docx")))
def test_templates_show_chinese_fonts_in_word_and_wps(name):
    with zipfile.ZipFile(ROOT / "templates" / name) as z:
        styles = z.read("word/styles.xml").decode("utf-8")
        settings = z.read("word/settings.xml").decode("utf-8")
        theme = z.read("word/theme/theme1.xml").decode("utf-8")
    assert "Theme=" not in styles                       # theme fonts would let Word pick Calibri / MS fonts
    assert 'w:eastAsia="zh-CN"' in settings and "ja-JP" not in settings
    assert '<a:ea typeface="宋体"/>' in theme and '<a:ea typeface="黑体"/>' in theme


def test_applicant_words_are_printed_and_required(cli, tmp_path):
    out = tmp_path / "out"
    r = cli("build", str(FESI), "-o", str(out), "--no-pdf")
    assert r.exit_code == 0, r.output
    t = docx_text(out / "绿色工厂自评价报告.docx")
    app, _ = load_application(FESI)
    for nid in ("creation", "practices", "next_steps"):
        assert app.narrative[nid].value in t
    text = FESI.read_text(encoding="utf-8")
    cut = text[:text.index("\n情况说明:")] + "\n"
    p = tmp_path / "no-words.yaml"
    p.write_text(cut.replace("文件: 证明材料/", f"文件: {EX.as_posix()}/证明材料/"), encoding="utf-8")
    r = cli("build", str(p), "-o", str(tmp_path / "o2"), "--no-pdf")
    assert r.exit_code == 1 and "创建情况" in r.stderr and "下一步工作" in r.stderr
    assert not (tmp_path / "o2").exists()
    assert cli("build", str(p), "-o", str(tmp_path / "o3"), "--no-pdf", "--draft").exit_code == 0


def test_applicant_words_round_trip_through_xlsx(cli, tmp_path):
    x = tmp_path / "a.xlsx"
    assert cli("init", "factory", "-o", str(x), "--from", str(FESI)).exit_code == 0
    a, _ = load_application(FESI)
    b, _ = load_application(x)
    assert {k: f.value for k, f in a.narrative.items()} == {k: f.value for k, f in b.narrative.items()}
    assert b.narrative["creation"].loc.where.startswith("情况说明!B")


@pytest.mark.skipif(not HAS_SOFFICE, reason="LibreOffice not installed (CI installs it)")
def test_draft_watermark_on_every_page_of_the_package(cli, tmp_path):
    p = yaml_variant(tmp_path, [("91150300MA0N7Q2X1A", "91150300MA0N7Q2X1B")])
    out = tmp_path / "out"
    r = cli("build", str(p), "-o", str(out), "--draft")
    assert r.exit_code == 0, r.output
    for name in ("申报材料汇编.pdf", "绿色工厂自评价报告.pdf"):
        pages = PdfReader(str(out / name)).pages
        assert all("草" in pg.extract_text() for pg in pages), name     # contents, report and attachments
    clean = tmp_path / "clean"
    assert cli("build", str(FESI), "-o", str(clean)).exit_code == 0
    assert not any("草" in pg.extract_text() for pg in PdfReader(str(clean / "申报材料汇编.pdf")).pages)


@pytest.mark.skipif(not HAS_SOFFICE, reason="LibreOffice not installed (CI installs it)")
def test_evidence_index_page_ranges_match_the_package(cli, tmp_path):
    out = tmp_path / "out"
    r = cli("build", str(FESI), "-o", str(out), "--report", "third-party", "--evaluator", str(EX / "评价机构.yaml"),
            "--engagement", str(EX / "评价记录-硅铁厂.yaml"))
    assert r.exit_code == 0, r.output
    doc = Document(str(out / "绿色工厂第三方评价报告.docx"))
    listed = {}
    for t in doc.tables:
        head = [c.text for c in t.rows[0].cells]
        if head[:2] == ["序号", "文件"]:
            listed = {row.cells[1].text: row.cells[3].text for row in t.rows[1:]}
    assert len(listed) == 4 and any(k.startswith("评价机构资质") for k in listed)
    pkg = PdfReader(str(out / "申报材料汇编.pdf"))
    found = {}

    def walk(items):
        for o in items:
            if isinstance(o, list):
                walk(o)
            elif o.title in listed:
                first = pkg.get_destination_page_number(o)
                found[o.title] = pkg.page_labels[first]
    walk(pkg.outline)
    assert set(found) == set(listed)
    for name, pages in listed.items():
        assert pages.split("—")[0] == found[name], (name, pages, found[name])
    # nothing of the tool on any page of what is handed in, attachments included; the PDF's properties
    # name the applicant and the evaluator
    text = "".join(pg.extract_text() or "" for pg in pkg.pages)
    assert "营业执照" in text and not TOOL_WORDS.search(text), TOOL_WORDS.search(text)
    assert pkg.metadata.title == "（示例）北辰硅铁合金有限公司 申报材料汇编"
    assert pkg.metadata.author == "（示例）华诚绿色制造评价中心有限公司"


def test_chapters_are_numbered_from_the_section_map_without_gaps(cli, tmp_path):
    import yaml
    formats = yaml.safe_load((ROOT / "templates" / "formats.yaml").read_text(encoding="utf-8"))["formats"]
    assert {f["template"] for f in formats} == {str(p.relative_to(ROOT / "templates"))
                                                 for p in (ROOT / "templates").glob("*/*.docx")}
    cn = "一二三四五六七八九十"
    for name, category, has_gates in (("绿色园区", "park", False), ("硅铁厂", "factory", True)):
        out = tmp_path / name
        r = cli("build", str(EX / f"{name}-申报数据.yaml"), "-o", str(out), "--no-pdf")
        assert r.exit_code == 0, r.output
        docx = next(out.glob("*.docx"))
        paras = Document(str(docx)).paragraphs
        heads = [p.text for p in paras if p.style.name == "Heading 1" and "、" in p.text]
        nums = [h.split("、")[0] for h in heads]
        assert nums == [cn[i] for i in range(len(nums))], heads
        fmt = next(f for f in formats if f["category"] == category and f["kind"] == "self" and f["rounds"][1] is None)
        assert [h.split("、", 1)[1] for h in heads] == [s["title"] for s in fmt["sections"]]
        subs = [p.text for p in paras if p.style.name == "Heading 2" and p.text.startswith("（")]
        titles = [c["title"] for s in fmt["sections"] for c in s.get("children") or [] if c["when"] == "always" or has_gates]
        mine = [h for h in subs if h.split("）", 1)[1] in titles]
        assert [h.split("）", 1)[1] for h in mine] == titles
        assert [h.split("）")[0] + "）" for h in mine] == [f"（{cn[i]}）" for i in range(len(mine))]   # no gap
        assert any(h.endswith("基本要求") or h.endswith("基本要求的符合性") for h in subs) == has_gates


def test_the_campaign_year_picks_the_official_format_and_format_overrides(cli, tmp_path):
    r = cli("template", "formats")
    assert r.exit_code == 0 and "--format 2017" in r.output
    assert "siyu-com.com" in r.output and "补充" in r.output          # each part names its source or says it is added
    third = ["--report", "third-party", "--evaluator", str(EVALUATOR), "--engagement", str(ENGAGEMENT)]
    out = tmp_path / "2026"
    r = cli("build", str(FESI), "-o", str(out), "--no-pdf", *third)
    assert r.exit_code == 0, r.output
    t = docx_text(out / "绿色工厂第三方评价报告.docx")
    assert "受评价方主要亮点" in t and "☑符合　□不符合" in t and "工业和信息化部制" in t
    assert "本机构承诺，已按规范完整的评价程序" in t
    assert "（一）否决条件" in t and "（二）基本要求" in t and "（三）评价指标" in t and "七、机构资质材料" in t
    out = tmp_path / "2017"
    r = cli("build", str(FESI), "-o", str(out), "--no-pdf", *third, "--format", "2017")
    assert r.exit_code == 0, r.output
    t = docx_text(out / "绿色工厂第三方评价报告.docx")
    assert "（一）申报条件核查" in t and "七、第三方机构资质符合性证明材料" in t
    r = cli("build", str(FESI), "-o", str(tmp_path / "x"), "--no-pdf", "--format", "1999")
    assert r.exit_code == 2 and "2017" in r.output and "2024" in r.output
    out = tmp_path / "2023"
    r = cli("build", str(FESI_2023), "-o", str(out), "--no-pdf", "--draft")
    assert r.exit_code == 0, r.output
    assert "2017年格式" in r.output


def test_missing_fields_of_the_official_form_are_listed_before_rendering(cli, tmp_path):
    import yaml
    data = yaml.safe_load(FESI.read_text(encoding="utf-8"))
    del data["基本信息"]["所在省市"]
    del data["基本信息"]["单位简介"]
    src = tmp_path / "a.yaml"
    src.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    (tmp_path / "证明材料").symlink_to(EX / "证明材料")
    r = cli("build", str(src), "-o", str(tmp_path / "o"), "--no-pdf")
    assert r.exit_code == 1 and "所在省市" in r.output and "单位简介" in r.output
    assert not (tmp_path / "o").exists()


def test_park_third_party_report_gives_three_years_of_scores(cli, tmp_path):
    out = tmp_path / "p"
    r = cli("build", str(EX / "绿色园区-申报数据.yaml"), "-o", str(out), "--no-pdf", "--report", "third-party",
            "--evaluator", str(EVALUATOR), "--engagement", str(EX / "评价记录-绿色园区.yaml"))
    assert r.exit_code == 0, r.output
    t = docx_text(out / "绿色工业园区第三方评价报告.docx")
    assert "第1年（2022年） 81" in t and "第2年（2023年） 84" in t and "第3年（2024年） 18" in t
    assert "评价指标第三方评价表" in t and "八、第三方机构资质符合性证明材料" in t and "能源消费与能效对标" not in t


def test_latin_text_is_not_marked_chinese_so_numbers_are_not_broken():
    # marked zh-CN, LibreOffice breaks lines inside numbers (GB/T 25|89-2020); East Asian text stays zh-CN
    for docx in (ROOT / "templates").glob("*/*.docx"):
        with zipfile.ZipFile(docx) as z:
            styles = z.read("word/styles.xml").decode("utf-8")
        assert 'w:val="en-US"' in styles and 'w:eastAsia="zh-CN"' in styles and 'w:val="zh-CN"' not in styles, docx


def test_columns_are_widened_to_their_longest_number_keeping_the_table_width(tmp_path):
    from docx.shared import Cm

    from gmdocs.documents.layout import TWIPS_PER_CM, fit_columns
    doc = Document()
    t = doc.add_table(rows=2, cols=3)
    t.autofit = False
    for i, w in enumerate((1.2, 8.0, 6.4)):
        t.columns[i].width = Cm(w)
        for row in t.rows:
            row.cells[i].width = Cm(w)
    t.rows[0].cells[0].text = "91150300MA0N7Q2X1A"            # an 18-character code in a 1.2 cm column
    t.rows[1].cells[1].text = "说明文字"
    path = tmp_path / "t.docx"
    doc.save(str(path))
    assert fit_columns(path) == 1
    widths = [c.width / 360000 for c in Document(str(path)).tables[0].columns]
    assert widths[0] >= 18 * 0.2 and abs(sum(widths) - 15.6) < 0.01
    assert TWIPS_PER_CM == 567
