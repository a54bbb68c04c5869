#!/usr/bin/env python3
"""Build the six DOCX report templates in this folder (run after changing the layout).

    python templates/make_templates.py

The templates are docxtpl (Jinja) templates: every value comes from the context that
gmdocs builds from the evaluation (see gmdocs/documents/context.py); no number is typed
here. Layout follows Chinese government documents: A4, 仿宋 body, 黑体 headings, 宋体 title,
cover page, 目录, numbered headings, tables with repeating header rows, page numbers.
"""
from __future__ import annotations

import sys
from pathlib import Path

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK, WD_TAB_ALIGNMENT, WD_TAB_LEADER
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

HERE = Path(__file__).resolve().parent
BODY_FONT, HEAD_FONT, TITLE_FONT = "仿宋", "黑体", "宋体"
NOUN = {"factory": "工厂", "park": "园区", "supply-chain": "企业"}
CATEGORY = {"factory": "绿色工厂", "park": "绿色工业园区", "supply-chain": "绿色供应链管理企业"}


def set_font(style_or_run, east: str, size: float | None = None, bold: bool | None = None, latin="Times New Roman"):
    font = style_or_run.font
    font.name = latin
    if size:
        font.size = Pt(size)
    if bold is not None:
        font.bold = bold
    rpr = style_or_run.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:cs"):
        fonts.set(qn(attr), latin)
    fonts.set(qn("w:eastAsia"), east)


def set_language(doc: Document) -> None:
    """Mark the text as zh-CN so that Pan-CJK fonts use the Simplified Chinese glyph forms."""
    rpr = doc.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:val"), "zh-CN")
    lang.set(qn("w:eastAsia"), "zh-CN")


def chinese_theme(doc: Document) -> None:
    """Word and WPS must show 宋体/黑体/仿宋: no theme fonts in the styles, a Chinese theme, zh-CN as theme language."""
    styles = doc.styles.element
    theme_attrs = [qn(a) for a in ("w:asciiTheme", "w:eastAsiaTheme", "w:hAnsiTheme", "w:cstheme")]
    for fonts in styles.iter(qn("w:rFonts")):
        for a in theme_attrs:
            if a in fonts.attrib:
                del fonts.attrib[a]
    defaults = styles.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    fonts = defaults.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        defaults.insert(0, fonts)
    for a, v in (("w:ascii", "Times New Roman"), ("w:hAnsi", "Times New Roman"), ("w:cs", "Times New Roman"),
                 ("w:eastAsia", BODY_FONT)):
        fonts.set(qn(a), v)
    lang = doc.settings.element.find(qn("w:themeFontLang"))
    if lang is not None:
        lang.set(qn("w:val"), "zh-CN")
        lang.set(qn("w:eastAsia"), "zh-CN")
    for rel in doc.part.rels.values():
        if rel.reltype.endswith("/theme"):
            part = rel.target_part
            xml = part.blob.decode("utf-8")
            xml = xml.replace('<a:ea typeface=""/>', '<a:ea typeface="宋体"/>', 2)
            major = xml.find("<a:majorFont>")
            if major >= 0:
                head = xml[major:].replace('<a:ea typeface="宋体"/>', f'<a:ea typeface="{HEAD_FONT}"/>', 1)
                xml = xml[:major] + head
            part._blob = xml.encode("utf-8")


