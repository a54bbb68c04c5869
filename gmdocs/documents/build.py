"""`gmdocs build`: check → score → lint → render → cross-check → PDF → package, written atomically."""
from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from .. import fsutil
from ..application.read import load_application
from ..catalogue.load import Catalogue
from ..catalogue.yamlsrc import LDict, read_yaml
from ..errors import EXIT_BAD_INPUT, EXIT_PROBLEMS, GmdocsError, Problem
from ..evaluate.checks import check_and_score
from .context import TITLES, build_context

# The evaluator's firm (reusable for every engagement) …
EVALUATOR_KEYS = {"机构名称": "name", "统一社会信用代码": "uscc", "地址": "address", "法定代表人": "legal_rep",
                  "法定代表人电话": "legal_rep_phone", "联系人": "contact", "联系电话": "phone",
                  "资质材料": "qualifications"}
# … and one engagement: the evaluator's own words about one applicant.
ENGAGEMENT_KEYS = {"受评价方名称": "applicant_name", "受评价方统一社会信用代码": "applicant_uscc",
                   "报告编写人": "author", "报告编写人电话": "author_phone", "报告审核人": "reviewer",
                   "报告审核人电话": "reviewer_phone", "评价组成员": "members", "现场评价日期": "site_visit",
                   "主要亮点": "highlights", "评价过程": "process", "现场核查发现": "findings", "结论意见": "opinion",
                   "建议": "suggestions"}
ENGAGEMENT_REQUIRED = ("applicant_name", "applicant_uscc")     # the rest: per official format (templates/formats.yaml)
PACKAGE_NAME = "申报材料汇编.pdf"
INTERNAL_NAME = "评价说明（内部）.xlsx"


@dataclass
class BuildResult:
    out_dir: Path
    written: list[Path] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    crosschecked: int = 0
    pages: int | None = None
    bookmarks: list[str] = field(default_factory=list)
    format: object = None          # the official format edition used (formats.Format)
    ledger_note: str | None = None  # what was recorded in the evaluator's project ledger (--ledger)


def _start_converter_early() -> None:
    """Boot the warm LibreOffice in the background while the data are checked, the charts drawn and the report
    rendered (it takes about 2 s); the first conversion then waits only for what is left of the start."""
    import threading

    def start():
        try:
            from .converter import get_converter
            get_converter()
        except Exception:       # noqa: BLE001 — the conversion itself reports any problem (or falls back)
            pass
    threading.Thread(target=start, name="gmdocs-converter-start", daemon=True).start()


def _read_mapping(path: str | Path, what: str, keys: dict[str, str]) -> tuple[Path, LDict, dict, list[Problem]]:
    p = Path(path)
    if not p.is_file():
        raise GmdocsError(f"{what}文件不存在：{p}", EXIT_BAD_INPUT)
    data, probs = read_yaml(p, str(p))
    if data is None or not isinstance(data, LDict):
        raise GmdocsError(f"{what}文件应为 YAML 映射（键: 值）：{p}", EXIT_BAD_INPUT, probs)
    problems = list(probs)
    out = {}
    for k, v in data.items():
        if k not in keys:
            problems.append(Problem(str(p), data.line_of(k), str(k), f"未知的键（可用：{'、'.join(keys)}）"))
            continue
        key = keys[k]
        if key in ("members", "process", "findings", "suggestions"):
            v = [str(x) for x in v] if isinstance(v, list) else ([str(v)] if v else [])
        out[key] = v
    return p, data, out, problems


def _uscc_problem(value, cat: Catalogue, p: Path, line: int, label: str) -> Problem | None:
    rule = cat.code_rules.get("gb32100-2015")
    if value and rule is not None:
        from ..evaluate.uscc import explain
        why = explain(str(value), rule)
        if why:
            return Problem(str(p), line, label, f"不合法：{why}")
    return None


