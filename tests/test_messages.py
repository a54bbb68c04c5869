"""Messages people read when something is wrong: templates that are not Word documents or would hang the build,
control characters, YAML syntax errors, unreadable and negative amounts, click's own errors, the 统一社会信用代码
written in full width or lower case, and a standard number cut by a PDF line break — each in Chinese, at its place."""
import shutil
import time
import zipfile

import pytest
from docx import Document

from gmdocs.catalogue.citecheck import check_text, join_split_numbers
from gmdocs.catalogue.yamlsrc import read_yaml
from gmdocs.errors import GmdocsError

from .conftest import ROOT, as_json
from .pdfmake import make_pdf

EX = ROOT / "examples"
FESI = EX / "硅铁厂-申报数据.yaml"
FESI_XLSX = EX / "硅铁厂-申报数据.xlsx"
USCC = "91150300MA0N7Q2X1A"


def variant(tmp_path, replace=(), name="a.yaml"):
    """The 硅铁厂 example with some lines changed; its attachments found from anywhere."""
    text = FESI.read_text(encoding="utf-8")
    for old, new in replace:
        assert old in text, old
        text = text.replace(old, new)
    text = text.replace("文件: 证明材料/", f"文件: {EX.as_posix()}/证明材料/")
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


def line_of(path, needle) -> int:
    return next(i for i, ln in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if needle in ln)


def template(path, paragraphs):
    doc = Document()
    for text in paragraphs:
        doc.add_paragraph(text)
    doc.save(path)
    return path


def docx_text(path) -> str:
    doc = Document(str(path))
    parts = [p.text for p in doc.paragraphs]
    for t in doc.tables:
        for r in t.rows:
            parts += [c.text for c in r.cells]
    return "\n".join(parts)


# ---------------------------------------------------------------- templates

def test_a_workbook_renamed_docx_is_refused_by_lint_and_build(cli, tmp_path):
    fake = tmp_path / "模板.docx"
    shutil.copy(FESI_XLSX, fake)
    r = cli("template", "lint", str(fake))
    assert r.exit_code == 2
    assert "模板不是 Word 文档（.docx）" in r.stderr and "Excel 工作簿（.xlsx）" in r.stderr
    assert "Traceback" not in r.output
    out = tmp_path / "out"
    r = cli("build", str(variant(tmp_path)), "-o", str(out), "--no-pdf", "--template", str(fake))
    assert r.exit_code == 2
    assert "模板不是 Word 文档（.docx）" in r.stderr and "Excel" in r.stderr
    assert not out.exists()


def test_other_files_named_docx_say_what_they_are(tmp_path):
    from gmdocs.documents.render import require_docx
    for head, what in ((b"%PDF-1.4\n", "PDF 文件"), (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "旧版 Office 文件"),
                       (b"hello", "无法识别的文件")):
        p = tmp_path / "x.docx"
        p.write_bytes(head + b"\0" * 64)
        with pytest.raises(GmdocsError) as e:
            require_docx(p)
        assert what in e.value.message
    p = tmp_path / "z.docx"
    with zipfile.ZipFile(p, "w") as z:
        z.writestr("readme.txt", "x")
    with pytest.raises(GmdocsError) as e:
        require_docx(p)
    assert "word/document.xml" in e.value.message


def test_a_huge_range_is_a_lint_problem_and_the_build_stops_quickly(cli, tmp_path):
    tpl = template(tmp_path / "loop.docx", ["{{ applicant.name }} {{ applicant.uscc }}",
                                            "{% for i in range(10**12) %}{{ i }}{% endfor %}"])
    r = cli("template", "lint", str(tpl))
    assert r.exit_code == 1
    assert "第2段" in r.stdout and "range(…) 会产生 1,000,000,000,000 项" in r.stdout and "10,000" in r.stdout
    out = tmp_path / "out"
    start = time.monotonic()
    r = cli("build", str(variant(tmp_path)), "-o", str(out), "--no-pdf", "--template", str(tpl))
    assert time.monotonic() - start < 30
    assert r.exit_code == 2 and "模板有 1 处问题" in r.stderr and "range" in r.stderr
    assert not out.exists()


