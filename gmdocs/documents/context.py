"""The render context: everything a report prints, computed from the evaluation and the check.

Templates only place these values; they never compute or type a number. All user text is
cleaned of XML-illegal characters here (see `clean`), and passed as data, so a company
called `{{ 7*7 }}` prints literally.
"""
from __future__ import annotations

import datetime as dt
import re

from ..application.model import Application
from ..application.spec import INFO_FIELDS, NARRATIVE
from ..catalogue.load import Catalogue
from ..catalogue.model import CATEGORY_NAMES, EVALUATION_NAMES, LEVEL_NAMES
from ..evaluate.checks import CheckReport
from ..evaluate.score import Evaluation

# XML 1.0 forbids these; python-docx/lxml would raise, Word would refuse the file.
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
CN_NUM = "一二三四五六七八九十"
TITLES = {("factory", "self"): "绿色工厂自评价报告", ("park", "self"): "绿色工业园区自评价报告",
          ("supply-chain", "self"): "绿色供应链管理企业自评价报告",
          ("factory", "third-party"): "绿色工厂第三方评价报告", ("park", "third-party"): "绿色工业园区第三方评价报告",
          ("supply-chain", "third-party"): "绿色供应链管理企业第三方评价报告"}
UNIT_LABEL = {"factory": "申报单位", "park": "申报园区", "supply-chain": "申报单位"}
INTRO = {"factory": "工厂基本情况", "park": "园区基本情况", "supply-chain": "企业基本情况"}

# Every 基本信息 field of any category (empty where the category has no such field).
APPLICANT_FIELDS = tuple(dict.fromkeys(["name", "uscc"] + [s.id for specs in INFO_FIELDS.values() for s in specs]))

EVALUATOR_FIELDS = (("name", "机构名称"), ("uscc", "统一社会信用代码"), ("address", "地址"), ("legal_rep", "法定代表人"),
                    ("legal_rep_phone", "法定代表人电话"), ("contact", "联系人"), ("phone", "联系电话"),
                    ("author", "报告编写人"), ("author_phone", "报告编写人电话"), ("reviewer", "报告审核人"),
                    ("reviewer_phone", "报告审核人电话"), ("members", "评价组成员"), ("site_visit", "现场评价日期"))
NAME_LABEL = {"factory": "工厂名称", "park": "园区名称", "supply-chain": "企业名称"}
NATURE_BOXES = (("国有", "集体", "民营"), ("中外合资", "港澳台", "外商独资"))