def load_evaluator(path: str | Path, cat: Catalogue) -> dict:
    """The evaluator's firm: name, code, contacts and qualification files (PDF), reused for every engagement."""
    p, data, out, problems = _read_mapping(path, "评价机构信息", EVALUATOR_KEYS)
    if not out.get("name"):
        problems.append(Problem(str(p), data.line, "机构名称", "必填项未填写"))
    bad = _uscc_problem(out.get("uscc"), cat, p, data.line_of("统一社会信用代码"), "统一社会信用代码")
    if bad:
        problems.append(bad)
    if out.get("uscc"):
        from ..evaluate.uscc import normalise
        out["uscc"] = normalise(out["uscc"])          # printed in its one written form
    quals = []
    raw = data.get("资质材料")
    for i, item in enumerate(raw if isinstance(raw, list) else ([] if raw is None else [raw])):
        line = raw.item_lines[i] if hasattr(raw, "item_lines") else data.line
        if not isinstance(item, dict) or not item.get("名称") or not item.get("文件"):
            problems.append(Problem(str(p), line, f"资质材料[{i + 1}]", "每项写“名称”和“文件”（PDF，相对于本文件所在目录）"))
            continue
        quals.append({"name": str(item["名称"]), "path": str(p.parent / str(item["文件"]))})
    out["qualifications"] = quals
    if problems:
        raise GmdocsError("评价机构信息有误：", EXIT_BAD_INPUT, problems)
    return out


def _same_code(a, b) -> bool:
    from ..evaluate.uscc import normalise
    return normalise(a) == normalise(b)


def load_engagement(path: str | Path, app, cat: Catalogue, draft: bool = False) -> dict:
    """One engagement's record; refused when it names another applicant, and its missing required fields listed."""
    p, data, out, problems = _read_mapping(path, "评价记录", ENGAGEMENT_KEYS)
    labels = {v: k for k, v in ENGAGEMENT_KEYS.items()}
    if out.get("applicant_name") and str(out["applicant_name"]).strip() != app.name.strip():
        problems.append(Problem(str(p), data.line_of("受评价方名称"), "受评价方名称",
                                f"评价记录写的是“{out['applicant_name']}”，申报数据是“{app.name}”：这份评价记录不属于本申报单位"))
    if out.get("applicant_uscc") and not _same_code(out["applicant_uscc"], app.get("uscc")):
        problems.append(Problem(str(p), data.line_of("受评价方统一社会信用代码"), "受评价方统一社会信用代码",
                                f"评价记录写的是 {out['applicant_uscc']}，申报数据是 {app.get('uscc')}：这份评价记录不属于本申报单位"))
    missing = [labels[k] for k in ENGAGEMENT_REQUIRED if not out.get(k)]
    if missing and not draft:
        problems.append(Problem(str(p), data.line, "", "第三方评价报告必填的内容未填写：" + "、".join(missing)))
    if problems:
        raise GmdocsError("评价记录有误，未生成报告：", EXIT_BAD_INPUT, problems)
    return out


def _date_window(sel) -> tuple[dt.date, dt.date] | None:
    """The campaign's period: from 1 January of its year to its latest known deadline (None when none is known)."""
    camp = sel.campaign
    if camp is None:
        return None
    dates = [d.date.value for d in camp.deadlines if d.date is not None and d.date.known
             and isinstance(d.date.value, dt.date)]
    return (dt.date(camp.year, 1, 1), max(dates)) if dates else None


def _core_properties(docx: Path, title: str, author: str, date: dt.date) -> None:
    """Title, author and dates of the delivered DOCX (not the template's, not the library's)."""
    from docx import Document
    d = Document(str(docx))
    cp = d.core_properties
    cp.title, cp.author, cp.last_modified_by = title, author, author
    cp.subject, cp.keywords, cp.comments = title, "", ""
    when = dt.datetime(date.year, date.month, date.day, 9, 0, 0)
    cp.created = cp.modified = when
    cp.revision = 1
    d.save(str(docx))