def test_the_renderer_itself_bounds_range_power_repetition_and_internals(tmp_path):
    """What lint cannot see (a range over a computed number) is refused while rendering, in Chinese, at once."""
    from gmdocs.documents.render import render_docx
    cases = [("{% for i in range(n) %}x{% endfor %}", "range(1000000000000) 会产生"),
             ("{% for a in range(m) %}{% for b in range(m) %}{% endfor %}{% endfor %}", "合计超过 100,000 项"),
             ("{{ n ** n }}", "幂运算"),
             ("{{ s * n }}", "重复运算"),
             ("{{ s.__class__ }}", "内部属性")]
    for i, (tag, expected) in enumerate(cases):
        tpl = template(tmp_path / f"t{i}.docx", [tag])
        start = time.monotonic()
        with pytest.raises(GmdocsError) as e:
            render_docx(tpl, {"n": 10 ** 12, "m": 5000, "s": "x"}, tmp_path / f"o{i}.docx")
        assert time.monotonic() - start < 10, tag
        assert expected in e.value.message, (tag, e.value.message)
    ok = template(tmp_path / "ok.docx", ["{% for i in range(3) %}{{ i }}{% endfor %} {{ 2 ** 10 }} {{ s * 3 }}"])
    render_docx(ok, {"s": "ab"}, tmp_path / "ok-out.docx")
    assert "012 1024 ababab" in docx_text(tmp_path / "ok-out.docx")


def test_lint_names_internals_and_huge_powers(cli, tmp_path):
    tpl = template(tmp_path / "t.docx", ["{{ applicant.name.__class__ }}", "{{ 9 ** 9 ** 9 }}",
                                         "{% for i in range(5) %}{{ i }}{% endfor %}"])
    r = cli("template", "lint", str(tpl), "--json")
    msgs = [(p["where"], p["message"]) for p in as_json(r)["problems"]]
    assert any(w == "第1段" and "内部属性 '__class__'" in m for w, m in msgs)
    assert any(w == "第2段" and "幂运算" in m for w, m in msgs)
    assert not any(w == "第3段" for w, _ in msgs)


# ---------------------------------------------------------------- control characters in text

def test_a_form_feed_in_the_name_is_reported_and_printed_as_the_cross_check_expects(cli, tmp_path):
    p = variant(tmp_path, [("名称: （示例）北辰硅铁合金有限公司", '名称: "（示例）北辰\\f硅铁合金有限公司"')])
    r = cli("check", str(p), "--json")
    assert r.exit_code == 0, r.output
    found = [f for f in as_json(r)["findings"] if f["code"] == "control-char"]
    assert len(found) == 1
    f = found[0]
    assert f["severity"] == "warning" and f["field"] == "基本信息/名称"
    assert f["where"].endswith(f":{line_of(p, '名称: ')}") and "U+000C" in f["message"]
    out = tmp_path / "out"
    r = cli("build", str(p), "-o", str(out), "--no-pdf")
    assert r.exit_code == 0, r.output                   # before: 交叉核对失败 (or a crash in the document properties)
    assert "（示例）北辰硅铁合金有限公司" in docx_text(out / "绿色工厂自评价报告.docx")


# ---------------------------------------------------------------- YAML syntax errors

def _yaml_problem(tmp_path, text):
    p = tmp_path / "broken.yaml"
    p.write_text(text, encoding="utf-8")
    data, probs = read_yaml(p, "broken.yaml")
    assert data is None and len(probs) == 1
    return probs[0]


@pytest.mark.parametrize("text, line, words", [
    ('a: 1\nb: "hello\nc: 2\nd: "x"\ne: 3\n', 2, ["第 2 行的双引号", "没有闭合", "第 4 行"]),
    ('a: 1\nb: "hello\nc: 2\n', 2, ["第 2 行开始的双引号", "没有闭合", "文件末尾"]),
    ("a: 1\nb: 'hello\nc: 2\n", 2, ["单引号", "没有闭合"]),
    ("a:\n  b: 1\n c: 2\n", 3, ["第 3 行的缩进与上文不对齐"]),
    ("a: 1\nb\nc: 2\n", 2, ["第 2 行缺少冒号"]),
    ("a:\n\tb: 1\n", 2, ["Tab", "空格"]),
    ("a: @x\n", 1, ["字符“@”", "加引号"]),
    ("a: b: c\n", 1, ["冒号“:”不能出现在这里"]),
    ("a: [1, 2\nb: 3\n", 1, ["方括号“[”没有闭合"]),
    ('a: "C:\\path"\n', 1, ["\\p", "单引号"]),
    ("a: 1\nb: x\fy\n", 2, ["第 2 行第 5 列有不可见的控制字符（U+000C"]),
    ("a: 1\n\nbb: x\x00y\n", 3, ["第 3 行第 6 列有不可见的控制字符（U+0000"]),
])
def test_yaml_errors_are_chinese_at_the_line_the_construct_started(tmp_path, text, line, words):
    prob = _yaml_problem(tmp_path, text)
    assert prob.line == line, prob
    assert prob.message.startswith("YAML 语法错误：")
    for w in words:
        assert w in prob.message, (w, prob.message)
    assert not any(e in prob.message for e in ("while ", "found ", "expected", "could not", "position"))


