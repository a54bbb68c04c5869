"""Chinese terminal text and JSON for check reports and evaluations."""
from __future__ import annotations

from ..catalogue.model import CATEGORY_NAMES, CONFIDENCE_MARK, LEVEL_NAMES
from .checks import CheckReport
from .score import Evaluation


def check_json(rep: CheckReport) -> dict:
    sel = rep.selection
    return {
        "file": rep.application.source, "category": rep.application.category, "year": sel.year,
        "rulebook": sel.rulebook.id if sel.rulebook else None, "ok": rep.ok,
        "errors": len(rep.errors), "warnings": len(rep.warnings),
        "energy": {str(y): {"computed_tce": e.tce, "basis": "当量值", "unverified": e.unverified}
                   for y, e in rep.energy.items()},
        "conditions": [{"text": c.text, "shown": c.shown, "met": c.met, "binding": c.binding,
                        "confidence_mark": c.mark} for c in rep.conditions],
        "findings": [f.to_json() for f in rep.findings],
    }


def check_text(rep: CheckReport) -> list[str]:
    app, sel = rep.application, rep.selection
    lines = [f"{app.name}（{CATEGORY_NAMES[app.category]}，{sel.year or '年度未知'}年度）"]
    if sel.basis:
        lines.append(f"评价依据：{sel.basis.title}"
                     + (f"（参考评分按《{sel.rulebook.title}》）" if sel.rulebook and sel.rulebook is not sel.basis else ""))
    order = {"error": 0, "warning": 1, "info": 2}
    for f in sorted(rep.findings, key=lambda f: order[f.severity]):
        lines.append(str(f))
    for y, e in sorted(rep.energy.items()):
        negative = [c.carrier for c in e.carriers if c.amount is not None and c.amount < 0]
        if negative:
            lines.append(f"提示 {y} 年{'、'.join(negative)}的数量为负数，未给出折算合计（先改正上面的错误）")
        elif e.tce is not None:
            lines.append(f"提示 {y} 年各能源品种按 GB/T 2589-2020 当量值折算合计 {e.tce:,.1f} tce"
                         + (f"（未核实系数：{'、'.join(e.unverified)}）" if e.unverified else ""))
    lines.append(f"结论：{len(rep.errors)} 个错误，{len(rep.warnings)} 个警告。" + ("可以继续评分和生成文件。" if rep.ok else "请先改正错误。"))
    return lines


def _pts(v):
    return "—" if v is None else f"{v:g}"