def setup(doc: Document) -> None:
    set_language(doc)
    sec = doc.sections[0]
    sec.page_width, sec.page_height = Cm(21.0), Cm(29.7)
    sec.top_margin, sec.bottom_margin = Cm(3.7), Cm(3.5)
    sec.left_margin, sec.right_margin = Cm(2.8), Cm(2.6)
    sec.footer_distance = Cm(2.0)
    st = doc.styles
    set_font(st["Normal"], BODY_FONT, 14)
    st["Normal"].paragraph_format.line_spacing = Pt(28)
    st["Normal"].paragraph_format.space_after = Pt(0)
    for name, size in (("Heading 1", 16), ("Heading 2", 15)):
        s = st[name]
        set_font(s, HEAD_FONT, size, bold=False)
        s.font.color.rgb = None
        s.paragraph_format.space_before = Pt(12)
        s.paragraph_format.space_after = Pt(6)
        s.paragraph_format.keep_with_next = True
    set_font(st["Title"], TITLE_FONT, 26, bold=True)
    st["Title"].font.color.rgb = None
    # the Title style has a bottom border in the default template: remove it
    ppr = st["Title"].element.get_or_add_pPr()
    for b in ppr.findall(qn("w:pBdr")):
        ppr.remove(b)
    tbl = st.add_style("gm table text", 1)
    tbl.paragraph_format.space_after = Pt(2)
    tbl.base_style = st["Normal"]
    set_font(tbl, BODY_FONT, 10.5)
    tbl.paragraph_format.line_spacing = Pt(16)
    tbl.paragraph_format.first_line_indent = Cm(0)
    body = st.add_style("gm body", 1)
    body.base_style = st["Normal"]
    body.paragraph_format.first_line_indent = Pt(28)
    chinese_theme(doc)


def field(paragraph, instr: str, cached: str = "", dirty: bool = False) -> None:
    def fc(kind):
        r = paragraph.add_run()
        el = OxmlElement("w:fldChar")
        el.set(qn("w:fldCharType"), kind)
        if dirty and kind == "begin":
            el.set(qn("w:dirty"), "true")
        r._r.append(el)
    fc("begin")
    r = paragraph.add_run()
    t = OxmlElement("w:instrText")
    t.set(qn("xml:space"), "preserve")
    t.text = instr
    r._r.append(t)
    fc("separate")
    if cached:
        paragraph.add_run(cached)
    fc("end")


def footer_page_numbers(doc: Document) -> None:
    sec = doc.sections[0]
    sec.different_first_page_header_footer = True      # no number on the cover
    p = sec.footer.paragraphs[0]
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    p.add_run("— ")
    field(p, "PAGE", "1")
    p.add_run(" —")
    for r in p.runs:
        set_font(r, "宋体", 12)
    h = sec.header.paragraphs[0]
    h.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    run = h.add_run("{{ doc.header }}")
    set_font(run, BODY_FONT, 9)


def para(doc, text="", style="gm body", align=None, size=None, bold=None, font=None):
    p = doc.add_paragraph(style=style)
    if text:
        run = p.add_run(text)
        if size or bold is not None or font:
            set_font(run, font or BODY_FONT, size, bold)
    if align is not None:
        p.alignment = align
    return p


def tag(doc, text):
    """A paragraph that holds only a docxtpl paragraph tag ({%p … %}); docxtpl removes it."""
    return doc.add_paragraph(text, style="Normal")


def header_row(row):
    trpr = row._tr.get_or_add_trPr()
    el = OxmlElement("w:tblHeader")
    el.set(qn("w:val"), "true")
    trpr.append(el)


def cant_split(row):
    """A row is never broken across pages (no orphan fragments of a cell on the next page)."""
    trpr = row._tr.get_or_add_trPr()
    el = OxmlElement("w:cantSplit")
    el.set(qn("w:val"), "true")
    trpr.insert(0, el)


def shade(cell, color="DDEBF7"):
    tcpr = cell._tc.get_or_add_tcPr()
    sh = OxmlElement("w:shd")
    sh.set(qn("w:val"), "clear")
    sh.set(qn("w:color"), "auto")
    sh.set(qn("w:fill"), color)
    tcpr.append(sh)


NUMERIC_COLUMNS = {"数值", "自评得分", "核定得分", "满分", "得分", "页数", "工业总产值（万元）", "工业增加值（万元）",
                   "综合能耗申报值（tce）", "综合能耗折算值（tce）", "{{ doc.year_extra_label }}", "单位产品综合能耗"}