def write_internal(path: Path, rep, ev) -> Path:
    """The working file beside the package: everything about verification that a submitted report must not hold."""
    from ..catalogue.model import CONFIDENCE_MARK
    from ..findings import code_label
    from .context import CONDITION_RESULT
    from .xlsx import write_tables
    sev = {"error": "错误", "warning": "警告", "info": "提示"}
    sheets = [
        ("检查结果", ["级别", "检查项", "说明", "位置", "字段"],
         [[sev.get(f.severity, f.severity), code_label(f.code), f.message, f.where, f.field] for f in rep.findings]),
        ("申报条件", ["条件", "申报情况", "结论", "条件出处", "不符合时"],
         [[c.text, c.shown, CONDITION_RESULT[c.met], c.mark.strip("【】") or "已核实",
           "错误（不得申报）" if c.binding else "警告（条件出处存疑，只提示）"] for c in rep.conditions]),
        ("未核实的规则", ["说明"], [[u] for u in ev.unverified]),
        ("缺失值", ["需要的值", "应查阅", "缺口编号"], [[n.why, n.where, n.path] for n in ev.needs]),
        ("用户补充", ["依据用户补充数据的结果"], [[u] for u in ev.user_supplied]),
        ("得分核对", ["指标", "自评/核定", "级别", "说明", "位置"],
         [[pf.indicator, pf.who, sev.get(pf.severity, pf.severity), pf.message, pf.where] for pf in ev.point_findings]),
    ]
    calc = ev.calc
    if calc is not None:
        sheets.append(("指标计算", ["指标", "年份", "数值", "单位", "公式", "出处", "可信度", "未计算原因"],
                       [[v.name, v.year, v.value, v.unit, v.text, v.clause or "", CONFIDENCE_MARK.get(v.confidence, "") or "已核实",
                         v.reason or ""] for v in calc.values]))
        sheets.append(("碳排放", ["年份", "来源", "项目", "活动水平", "单位", "因子", "排放量（tCO2）", "问题"],
                       [[y, ln.source, ln.item, ln.amount, ln.unit, ln.factor, ln.tco2, ln.problem or ""]
                        for y, c in calc.carbon.items() for ln in c.lines]))
    notes = ["本文件供申报单位和评价机构内部核对，不随申报材料报送。", f"评价年度：{ev.year_reason}",
             f"电力排放因子口径：{calc.grid if calc else '—'}"]
    return write_tables(path, sheets, True, notes)


def form_problems(fmt, app, ev_info: dict | None, evaluator_files: tuple[str, str] = ("", "")) -> list[Problem]:
    """The fields the official form asks for (formats.yaml `required`) that are empty, and texts over its limits."""
    from ..application.spec import INFO_FIELDS, NARRATIVE
    labels = {s.id: s.label for s in INFO_FIELDS[app.category]}
    nar = {nid: label for nid, label, _, _ in NARRATIVE}
    firm = {v: k for k, v in EVALUATOR_KEYS.items()}
    eng = {v: k for k, v in ENGAGEMENT_KEYS.items()}
    where_app = str(app.loc or app.source)

    def look(ref: str):
        part, _, key = ref.partition(".")
        if part == "applicant":
            return app.get(key), where_app, f"基本信息/{labels.get(key, key)}"
        if part == "narrative":
            f = app.narrative.get(key)
            return (f.value if f else None), where_app, f"情况说明/{nar.get(key, key)}"
        if part == "evaluator":
            if key in eng:
                return (ev_info or {}).get(key), evaluator_files[1] or "评价记录（--engagement）", eng[key]
            return (ev_info or {}).get(key), evaluator_files[0] or "评价机构信息（--evaluator）", firm.get(key, key)
        return None, where_app, ref
    out = []
    for ref in fmt.required:
        value, where, label = look(ref)
        if value is None or (isinstance(value, (str, list)) and not value):
            out.append(Problem(where, None, label, f"{fmt.name}要求填写此项，未填写"))
    for ref, limit in fmt.limits.items():
        value, where, label = look(ref)
        if isinstance(value, str) and len(value.strip()) > int(limit):
            out.append(Problem(where, None, label, f"{fmt.name}要求不超过 {limit} 字，现有 {len(value.strip())} 字"))
    return out


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


def _match_heads(found: list[tuple[str, int]], heads) -> list[int | None]:
    """The page of each of `heads` [(title, level)] among `found` [(text, page)] in document order."""
    keys = [(_squash(t), pg) for t, pg in found]
    pages, cur = [], 0
    for title, _ in heads:
        key = _squash(title)
        i = next((j for j in range(cur, len(keys)) if keys[j][0] == key), None)
        pages.append(keys[i][1] if i is not None else None)
        if i is not None:
            cur = i + 1
    return pages


def _probe_layout(probe: Path, heads, work: Path, cancelled) -> tuple[int, list[int | None]]:
    """(page count, page of each heading) of the probe DOCX as LibreOffice lays it out: asked of the warm
    converter without exporting a PDF, else read off a one-shot PDF of it."""
    from .converter import ConversionFailed, ConverterCrashed, get_converter
    from .pdf import find_soffice, to_pdf
    conv = get_converter(find_soffice())
    if conv is not None:
        try:
            n, found = conv.layout(probe)
            return n, _match_heads([(t, pg) for t, _lv, pg in found], heads)
        except (ConverterCrashed, ConversionFailed):
            pass
    probe_pdf = to_pdf(probe, work, cancelled)
    n, pages = _pdf_heading_pages(probe_pdf, heads)
    if None in pages:                             # a heading without a bookmark: look for its text
        pages = [p if p is not None else t for p, t in zip(pages, _find_pages(probe_pdf, heads))]
    return n, pages