def score_text(ev: Evaluation) -> list[str]:
    from ..calculate.present import fmt
    lines = []
    if ev.blocking:
        lines.append("！！ 先处理以下问题：")
        lines += [f"  - {b}" for b in ev.blocking]
        lines.append("")
    lines += [f"{ev.name}（{CATEGORY_NAMES.get(ev.category, ev.category)}）",
              f"评价年度：{ev.year_reason or ev.year}",
              f"评价依据：{ev.basis_title or ev.rulebook_title or '—'}"
              + (f"（评分细则未收录；下列为按《{ev.rulebook_title}》的参考评分）" if ev.basis and ev.basis != ev.rulebook else "")]
    if ev.gates:
        lines.append("基本要求（一票否决）：")
        for g in ev.gates:
            state = {True: "符合", False: "不符合", None: "未填写"}[g.passed]
            lines.append(f"  {g.id} {state}　{g.text}")
    lines.append("指标：")
    for r in ev.indicators:
        got = f"{_pts(r.points)}/{_pts(r.max_points)}" if r.points is not None else f"未定/{_pts(r.max_points)}"
        if r.value is not None:
            src = f"（{r.value_year} 年，按原始数据计算{('；出处：' + r.formula_source) if r.formula_source else ''}）" \
                if r.value_source == "计算" else "（申报值）"
            val = f"数值 {fmt(r.value)}{src}"
        else:
            val = r.result or "未填写"
        mark = CONFIDENCE_MARK.get(r.confidence, "")
        awarded = ""
        if r.self_points is not None:
            awarded += f"　自评 {r.self_points:g}"
        if r.evaluator_points is not None:
            awarded += f"　核定 {r.evaluator_points:g}"
        lines.append(f"  {r.name}［{r.group}］：{val}　规则得分 {got}{mark}{awarded}")
        if r.points is None and r.reason:
            lines.append(f"      {r.reason}")
    lines.append("分组：")
    for g in ev.groups:
        lines.append(f"  {g.name}：" + (f"{_pts(g.points)}/{_pts(g.max_points)}" if g.withheld is None
                                        else f"未定（{g.withheld}）"))
    if ev.total is not None:
        lines.append(f"总分：{ev.total:g}" + (f"/{ev.total_max:g}" if ev.total_max else "")
                     + (f"（合格线 {ev.pass_mark:g}）" if ev.pass_mark is not None else "（合格线未收录）"))
    else:
        lines.append(f"总分（按收录规则）：未定——{ev.total_withheld}")
        if ev.fixed_points is not None:
            rng = ev.total_range or [None, None]
            upper = f"，总分在 {rng[0]:g}—{rng[1]:g} 之间" if rng[1] is not None else "，未定项的满分未收录，上限未知"
            lines.append(f"  已确定 {ev.fixed_points:g} 分；{ev.open_items} 项未定"
                         + (f"（最多 {ev.open_points:g} 分）" if ev.open_points is not None else "") + upper + "。")
    if ev.self_total is not None:
        lines.append(f"{ev.awarded_basis or '申报单位自评分'}：{ev.self_total:g}")
    if ev.evaluator_total is not None:
        lines.append(f"第三方核定得分合计：{ev.evaluator_total:g}")
    for pf in ev.point_findings:
        lines.append(f"  {'错误' if pf.severity == 'error' else '警告'}：{pf.message}" + (f"（{pf.where}）" if pf.where else ""))
    if ev.point_differences:
        lines.append("自评得分与核定得分不同的指标：")
        for d in ev.point_differences:
            lines.append(f"  {d['name']}：自评 {d['self']:g}，核定 {d['evaluator']:g}" + (f"（{d['note']}）" if d.get("note") else ""))
    if ev.veto:
        lines.append("结论：基本要求有不符合项，一票否决。")
    if ev.mandatory_failed:
        lines.append("必选项不符合：" + "、".join(ev.mandatory_failed))
    if ev.benchmarks:
        lines.append("能效对标：")
        for b in ev.benchmarks:
            lv = "，".join(f"{LEVEL_NAMES.get(k, k)} {_pts(v)}" for k, v in b.levels.items())
            val = f"{b.year} 年 {b.value:g} {b.unit or ''}" if b.value is not None else "未填写"
            lines.append(f"  {b.product}（{b.document}）：{val} → {b.position}（{lv}）{CONFIDENCE_MARK.get(b.confidence, '')}")
    carbon = ev.calc.carbon if ev.calc is not None else {}
    if carbon:
        last = max(carbon)
        c = carbon[last]
        tot = c.total
        lines.append(f"碳排放（{last} 年，GB/T 32150）：" + (f"{fmt(tot, 'tCO2')}" if tot is not None else "无法计算")
                     + f"；电力因子：{c.grid}（gmdocs calc 查看明细）")
    if ev.next_step:
        lines.append(f"下一步：{ev.next_step}")
    if ev.unverified:
        lines.append(f"注意：{len(ev.unverified)} 项得分依据的规则未经两个独立来源核实（标有【未核实】或【推算】），明细见 --json。")
    if ev.user_supplied:
        lines.append("以下结果依据用户补充的数据【用户补充】：" + "、".join(ev.user_supplied))
    for n in ev.notes:
        lines.append(f"说明：{n}")
    return lines