def loop_table(doc, headers, cells, loop, widths, item="r"):
    """A table: header row, `{%tr for %}` row, the data row, `{%tr endfor %}` row."""
    t = doc.add_table(rows=4, cols=len(headers))
    t.style = doc.styles["Table Grid"]
    t.alignment = WD_TABLE_ALIGNMENT.CENTER
    for i, h in enumerate(headers):
        c = t.rows[0].cells[i]
        c.text = ""
        run = c.paragraphs[0].add_run(h)
        set_font(run, HEAD_FONT, 10.5)
        c.paragraphs[0].style = doc.styles["gm table text"]
        c.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
        shade(c)
    header_row(t.rows[0])
    for row in t.rows:
        cant_split(row)
    t.rows[1].cells[0].text = f"{{%tr for {item} in {loop} %}}"
    for i, expr in enumerate(cells):
        c = t.rows[2].cells[i]
        c.text = ""
        c.paragraphs[0].add_run(expr)
        c.paragraphs[0].style = doc.styles["gm table text"]
        if headers[i] in NUMERIC_COLUMNS or headers[i].startswith("{{ year_labels"):
            c.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT      # numbers line up on the right
    t.rows[3].cells[0].text = "{%tr endfor %}"
    fix_widths(t, widths)
    return t


def fix_widths(t, widths):
    """Fixed layout with explicit column widths (Word, WPS and LibreOffice all honour gridCol + tcW)."""
    t.autofit = False
    for i, w in enumerate(widths):
        t.columns[i].width = Cm(w)
    for row in t.rows:
        for i, w in enumerate(widths):
            row.cells[i].width = Cm(w)


def kv_table(doc, rows, widths=(4.5, 11.1)):
    t = doc.add_table(rows=0, cols=2)
    t.style = doc.styles["Table Grid"]
    t.alignment = WD_TABLE_ALIGNMENT.CENTER
    for label, expr in rows:
        r = t.add_row()
        r.cells[0].text, r.cells[1].text = "", ""
        run = r.cells[0].paragraphs[0].add_run(label)
        set_font(run, HEAD_FONT, 10.5)
        shade(r.cells[0], "F2F2F2")
        r.cells[1].paragraphs[0].add_run(expr)
        cant_split(r)
        for c in r.cells:
            c.paragraphs[0].style = doc.styles["gm table text"]
    fix_widths(t, widths)
    return t


def toc(doc):
    t = para(doc, "目　　录", style="Normal", align=WD_ALIGN_PARAGRAPH.CENTER, size=16, font=HEAD_FONT)
    t.paragraph_format.page_break_before = True
    p = doc.add_paragraph(style="Normal")
    field_begin = p
    # begin + instr + separate; the cached entries follow as paragraphs; end closes the field.
    for kind in ("begin",):
        r = p.add_run()
        el = OxmlElement("w:fldChar")
        el.set(qn("w:fldCharType"), kind)
        el.set(qn("w:dirty"), "true")
        r._r.append(el)
    r = p.add_run()
    t = OxmlElement("w:instrText")
    t.set(qn("xml:space"), "preserve")
    t.text = 'TOC \\o "1-2" \\h \\z \\u'
    r._r.append(t)
    r = p.add_run()
    el = OxmlElement("w:fldChar")
    el.set(qn("w:fldCharType"), "separate")
    r._r.append(el)
    tag(doc, "{%p for e in toc %}")
    e = doc.add_paragraph(style="Normal")
    e.paragraph_format.line_spacing = Pt(24)
    e.add_run("{{ e.indent }}{{ e.title }}\t{{ e.page }}")
    e.paragraph_format.tab_stops.add_tab_stop(Cm(15.6), WD_TAB_ALIGNMENT.RIGHT, WD_TAB_LEADER.DOTS)
    tag(doc, "{%p endfor %}")
    end = doc.add_paragraph(style="Normal")
    end.paragraph_format.line_spacing = Pt(1)      # the field's closing paragraph takes no room
    r = end.add_run()
    el = OxmlElement("w:fldChar")
    el.set(qn("w:fldCharType"), "end")
    r._r.append(el)
    return field_begin