def _pdf_heading_pages(pdf: Path, heads) -> tuple[int, list[int | None]]:
    """(page count, page of each heading) of a report PDF, from the bookmarks LibreOffice exports for headings."""
    from pypdf import PdfReader
    reader = PdfReader(str(pdf))
    found: list[tuple[str, int]] = []

    def walk(items):
        for it in items:
            if isinstance(it, list):
                walk(it)
            else:
                try:
                    found.append((str(it.title), reader.get_destination_page_number(it) + 1))
                except Exception:
                    continue
    walk(reader.outline)
    return len(reader.pages), _match_heads(found, heads)


def _disagree(found: list[int | None], pages: list[int | None]) -> bool:
    """A heading the PDF's bookmarks place on another page than the 目录 says (one without a bookmark is not
    judged)."""
    return any(f is not None and f != p for f, p in zip(found, pages))


def _toc(heads, pages=None) -> list[dict]:
    return [{"title": t, "indent": "　　" * (lvl - 1), "page": (str(pages[i]) if pages and pages[i] else "")}
            for i, (t, lvl) in enumerate(heads)]


def _find_pages(pdf: Path, heads) -> list[int | None]:
    from .pdf import page_texts
    texts = [_squash(t) for t in page_texts(pdf)]
    start = next((i + 1 for i, t in enumerate(texts) if "目录" in t), 0)     # after the 目录 page
    pages, cur = [], start
    for title, _ in heads:
        key = _squash(title)
        found = next((i for i in range(cur, len(texts)) if key in texts[i]), None)
        pages.append(found + 1 if found is not None else None)
        if found is not None:
            cur = found
    return pages


class _TocPdfMaker:
    """Render the package's 目录 page(s) with python-docx + LibreOffice. `prefetch(entries, bg)` starts the
    conversion in the background as soon as the report's page count is known; a call with the same entries
    then takes that result."""

    def __init__(self, work: Path, title: str) -> None:
        self.work, self.title, self.n = work, title, 0
        self._early: dict = {}

    def prefetch(self, entries, bg) -> None:
        self._early[tuple(entries)] = bg.submit(self._docx(entries), self.work)

    def __call__(self, entries) -> Path:
        fut = self._early.pop(tuple(entries), None)
        if fut is not None:
            return fut.result()
        from .pdf import to_pdf
        return to_pdf(self._docx(entries), self.work)

    def _docx(self, entries) -> Path:
        from docx import Document
        from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT, WD_TAB_LEADER
        from docx.shared import Cm, Pt
        self.n += 1
        title, work = self.title, self.work
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
        path = work / f"目录-{self.n}.docx"
        doc.save(str(path))
        return path


