"""`gmdocs build`: check → score → lint → render → cross-check → PDF → package, written atomically."""
from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from ..application.read import load_application
from ..catalogue.load import Catalogue
from ..catalogue.yamlsrc import LDict, read_yaml
from ..errors import EXIT_BAD_INPUT, EXIT_PROBLEMS, GmdocsError, Problem
from ..evaluate.checks import check_and_score
from ..paths import templates_dir
from .context import TITLES, build_context

EVALUATOR_KEYS = {"机构名称": "name", "统一社会信用代码": "uscc", "地址": "address", "法定代表人": "legal_rep",
                  "联系人": "contact", "联系电话": "phone", "报告编写人": "author", "报告审核人": "reviewer",
                  "评价组成员": "members", "现场评价日期": "site_visit", "主要亮点": "highlights",
                  "评价过程": "process", "核查发现": "findings", "建议": "suggestions", "资质说明": "qualification"}
PACKAGE_NAME = "申报材料汇编.pdf"


@dataclass
class BuildResult:
    out_dir: Path
    written: list[Path] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    crosschecked: int = 0
    pages: int | None = None
    bookmarks: list[str] = field(default_factory=list)


def load_evaluator(path: str | Path, cat: Catalogue) -> dict:
    p = Path(path)
    if not p.is_file():
        raise GmdocsError(f"评价机构信息文件不存在：{p}", EXIT_BAD_INPUT)
    data, probs = read_yaml(p, str(p))
    if data is None or not isinstance(data, LDict):
        raise GmdocsError(f"评价机构信息文件应为 YAML 映射（机构名称: …）：{p}", EXIT_BAD_INPUT, probs)
    problems = list(probs)
    out = {}
    for k, v in data.items():
        if k not in EVALUATOR_KEYS:
            problems.append(Problem(str(p), data.line_of(k), str(k), f"未知的键（可用：{'、'.join(EVALUATOR_KEYS)}）"))
            continue
        key = EVALUATOR_KEYS[k]
        if key in ("members", "process", "findings", "suggestions"):
            v = [str(x) for x in v] if isinstance(v, list) else ([str(v)] if v else [])
        out[key] = v
    if not out.get("name"):
        problems.append(Problem(str(p), data.line, "机构名称", "必填项未填写"))
    rule = cat.code_rules.get("gb32100-2015")
    if out.get("uscc") and rule is not None:
        from ..evaluate.uscc import explain
        why = explain(str(out["uscc"]), rule)
        if why:
            problems.append(Problem(str(p), data.line_of("统一社会信用代码"), "统一社会信用代码", f"不合法：{why}"))
    if problems:
        raise GmdocsError("评价机构信息有误：", EXIT_BAD_INPUT, problems)
    return out


def default_template(category: str, kind: str) -> Path:
    return templates_dir() / f"{TITLES[(category, kind)]}.docx"


def _headings(docx: Path) -> list[tuple[str, int]]:
    from docx import Document
    out = []
    for p in Document(str(docx)).paragraphs:
        m = re.match(r"Heading (\d)", p.style.name if p.style is not None else "")
        if m and p.text.strip() and int(m.group(1)) <= 2:
            out.append((p.text.strip(), int(m.group(1))))
    return out


def _squash(s: str) -> str:
    return re.sub(r"\s+", "", s)


def _toc(heads, pages=None) -> list[dict]:
    return [{"title": t, "indent": "　　" * (lvl - 1), "page": (str(pages[i]) if pages and pages[i] else "")}
            for i, (t, lvl) in enumerate(heads)]


def _find_pages(pdf: Path, heads) -> list[int | None]:
    from .pdf import page_texts
    texts = [_squash(t) for t in page_texts(pdf)]
    start = max((i for i, t in enumerate(texts) if "※" in t), default=-1) + 1
    pages, cur = [], start
    for title, _ in heads:
        key = _squash(title)
        found = next((i for i in range(cur, len(texts)) if key in texts[i]), None)
        pages.append(found + 1 if found is not None else None)
        if found is not None:
            cur = found
    return pages


