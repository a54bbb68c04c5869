"""The render context: everything a report prints, computed from the evaluation and the check.

Templates only place these values; they never compute or type a number. All user text is
cleaned of XML-illegal characters here (see `clean`), and passed as data, so a company
called `{{ 7*7 }}` prints literally.
"""
from __future__ import annotations

import datetime as dt
import re

from ..application.model import Application
from ..application.spec import INFO_FIELDS
from ..catalogue.load import Catalogue
from ..catalogue.model import CATEGORY_NAMES, CONFIDENCE_MARK, EVALUATION_NAMES, LEVEL_NAMES
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
                    ("contact", "联系人"), ("phone", "联系电话"), ("author", "报告编写人"), ("reviewer", "报告审核人"),
                    ("members", "评价组成员"), ("site_visit", "现场评价日期"))


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


def points(x) -> str:
    return "—" if x is None else num(x, 2)


def score_text(r) -> str:
    """How an indicator's score is printed: '8/8', '不计分/4' or '不计分'."""
    if r.points is not None:
        return f"{points(r.points)}/{points(r.max_points)}"
    return f"不计分/{points(r.max_points)}" if r.max_points is not None else "不计分"


def total_text(ev: Evaluation) -> str:
    if ev.total is not None:
        return f"{points(ev.total)}" + (f"（满分 {points(ev.total_max)}）" if ev.total_max else "")
    return f"不计算（{ev.total_withheld}）"


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
    mark = CONFIDENCE_MARK.get(r.confidence, "")
    return {"id": code, "name": r.name, "result": r.result or ("—" if r.value is not None else "未填写"),
            "value": num(r.value, 2) if r.value is not None else "—", "evidence": r.evidence or "—",
            "score": score, "note": (r.reason + (mark if mark else "")).strip() or "—",
            "points": r.points, "max_points": r.max_points}


def _conclusion(ev: Evaluation, rep: CheckReport, kind: str) -> str:
    subject = {"factory": "该工厂", "park": "该园区", "supply-chain": "该企业"}[ev.category]
    parts = []
    if ev.veto:
        parts.append(f"{subject}基本要求有不符合项（一票否决），不满足申报条件。")
    elif any(g.passed is None for g in ev.gates if g.mandatory):
        parts.append(f"{subject}有基本要求未填写，无法判断是否满足申报条件。")
    else:
        parts.append(f"{subject}满足全部基本要求。")
    if ev.total is not None:
        t = f"按《{ev.rulebook_title}》计算，总分 {points(ev.total)}" + (f"（满分 {points(ev.total_max)}）" if ev.total_max else "")
        if ev.pass_mark is not None:
            t += "，达到" if ev.total >= ev.pass_mark else "，未达到"
            t += f"合格线 {points(ev.pass_mark)}。"
        else:
            t += "；合格线在公开来源中未找到，是否达标由评审确定。"
        parts.append(t)
    else:
        parts.append(f"总分未计算：{ev.total_withheld}。已计算的逐项结果见第四部分。")
    if ev.mandatory_failed:
        parts.append("必选项不符合：" + "、".join(ev.mandatory_failed) + "。")
    top = [b for b in ev.benchmarks if b.position not in ("未收录", "未填写")]
    for b in top[:3]:
        parts.append(f"{b.product}单位产品综合能耗 {num(b.value, 2)} {b.unit or ''}，对照{b.document}{b.position}。")
    if rep.errors:
        parts.append(f"申报数据尚有 {len(rep.errors)} 个错误未改正（见数据核查发现），本报告为草稿。")
    if ev.unverified:
        parts.append("部分评分规则未经两个独立来源核实，相关得分仅供参考（见第七部分）。")
    return "".join(parts)