def page_break(doc):
    doc.add_paragraph(style="Normal").add_run().add_break(WD_BREAK.PAGE)


def cover(doc, third_party: bool):
    for _ in range(3):
        para(doc, style="Normal")
    p = doc.add_paragraph("{{ doc.title }}", style="Title")
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    para(doc, "（{{ doc.year }}年度）", style="Normal", align=WD_ALIGN_PARAGRAPH.CENTER, size=16, font=HEAD_FONT)
    for _ in range(4):
        para(doc, style="Normal")
    rows = [("{{ doc.unit_label }}：", "{{ applicant.name }}")]
    if third_party:
        rows.append(("第三方评价机构：", "{{ evaluator.name }}"))
    rows += [("统一社会信用代码：", "{{ applicant.uscc }}"), ("编制日期：", "{{ doc.date }}")]
    for label, expr in rows:
        p = para(doc, style="Normal", align=WD_ALIGN_PARAGRAPH.LEFT)
        p.paragraph_format.left_indent = Cm(2.5)
        r = p.add_run(label)
        set_font(r, HEAD_FONT, 15)
        r = p.add_run(expr)
        set_font(r, BODY_FONT, 15)
    para(doc, style="Normal")
    p = para(doc, "{{ doc.draft_note }}", style="Normal", align=WD_ALIGN_PARAGRAPH.CENTER, size=14, font=HEAD_FONT)
    p.add_run().add_break(WD_BREAK.PAGE)


SECTIONS: list[dict] = []      # the section map of the template being built: [{key, title, when}]


def h1(doc, text, new_page=False):
    h = doc.add_heading(text, level=1)
    h.paragraph_format.page_break_before = new_page


def section(doc, key: str, title: str, new_page: bool = False, when: str = "always"):
    """A numbered chapter: its number comes from the context (sec.<key>), so that a chapter left out
    (`when` false for this application) leaves no gap in the numbering."""
    SECTIONS.append({"key": key, "title": title, "when": when})
    h1(doc, f"{{{{ sec.{key} }}}}、{title}", new_page=new_page)


def h2(doc, text):
    doc.add_heading(text, level=2)


def bullet_loop(doc, loop, expr, empty_text=None, style="gm body"):
    tag(doc, f"{{%p for x in {loop} %}}")
    para(doc, expr, style=style)
    tag(doc, "{%p endfor %}")
    if empty_text:
        tag(doc, f"{{%p if not {loop} %}}")
        para(doc, empty_text)
        tag(doc, "{%p endif %}")


def indicator_sections(doc, third_party: bool):
    tag(doc, "{%p for g in groups %}")
    h2(doc, "{{ g.heading }}")
    para(doc, "{{ g.summary }}")
    if third_party:
        loop_table(doc, ["编号", "指标", "数值", "单位", "证明材料", "自评得分", "核定得分", "评价说明"],
                   ["{{ i.id }}", "{{ i.name }}", "{{ i.value }}", "{{ i.unit }}", "{{ i.evidence }}",
                    "{{ i.self_points }}", "{{ i.evaluator_points }}", "{{ i.evaluator_note }}"],
                   "g.indicators", [1.1, 3.2, 1.8, 1.6, 3.2, 1.3, 1.3, 2.1], item="i")
    else:
        loop_table(doc, ["编号", "指标", "结论", "数值", "单位", "证明材料", "自评得分", "数值来源"],
                   ["{{ i.id }}", "{{ i.name }}", "{{ i.result }}", "{{ i.value }}", "{{ i.unit }}", "{{ i.evidence }}",
                    "{{ i.self_points }}", "{{ i.note }}"],
                   "g.indicators", [1.1, 3.2, 1.3, 1.8, 1.6, 3.2, 1.3, 2.1], item="i")
    tag(doc, "{%p endfor %}")


CN = "一二三四五六七八九十"


def cn(i: int) -> str:
    """Chinese ordinal for index i (0 → 一, 9 → 十, 10 → 十一)."""
    return CN[i] if i < 10 else "十" + CN[i - 10]