def _toc_pdf_maker(work: Path, title: str):
    """Render the package's 目录 page(s) with python-docx + LibreOffice."""
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT, WD_TAB_LEADER
    from docx.shared import Cm, Pt

    from .pdf import to_pdf
    counter = {"n": 0}

    def make(entries) -> Path:
        counter["n"] += 1
        doc = Document()
        sec = doc.sections[0]
        sec.page_width, sec.page_height = Cm(21.0), Cm(29.7)
        sec.left_margin, sec.right_margin = Cm(2.8), Cm(2.6)
        h = doc.add_paragraph()
        h.alignment = WD_ALIGN_PARAGRAPH.CENTER
        r = h.add_run(title)
        r.font.size, r.font.bold = Pt(18), True
        r.font.name = "黑体"
        r._element.rPr.rFonts.set("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia", "黑体")
        h2 = doc.add_paragraph()
        h2.alignment = WD_ALIGN_PARAGRAPH.CENTER
        h2.add_run("目　　录").font.size = Pt(16)
        for name, page, is_att in entries:
            p = doc.add_paragraph()
            p.paragraph_format.tab_stops.add_tab_stop(Cm(15.6), WD_TAB_ALIGNMENT.RIGHT, WD_TAB_LEADER.DOTS)
            run = p.add_run(f"{'　　附件：' if is_att else ''}{name}\t{page}")
            run.font.size = Pt(14)
            run.font.name = "仿宋"
            run._element.rPr.rFonts.set("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia", "仿宋")
        path = work / f"目录-{counter['n']}.docx"
        doc.save(str(path))
        return to_pdf(path, work)
    return make