def build_context(app: Application, rep: CheckReport, ev: Evaluation, cat: Catalogue, kind: str = "self",
                  evaluator: dict | None = None, date: dt.date | None = None, draft: bool = False,
                  toc: list[dict] | None = None) -> dict:
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
            coef_text = f"{coef.coefficient.value} {coef.result_unit}/{coef.unit}{CONFIDENCE_MARK.get(coef.coefficient.confidence, '')}"
        vals = [num(use.amounts.get(y), 2) for y in year_nums] + ["—"] * (3 - len(year_nums))
        energy.append({"carrier": use.carrier, "unit": use.unit, "y1": vals[0], "y2": vals[1], "y3": vals[2],
                       "coefficient": coef_text})
    group_rows, groups = [], []
    by_group: dict[str, list] = {}
    codes = indicator_codes(ev)
    for r in ev.indicators:
        by_group.setdefault(r.group, []).append(_indicator_row(r, codes[r.id]))
    for i, g in enumerate(ev.groups):
        inds = by_group.get(g.name, [])
        w = "—" if g.max_points is None else points(g.max_points)
        summary = (f"本组权重/满分：{w}；得分：{points(g.points)}。" if g.withheld is None
                   else f"本组权重/满分：{w}；本组合计不计算（{g.withheld}）。")
        groups.append({"id": g.id, "heading": f"（{CN_NUM[i] if i < 10 else i + 1}）{g.name}", "summary": summary,
                       "indicators": inds})
        group_rows.append({"name": g.name, "max": w, "points": points(g.points),
                           "note": g.withheld or "—", "value": g.points})
    gates_answers = {a.id: a for a in app.gates}
    gates = [{"id": g.id, "text": g.text + ("（鼓励项，不否决）" if not g.mandatory and "鼓励" not in g.text else ""),
              "result": {True: "符合", False: "不符合", None: "未填写"}[g.passed],
              "evidence": (gates_answers[g.id].evidence if g.id in gates_answers and gates_answers[g.id].evidence else "—")}
             for g in ev.gates]
    failed = [g.id for g in ev.gates if g.passed is False and g.mandatory]
    unanswered = [g.id for g in ev.gates if g.passed is None and g.mandatory]
    gates_text = ("不符合（" + "、".join(failed) + "）" if failed else
                  ("未全部填写（" + "、".join(unanswered) + "）" if unanswered else ("符合" if ev.gates else "（本指标体系未收录基本要求）")))
    benchmarks = []
    for b in ev.benchmarks:
        lv = "；".join(f"{LEVEL_NAMES.get(k, k)} {num(v, 2)}" for k, v in b.levels.items())
        benchmarks.append({"product": b.product, "document": b.document, "year": str(b.year or "—"),
                           "value": f"{num(b.value, 2)} {b.unit or ''}".strip() if b.value is not None else "—",
                           "levels": lv + CONFIDENCE_MARK.get(b.confidence, ""), "position": b.position})
    evidence, n = [], 0
    for a in list(app.gates) + list(app.answers):
        if a.evidence:
            n += 1
            evidence.append({"n": str(n), "item": a.id, "evidence": a.evidence})
    info = {fid: "" for fid in APPLICANT_FIELDS}
    info.update({s.id: ("" if (f := app.info.get(s.id)) is None or f.value is None else str(f.value))
                 for s in INFO_FIELDS[app.category]})
    info["profile"] = info.get("profile") or "（未填写简介）"
    notice = cat.policies.get(camp.notice.value) if camp and camp.notice is not None and camp.notice.known else None
    docs = []
    if notice:
        docs.append(f"{notice.display_number}《{notice.title}》")
    appl = sel.applicability
    if appl:
        for s in appl.industry_standards + appl.general_standards:
            docs.append(f"{s.number}《{s.title}》（{s.status}）")
        for t in {b.document for b in ev.benchmarks}:
            docs.append(t)
    docs.append("GB/T 2589-2020《综合能耗计算通则》（折标准煤系数）")
    ev_name = EVALUATION_NAMES.get(camp.evaluation.value, "") if camp and camp.evaluation is not None and camp.evaluation.known else "未收录"
    basis_text = (f"本报告按{sel.year}年度推荐工作的要求（评价方式：{ev_name}），依据《{ev.rulebook_title}》逐项评价。"
                  if ev.rulebook_title else f"{sel.year}年度未收录可用的评价指标体系。")
    for note in ev.notes:
        basis_text += note
    check_findings = [f"［{'错误' if f.severity == 'error' else '警告' if f.severity == 'warning' else '提示'}］{f.message}（{f.where}）"
                      for f in rep.findings]
    for y in sorted(rep.energy):
        e = rep.energy[y]
        if e.tce is not None:
            check_findings.append(f"［核算］{y} 年各能源品种按 GB/T 2589-2020 当量值折算合计 {num(e.tce, 1)} tce。")
    ev_data = dict(evaluator or {})
    evaluator_ctx = {k: str(ev_data.get(k) or "") for k, _ in EVALUATOR_FIELDS}
    evaluator_ctx["members"] = "、".join(ev_data.get("members") or []) if isinstance(ev_data.get("members"), list) else evaluator_ctx["members"]
    evaluator_ctx.update({
        "highlights": str(ev_data.get("highlights") or "—"),
        "process_intro": str(ev_data.get("process_intro") or "评价组按以下程序开展评价："),
        "process": [str(x) for x in ev_data.get("process") or []],
        "findings": [str(x) for x in ev_data.get("findings") or []],
        "suggestions": [str(x) for x in ev_data.get("suggestions") or []],
        "qualification": str(ev_data.get("qualification") or "（附后）"),
    })
    ctx = {
        "doc": {"title": title, "kind": kind, "year": str(sel.year or "—"), "date": f"{date.year}年{date.month}月{date.day}日",
                "unit_label": UNIT_LABEL[app.category], "intro_heading": INTRO[app.category],
                "category_name": CATEGORY_NAMES[app.category],
                "header": ("草稿（未通过检查，不得报送）　" if draft else "") + title,
                "draft_note": "草稿（申报数据未通过检查，不得报送）" if draft else "",
                "year_extra_label": "工业增加值占比（%）" if app.category == "park" else "单位增加值能耗（tce/万元）"},
        "applicant": {**info, "name": app.name, "uscc": str(app.get("uscc") or "")},
        "info_rows": _info_rows(app),
        "evaluator": evaluator_ctx,
        "evaluator_rows": [{"label": label, "value": evaluator_ctx.get(k) or "—"} for k, label in EVALUATOR_FIELDS],
        "years": [{"year": str(y.year), "output_value": num(y.output_value, 2), "value_added": num(y.value_added, 2),
                   "energy_total": num(y.energy_total, 1),
                   "energy_computed": num(rep.energy[y.year].tce, 1) if y.year in rep.energy else "—",
                   "extra": (num(y.value_added_share, 1) if app.category == "park" else
                             (num(y.energy_total / y.value_added, 4) if y.energy_total and y.value_added else "—"))}
                  for y in years],
        "year_labels": year_labels,
        "energy": energy, "energy_basis": "当量值",
        "basis": {"text": basis_text, "documents": docs},
        "gates": gates, "gates_summary": f"基本要求（一票否决项）共 {sum(1 for g in ev.gates if g.mandatory)} 项，结论：{gates_text}。",
        "scoring_intro": ("定性指标符合得满分、不符合得 0 分；定量指标有基准值/引领值时按二者线性计分。"
                          "分值或规则在公开来源中缺失的指标只列出填写情况，不计分。标【未核实】的规则未经两个独立来源核实。"),
        "groups": groups, "group_rows": group_rows,
        "benchmark_intro": ("能效对标（单位产品综合能耗，越低越好）：标杆/基准水平依据发改产业〔2023〕723号等文件，"
                            "1/2/3级依据相应能耗限额国家标准；“未收录”表示该值在公开来源中未找到，gmdocs 不作推算。"),
        "benchmarks": benchmarks,
        "total": {"text": total_text(ev), "pass_mark": points(ev.pass_mark) if ev.pass_mark is not None else "未收录（公开来源中未找到）",
                  "gates": gates_text, "value": ev.total},
        "unverified": ev.unverified, "needs": [f"{n.why}：应见 {n.where}（缺口编号 {n.path}）" for n in ev.needs],
        "needs_rows": [{"what": n.why, "where": n.where, "path": n.path} for n in ev.needs],
        "user_supplied": ev.user_supplied, "user_supplied_text": "、".join(ev.user_supplied),
        "conclusion": _conclusion(ev, rep, kind),
        "overview": (f"受{app.name}委托，{evaluator_ctx['name'] or '本机构'}依据{sel.year}年度推荐工作要求和《{ev.rulebook_title}》，"
                     f"对其{CATEGORY_NAMES[app.category]}创建情况进行评价。评价范围为申报主体近三年（{year_labels[0]}至{year_labels[-1]}）的数据与管理情况。"),
        "check_findings": check_findings,
        "evidence": evidence,
        "toc": toc or [],
    }
    return clean(ctx)