def build(path: str | Path, out_dir: str | Path, cat: Catalogue, year: int | None = None, report: str = "self",
          pdf: bool = True, force: bool = False, draft: bool = False, template: str | Path | None = None,
          evaluator: str | Path | None = None, today: dt.date | None = None,
          progress: Callable[[str], None] = lambda s: None, engagement: str | Path | None = None,
          edition: str | None = None, ledger: str | Path | None = None) -> BuildResult:
    from .crosscheck import crosscheck
    from .lint import lint_template
    from .pdf import Background, Part, draft_watermark, package, stamp_draft, to_pdf, toc_entries
    from .render import render_docx
    out_dir = Path(out_dir)
    app, read_findings = load_application(path)
    kind = report
    title = TITLES[(app.category, kind)]
    pdf_names = [f"{title}.pdf", PACKAGE_NAME]
    names = [f"{title}.docx", "评价结果.json", "标准查新报告.xlsx", INTERNAL_NAME] + (pdf_names if pdf else [])
    # without PDF, an earlier run's PDFs of this report would no longer match it: they count as outputs too
    obsolete = [] if pdf else pdf_names
    fsutil.check_outputs(out_dir, names + obsolete, force)     # early; checked again under the lock at the end
    ev_info = load_evaluator(evaluator, cat) if evaluator else None
    if kind == "third-party":
        if ev_info is None:
            raise GmdocsError("第三方评价报告需要评价机构信息：请用 --evaluator 评价机构.yaml 指定（示例见 examples/评价机构.yaml）",
                              EXIT_BAD_INPUT)
        if engagement is None:
            raise GmdocsError("第三方评价报告需要本次评价的评价记录（受评价方、评价过程、现场核查发现、结论意见、建议）："
                              "请用 --engagement 评价记录.yaml 指定（示例见 examples/评价记录-硅铁厂.yaml）", EXIT_BAD_INPUT)
        ev_info = {**ev_info, **load_engagement(engagement, app, cat, draft)}
        ev_info["qualification_names"] = [q["name"] for q in ev_info.get("qualifications", [])]
    elif engagement is not None:
        raise GmdocsError("--engagement 只用于第三方评价报告（--report third-party）", EXIT_BAD_INPUT)
    if ledger is not None:
        if kind != "third-party":
            raise GmdocsError("--ledger（评价项目台账）只用于第三方评价报告（--report third-party）", EXIT_BAD_INPUT)
        if not ev_info.get("legal_rep"):
            raise GmdocsError(f"评价机构信息未填写“法定代表人”，无法按评价项目台账核对项目上限：{evaluator}", EXIT_BAD_INPUT)
        from ..ledger import read_ledger
        read_ledger(ledger)            # a missing or unreadable ledger stops the build before any work
    progress("检查申报数据…")
    rep, ev = check_and_score(app, cat, year, read_findings)
    if rep.errors and not draft:
        errors = sorted(rep.errors, key=lambda f: f.code != "exclusion")      # an excluded applicant is told first
        lead = ("声明存在排除情形，按本年度通知不得申报；" if errors[0].code == "exclusion" else "")
        raise GmdocsError(f"{lead}申报数据有 {len(rep.errors)} 个错误，不能生成正式文件（改正后重试，或加 --draft 生成标明“草稿”的文件）：",
                          EXIT_PROBLEMS, [Problem(f.where, None, f.field, f.message) for f in errors])
    if kind == "self" and not draft:
        from ..application.spec import NARRATIVE
        missing = [label for nid, label, required, _ in NARRATIVE
                   if required and not (nid in app.narrative and app.narrative[nid].value)]
        if missing:
            raise GmdocsError(f"自评价报告必填的情况说明未填写：{'、'.join(missing)}（在申报数据的“情况说明”中填写"
                              "申报单位自己的话；也可加 --draft 先生成草稿）", EXIT_PROBLEMS,
                              [Problem(str(app.loc or app.source), None, f"情况说明/{m}", "必填项未填写") for m in missing])
    if not draft and ev.total is None and ev.rulebook is not None:
        awarded = ev.evaluator_total if kind == "third-party" else ev.self_total
        if awarded is None:
            who = "核定得分（评价机构）" if kind == "third-party" else "自评得分"
            raise GmdocsError(f"没有总分，不能生成正式文件：评分规则缺失，且申报数据中没有填写{who}。"
                              f"请在每项指标填写{who}，或用 gmdocs rules form {ev.rulebook} 导出补充表、填好原文数值后"
                              "用 gmdocs rules import 导入（也可加 --draft 先生成草稿）。", EXIT_PROBLEMS)
    result = BuildResult(out_dir)
    camp = rep.selection.campaign
    if kind == "third-party" and camp is not None and camp.evaluation is not None and camp.evaluation.known \
            and camp.evaluation.value == "self":
        result.warnings.append(f"{rep.selection.year} 年度推荐工作为自评价，不要求第三方评价报告。")
    today = today or dt.date.today()
    window = _date_window(rep.selection)
    if window and not (window[0] <= today <= window[1]):
        result.warnings.append(f"编制日期 {today.isoformat()} 不在 {rep.selection.year} 年度推荐工作的期间"
                               f"（{window[0].isoformat()} 至 {window[1].isoformat()}）内，可用 --date 指定。")
    project = _ledger_check(ledger, app, ev_info, rep.selection.year, cat, today, force, draft, result) \
        if ledger is not None else None
    from .formats import choose, for_template
    if template:
        tpl = Path(template)
        if not tpl.is_file():
            raise GmdocsError(f"模板文件不存在：{tpl}", EXIT_BAD_INPUT)
        fmt = choose(app.category, kind, rep.selection.year, edition) if edition else \
            for_template(tpl, app.category, kind, rep.selection.year)
    else:
        fmt = choose(app.category, kind, rep.selection.year, edition)
        tpl = fmt.template
    result.format = fmt
    progress(f"格式：{fmt.name}")
    missing = form_problems(fmt, app, ev_info, (str(evaluator or ""), str(engagement or "")))
    if missing and not draft:
        raise GmdocsError(f"{fmt.name}要求的 {len(missing)} 项内容未填写或超出字数，未生成报告（补齐后重试，或加 --draft 先生成草稿）：",
                          EXIT_PROBLEMS, missing)
    result.warnings += [str(p) for p in missing]
    progress(f"检查模板 {tpl.name}…")
    lint = lint_template(tpl)
    if lint:
        raise GmdocsError(f"模板有 {len(lint)} 处问题，已停止：", EXIT_BAD_INPUT,
                          [Problem(p.file, None, p.where, p.message) for p in lint])
    if pdf:
        _start_converter_early()        # data and template passed: boot LibreOffice while the report is drawn
    stage: Path | None = None
    work: Path | None = None
    created: list[Path] = []
    done = interrupted = False
    bg: Background | None = None
    try:
        stage, created = fsutil.make_stage(out_dir)
        work = fsutil.make_temp_dir("gmdocs-work-")
        from .context import attachment_rows
        from .pdf import check_attachment
        att_parts = [(a.name, Path(a.path)) for a in app.attachments]
        if kind == "third-party":
            att_parts += [(f"评价机构资质：{q['name']}", Path(q["path"])) for q in ev_info.get("qualifications", [])]
        att_pages = [(name, check_attachment(path, name)) for name, path in att_parts]
        report_pages: list[int | None] = [None]

        sections = list(fmt.sections)
        from .charts import Chart, plan_charts
        planned = plan_charts(app, ev, work)

        def chart_ctx(use) -> dict:
            return {"energy_trend": use(planned["energy_trend"]) if "energy_trend" in planned else None,
                    "benchmarks": [{"image": use(c), "caption": c.caption} for k, c in sorted(planned.items())
                                   if k.startswith("benchmark")]}

        def ctx(toc, charts):
            return build_context(app, rep, ev, cat, kind, ev_info, today, draft, toc,
                                 attachment_rows(att_pages, report_pages[0]), sections, charts)
        final_docx = stage / f"{title}.docx"
        author = ev_info["name"] if ev_info else app.name
        toc_maker = None
        if pdf:
            # the layout is probed with blank pictures of the charts' size; the charts are drawn while
            # LibreOffice lays the probe out
            # The probe has an empty 目录: the body starts on a new page after it, so while the 目录 keeps to
            # its one page the body lies out the same (the PDF is checked against it at the end)
            blank = chart_ctx(Chart.placeholder)
            progress("生成 DOCX…")
            report_pages[0] = 0        # page ranges of the same width as the final ones while the layout is probed
            probe = work / "a.docx"
            render_docx(tpl, ctx([], blank), probe, draft)
            heads = _headings(probe)
            bg = Background()
            progress("LibreOffice 排版，计算目录页码；同时绘制图表…")
            laid_out = bg.call(_probe_layout, probe, heads, work, bg.cancelled)
            mark_later = bg.call(draft_watermark, work) if draft else None
            charts = chart_ctx(Chart.draw)
            report_pages[0], pages = laid_out.result()
            # LibreOffice draws the package's 目录 and then the report while Python renders and checks
            toc_maker = _TocPdfMaker(work, f"{app.name} {title}")
            toc_maker.prefetch(toc_entries([Part(title, probe)] + [Part(n, pth, True) for n, pth in att_parts],
                                           [report_pages[0]] + [n for _, n in att_pages])[1], bg)
            render_docx(tpl, ctx(_toc(heads, pages), charts), final_docx, draft)
            _core_properties(final_docx, title, author, today)
            progress("转换 PDF…")
            report_pdf_later = bg.submit(final_docx, stage)
        else:
            progress("绘制图表…")
            charts = chart_ctx(Chart.draw)
            progress("生成 DOCX…")
            first = work / "a.docx"
            render_docx(tpl, ctx([], charts), first, draft)
            heads = _headings(first)
            render_docx(tpl, ctx(_toc(heads), charts), final_docx, draft)
            _core_properties(final_docx, title, author, today)
        progress("交叉核对文档中的分数、名称和代码…")
        problems, result.crosschecked = crosscheck(final_docx, app, ev, draft, kind)
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
        rows = report_rows(cites.citations)
        for r in rows:
            r[0] = final_docx.name                  # the delivered file, not the staging folder
        write_table(stage / "标准查新报告.xlsx", "查新结果", REPORT_HEADERS, rows, True,
                    notes=[f"{title}引用标准的查新结果", *[w.replace(str(final_docx), final_docx.name) for w in cites.warnings]])
        write_internal(stage / INTERNAL_NAME, rep, ev)
        if bg is not None:
            report_pdf = report_pdf_later.result()
            n_pages, found = _pdf_heading_pages(report_pdf, heads)
            if n_pages != report_pages[0] or _disagree(found, pages):
                # LibreOffice's layout of the probe and its PDF of the report disagree (rare): take the
                # PDF's page numbers, render and convert once more, and check again
                progress("目录页码与 PDF 不一致，按 PDF 重新生成…")
                report_pages[0], pages = n_pages, [f if f is not None else p for f, p in zip(found, pages)]
                render_docx(tpl, ctx(_toc(heads, pages), charts), final_docx, draft)
                _core_properties(final_docx, title, author, today)
                problems, result.crosschecked = crosscheck(final_docx, app, ev, draft, kind)
                if problems:
                    raise GmdocsError("生成的文档与评价结果不一致（交叉核对失败）：", EXIT_PROBLEMS,
                                      [Problem(final_docx.name, None, "", p) for p in problems])
                report_pdf = to_pdf(final_docx, stage)
                n_pages, found = _pdf_heading_pages(report_pdf, heads)
                if n_pages != report_pages[0] or _disagree(found, pages):
                    raise GmdocsError("报告排版后的页数或标题所在页与目录不同，目录和附件页码会错：请重试；"
                                      "仍出现时请报告此问题", EXIT_PROBLEMS)
            mark = mark_later.result() if mark_later is not None else None
            if mark is not None:
                stamp_draft(report_pdf, mark)
            parts = [Part(title, report_pdf)] + [Part(name, path, True) for name, path in att_parts]
            progress(f"合并申报材料（{len(parts)} 份）…")
            summary = package(parts, toc_maker, stage / PACKAGE_NAME,
                              {"title": f"{app.name} 申报材料汇编", "author": author, "subject": title,
                               "created": today.strftime("D:%Y%m%d000000+08'00'")})
            if mark is not None:
                stamp_draft(stage / PACKAGE_NAME, mark)
            result.pages = summary["pages"]
            result.bookmarks = ["目录"] + [p.title for p in parts]
        written, removed = fsutil.commit(stage, out_dir, names, force, obsolete)
        result.written += written
        if removed:
            result.warnings.append(f"已删除上次生成的 {'、'.join(removed)}（本次未生成 PDF，旧的 PDF 与新报告不一致）")
        done = True
    except OSError as exc:
        err = _output_error(exc, out_dir, stage, work)
        if err is exc:
            raise
        raise err from exc
    except GmdocsError as err:
        said = _explain(err, out_dir, stage, work, pdf)
        if said is err:
            raise
        raise said from err
    except BaseException:                          # Ctrl-C, SIGTERM: stop LibreOffice's work at once
        interrupted = True
        raise
    finally:
        with fsutil.signals_deferred():            # a second Ctrl-C or SIGTERM does not cut the clean-up short
            if bg is not None:
                bg.close(kill=interrupted)
            fsutil.discard_stage(stage)
            if work is not None:
                shutil.rmtree(work, ignore_errors=True)
            if not done:
                fsutil.remove_created(created)
    if project is not None:
        _ledger_record(ledger, project, draft, result)
    return result