def test_broken_application_yaml_through_check(cli, tmp_path):
    p = variant(tmp_path, [("  联系人: 李敏", '  联系人: "李敏')])
    r = cli("check", str(p))
    assert r.exit_code == 2
    n = line_of(p, "联系人:")
    assert f"a.yaml:{n}: YAML 语法错误：第 {n} 行的双引号" in r.stderr
    raw = tmp_path / "ff.yaml"
    raw.write_text(FESI.read_text(encoding="utf-8").replace("联系人: 李敏", "联系人: 李\f敏"), encoding="utf-8")
    r = cli("check", str(raw))
    n = line_of(raw, "联系人:")
    assert r.exit_code == 2 and f"ff.yaml:{n}:" in r.stderr and f"第 {n} 行第 9 列有不可见的控制字符（U+000C" in r.stderr
    assert "unacceptable character" not in r.stderr


# ---------------------------------------------------------------- unreadable and negative amounts

def test_score_names_values_it_could_not_read_at_their_line(cli, tmp_path):
    p = variant(tmp_path, [("综合能耗: 53046.3", "综合能耗: 约52040")])
    r = cli("score", str(p))
    n = line_of(p, "约52040")
    head = r.stdout.split("（示例）北辰硅铁合金有限公司（绿色工厂）")[0]
    assert "1 个填写的值无法读取，未计入计算" in head
    assert f"a.yaml:{n}：［经济与能源汇总/综合能耗］" in head and "约52040" in head
    js = as_json(cli("score", str(p), "--json"))
    assert any(f"a.yaml:{n}" in b for b in js["blocking"])


def test_a_negative_energy_amount_is_reported_at_its_item_without_absurd_percentages(cli, tmp_path):
    p = variant(tmp_path, [("    2023: 25790\n", "    2023: -25790\n")])
    r = cli("check", str(p), "--json")
    assert r.exit_code == 1
    js = as_json(r)
    neg = [f for f in js["findings"] if f["code"] == "negative"]
    assert len(neg) == 1 and "电力" in neg[0]["message"] and "2023 年为负数" in neg[0]["message"]
    assert neg[0]["field"] == "能源消费/电力/2023"
    line = next(i for i, t in enumerate(p.read_text(encoding="utf-8").splitlines(), 1) if "2023: -25790" in t)
    assert neg[0]["where"].endswith(f":{line}")                # the amount's own line, not its entry's
    assert not [f for f in js["findings"] if f["code"] == "energy-sum"]
    text = cli("check", str(p)).stdout
    assert not any(len(tok) > 8 for tok in text.replace("%", "% ").split() if tok.endswith("%"))
    assert "2023 年电力的数量为负数，未给出折算合计" in text
    r = cli("score", str(p))
    assert "1 个数量为负数" in r.stdout and "能源消费“电力” 2023 年为负数" in r.stdout


def test_negative_output_and_total_each_at_their_place(cli, tmp_path):
    p = variant(tmp_path, [("综合能耗: 54265.5", "综合能耗: -54265.5"),
                           ("产量: {2023: 31800,", "产量: {2023: -31800,")])
    js = as_json(cli("check", str(p), "--json"))
    neg = {f["field"]: f for f in js["findings"] if f["code"] == "negative"}
    assert set(neg) == {"经济与能源汇总/综合能耗", "产品/硅铁/产量"}
    assert not [f for f in js["findings"] if f["code"] in ("energy-sum", "unit-energy")
                and "2024" in f["message"]]


# ---------------------------------------------------------------- click's own errors