# What a template may use. `[...]` is a list whose items have the listed keys; `"*"` any value.
# tests/test_documents.py checks that build_context produces exactly this shape.
_ROW = lambda *keys: [dict.fromkeys(keys, "*")]  # noqa: E731
SCHEMA = {
    "doc": dict.fromkeys(("title", "kind", "year", "date", "unit_label", "intro_heading", "category_name", "header",
                          "draft_note", "year_extra_label"), "*"),
    "applicant": dict.fromkeys(APPLICANT_FIELDS, "*"),     # 基本信息 by field id (see application/spec.py)
    "info_rows": _ROW("label", "value"),
    "evaluator": {**dict.fromkeys([k for k, _ in EVALUATOR_FIELDS], "*"),
                  **dict.fromkeys(("highlights", "process_intro", "qualification"), "*"),
                  "process": ["*"], "findings": ["*"], "suggestions": ["*"]},
    "evaluator_rows": _ROW("label", "value"),
    "years": _ROW("year", "output_value", "value_added", "energy_total", "energy_computed", "extra"),
    "year_labels": ["*"],
    "energy": _ROW("carrier", "unit", "y1", "y2", "y3", "coefficient"),
    "energy_basis": "*",
    "basis": {"text": "*", "documents": ["*"]},
    "gates": _ROW("id", "text", "result", "evidence"),
    "gates_summary": "*",
    "scoring_intro": "*",
    "groups": [{"id": "*", "heading": "*", "summary": "*",
                "indicators": _ROW("id", "name", "result", "value", "evidence", "score", "note", "points", "max_points")}],
    "group_rows": _ROW("name", "max", "points", "note", "value"),
    "benchmark_intro": "*",
    "benchmarks": _ROW("product", "document", "year", "value", "levels", "position"),
    "total": dict.fromkeys(("text", "pass_mark", "gates", "value"), "*"),
    "unverified": ["*"], "needs": ["*"], "needs_rows": _ROW("what", "where", "path"),
    "user_supplied": ["*"], "user_supplied_text": "*",
    "conclusion": "*", "overview": "*", "check_findings": ["*"],
    "evidence": _ROW("n", "item", "evidence"),
    "toc": _ROW("title", "page", "indent"),
}