def _under(name: str, base: Path | None) -> bool:
    if not name or base is None:
        return False
    a, b = os.path.abspath(name), os.path.abspath(base)
    return a == b or a.startswith(b.rstrip(os.sep) + os.sep)


def _output_error(exc: OSError, out_dir: Path, stage: Path | None, work: Path | None) -> Exception:
    """A file-system failure while staging or moving the outputs, in Chinese, naming the output folder (not the
    hidden staging folder) or the temporary folder. Failures elsewhere (reading an input) are left as they are."""
    name = str(exc.filename or "")
    in_work = _under(name, work)
    if exc.errno in fsutil.FULL and not name:            # e.g. zipfile writing a DOCX: which disk is full?
        full = fsutil.low_space([out_dir] + ([work] if work is not None else []))
        in_work = bool(full) and work is not None and full[0][0] == str(work)
    if in_work:
        err = fsutil.os_error(exc, fsutil.temp_folder(), "在临时文件夹中写入")
        err.message += "；也可用环境变量 TMPDIR 指定其他临时文件夹"
        return err
    if exc.errno in fsutil.FULL:
        return fsutil.os_error(exc, out_dir, "写入输出文件夹")
    if _under(name, stage):
        rel = Path(os.path.abspath(name)).relative_to(os.path.abspath(stage)).parts[:1]
        return fsutil.os_error(exc, out_dir.joinpath(*rel) if rel and rel[0] != fsutil.BACKUP_NAME else out_dir)
    if _under(name, out_dir):
        return fsutil.os_error(exc, name)
    return exc