def narrative(doc, key: str, label: str | None = None):
    """The applicant's own words, one paragraph per line; a sub-label in bold when given."""
    tag(doc, f"{{%p if narrative.{key} %}}")
    if label:
        para(doc, label, style="Normal", size=14, font=HEAD_FONT)
    para(doc, f"{{{{ narrative.{key} }}}}")
    tag(doc, "{%p endif %}")


def common_body(doc, category: str, third_party: bool, new_page: bool = False) -> None:
    """Sections 基本情况 … 得分汇总."""
    section(doc, "intro", "{{ doc.intro_heading }}", new_page=new_page)
    para(doc, "{{ applicant.profile }}")
    para(doc, "近三年主要经济与能源数据如下（综合能耗为当量值，按 GB/T 2589-2020 折标准煤；“折算值”按各能源品种实物量和折标准煤系数计算）：")
    loop_table(doc, ["年份", "工业总产值（万元）", "工业增加值（万元）", "综合能耗申报值（tce）", "综合能耗折算值（tce）", "{{ doc.year_extra_label }}"],
               ["{{ r.year }}", "{{ r.output_value }}", "{{ r.value_added }}", "{{ r.energy_total }}", "{{ r.energy_computed }}",
                "{{ r.extra }}"], "years", [1.8, 2.8, 2.8, 3.0, 3.0, 2.2])
    if not third_party:
        section(doc, "creation", f"{CATEGORY[category]}创建情况")
        narrative(doc, "creation")
        narrative(doc, "practices", "主要做法")
        narrative(doc, "highlights", "亮点")
    section(doc, "basis", "评价依据")
    para(doc, "{{ basis.text }}")
    bullet_loop(doc, "basis.documents", "{{ x }}")
    section(doc, "exclusions", "否决条件核查")
    para(doc, "{{ exclusions_summary }}")
    tag(doc, "{%p if exclusions %}")
    loop_table(doc, ["编号", "不得申报的情形（近三年）", "声明"], ["{{ r.id }}", "{{ r.text }}", "{{ r.answer }}"],
               "exclusions", [1.4, 11.6, 2.6])
    tag(doc, "{%p endif %}")
    tag(doc, "{%p if sec.gates %}")
    section(doc, "gates", "基本要求符合情况", when="gates")
    para(doc, "{{ gates_summary }}")
    loop_table(doc, ["编号", "基本要求", "结论", "证明材料"],
               ["{{ r.id }}", "{{ r.text }}", "{{ r.result }}", "{{ r.evidence }}"], "gates", [1.4, 9.0, 1.8, 3.4])
    tag(doc, "{%p endif %}")
    section(doc, "indicators", "评价指标" + ("核查与评分" if third_party else "自评价"))
    para(doc, "{{ scoring_intro }}")
    indicator_sections(doc, third_party)
    if category == "factory":
        section(doc, "energy", "能源消费与能效对标")
        para(doc, "各能源品种近三年实物消费量及折标准煤系数（GB/T 2589-2020，{{ energy_basis }}）：")
        loop_table(doc, ["能源品种", "单位", "{{ year_labels[0] }}", "{{ year_labels[1] }}", "{{ year_labels[2] }}", "折标系数"],
                   ["{{ r.carrier }}", "{{ r.unit }}", "{{ r.y1 }}", "{{ r.y2 }}", "{{ r.y3 }}", "{{ r.coefficient }}"],
                   "energy", [2.8, 2.0, 2.6, 2.6, 2.6, 3.0])
        tag(doc, "{%p if benchmarks %}")
        para(doc, "{{ benchmark_intro }}")
        loop_table(doc, ["产品", "依据文件", "年份", "单位产品综合能耗", "对标值", "结论"],
                   ["{{ r.product }}", "{{ r.document }}", "{{ r.year }}", "{{ r.value }}", "{{ r.levels }}", "{{ r.position }}"],
                   "benchmarks", [2.2, 3.4, 1.4, 2.6, 4.0, 2.0])
        tag(doc, "{%p endif %}")
    section(doc, "summary", "得分汇总")
    if third_party:
        loop_table(doc, ["一级指标", "满分", "自评得分", "核定得分"],
                   ["{{ r.name }}", "{{ r.max }}", "{{ r.self }}", "{{ r.evaluator }}"], "group_rows", [6.0, 3.2, 3.2, 3.2])
        kv_table(doc, [("指标得分", "{{ total.text }}"), ("基本要求", "{{ total.gates }}")])
    else:
        loop_table(doc, ["一级指标", "满分", "自评得分"],
                   ["{{ r.name }}", "{{ r.max }}", "{{ r.self }}"], "group_rows", [7.6, 4.0, 4.0])
        kv_table(doc, [("指标得分", "{{ total.text }}"), ("基本要求", "{{ total.gates }}")])


