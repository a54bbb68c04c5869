"""Chinese terminal text for `gmdocs calc`: indicators per year with formula and source, and the carbon account."""
from __future__ import annotations

from ..catalogue.model import CONFIDENCE_MARK
from .indicators import Calculation


def fmt(v: float | None, unit: str | None = None) -> str:
    if v is None:
        return "—"
    if abs(v) >= 1000:
        s = f"{v:,.0f}"
    elif abs(v) >= 100:
        s = f"{v:,.1f}"
    elif abs(v) >= 1:
        s = f"{v:,.2f}"
    else:
        s = f"{v:.4g}"
    return s + (f" {unit}" if unit and unit != "-" else "")


def calc_text(calc: Calculation, name: str, year_reason: str) -> list[str]:
    lines = [f"{name}　评价年度：{year_reason}"]
    lines.append(f"公式：{calc.formula_set_title or '（该指标体系没有收录计算公式）'}")
    years = calc.years
    lines.append("")
    lines.append("一、指标（按原始数据计算；每项给出公式和出处）")
    seen: list[str] = []
    for v in calc.values:
        if v.formula not in seen:
            seen.append(v.formula)
    for fid in seen:
        vals = [v for v in calc.values if v.formula == fid]
        head = vals[0]
        per_year = "；".join(f"{v.year}年 {fmt(v.value, head.unit)}" if v.value is not None else f"{v.year}年 无法计算"
                             for v in vals)
        lines.append(f"  {head.name}：{per_year}{head.mark}")
        lines.append(f"    公式：{head.text}")
        if head.clause:
            lines.append(f"    出处：{head.clause}")
        reasons = list(dict.fromkeys(v.reason for v in vals if v.reason))
        for r in reasons:
            lines.append(f"    未计算：{r}")
    lines.append("")
    lines.append("二、碳排放核算（GB/T 32150 排放因子法；生物质燃料燃烧单列，不计入总量）")
    lines.append(f"  电力排放因子口径：{calc.grid}")
    lines.append(f"  口径说明：{calc.grid_reason}")
    for y in years:
        c = calc.carbon.get(y)
        if c is None:
            continue
        total = c.total
        lines.append(f"  {y} 年：排放总量 {fmt(total, 'tCO2')}{CONFIDENCE_MARK.get(c.confidence, '') if total is not None else ''}"
                     f"（{c.grid}）")
        for ln in c.lines:
            amt = fmt(ln.amount, ln.unit)
            val = fmt(ln.tco2, "tCO2") if ln.tco2 is not None else ("不计入总量" if ln.source == "生物质（单列）" else "无法计算")
            lines.append(f"    {ln.source}｜{ln.item}：{amt} → {val}{CONFIDENCE_MARK.get(ln.confidence, '') if ln.tco2 is not None else ''}"
                         + (f"（{ln.factor}）" if ln.factor else ""))
            if ln.problem:
                lines.append(f"      问题：{ln.problem}")
        for n in c.notes:
            lines.append(f"    说明：{n}")
    for y in years:
        basis = calc.energy_basis.get(y)
        if basis:
            lines.append(f"  {y} 年综合能耗取值：{basis}")
    for n in calc.notes:
        lines.append(f"说明：{n}")
    return lines