def _explain(err: GmdocsError, out_dir: Path, stage: Path | None, work: Path | None, pdf: bool) -> GmdocsError:
    """Name the output folder rather than the staging folder; a conversion that failed on a full disk is said
    to be a full disk, not a LibreOffice error."""
    if stage is not None and str(stage) in err.message:
        err.message = err.message.replace(str(stage), str(out_dir))
    if pdf and err.exit_code == fsutil.EXIT_ENV and "LibreOffice" in err.message and "未找到" not in err.message:
        full = fsutil.low_space([p for p in (out_dir, work) if p is not None])
        if full:
            where = "；".join(f"{'输出文件夹' if p == str(out_dir) else '临时文件夹'} "
                             f"{out_dir if p == str(out_dir) else fsutil.temp_folder()} 所在的磁盘只剩 {fsutil.human_size(free)}"
                             for p, free in full)
            return GmdocsError(f"磁盘空间不足，LibreOffice 无法写出 PDF：{where}（请清理磁盘空间或换一个输出位置后重试；"
                               "临时文件夹可用环境变量 TMPDIR 指定）", fsutil.EXIT_ENV)
    return err


def _ledger_check(ledger, app, ev_info: dict, year: int | None, cat: Catalogue, today: dt.date, force: bool,
                  draft: bool, result: BuildResult):
    """This report's project; refuse (EXIT_PROBLEMS) when it would put its evaluator over the year's cap."""
    from ..catalogue.model import CATEGORY_NAMES
    from ..ledger import NATIONAL, Project, count_caps, read_ledger, status_of
    if year is None:
        raise GmdocsError("推荐工作年度未知，无法按评价项目台账核对项目上限（请在申报数据中填写“年度”或用 --year 指定）",
                          EXIT_BAD_INPUT)
    project = Project(year, app.name, app.get("uscc") or "", app.category, app.get("level") or NATIONAL,
                      ev_info["name"], ev_info.get("uscc"), ev_info["legal_rep"], today, "（本次生成的报告）")
    projects = read_ledger(ledger)
    known = next((p for p in projects if p.same_as(project)), None)
    statuses = count_caps(projects if known else projects + [project], cat, year)
    st = status_of(statuses, known or project)
    if st is None or st.state not in ("over", "unknown"):
        return project
    if st.state == "unknown":
        result.warnings.append(f"评价项目台账：{st.rule}；未能核对 {st.label} 的项目上限（{year} 年度已计入 {st.count} 项）。")
        return project
    # over: a new project is the one too many; one already in the ledger only when it is among those beyond the cap
    if known is not None and not any(p is known for p in st.over):
        result.warnings.append(f"评价项目台账：{st.label} {year} 年度已计入 {st.count} 项，超过上限 {st.limit} 项"
                               f"（{st.rule}）；本项目已在台账中（{known.loc}），不在超出的项目之列。")
        return project
    what = f"{CATEGORY_NAMES.get(app.category, app.category)}“{app.name}”"
    msg = (f"{st.label} {year} 年度计入上限的项目{'' if known else '加上本项目'}共 {st.count} 项，超过上限 {st.limit} 项"
           f"（{st.rule}）：{what}是超出上限的项目")
    if not (force or draft):
        raise GmdocsError(msg + "，未生成报告（确需生成请加 --force）。超出上限的项目：", EXIT_PROBLEMS,
                          [Problem(p.loc, None, "", p.describe()) for p in st.over])
    result.warnings.append(msg + ("（已按 --force 生成）。" if force else "（草稿，不记入台账）。"))
    return project


def _ledger_record(ledger, project, draft: bool, result: BuildResult) -> None:
    """Append the delivered report's project to the ledger (never a draft); a failure is a warning, the package stands."""
    from ..ledger import add_project
    if draft:
        result.ledger_note = f"草稿未记入评价项目台账：{ledger}（正式生成时记入）"
        return
    try:
        added = add_project(ledger, project)
    except GmdocsError as err:
        result.warnings.append(f"报告已生成，但未能记入评价项目台账 {ledger}：{err}（请手工补记）")
        return
    result.ledger_note = (f"已记入评价项目台账：{ledger}（{project.year} 年度，{project.applicant}）" if added
                          else f"评价项目台账中已有本项目，未重复记录：{ledger}")