def evidence_index(doc):
    """附：证明材料清单 — each item's evidence, and each attached file with its pages in 申报材料汇编.pdf."""
    h1(doc, "附：证明材料清单")
    loop_table(doc, ["序号", "对应条目", "证明材料", "汇编页码"], ["{{ r.n }}", "{{ r.item }}", "{{ r.evidence }}", "{{ r.pages }}"],
               "evidence", [1.3, 4.6, 7.5, 2.2])
    tag(doc, "{%p if attachments %}")
    para(doc, "随附文件（页码为申报材料汇编正文页码）：")
    loop_table(doc, ["序号", "文件", "页数", "汇编页码"], ["{{ r.n }}", "{{ r.name }}", "{{ r.count }}", "{{ r.pages }}"],
               "attachments", [1.3, 9.4, 2.2, 2.7])
    tag(doc, "{%p endif %}")


def self_report(category: str) -> Document:
    doc = Document()
    setup(doc)
    footer_page_numbers(doc)
    cover(doc, third_party=False)
    para(doc, "基本信息表", style="Normal", align=WD_ALIGN_PARAGRAPH.CENTER, size=16, font=HEAD_FONT)
    loop_table(doc, ["项目", "内容"], ["{{ r.label }}", "{{ r.value }}"], "info_rows", [4.5, 11.1])
    para(doc, style="Normal")
    para(doc, "材料真实性承诺", style="Normal", align=WD_ALIGN_PARAGRAPH.CENTER, size=16, font=HEAD_FONT)
    para(doc, "本单位承诺：所填报的数据和提交的材料真实、准确、有效，近三年不存在推荐通知所列不得申报的情形；"
              "愿意接受主管部门的监督检查和抽查。如有不实，愿承担相应责任。")
    para(doc, style="Normal")
    para(doc, "法定代表人（签字）：＿＿＿＿＿＿　　　单位（盖章）", style="Normal", align=WD_ALIGN_PARAGRAPH.RIGHT)
    para(doc, "年　　月　　日", style="Normal", align=WD_ALIGN_PARAGRAPH.RIGHT)
    toc(doc)
    common_body(doc, category, third_party=False, new_page=True)
    section(doc, "conclusion", "自评价结论")
    para(doc, "{{ conclusion }}")
    section(doc, "next", "存在问题和下一步工作")
    narrative(doc, "problems", "存在问题")
    narrative(doc, "next_steps", "下一步工作")
    evidence_index(doc)
    return doc