@pytest.mark.parametrize("args, expected", [
    (["search", "能效", "--limit", "0"], "参数 --limit 的值 0 超出范围：应在 1 到 1000 之间"),
    (["search", "能效", "--year", "abc"], "参数 --year 的值 'abc' 不是整数"),
    (["search", "能效", "--type", "foo"], "参数 --type 的值 'foo' 不是可选值之一（可选：standard、"),
    (["build", "x.yaml"], "缺少选项 --output"),
    (["build"], "缺少参数 FILE"),
    (["build", "x.yaml", "-o", "out", "--foo"], "没有这个选项 --foo"),
    (["build", "x.yaml", "-o", "out", "--date", "2024/1/1"], "参数 --date 的值 '2024/1/1' 不是有效的日期，应写成 YYYY-MM-DD"),
    (["search", "能效", "--limit"], "选项 --limit 后面缺少值"),
    (["buidl"], "没有这个命令 “buidl”；是不是要用 build？"),
])
def test_click_errors_are_chinese_with_exit_code_2(cli, args, expected):
    r = cli(*args)
    assert r.exit_code == 2, r.output
    assert f"错误：{expected}" in r.stderr, r.stderr
    assert "Error" not in r.stderr and "Usage:" not in r.stderr and "Try '" not in r.stderr
    assert "--help 查看" in r.stderr


def test_paths_of_the_wrong_kind(cli, tmp_path):
    f = tmp_path / "a-file"
    f.write_text("x", encoding="utf-8")
    r = cli("build", str(FESI), "-o", str(f), "--no-pdf")
    assert r.exit_code == 2 and f"参数 --output 指定的 '{f}' 是一个文件，这里需要文件夹" in r.stderr
    assert "（可用 gmdocs build --help 查看）" in r.stderr
    r = cli("--data-dir", str(f), "standard", "list")
    assert r.exit_code == 2 and "参数 --data-dir 指定的" in r.stderr and "这里需要文件夹" in r.stderr
    r = cli("init", "factory", "-o", str(tmp_path))
    assert r.exit_code == 2 and "是一个文件夹，这里需要文件" in r.stderr


def test_json_callers_get_json_and_help_is_unchanged(cli):
    r = cli("check", "x.yaml", "--year", "z", "--json")
    assert r.exit_code == 2
    js = as_json(r)
    assert js["exit_code"] == 2 and "参数 --year 的值 'z' 不是整数" in js["error"]
    h = cli("build", "--help")
    assert h.exit_code == 0 and h.stdout.startswith("Usage: gmdocs build [OPTIONS] FILE") and "--template" in h.stdout
    assert cli("--help").exit_code == 0 and cli("-V").stdout.startswith("gmdocs ")
    r = cli("standard")                     # a group alone still shows its help
    assert "standard" in r.output and "show" in r.output


# ---------------------------------------------------------------- 统一社会信用代码

FULL_WIDTH = "".join(chr(ord(c) + 0xFEE0) for c in USCC)


@pytest.mark.parametrize("written, step", [(FULL_WIDTH, "全角字符改为半角"),
                                           (f'" {USCC.lower()[:9]} {USCC.lower()[9:]} "', "小写字母改为大写")])
def test_uscc_is_normalised_once_and_said(cli, tmp_path, written, step):
    p = variant(tmp_path, [(f"统一社会信用代码: {USCC}", f"统一社会信用代码: {written}")])
    r = cli("check", str(p), "--json")
    assert r.exit_code == 0, r.output
    js = as_json(r)
    info = [f for f in js["findings"] if f["code"] == "uscc-normalised"]
    assert len(info) == 1 and info[0]["severity"] == "info" and info[0]["field"] == "统一社会信用代码"
    assert f"已规范为 {USCC}" in info[0]["message"] and step in info[0]["message"]
    assert info[0]["where"].endswith(f":{line_of(p, '统一社会信用代码:')}")
    assert not [f for f in js["findings"] if f["code"] == "uscc"]
    assert as_json(cli("score", str(p), "--json"))["uscc"] == USCC
    out = tmp_path / "out"
    assert cli("build", str(p), "-o", str(out), "--no-pdf").exit_code == 0
    assert USCC in docx_text(out / "绿色工厂自评价报告.docx")


