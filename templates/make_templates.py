#!/usr/bin/env python3
"""Build the DOCX report templates listed in formats.yaml (run after changing the layout).

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
    """East Asian text is zh-CN (Pan-CJK fonts use the Simplified Chinese glyph forms); Latin text and digits
    stay en-US: marked zh-CN, LibreOffice breaks lines inside numbers (GB/T 25|89-2020)."""
    rpr = doc.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:val"), "en-US")
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
        lang.set(qn("w:val"), "en-US")
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
    for name, size in (("Heading 1", 16), ("Heading 2", 15), ("Heading 3", 14)):
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
                   "综合能耗申报值（tce）", "综合能耗折算值（tce）", "{{ doc.year_extra_label }}", "单位产品综合能耗",
                   "直接排放\n（tCO₂）", "净购入电力和热力\n（tCO₂）", "合计\n（tCO₂）", "单位增加值排放\n（tCO₂/万元）"}


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


# ---------------------------------------------------------------- front matter
ISSUER = "工业和信息化部制"


def cover(doc, rows):
    """Cover as in the official forms: title, year, the named lines, 工业和信息化部制 and the date."""
    for _ in range(3):
        para(doc, style="Normal")
    p = doc.add_paragraph("{{ doc.title }}", style="Title")
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    para(doc, "（{{ doc.year }}年度）", style="Normal", align=WD_ALIGN_PARAGRAPH.CENTER, size=16, font=HEAD_FONT)
    for _ in range(4):
        para(doc, style="Normal")
    for label, expr in rows:
        p = para(doc, style="Normal", align=WD_ALIGN_PARAGRAPH.LEFT)
        p.paragraph_format.left_indent = Cm(2.0)
        r = p.add_run(label)
        set_font(r, HEAD_FONT, 15)
        r = p.add_run(expr)
        set_font(r, BODY_FONT, 15)
    for _ in range(4):
        para(doc, style="Normal")
    para(doc, ISSUER, style="Normal", align=WD_ALIGN_PARAGRAPH.CENTER, size=15, font=HEAD_FONT)
    para(doc, "{{ doc.date }}", style="Normal", align=WD_ALIGN_PARAGRAPH.CENTER, size=15, font=BODY_FONT)
    tag(doc, "{%p if doc.draft_note %}")
    para(doc, "{{ doc.draft_note }}", style="Normal", align=WD_ALIGN_PARAGRAPH.CENTER, size=14, font=HEAD_FONT)
    tag(doc, "{%p endif %}")
    page_break(doc)


def fill_notes(doc):
    """填写说明 of the self-evaluation forms (附件2-1)."""
    para(doc, "填 写 说 明", style="Normal", align=WD_ALIGN_PARAGRAPH.CENTER, size=16, font=HEAD_FONT)
    for t in ("一、申请单位应当准确、如实填报。",
              "二、所属行业依据 GB/T 4754—2017《国民经济行业分类》填写；单位性质依据营业执照中的类型填写。",
              "三、有关项目页面不够时，可加附页。",
              "四、自评价报告应按照规定格式填写，并使用 A4 纸打印装订。"):
        para(doc, t)
    page_break(doc)


def single_paragraph(cell):
    """A merged cell keeps one paragraph (python-docx moves the merged cells' empty paragraphs into it)."""
    for p in cell.paragraphs[1:]:
        p._p.getparent().remove(p._p)
    return cell


def grid(doc, rows, widths=(3.2, 4.6, 3.2, 4.6)):
    """The official 基本信息表 layout: label | value | label | value; a 2-tuple spans the row; ("#", text) is a part heading."""
    t = doc.add_table(rows=0, cols=4)
    t.style = doc.styles["Table Grid"]
    t.alignment = WD_TABLE_ALIGNMENT.CENTER
    for row in rows:
        r = t.add_row()
        cant_split(r)
        for c in r.cells:
            c.text = ""
            c.paragraphs[0].style = doc.styles["gm table text"]
        if row[0] == "#":
            m = single_paragraph(r.cells[0].merge(r.cells[3]))
            run = m.paragraphs[0].add_run(row[1])
            set_font(run, HEAD_FONT, 10.5)
            m.paragraphs[0].paragraph_format.keep_with_next = True      # a part heading stays with its rows
            shade(m)
            continue
        cells = list(r.cells)
        if len(row) == 2:
            single_paragraph(cells[1].merge(cells[3]))
            pairs = [(cells[0], row[0], cells[1], row[1])]
        else:
            pairs = [(cells[0], row[0], cells[1], row[1]), (cells[2], row[2], cells[3], row[3])]
        for lc, label, vc, expr in pairs:
            run = lc.paragraphs[0].add_run(label)
            set_font(run, HEAD_FONT, 10.5)
            shade(lc, "F2F2F2")
            vc.paragraphs[0].add_run(expr)
    fix_widths(t, widths)
    return t


def title_line(doc, text):
    para(doc, text, style="Normal", align=WD_ALIGN_PARAGRAPH.CENTER, size=16, font=HEAD_FONT)


def signature(doc, who):
    """Signature lines, kept on the page of the pledge above them (never alone on the next page)."""
    para(doc, style="Normal").paragraph_format.keep_with_next = True
    p = para(doc, f"{who}签字：＿＿＿＿＿＿　　　（公章）", style="Normal", align=WD_ALIGN_PARAGRAPH.RIGHT)
    p.paragraph_format.keep_with_next = True
    para(doc, "日期：　　年　　月　　日", style="Normal", align=WD_ALIGN_PARAGRAPH.RIGHT)


SELF_PLEDGE = ("我单位郑重承诺：本次申报{{ doc.category_name }}所提交的相关数据和信息均真实、有效，近三年不存在推荐通知所列"
               "不得申报的情形，愿接受并积极配合主管部门的监督抽查和核验。如有违反，愿承担由此产生的相应责任。")
EVAL_PLEDGE_2024 = ("本机构承诺，已按规范完整的评价程序对受评价方进行了全面的评价，受评价方提交的材料真实有效，本评价报告客观公正，"
                    "结论证据充分，真实、准确的反映了评价过程的发现，严谨的出具结论。本机构已充分了解评价报告的严肃性，"
                    "评价过程若存在弄虚作假或故意隐瞒受评价方问题，本机构愿承担所有责任。")
EVAL_PLEDGE_PARK = ("本机构承诺已对园区材料进行全面审核，保证园区数据真实有效，评价程序公正，评价结果客观。"
                    "评价报告若存在弄虚作假，本机构愿承担责任。")

ENTERPRISE_INFO = [
    ("{{ doc.name_label }}", "{{ applicant.name }}"),
    ("所属行业", "{{ applicant.industry_text }}", "统一社会信用代码", "{{ applicant.uscc }}"),
    ("通讯地址", "{{ applicant.address }}"),
    ("单位性质", "{{ boxes.nature }}"),
    ("注册机关", "{{ applicant.registry }}", "注册资本", "{{ applicant.capital_text }}"),
    ("成立日期", "{{ applicant.established }}", "有效期", "{{ applicant.valid_until }}"),
    ("法定代表人", "{{ applicant.legal_rep }}", "邮编", "{{ applicant.postcode }}"),
    ("申报工作联系部门", "{{ applicant.department }}", "联系人", "{{ applicant.contact }}"),
    ("联系电话", "{{ applicant.phone }}", "手机", "{{ applicant.mobile }}"),
    ("传真", "{{ applicant.fax }}", "电子邮箱", "{{ applicant.email }}"),
    ("单位简介", "{{ applicant.profile }}"),
]


def self_front(doc, f):
    cover(doc, [("申报单位：", "{{ applicant.name }}"), ("所在省市：", "{{ applicant.province }}")])
    if f["category"] != "park":
        fill_notes(doc)
    title_line(doc, "基本信息表")
    if f["category"] == "park":
        grid(doc, [("园区名称", "{{ applicant.name }}"),
                   ("园区级别", "{{ applicant.park_level }}", "园区类型", "{{ applicant.park_type }}"),
                   ("通讯地址", "{{ applicant.address }}"),
                   ("园区负责人", "{{ applicant.legal_rep }}", "管理机构", "{{ applicant.management_body }}"),
                   ("联系人", "{{ applicant.contact }}", "联系电话", "{{ applicant.phone }}"),
                   ("电子邮箱", "{{ applicant.email }}", "统一社会信用代码", "{{ applicant.uscc }}"),
                   ("园区简介（不超过500字）", "{{ applicant.profile }}"),
                   ("创建经验及成效（不超过1000字）", "{{ narrative.practices }}")])
    else:
        grid(doc, ENTERPRISE_INFO)
    para(doc, style="Normal")
    para(doc, "材料真实性承诺：", style="Normal", size=14, font=HEAD_FONT).paragraph_format.keep_with_next = True
    para(doc, SELF_PLEDGE).paragraph_format.keep_with_next = True
    signature(doc, "法定代表人或单位负责人")


def third_front(doc, f):
    noun = {"factory": "工厂", "park": "园区", "supply-chain": "企业"}[f["category"]]
    cover(doc, [(f"{noun}名称：", "{{ applicant.name }}"), ("第三方评价机构名称：", "{{ evaluator.name }}")])
    title_line(doc, "基本信息表")
    evaluator = [("第三方机构名称", "{{ evaluator.name }}"),
                 ("第三方机构地址", "{{ evaluator.address }}"),
                 ("机构法定代表人", "{{ evaluator.legal_rep }}", "法定代表人电话", "{{ evaluator.legal_rep_phone }}"),
                 ("机构联系人", "{{ evaluator.contact }}", "联系人电话", "{{ evaluator.phone }}"),
                 ("报告编制负责人", "{{ evaluator.author }}", "负责人电话", "{{ evaluator.author_phone }}")]
    if f["category"] == "park":
        rows = [("#", "一、园区基本信息"),
                ("园区名称", "{{ applicant.name }}"),
                ("园区地址", "{{ applicant.address }}"),
                ("园区负责人", "{{ applicant.legal_rep }}", "负责人电话", "{{ applicant.phone }}"),
                ("园区联系人", "{{ applicant.contact }}", "联系人电话", "{{ applicant.phone }}"),
                ("电子邮箱", "{{ applicant.email }}", "传真", "{{ applicant.fax }}"),
                ("管理机构", "{{ applicant.management_body }}", "统一社会信用代码", "{{ applicant.uscc }}"),
                ("#", "二、第三方机构信息"), *evaluator,
                ("报告审核人", "{{ evaluator.reviewer }}", "审核人电话", "{{ evaluator.reviewer_phone }}"),
                ("#", "三、绿色园区评价结果"),
                ("基本要求", "{{ boxes.gates }}"),
                ("近三年评价得分", "{{ park_scores[0].label }} {{ park_scores[0].value }}　　{{ park_scores[1].label }} "
                 "{{ park_scores[1].value }}　　{{ park_scores[2].label }} {{ park_scores[2].value }}")]
        pledge = EVAL_PLEDGE_PARK
    else:
        rows = [("#", f"一、{noun}基本信息"),
                (f"{noun}名称", "{{ applicant.name }}"),
                (f"{noun}地址", "{{ applicant.address }}"),
                ("所属行业", "{{ applicant.industry_text }}", "主要产品", "{{ applicant.main_products }}"),
                ("单位性质", "{{ boxes.nature }}"),
                ("统一社会信用代码", "{{ applicant.uscc }}", "法定代表人", "{{ applicant.legal_rep }}"),
                ("申报工作联系部门", "{{ applicant.department }}", "联系人", "{{ applicant.contact }}"),
                ("联系电话", "{{ applicant.phone }}", "电子邮箱", "{{ applicant.email }}"),
                ("#", "二、第三方机构信息"), *evaluator,
                ("#", "三、{{ doc.category_name }}评价结果"),
                ("基本要求", "{{ boxes.gates }}", "指标得分", "{{ total.text }}"),
                ("受评价方主要亮点", "{{ evaluator.highlights }}")]
        pledge = EVAL_PLEDGE_2024
    grid(doc, rows)
    para(doc, style="Normal")
    para(doc, pledge).paragraph_format.keep_with_next = True
    signature(doc, "法定代表人" if f["category"] != "park" else "负责人")


# ---------------------------------------------------------------- chapters (one block per section key)
SECTIONS: list[dict] = []      # the section tree the template being built produced, checked against formats.yaml


def heading(doc, key, title, level, new_page=False):
    """A numbered heading; its number comes from the context (sec.<key>), so that a chapter left out leaves no gap."""
    text = f"{{{{ sec.{key} }}}}、{title}" if level == 1 else f"{{{{ sec.{key} }}}}{title}"
    h = doc.add_heading(text, level=level)
    h.paragraph_format.page_break_before = new_page


def h1(doc, text, new_page=False):
    h = doc.add_heading(text, level=1)
    h.paragraph_format.page_break_before = new_page


def bullet_loop(doc, loop, expr, empty_text=None, style="gm body"):
    tag(doc, f"{{%p for x in {loop} %}}")
    para(doc, expr, style=style)
    tag(doc, "{%p endfor %}")
    if empty_text:
        tag(doc, f"{{%p if not {loop} %}}")
        para(doc, empty_text)
        tag(doc, "{%p endif %}")


def narrative(doc, key: str, label: str | None = None):
    """The applicant's own words, one paragraph per line; a sub-label in bold when given."""
    tag(doc, f"{{%p if narrative.{key} %}}")
    if label:
        para(doc, label, style="Normal", size=14, font=HEAD_FONT).paragraph_format.keep_with_next = True
    para(doc, f"{{{{ narrative.{key} }}}}")
    tag(doc, "{%p endif %}")


def lead(doc, text):
    """A sentence that introduces the table below it: kept on the same page as the table."""
    p = para(doc, text)
    p.paragraph_format.keep_with_next = True
    return p


def chart(doc, expr, caption):
    tag(doc, f"{{%p if {expr} %}}")
    p = para(doc, f"{{{{ {expr} }}}}", style="Normal", align=WD_ALIGN_PARAGRAPH.CENTER)
    p.paragraph_format.keep_with_next = True
    p.paragraph_format.line_spacing = 1.0          # the body's exact 28 pt line height would clip the picture
    para(doc, caption, style="gm table text", align=WD_ALIGN_PARAGRAPH.CENTER)
    tag(doc, "{%p endif %}")


def years_table(doc):
    lead(doc, "近三年主要经济与能源数据如下（综合能耗为当量值，按 GB/T 2589-2020 折标准煤；“折算值”按各能源品种实物量和折标准煤系数计算）：")
    loop_table(doc, ["年份", "工业总产值（万元）", "工业增加值（万元）", "综合能耗申报值（tce）", "综合能耗折算值（tce）", "{{ doc.year_extra_label }}"],
               ["{{ r.year }}", "{{ r.output_value }}", "{{ r.value_added }}", "{{ r.energy_total }}", "{{ r.energy_computed }}",
                "{{ r.extra }}"], "years", [1.8, 2.8, 2.8, 3.0, 3.0, 2.2])


def b_intro(doc, f, level):
    para(doc, "{{ applicant.profile }}")
    if f["kind"] == "third-party" or f["category"] == "park":
        para(doc, "{{ overview }}")
    years_table(doc)
    chart(doc, "charts.energy_trend", "图 近三年综合能耗和二氧化碳排放量")


def b_overview(doc, f, level):
    para(doc, "{{ overview }}")
    para(doc, "{{ applicant.profile }}")
    years_table(doc)
    chart(doc, "charts.energy_trend", "图 近三年综合能耗和二氧化碳排放量")


def b_creation(doc, f, level):
    narrative(doc, "creation")
    narrative(doc, "practices", "主要做法")
    narrative(doc, "highlights", "亮点")


def b_content(doc, f, level):
    para(doc, "评价组按以下内容对受评价方进行评价，并对其自评价报告中的相关内容逐项核实。")


def b_exclusions(doc, f, level):
    tag(doc, "{%p if conditions %}")
    para(doc, "{{ conditions_summary }}")
    loop_table(doc, ["申报条件", "申报情况", "结论"], ["{{ r.text }}", "{{ r.shown }}", "{{ r.result }}"],
               "conditions", [6.4, 6.6, 2.6])
    tag(doc, "{%p endif %}")
    para(doc, "{{ exclusions_summary }}")
    tag(doc, "{%p if exclusions %}")
    loop_table(doc, ["编号", "不得申报的情形（近三年）", "声明"], ["{{ r.id }}", "{{ r.text }}", "{{ r.answer }}"],
               "exclusions", [1.4, 11.6, 2.6])
    tag(doc, "{%p endif %}")


def gates_table(doc):
    loop_table(doc, ["编号", "基本要求", "结论", "证明材料"],
               ["{{ r.id }}", "{{ r.text }}", "{{ r.result }}", "{{ r.evidence }}"], "gates", [1.4, 9.0, 1.8, 3.4])


def b_gates(doc, f, level):
    lead(doc, "{{ gates_summary }}")
    gates_table(doc)


def indicator_table(doc, third_party):
    if third_party:
        loop_table(doc, ["编号", "指标", "数值", "单位", "证明材料", "自评得分", "核定得分", "评价说明"],
                   ["{{ i.id }}", "{{ i.name }}", "{{ i.value }}", "{{ i.unit }}", "{{ i.evidence }}",
                    "{{ i.self_points }}", "{{ i.evaluator_points }}", "{{ i.evaluator_note }}"],
                   "g.indicators", [1.1, 3.2, 1.8, 1.6, 3.2, 1.3, 1.3, 2.1], item="i")
    else:
        loop_table(doc, ["编号", "指标", "结论", "数值", "单位", "证明材料索引", "自评得分", "数值来源"],
                   ["{{ i.id }}", "{{ i.name }}", "{{ i.result }}", "{{ i.value }}", "{{ i.unit }}", "{{ i.evidence }}",
                    "{{ i.self_points }}", "{{ i.note }}"],
                   "g.indicators", [1.1, 3.2, 1.3, 1.8, 1.6, 3.2, 1.3, 2.1], item="i")


def b_indicators(doc, f, level):
    para(doc, "{{ scoring_intro }}")
    tag(doc, "{%p for g in groups %}")
    sub = min(level + 1, 3)
    doc.add_heading("{{ g.number }}" if sub == 3 else "{{ g.heading }}", level=sub)
    lead(doc, "{{ g.summary }}")
    indicator_table(doc, f["kind"] == "third-party")
    tag(doc, "{%p endfor %}")
    chart(doc, "charts.indicators", "图 定量指标与基准值、引领值")


def b_energy(doc, f, level):
    lead(doc, "各能源品种近三年实物消费量及折标准煤系数（GB/T 2589-2020，{{ energy_basis }}）：")
    loop_table(doc, ["能源品种", "单位", "{{ year_labels[0] }}", "{{ year_labels[1] }}", "{{ year_labels[2] }}", "折标系数"],
               ["{{ r.carrier }}", "{{ r.unit }}", "{{ r.y1 }}", "{{ r.y2 }}", "{{ r.y3 }}", "{{ r.coefficient }}"],
               "energy", [2.8, 2.0, 2.6, 2.6, 2.6, 3.0])
    tag(doc, "{%p if carbon %}")
    lead(doc, "{{ carbon_intro }}")
    loop_table(doc, ["年份", "直接排放\n（tCO₂）", "净购入电力和热力\n（tCO₂）", "合计\n（tCO₂）", "单位增加值排放\n（tCO₂/万元）"],
               ["{{ r.year }}", "{{ r.fuel }}", "{{ r.power }}", "{{ r.total }}", "{{ r.intensity }}"],
               "carbon", [1.6, 3.2, 4.0, 3.2, 3.6])
    tag(doc, "{%p endif %}")
    tag(doc, "{%p if benchmarks %}")
    lead(doc, "{{ benchmark_intro }}")
    loop_table(doc, ["产品", "依据文件", "年份", "单位产品综合能耗", "对标值", "结论"],
               ["{{ r.product }}", "{{ r.document }}", "{{ r.year }}", "{{ r.value }}", "{{ r.levels }}", "{{ r.position }}"],
               "benchmarks", [1.8, 3.4, 1.2, 3.0, 4.2, 2.0])
    tag(doc, "{%p for c in charts.benchmarks %}")
    p = para(doc, "{{ c.image }}", style="Normal", align=WD_ALIGN_PARAGRAPH.CENTER)
    p.paragraph_format.keep_with_next = True
    p.paragraph_format.line_spacing = 1.0
    para(doc, "{{ c.caption }}", style="gm table text", align=WD_ALIGN_PARAGRAPH.CENTER)
    tag(doc, "{%p endfor %}")
    tag(doc, "{%p endif %}")


def summary_tables(doc, third_party):
    lead(doc, "各一级指标得分汇总如下：")
    if third_party:
        loop_table(doc, ["一级指标", "满分", "自评得分", "核定得分"],
                   ["{{ r.name }}", "{{ r.max }}", "{{ r.self }}", "{{ r.evaluator }}"], "group_rows", [6.0, 3.2, 3.2, 3.2])
    else:
        loop_table(doc, ["一级指标", "满分", "自评得分"],
                   ["{{ r.name }}", "{{ r.max }}", "{{ r.self }}"], "group_rows", [7.6, 4.0, 4.0])
    kv_table(doc, [("指标得分", "{{ total.text }}"), ("基本要求", "{{ total.gates }}")])


def b_conclusion(doc, f, level):
    third = f["kind"] == "third-party"
    para(doc, "{{ conclusion }}")
    if third:
        para(doc, "{{ evaluator.opinion }}")
    if not (third and f["category"] == "park"):
        summary_tables(doc, third)


def b_next(doc, f, level):
    narrative(doc, "problems", "存在问题")
    narrative(doc, "next_steps", "下一步工作")


def b_process(doc, f, level):
    lead(doc, "评价组成员：{{ evaluator.members }}。现场评价日期：{{ evaluator.site_visit }}。评价工作按以下步骤进行：")
    bullet_loop(doc, "evaluator.process", "{{ x }}")


def b_findings(doc, f, level):
    bullet_loop(doc, "evaluator.findings", "{{ x }}", "评价组核查未发现需要说明的问题。")


def b_suggestions(doc, f, level):
    bullet_loop(doc, "evaluator.suggestions", "{{ x }}", "无。")


def b_references(doc, f, level):
    bullet_loop(doc, "basis.documents", "{{ x }}")
    para(doc, "受评价方提供的证明材料及其在申报材料汇编中的页码见“附：证明材料清单”。")


def b_qualification(doc, f, level):
    para(doc, "本机构资质符合性证明材料附于申报材料汇编之后：")
    bullet_loop(doc, "evaluator.qualifications", "{{ x }}")


def b_practices(doc, f, level):
    para(doc, "园区为推动绿色园区建设或改造所采取的主要做法：")
    narrative(doc, "creation")
    narrative(doc, "practices")


def b_highlights(doc, f, level):
    para(doc, "{{ evaluator.highlights }}")


def b_problems(doc, f, level):
    bullet_loop(doc, "evaluator.findings", "{{ x }}", "评价组核查未发现需要说明的问题。")
    narrative(doc, "problems", "园区自评价中提出的问题")


BLOCKS = {"intro": b_intro, "overview": b_overview, "creation": b_creation, "content": b_content,
          "exclusions": b_exclusions, "gates": b_gates, "indicators": b_indicators, "energy": b_energy,
          "conclusion": b_conclusion, "next": b_next, "process": b_process, "findings": b_findings,
          "suggestions": b_suggestions, "references": b_references, "qualification": b_qualification,
          "practices": b_practices, "highlights": b_highlights, "problems": b_problems}


def body(doc, f, sections, level=1):
    for i, s in enumerate(sections):
        SECTIONS.append({"key": s["key"], "title": s["title"], "level": level})
        guarded = s.get("when", "always") != "always"
        if guarded:
            tag(doc, f"{{%p if sec.{s['key']} %}}")
        heading(doc, s["key"], s["title"], level, new_page=(level == 1 and i == 0))
        BLOCKS[s["key"]](doc, f, level)
        body(doc, f, s.get("children") or [], level + 1)
        if guarded:
            tag(doc, "{%p endif %}")


def park_annex(doc):
    """附表 of the 2018 park third-party format: 基本要求 and indicators, as checked by the evaluator."""
    tag(doc, "{%p if gates %}")
    h1(doc, "附表1　基本要求第三方评价表", new_page=True)
    gates_table(doc)
    tag(doc, "{%p endif %}")
    h1(doc, "附表{{ doc.annex_indicators }}　评价指标第三方评价表")
    lead(doc, "{{ scoring_intro }}")
    tag(doc, "{%p for g in groups %}")
    doc.add_heading("{{ g.heading }}", level=2)
    lead(doc, "{{ g.summary }}")
    indicator_table(doc, True)
    tag(doc, "{%p endfor %}")
    summary_tables(doc, True)


def evidence_index(doc):
    """附：证明材料清单 — each item's evidence, and each attached file with its pages in 申报材料汇编.pdf."""
    h1(doc, "附：证明材料清单")
    loop_table(doc, ["序号", "对应条目", "证明材料", "汇编页码"], ["{{ r.n }}", "{{ r.item }}", "{{ r.evidence }}", "{{ r.pages }}"],
               "evidence", [1.3, 4.6, 7.5, 2.2])
    tag(doc, "{%p if attachments %}")
    lead(doc, "随附文件（页码为申报材料汇编正文页码）：")
    loop_table(doc, ["序号", "文件", "页数", "汇编页码"], ["{{ r.n }}", "{{ r.name }}", "{{ r.count }}", "{{ r.pages }}"],
               "attachments", [1.3, 9.4, 2.2, 2.7])
    tag(doc, "{%p endif %}")


def make(f) -> Document:
    doc = Document()
    setup(doc)
    footer_page_numbers(doc)
    (self_front if f["kind"] == "self" else third_front)(doc, f)
    toc(doc)
    body(doc, f, f["sections"])
    if f["kind"] == "third-party" and f["category"] == "park":
        park_annex(doc)
    evidence_index(doc)
    return doc


def _flatten(sections, level=1):
    out = []
    for s in sections:
        out.append({"key": s["key"], "title": s["title"], "level": level})
        out += _flatten(s.get("children") or [], level + 1)
    return out


def main() -> int:
    import yaml
    formats = yaml.safe_load((HERE / "formats.yaml").read_text(encoding="utf-8"))["formats"]
    for f in formats:
        SECTIONS.clear()
        doc = make(f)
        assert SECTIONS == _flatten(f["sections"]), f["template"]
        path = HERE / f["template"]
        path.parent.mkdir(exist_ok=True)
        doc.core_properties.title = path.stem
        doc.core_properties.author = ""          # set to the applicant or evaluator when a report is built
        doc.save(path)
        print(f"wrote {f['template']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