def third_party_report(category: str) -> Document:
    doc = Document()
    setup(doc)
    footer_page_numbers(doc)
    cover(doc, third_party=True)
    para(doc, "基本信息表", style="Normal", align=WD_ALIGN_PARAGRAPH.CENTER, size=16, font=HEAD_FONT)
    para(doc, "（一）{{ doc.unit_label }}基本信息", style="Normal", size=14, font=HEAD_FONT)
    loop_table(doc, ["项目", "内容"], ["{{ r.label }}", "{{ r.value }}"], "info_rows", [4.5, 11.1])
    para(doc, "（二）第三方评价机构信息", style="Normal", size=14, font=HEAD_FONT)
    loop_table(doc, ["项目", "内容"], ["{{ r.label }}", "{{ r.value }}"], "evaluator_rows", [4.5, 11.1])
    para(doc, "（三）评价结果", style="Normal", size=14, font=HEAD_FONT)
    kv_table(doc, [("基本要求", "{{ total.gates }}"), ("指标得分", "{{ total.text }}"), ("主要亮点", "{{ evaluator.highlights }}")])
    para(doc, style="Normal")
    para(doc, "第三方评价机构承诺", style="Normal", align=WD_ALIGN_PARAGRAPH.CENTER, size=16, font=HEAD_FONT)
    para(doc, "本机构承诺：已按《绿色制造第三方评价工作要求》完成评价程序，对受评价方提交的材料进行了充分核查，"
              "评价报告内容客观、真实、准确；如存在弄虚作假或故意隐瞒受评价方问题，愿承担相应责任。")
    para(doc, "法定代表人（签字）：＿＿＿＿＿＿　　　机构（盖章）", style="Normal", align=WD_ALIGN_PARAGRAPH.RIGHT)
    para(doc, "年　　月　　日", style="Normal", align=WD_ALIGN_PARAGRAPH.RIGHT)
    toc(doc)
    section(doc, "overview", "概述", new_page=True)
    para(doc, "{{ overview }}")
    section(doc, "process", "评价过程和方法")
    bullet_loop(doc, "evaluator.process", "{{ x }}")
    common_body(doc, category, third_party=True)
    section(doc, "findings", "现场核查发现")
    bullet_loop(doc, "evaluator.findings", "{{ x }}", "评价组现场核查未发现需要说明的问题。")
    section(doc, "conclusion", "评价结论")
    para(doc, "{{ conclusion }}")
    para(doc, "{{ evaluator.opinion }}")
    section(doc, "suggestions", "建议")
    bullet_loop(doc, "evaluator.suggestions", "{{ x }}", "无。")
    section(doc, "references", "参考文件")
    bullet_loop(doc, "basis.documents", "{{ x }}")
    para(doc, "受评价方提供的证明材料见附：证明材料清单。")
    section(doc, "qualification", "第三方机构资质符合性证明材料")
    para(doc, "本机构资质证明材料附于申报材料汇编之后：")
    bullet_loop(doc, "evaluator.qualifications", "{{ x }}", "（待附）")
    evidence_index(doc)
    return doc


FILES = {
    ("factory", "self"): "绿色工厂自评价报告.docx",
    ("park", "self"): "绿色工业园区自评价报告.docx",
    ("supply-chain", "self"): "绿色供应链管理企业自评价报告.docx",
    ("factory", "third-party"): "绿色工厂第三方评价报告.docx",
    ("park", "third-party"): "绿色工业园区第三方评价报告.docx",
    ("supply-chain", "third-party"): "绿色供应链管理企业第三方评价报告.docx",
}


def main() -> int:
    import yaml
    maps = {}
    for (category, kind), name in FILES.items():
        SECTIONS.clear()
        doc = self_report(category) if kind == "self" else third_party_report(category)
        maps[name] = {"category": category, "kind": kind, "sections": list(SECTIONS)}
        doc.core_properties.title = name[:-5]
        doc.core_properties.author = ""          # set to the applicant or evaluator when a report is built
        doc.save(HERE / name)
        print(f"wrote {name}")
    header = ("# 报告模板的章节表（section map）：每个模板的一级章节按顺序列出；章节编号由 gmdocs 按 when 条件\n"
              "# 计算（when: always 总是出现；gates 评价体系有基本要求时出现），省略的章节不留空号。\n"
              "# 新一年的官方格式：新模板 + 本表中它的一项（模板中一级标题写成 {{ sec.<key> }}、标题）。\n")
    (HERE / "sections.yaml").write_text(header + yaml.safe_dump(maps, allow_unicode=True, sort_keys=False),
                                        encoding="utf-8")
    print("wrote sections.yaml")
    return 0


if __name__ == "__main__":
    sys.exit(main())