def clean(value):
    """Strip XML-illegal characters from every string in a nested structure."""
    if isinstance(value, str):
        return _ILLEGAL.sub("", value)
    if isinstance(value, dict):
        return {k: clean(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [clean(v) for v in value]
    return value


def num(x, digits: int = 1) -> str:
    """A number as printed in the reports: thousands separators, no trailing zeros, '—' for none."""
    if x is None:
        return "—"
    if isinstance(x, bool):
        return "是" if x else "否"
    if isinstance(x, int) or float(x).is_integer():
        return f"{int(round(x)):,}"
    s = f"{x:,.{digits}f}".rstrip("0").rstrip(".")
    return s if s not in ("-0", "") else "0"


_DOC_NO = re.compile(r"(?<=\S)(〔\d{4}〕)")


def breakable(text: str) -> str:
    """Give a long document number a place to wrap before its year bracket (发改产业 / 〔2023〕723号), so that a
    narrow cell never breaks inside the year."""
    return _DOC_NO.sub("\u200b\\1", text or "")


def column(values, digits: int) -> list[str]:
    """One table column printed with the same number of decimals in every row (the most any value needs,
    up to `digits`), so that the figures line up on the decimal point; '—' for none."""
    def need(x):
        s = f"{float(x):.{digits}f}".rstrip("0")
        return len(s.split(".")[1]) if "." in s else 0
    nums = [x for x in values if x is not None and not isinstance(x, bool)]
    d = max((need(x) for x in nums), default=0)
    return ["—" if x is None else f"{x:,.{d}f}" for x in values]


def points(x) -> str:
    return "—" if x is None else num(x, 2)


def score_text(r) -> str:
    """How an indicator's score is printed: '8/8', '不计分/4' or '不计分'."""
    if r.points is not None:
        return f"{points(r.points)}/{points(r.max_points)}"
    return f"不计分/{points(r.max_points)}" if r.max_points is not None else "不计分"


def total_text(ev: Evaluation, kind: str = "self") -> str:
    """The total with where it comes from: the collected rules, user-supplied rules, or the points people awarded."""
    if ev.total is not None:
        src = "（按用户补充的评分规则计算）" if ev.user_supplied else "（按评价指标体系计算）"
        return f"{points(ev.total)}" + (f"，满分 {points(ev.total_max)}" if ev.total_max else "") + src
    if kind == "third-party" and ev.evaluator_total is not None:
        return f"{points(ev.evaluator_total)}（评价机构核定得分合计）"
    if ev.self_total is not None:
        return f"{points(ev.self_total)}（申报单位自评得分合计）"
    return "未计算"


def _unit(u: str | None) -> str:
    return (u or "").replace("CO2", "CO₂").replace("m3", "m³").replace("m2", "m²")


def indicator_codes(ev: Evaluation) -> dict[str, str]:
    """Short codes printed in the indicator tables: the rulebook id when short (X11), else 组序.项序 (3.2)."""
    codes, order = {}, {}
    for r in ev.indicators:
        gi = order.setdefault(r.group, len(order) + 1)
        n = sum(1 for k in codes if k.startswith(f"__{r.group}__")) + 1
        codes[f"__{r.group}__{r.id}"] = r.id if len(r.id) <= 4 else f"{gi}.{n}"
    return {k.split("__", 2)[2]: v for k, v in codes.items()}


def _info_rows(app: Application) -> list[dict]:
    rows = []
    for s in INFO_FIELDS[app.category]:
        f = app.info.get(s.id)
        v = f.value if f else None
        if isinstance(v, bool):
            v = "是" if v else "否"
        elif isinstance(v, dt.date):
            v = v.isoformat()
        elif isinstance(v, float):
            v = num(v, 2)
        text = "" if v is None else str(v)
        if s.unit and text:
            text += f" {s.unit}"
        rows.append({"label": s.label, "value": text})
    return rows


def _indicator_row(r, code: str) -> dict:
    score = score_text(r)
    if r.value_source == "计算":
        note = f"{r.value_year}年，按原始数据计算"
    elif r.value is not None:
        note = "申报值"
    else:
        note = ""
    return {"id": code, "name": r.name, "result": r.result or ("—" if r.value is not None else "未填写"),
            "value": num(r.value, 2) if r.value is not None else "—", "unit": _unit(r.unit) or "—",
            "evidence": r.evidence or "—", "score": score, "note": note or "—",
            "self_points": points(r.self_points), "evaluator_points": points(r.evaluator_points),
            "evaluator_note": r.evaluator_note or "—", "points": r.points, "max_points": r.max_points}


CONDITION_RESULT = {True: "符合", False: "不符合", None: "未填写"}


def _conclusion(ev: Evaluation, rep: CheckReport, kind: str, headings: dict[str, str]) -> str:
    """The verdict: 基本要求, the total and where it comes from, the benchmark position; references by heading."""
    subject = {"factory": "该工厂", "park": "该园区", "supply-chain": "该企业"}[ev.category]
    parts = []
    excluded = [f for f in rep.errors if f.code == "exclusion"]
    if excluded:
        parts.append(f"{subject}声明近三年存在不得申报的情形，不满足申报条件。")
    unmet = [c.text for c in rep.conditions if c.met is False and c.binding]
    if unmet:
        parts.append(f"{subject}不符合申报条件：" + "、".join(unmet) + "。")
    met = []                     # what holds, said in one sentence: the conditions, the exclusions, the gates
    if rep.conditions and all(c.met for c in rep.conditions):
        met.append(f"符合{rep.selection.year}年度申报条件")
    camp = rep.selection.campaign
    if camp is not None and camp.exclusions and all(
            (f := rep.application.exclusions.get(e.id)) is not None and f.value is False for e in camp.exclusions):
        met.append("近三年不存在不得申报的情形")
    if ev.veto:
        parts.append(f"{subject}基本要求有不符合项（一票否决），不满足申报条件。")
    elif any(g.passed is None for g in ev.gates if g.mandatory):
        parts.append(f"{subject}有基本要求未填写，无法判断是否满足申报条件。")
    else:
        if ev.gates:
            met.append("满足全部基本要求")
        if met and not excluded and not unmet:
            parts.append(f"{subject}{'，'.join(met)}。")
    basis = ev.basis_title or ev.rulebook_title
    if ev.total is not None:
        t = f"按《{basis}》评价，总分 {points(ev.total)}" + (f"（满分 {points(ev.total_max)}）" if ev.total_max else "")
        if ev.user_supplied:
            t += "，其中部分评分规则为申报单位依据标准原文补充"
        if ev.pass_mark is not None:
            t += ("，达到" if ev.total >= ev.pass_mark else "，未达到") + f"合格线 {points(ev.pass_mark)}。"
        else:
            t += "。"
        parts.append(t)
    elif kind == "third-party" and ev.evaluator_total is not None:
        parts.append(f"按《{basis}》逐项核查，评价机构核定得分合计 {points(ev.evaluator_total)}。")
    elif ev.self_total is not None:
        parts.append(f"按《{basis}》逐项自评，自评得分合计 {points(ev.self_total)}。")
    ref = headings.get("indicators")
    if ref:
        parts.append(f"各项指标的数值和得分见“{ref}”。")
    if ev.mandatory_failed:
        parts.append("必选项不符合：" + "、".join(x.split(" ", 1)[-1] for x in ev.mandatory_failed) + "。")
    top = [b for b in ev.benchmarks if b.position not in ("未收录", "未填写")]
    for b in top[:3]:
        parts.append(f"{b.product}单位产品综合能耗 {num(b.value, 2)} {b.unit or ''}，对照{b.document}{b.position}。")
    return "".join(parts)


def attachment_rows(names_pages: list[tuple[str, int]], report_pages: int | None) -> list[dict]:
    """Each attachment with the pages it takes in 申报材料汇编.pdf (the report is pages 1…report_pages; None: not packaged)."""
    rows, page = [], (report_pages or 0) + 1
    for i, (name, n) in enumerate(names_pages, 1):
        pages = "" if report_pages is None else (f"{page}" if n == 1 else f"{page}—{page + n - 1}")
        rows.append({"n": str(i), "name": name, "pages": pages or "—", "count": str(n)})
        page += n
    return rows


SECTION_KEYS = ("intro", "creation", "basis", "exclusions", "gates", "indicators", "energy", "summary", "conclusion",
                "next", "overview", "process", "findings", "suggestions", "references", "qualification", "content",
                "practices", "highlights", "problems")


def section_numbers(sections: list[dict], ev: Evaluation) -> dict[str, str]:
    """Chapter numbers from the format's section map: 一、二… for chapters, （一）（二）… for their sections;
    a section whose condition fails gets none (and leaves no gap)."""
    present = {"always": True, "gates": bool(ev.gates)}
    out = dict.fromkeys(SECTION_KEYS, "")

    def walk(items, level):
        i = 0
        for sct in items:
            if not present.get(sct.get("when", "always"), False):
                continue
            n = CN_NUM[i] if i < 10 else "十" + CN_NUM[i - 10]
            out[sct["key"]] = n if level == 1 else f"（{n}）"
            i += 1
            walk(sct.get("children") or [], level + 1)
    walk(sections, 1)
    return out


def section_heading(sections: list[dict], sec: dict[str, str], key: str) -> str:
    """The heading the template prints for section `key` ("三、评价指标" for a chapter, "（三）评价指标" for a
    section: templates/make_templates.py heading()), or "" when the section is absent or left out. The
    heading follows from the section map alone, so a cross-reference to it reads the same before and after
    the 目录 is filled in."""
    def find(items, level):
        for s in items:
            if s.get("key") == key:
                return level, s.get("title", "")
            got = find(s.get("children") or [], level + 1)
            if got:
                return got
        return None
    got = find(sections, 1)
    if not got or not sec.get(key):
        return ""
    level, title = got
    return f"{sec[key]}、{title}" if level == 1 else f"{sec[key]}{title}"


def boxes(nature: str | None, gates_verdict: bool | None) -> dict[str, str]:
    """The check boxes of the official forms: 单位性质 and 基本要求 □符合 □不符合."""
    def box(on):
        return "☑" if on else "□"
    inner = "".join(f"{box(n == nature)}{n}" for n in NATURE_BOXES[0])
    outer = "　".join(f"{box(n == nature)}{n}" for n in NATURE_BOXES[1])
    text = f"内资（{inner}）　{outer}"
    if nature and nature not in NATURE_BOXES[0] + NATURE_BOXES[1]:
        text += f"　☑{nature}"
    return {"nature": text, "gates": f"{box(gates_verdict is True)}符合　{box(gates_verdict is False)}不符合"}


def carbon_rows(ev: Evaluation, years: list) -> list[dict]:
    """Carbon emissions per data year (GB/T 32150 emission-factor method), where the calculation gave a total."""
    calc = ev.calc
    if calc is None or not getattr(calc, "carbon", None):
        return []
    va = {y.year: y.value_added for y in years}
    rows = []
    for year in sorted(calc.carbon):
        cy = calc.carbon[year]
        if cy.total is None:
            continue
        src = cy.by_source
        fuel = sum(v for k, v in src.items() if k in ("燃料燃烧", "过程排放") and v is not None)
        power = sum(v for k, v in src.items() if k in ("外购电力", "外购热力", "输出电力", "输出热力") and v is not None)
        rows.append({"year": str(year), "fuel": f"{fuel:,.1f}", "power": f"{power:,.1f}", "total": f"{cy.total:,.1f}",
                     "intensity": f"{cy.total / va[year]:,.3f}" if va.get(year) else "—", "value": cy.total})
    return rows


def build_context(app: Application, rep: CheckReport, ev: Evaluation, cat: Catalogue, kind: str = "self",
                  evaluator: dict | None = None, date: dt.date | None = None, draft: bool = False,
                  toc: list[dict] | None = None, attachments: list[dict] | None = None,
                  sections: list[dict] | None = None, charts: dict | None = None) -> dict:
    date = date or dt.date.today()
    sel = rep.selection
    camp = sel.campaign
    title = TITLES[(app.category, kind)]
    years = sorted(app.years, key=lambda y: y.year)
    year_labels = [f"{y}年" for y in (sel.year - 3, sel.year - 2, sel.year - 1)] if sel.year else ["—", "—", "—"]
    year_nums = [sel.year - 3, sel.year - 2, sel.year - 1] if sel.year else []
    energy = []
    for use in app.energy:
        coef = None
        for ye in rep.energy.values():
            for c in ye.carriers:
                if c.carrier == use.carrier and c.coefficient and c.coefficient.coefficient is not None \
                        and c.coefficient.coefficient.known:
                    coef = c.coefficient
        coef_text = "—"
        if coef is not None:
            coef_text = f"{coef.coefficient.value} {coef.result_unit}/{coef.unit}"
        vals = column([use.amounts.get(y) for y in year_nums], 2) + ["—"] * (3 - len(year_nums))
        energy.append({"carrier": use.carrier, "unit": use.unit, "y1": vals[0], "y2": vals[1], "y3": vals[2],
                       "coefficient": coef_text})
    group_rows, groups = [], []
    by_group: dict[str, list] = {}
    codes = indicator_codes(ev)
    for r in ev.indicators:
        by_group.setdefault(r.group, []).append(_indicator_row(r, codes[r.id]))
    for i, g in enumerate(ev.groups):
        inds = by_group.get(g.name, [])
        members = [r for r in ev.indicators if r.group == g.name]
        own = [r.self_points for r in members if r.self_points is not None]
        checked = [r.evaluator_points for r in members if r.evaluator_points is not None]
        w = "—" if g.max_points is None else points(g.max_points)
        parts = [f"本组满分 {w}" if g.max_points is not None else ""]
        if g.withheld is None:
            parts.append(f"得分 {points(g.points)}")
        if own:
            parts.append(f"自评得分合计 {points(sum(own))}")
        if kind == "third-party" and checked:
            parts.append(f"核定得分合计 {points(sum(checked))}")
        summary = "，".join(p for p in parts if p) + "。" if any(parts) else ""
        groups.append({"id": g.id, "heading": f"（{CN_NUM[i] if i < 10 else i + 1}）{g.name}",
                       "number": f"{i + 1}．{g.name}", "summary": summary, "indicators": inds})
        group_rows.append({"name": g.name, "max": w, "points": points(g.points),
                           "self": points(sum(own)) if own else "—",
                           "evaluator": points(sum(checked)) if checked else "—", "value": g.points})
    gates_answers = {a.id: a for a in app.gates}
    gates = [{"id": g.id, "text": g.text + ("（鼓励项，不否决）" if not g.mandatory and "鼓励" not in g.text else ""),
              "result": {True: "符合", False: "不符合", None: "未填写"}[g.passed],
              "evidence": (gates_answers[g.id].evidence if g.id in gates_answers and gates_answers[g.id].evidence else "—")}
             for g in ev.gates]
    failed = [g.id for g in ev.gates if g.passed is False and g.mandatory]
    unanswered = [g.id for g in ev.gates if g.passed is None and g.mandatory]
    gates_text = ("不符合（" + "、".join(failed) + "）" if failed else
                  ("未全部填写（" + "、".join(unanswered) + "）" if unanswered else ("符合" if ev.gates else "—")))
    benchmarks = []
    for b in ev.benchmarks:
        lv = "；".join(f"{LEVEL_NAMES.get(k, k)} {num(v, 2)}" for k, v in b.levels.items())
        benchmarks.append({"product": b.product, "document": breakable(b.document), "year": str(b.year or "—"),
                           "value": f"{num(b.value, 2)} {b.unit or ''}".strip() if b.value is not None else "—",
                           "levels": lv, "position": b.position})
    evidence, n = [], 0
    attachments = attachments or []
    for a in list(app.gates) + list(app.answers):
        if a.evidence and a.result not in ("不符合", "不适用"):     # what explains a 不符合 is not a document
            n += 1
            hits = [x["pages"] for x in attachments if x["name"] and x["name"] in a.evidence]
            evidence.append({"n": str(n), "item": a.id, "evidence": a.evidence, "pages": "、".join(hits) or "—"})
    info = {fid: "" for fid in APPLICANT_FIELDS}
    info.update({s.id: ("" if (f := app.info.get(s.id)) is None or f.value is None else str(f.value))
                 for s in INFO_FIELDS[app.category]})
    for fid, unit in (("capital", "万元"),):
        info[f"{fid}_text"] = f"{num(float(info[fid]), 2)} {unit}" if info.get(fid) else ""
    info["industry_text"] = info.get("industry", "") + (f"（{info['industry_code']}）" if info.get("industry_code") else "")
    gates_verdict = (False if any(g.passed is False and g.mandatory for g in ev.gates) else
                     (True if ev.gates and all(g.passed for g in ev.gates if g.mandatory) else None))
    shown_total = (ev.total if ev.total is not None else
                   (ev.evaluator_total if kind == "third-party" and ev.evaluator_total is not None else ev.self_total))
    data_years = [y.year for y in years][-3:] or year_nums
    prior = [app.get("score_year1"), app.get("score_year2")]
    park_scores = [{"label": f"第{i + 1}年（{y}年）" if y else f"第{i + 1}年", "value": points(v) if v is not None else ""}
                   for i, (y, v) in enumerate(zip((data_years + [None] * 3)[:3], prior + [shown_total]))]
    carbon = carbon_rows(ev, years)
    notice = cat.policies.get(camp.notice.value) if camp and camp.notice is not None and camp.notice.known else None
    docs = []
    if notice:
        docs.append(f"{notice.display_number}《{notice.title}》")
    appl = sel.applicability
    if appl:
        for s in appl.industry_standards + appl.general_standards:
            docs.append(f"{s.number}《{s.title}》")
        for s in appl.quota_standards:
            docs.append(f"{s.number}《{s.title}》")

        for t in sorted({b.document for b in ev.benchmarks}):
            if not any(d.startswith(t) for d in docs):
                docs.append(t)
    docs.append("GB/T 2589-2020《综合能耗计算通则》（折标准煤系数）")
    ev_name = EVALUATION_NAMES.get(camp.evaluation.value, "") if camp and camp.evaluation is not None and camp.evaluation.known else "未收录"
    basis_name = ev.basis_title or ev.rulebook_title
    basis_text = (f"本报告按{sel.year}年度推荐工作的要求（评价方式：{ev_name}），依据《{basis_name}》逐项评价。"
                  if basis_name else f"{sel.year}年度评价依据尚未确定。")
    if ev.basis and ev.basis != ev.rulebook and ev.rulebook_title:
        basis_text += f"指标设置和计分方法参照《{ev.rulebook_title}》。"
    ev_data = dict(evaluator or {})
    evaluator_ctx = {k: str(ev_data.get(k) or "") for k, _ in EVALUATOR_FIELDS}
    evaluator_ctx["members"] = "、".join(ev_data.get("members") or []) if isinstance(ev_data.get("members"), list) else evaluator_ctx["members"]
    evaluator_ctx.update({
        "highlights": str(ev_data.get("highlights") or ""),
        "process": [str(x) for x in ev_data.get("process") or []],
        "findings": [str(x) for x in ev_data.get("findings") or []],
        "opinion": str(ev_data.get("opinion") or ""),
        "suggestions": [str(x) for x in ev_data.get("suggestions") or []],
        "qualifications": [str(x) for x in ev_data.get("qualification_names") or []],
    })
    sec = section_numbers(sections or [], ev)
    headings = {"indicators": section_heading(sections or [], sec, "indicators")
                or next((e.get("title", "") for e in (toc or []) if "评价指标" in e.get("title", "")), "")}
    camp_ex = {e.id: e.text for e in camp.exclusions} if camp else {}
    exclusions = [{"id": eid, "text": text,
                   "answer": {True: "存在", False: "不存在", None: "未声明"}[
                       app.exclusions[eid].value if eid in app.exclusions else None]}
                  for eid, text in camp_ex.items()]
    conditions = [{"text": c.text, "shown": c.shown, "result": CONDITION_RESULT[c.met]} for c in rep.conditions]
    errors = len(rep.errors)
    ctx = {
        "doc": {"title": title, "kind": kind, "year": str(sel.year or "—"), "date": f"{date.year}年{date.month}月{date.day}日",
                "unit_label": UNIT_LABEL[app.category], "intro_heading": INTRO[app.category],
                "category_name": CATEGORY_NAMES[app.category],
                "header": ("草稿（不得报送）　" if draft else "") + title,
                "draft_note": ("草稿" + (f"（申报数据尚有 {errors} 个错误）" if errors else "")) if draft else "",
                "year_extra_label": "工业增加值占比（%）" if app.category == "park" else "单位增加值能耗（tce/万元）",
                "name_label": NAME_LABEL[app.category], "annex_indicators": "2" if ev.gates else "1"},
        "boxes": boxes(info.get("nature") or None, gates_verdict),
        "park_scores": park_scores,
        "carbon": carbon,
        "carbon_intro": ("二氧化碳排放量按 GB/T 32150 排放因子法计算（" + (ev.calc.grid if ev.calc is not None else "")
                         + "）：") if carbon else "",
        "charts": {"energy_trend": None, "indicators": None, "benchmarks": [], **(charts or {})},
        "applicant": {**info, "name": app.name, "uscc": str(app.get("uscc") or "")},
        "info_rows": _info_rows(app),
        "evaluator": evaluator_ctx,
        "evaluator_rows": [{"label": label, "value": evaluator_ctx.get(k) or "—"} for k, label in EVALUATOR_FIELDS],
        "years": [{"year": str(y.year), "output_value": ov, "value_added": va, "energy_total": et, "energy_computed": ec,
                   "extra": ex}
                  for y, ov, va, et, ec, ex in zip(
                      years, column([y.output_value for y in years], 2), column([y.value_added for y in years], 2),
                      [f"{y.energy_total:,.1f}" if y.energy_total is not None else "—" for y in years],
                      [f"{rep.energy[y.year].tce:,.1f}" if y.year in rep.energy and rep.energy[y.year].tce is not None
                       else "—" for y in years],
                      ([f"{y.value_added_share:.1f}" if y.value_added_share is not None else "—" for y in years]
                       if app.category == "park" else
                       [f"{y.energy_total / y.value_added:.4f}" if y.energy_total and y.value_added else "—"
                        for y in years]))],
        "year_labels": year_labels,
        "energy": energy, "energy_basis": "当量值",
        "basis": {"text": basis_text, "documents": docs},
        "conditions": conditions,
        "conditions_summary": (f"对照{sel.year}年度的申报条件逐项核查："
                               + ("均符合。" if all(c.met for c in rep.conditions) else "不符合或未填写的见下表。"))
        if conditions else "",
        "exclusions": exclusions,
        "exclusions_summary": (f"对照{camp.exclusions_named}所列不得申报的情形逐项核查："
                               + ("均不存在。" if exclusions and all(e["answer"] == "不存在" for e in exclusions)
                                  else "存在或未声明的情形见下表。")) if exclusions else "本年度推荐通知未列出不得申报的情形。",
        "gates": gates, "gates_summary": f"基本要求（一票否决项）共 {sum(1 for g in ev.gates if g.mandatory)} 项，结论：{gates_text}。",
        "scoring_intro": ("定性指标符合得满分、不符合得 0 分；定量指标按原始数据计算数值，对照基准值和引领值计分。"
                          "“自评得分”为申报单位按评价要求自行评定的分数" + ("，“核定得分”为评价机构核查后认定的分数。" if kind == "third-party" else "。")),
        "groups": groups, "group_rows": group_rows,
        "benchmark_intro": ("能效对标（单位产品综合能耗，越低越好）：标杆水平和基准水平依据国家发展改革委等部门发布的标杆基准文件，"
                            "1、2、3级依据相应的单位产品能源消耗限额国家标准。"),
        "benchmarks": benchmarks,
        "total": {"text": total_text(ev, kind), "pass_mark": points(ev.pass_mark) if ev.pass_mark is not None else "—",
                  "gates": gates_text, "value": ev.total,
                  "self": points(ev.self_total), "evaluator": points(ev.evaluator_total)},
        "conclusion": _conclusion(ev, rep, kind, headings),
        "overview": (f"受{app.name}委托，{evaluator_ctx['name'] or '本机构'}依据{sel.year}年度推荐工作要求和《{basis_name}》，"
                     f"对其{CATEGORY_NAMES[app.category]}创建情况进行评价。评价范围为申报主体近三年（{year_labels[0]}至{year_labels[-1]}）的数据与管理情况。"),
        "evidence": evidence,
        "attachments": attachments,
        "narrative": {nid: (app.narrative[nid].value if nid in app.narrative and app.narrative[nid].value else "")
                      for nid, _, _, _ in NARRATIVE},
        "toc": toc or [],
        "sec": sec,
    }
    return clean(ctx)


# What a template may use. `[...]` is a list whose items have the listed keys; `"*"` any value.
# tests/test_documents.py checks that build_context produces exactly this shape.
_ROW = lambda *keys: [dict.fromkeys(keys, "*")]  # noqa: E731
SCHEMA = {
    "doc": dict.fromkeys(("title", "kind", "year", "date", "unit_label", "intro_heading", "category_name", "header",
                          "draft_note", "year_extra_label", "name_label", "annex_indicators"), "*"),
    "applicant": dict.fromkeys(APPLICANT_FIELDS + ("capital_text", "industry_text"), "*"),   # 基本信息 (application/spec.py)
    "boxes": dict.fromkeys(("nature", "gates"), "*"),
    "park_scores": _ROW("label", "value"),
    "carbon": _ROW("year", "fuel", "power", "total", "intensity", "value"), "carbon_intro": "*",
    "charts": {"energy_trend": "*", "indicators": "*", "benchmarks": _ROW("image", "caption")},
    "info_rows": _ROW("label", "value"),
    "evaluator": {**dict.fromkeys([k for k, _ in EVALUATOR_FIELDS], "*"),
                  **dict.fromkeys(("highlights", "opinion"), "*"),
                  "process": ["*"], "findings": ["*"], "suggestions": ["*"], "qualifications": ["*"]},
    "evaluator_rows": _ROW("label", "value"),
    "years": _ROW("year", "output_value", "value_added", "energy_total", "energy_computed", "extra"),
    "year_labels": ["*"],
    "energy": _ROW("carrier", "unit", "y1", "y2", "y3", "coefficient"),
    "energy_basis": "*",
    "basis": {"text": "*", "documents": ["*"]},
    "exclusions": _ROW("id", "text", "answer"), "exclusions_summary": "*",
    "conditions": _ROW("text", "shown", "result"), "conditions_summary": "*",
    "gates": _ROW("id", "text", "result", "evidence"),
    "gates_summary": "*",
    "scoring_intro": "*",
    "groups": [{"id": "*", "heading": "*", "number": "*", "summary": "*",
                "indicators": _ROW("id", "name", "result", "value", "unit", "evidence", "score", "note", "self_points",
                                   "evaluator_points", "evaluator_note", "points", "max_points")}],
    "group_rows": _ROW("name", "max", "points", "self", "evaluator", "value"),
    "benchmark_intro": "*",
    "benchmarks": _ROW("product", "document", "year", "value", "levels", "position"),
    "total": dict.fromkeys(("text", "pass_mark", "gates", "value", "self", "evaluator"), "*"),
    "conclusion": "*", "overview": "*",
    "evidence": _ROW("n", "item", "evidence", "pages"),
    "attachments": _ROW("n", "name", "pages", "count"),
    "narrative": dict.fromkeys(("creation", "practices", "highlights", "problems", "next_steps"), "*"),
    "toc": _ROW("title", "page", "indent"),
    "sec": dict.fromkeys(SECTION_KEYS, "*"),      # chapter numbers (see templates/sections.yaml)
}
