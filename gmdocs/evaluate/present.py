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
        "findings": [f.to_json() for f in rep.findings],
    }


def check_text(rep: CheckReport) -> list[str]:
    app, sel = rep.application, rep.selection
    lines = [f"{app.name}（{CATEGORY_NAMES[app.category]}，{sel.year or '年度未知'}年度）"]
    if sel.rulebook:
        lines.append(f"评价依据：{sel.rulebook.title}")
    order = {"error": 0, "warning": 1, "info": 2}
    for f in sorted(rep.findings, key=lambda f: order[f.severity]):
        lines.append(str(f))
    for y, e in sorted(rep.energy.items()):
        if e.tce is not None:
            lines.append(f"提示 {y} 年各能源品种按 GB/T 2589-2020 当量值折算合计 {e.tce:,.1f} tce"
                         + (f"（未核实系数：{'、'.join(e.unverified)}）" if e.unverified else ""))
    lines.append(f"结论：{len(rep.errors)} 个错误，{len(rep.warnings)} 个警告。" + ("可以继续评分和生成文件。" if rep.ok else "请先改正错误。"))
    return lines


def _pts(v):
    return "—" if v is None else f"{v:g}"


def score_text(ev: Evaluation) -> list[str]:
    lines = [f"{ev.name}（{CATEGORY_NAMES.get(ev.category, ev.category)}，{ev.year}年度）",
             f"评价依据：{ev.rulebook_title or '—'}"]
    if ev.gates:
        lines.append("基本要求（一票否决）：")
        for g in ev.gates:
            state = {True: "符合", False: "不符合", None: "未填写"}[g.passed]
            lines.append(f"  {g.id} {state}　{g.text}")
    lines.append("指标得分：")
    for r in ev.indicators:
        got = f"{_pts(r.points)}/{_pts(r.max_points)}" if r.status == "scored" or r.points is not None else f"未计分/{_pts(r.max_points)}"
        val = f"，数值 {r.value:g}" if r.value is not None else ""
        mark = CONFIDENCE_MARK.get(r.confidence, "")
        stated = r.result or ("已填数值" if r.value is not None else "未填写")
        lines.append(f"  {r.id} {r.name}［{r.group}］：{stated}{val}　{got}{mark}　{r.reason}")
    lines.append("分组：")
    for g in ev.groups:
        lines.append(f"  {g.name}：" + (f"{_pts(g.points)}/{_pts(g.max_points)}" if g.withheld is None
                                        else f"不计算（{g.withheld}）"))
    if ev.total is not None:
        lines.append(f"总分：{ev.total:g}" + (f"/{ev.total_max:g}" if ev.total_max else "")
                     + (f"（合格线 {ev.pass_mark:g}）" if ev.pass_mark is not None else "（合格线未收录）"))
    else:
        lines.append(f"总分：不计算——{ev.total_withheld}")
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
    if ev.needs:
        lines.append("要得到总分，需补充以下缺失值（见 gmdocs catalogue gaps，可用 --data-dir 补充）：")
        for n in ev.needs[:30]:
            lines.append(f"  - {n.path}　{n.why}；应见：{n.where}")
        if len(ev.needs) > 30:
            lines.append(f"  …另有 {len(ev.needs) - 30} 项")
    if ev.unverified:
        lines.append("注意：以下得分所依据的规则未经核实：")
        lines += [f"  - {u}" for u in ev.unverified[:15]]
        if len(ev.unverified) > 15:
            lines.append(f"  …另有 {len(ev.unverified) - 15} 项")
    if ev.user_supplied:
        lines.append("以下结果依据用户补充的数据：" + "、".join(ev.user_supplied))
    for n in ev.notes:
        lines.append(f"说明：{n}")
    return lines