def build(path: str | Path, out_dir: str | Path, cat: Catalogue, year: int | None = None, report: str = "self",
          pdf: bool = True, force: bool = False, draft: bool = False, template: str | Path | None = None,
          evaluator: str | Path | None = None, today: dt.date | None = None,
          progress: Callable[[str], None] = lambda s: None) -> BuildResult:
    from .crosscheck import crosscheck
    from .lint import lint_template
    from .pdf import Part, package, to_pdf
    from .render import render_docx
    out_dir = Path(out_dir)
    app, read_findings = load_application(path)
    kind = report
    title = TITLES[(app.category, kind)]
    names = [f"{title}.docx", "评价结果.json", "标准查新报告.xlsx"] + ([f"{title}.pdf", PACKAGE_NAME] if pdf else [])
    if out_dir.exists() and not out_dir.is_dir():
        raise GmdocsError(f"输出位置不是文件夹：{out_dir}", EXIT_BAD_INPUT)
    existing = [n for n in names if (out_dir / n).exists()]
    if existing and not force:
        raise GmdocsError(f"输出文件已存在：{'、'.join(existing)}（在 {out_dir}；如需覆盖请加 --force）", EXIT_BAD_INPUT)
    ev_info = load_evaluator(evaluator, cat) if evaluator else None
    if kind == "third-party" and ev_info is None:
        raise GmdocsError("第三方评价报告需要评价机构信息：请用 --evaluator 评价机构.yaml 指定（示例见 examples/评价机构.yaml）",
                          EXIT_BAD_INPUT)
    progress("检查申报数据…")
    rep, ev = check_and_score(app, cat, year, read_findings)
    if rep.errors and not draft:
        errors = sorted(rep.errors, key=lambda f: f.code != "exclusion")      # an excluded applicant is told first
        lead = ("声明存在排除情形，按本年度通知不得申报；" if errors[0].code == "exclusion" else "")
        raise GmdocsError(f"{lead}申报数据有 {len(rep.errors)} 个错误，不能生成正式文件（改正后重试，或加 --draft 生成标明“草稿”的文件）：",
                          EXIT_PROBLEMS, [Problem(f.where, None, f.field, f.message) for f in errors])
    result = BuildResult(out_dir)
    camp = rep.selection.campaign
    if kind == "third-party" and camp is not None and camp.evaluation is not None and camp.evaluation.known \
            and camp.evaluation.value == "self":
        result.warnings.append(f"{rep.selection.year} 年度推荐工作为自评价，不要求第三方评价报告。")
    tpl = Path(template) if template else default_template(app.category, kind)
    if not tpl.is_file():
        raise GmdocsError(f"模板文件不存在：{tpl}", EXIT_BAD_INPUT)
    progress(f"检查模板 {tpl.name}…")
    lint = lint_template(tpl)
    if lint:
        raise GmdocsError(f"模板有 {len(lint)} 处问题，已停止：", EXIT_BAD_INPUT,
                          [Problem(p.file, None, p.where, p.message) for p in lint])
    parent = out_dir.parent if str(out_dir.parent) else Path(".")
    parent.mkdir(parents=True, exist_ok=True)
    stage = Path(tempfile.mkdtemp(prefix=".gmdocs-build-", dir=parent))
    work = Path(tempfile.mkdtemp(prefix="gmdocs-work-"))
    try:
        def ctx(toc):
            return build_context(app, rep, ev, cat, kind, ev_info, today, draft, toc)
        progress("生成 DOCX…")
        first = work / "a.docx"
        render_docx(tpl, ctx([]), first, draft)
        heads = _headings(first)
        final_docx = stage / f"{title}.docx"
        if pdf:
            probe = work / "b.docx"
            render_docx(tpl, ctx([dict(e, page="※") for e in _toc(heads)]), probe, draft)
            progress("LibreOffice 排版，计算目录页码…")
            pages = _find_pages(to_pdf(probe, work), heads)
            render_docx(tpl, ctx(_toc(heads, pages)), final_docx, draft)
        else:
            render_docx(tpl, ctx(_toc(heads)), final_docx, draft)
        progress("交叉核对文档中的分数、名称和代码…")
        problems, result.crosschecked = crosscheck(final_docx, app, ev, draft)
        if problems:
            raise GmdocsError("生成的文档与评价结果不一致（交叉核对失败）：", EXIT_PROBLEMS,
                              [Problem(final_docx.name, None, "", p) for p in problems])
        (stage / "评价结果.json").write_text(
            json.dumps({"check": {"errors": len(rep.errors), "warnings": len(rep.warnings),
                                  "findings": [f.to_json() for f in rep.findings]},
                        "evaluation": ev.to_json()}, ensure_ascii=False, indent=2, default=str), encoding="utf-8")
        from ..catalogue.citecheck import REPORT_HEADERS, check_files, report_rows
        from .xlsx import write_table
        cites = check_files(cat, [final_docx])
        write_table(stage / "标准查新报告.xlsx", "查新结果", REPORT_HEADERS, report_rows(cites.citations), True,
                    notes=[f"{title}引用标准的查新结果（gmdocs 生成）", *cites.warnings])
        if pdf:
            progress("转换 PDF…")
            report_pdf = to_pdf(final_docx, stage)
            parts = [Part(title, report_pdf)] + [Part(a.name, Path(a.path), True) for a in app.attachments]
            progress(f"合并申报材料（{len(parts)} 份）…")
            summary = package(parts, _toc_pdf_maker(work, f"{app.name} {title}"), stage / PACKAGE_NAME)
            result.pages = summary["pages"]
            result.bookmarks = ["目录"] + [p.title for p in parts]
        out_dir.mkdir(parents=True, exist_ok=True)
        for n in names:
            os.replace(stage / n, out_dir / n)
            result.written.append(out_dir / n)
    finally:
        shutil.rmtree(stage, ignore_errors=True)
        shutil.rmtree(work, ignore_errors=True)
    return result