def test_batch_uses_the_normalised_code(cli, tmp_path):
    d = tmp_path / "批次"
    d.mkdir()
    variant(d, [(f"统一社会信用代码: {USCC}", f"统一社会信用代码: {FULL_WIDTH}")], name="a.yaml")
    variant(d, [(f"统一社会信用代码: {USCC}", f"统一社会信用代码: {USCC.lower()}")], name="b.yaml")
    r = cli("batch", str(d), "-o", str(tmp_path / "汇总.xlsx"), "--jobs", "1", "--json")
    js = as_json(r)
    assert [a["values"]["uscc"] for a in js["applications"]] == [USCC, USCC]
    assert any(c["kind"] == "重复申报" and USCC in c["message"] for c in js["conflicts"])


def test_uscc_module_is_the_one_place():
    from gmdocs.evaluate.uscc import normalise
    assert normalise(f" {FULL_WIDTH} ") == USCC
    assert normalise("9115 0300 ma0n7q2x1a") == USCC
    assert normalise(None) == ""


# ---------------------------------------------------------------- 查新: a number cut by a line break

def test_split_standard_numbers_are_joined_before_matching():
    assert join_split_numbers("依据 ＧＢ／Ｔ ３３６\n３５—２０１７ 编写") == "依据 ＧＢ／Ｔ ３３６３５—２０１７ 编写"
    assert join_split_numbers("GB/T 36132-20\n25 第5章") == "GB/T 36132-2025 第5章"
    assert join_split_numbers("JC/T 26\n34-2021") == "JC/T 2634-2021"
    for keep in ("GB/T 36132\n2018年度", "GB/T 36132\n2. 下一条", "GB/T 36132-2025\n12 页", "GB 1\n第二行"):
        assert join_split_numbers(keep) == keep


def test_pdf_with_a_number_broken_across_lines(cli, tmp_path):
    from gmdocs.catalogue import read_catalogue
    from .conftest import SHIPPED
    cat = read_catalogue(SHIPPED, use_user_data=False)
    cites = check_text(cat, "a.pdf", "第1页", "依据 ＧＢ／Ｔ ３６１\n３２—２０２５ 评价")
    assert [(c.cited_as, c.status) for c in cites] == [("ＧＢ／Ｔ ３６１３２—２０２５", "现行")]
    f = make_pdf(tmp_path / "a.pdf", [["Basis: GB/T 361", "32-2025 applies"]])
    js = as_json(cli("standard", "check", str(f), "--json"))
    assert [(c["cited_as"], c["status"], c["location"]) for c in js["citations"]] == [
        ("GB/T 36132-2025", "现行", "第1页")]


def test_every_finding_code_has_a_chinese_name():
    """The 检查项 column of the province's workbook and of the internal working file never falls back to a
    generic name: each code written in the source has its entry in findings.CODE_LABELS."""
    import re

    from gmdocs.findings import CODE_LABELS
    codes = set()
    for f in (ROOT / "gmdocs").rglob("*.py"):
        text = f.read_text(encoding="utf-8")
        codes |= set(re.findall(r"\b(?:err|warn|unmet|report)\(\"([a-z][a-z0-9-]*)\"", text))
        codes |= set(re.findall(r"Finding\((?:ERROR|WARNING|INFO), \"([a-z][a-z0-9-]*)\"", text))
        codes |= set(re.findall(r"\bcode=\"([a-z][a-z0-9-]*)\"", text))
        codes |= set(re.findall(r"\bcode: str = \"([a-z][a-z0-9-]*)\"", text))
    assert {"input", "eligibility", "energy-sum", "sheet-missing"} <= codes     # the scan finds them
    assert codes - set(CODE_LABELS) == set()


def test_values_are_quoted_as_users_wrote_them_never_as_python_repr():
    import datetime as dt

    from gmdocs.errors import not_a_number, said
    assert said("市级") == "“市级”" and said(None) == "（空）" and said(True) == "是" and said(1.5) == "1.5"
    assert said(dt.datetime(2023, 3, 15)) == "2023-03-15" and said(dt.datetime(2023, 3, 15, 8, 30)) == "2023-03-15 08:30:00"
    assert said(10529962260839640) == "10529962260839640"
    assert "日期格式（显示为 2023-03-15）" in not_a_number(dt.datetime(2023, 3, 15))
    assert not_a_number("约 50") == "应为数字，实际是 “约 50”"
