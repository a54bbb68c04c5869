"""Indicators from raw data: the formulas of the rulebook's formula set, per data year, each with its source."""
from __future__ import annotations

from dataclasses import asdict, dataclass, field

from ..application.model import Application
from ..application.spec import RAW_BY_ID
from ..catalogue.formula import BASE_VARIABLES, VARIABLES
from ..catalogue.load import Catalogue
from ..catalogue.model import CONFIDENCE_MARK, Formula, FormulaSet
from ..evaluate.energy import year_energy
from ..evaluate.select import Selection, select
from .carbon import DEFAULT_REASON, CarbonYear, GridChoice, carbon_account

CROSS_CHECK_TOLERANCE = 0.02    # a typed value vs the computed one


@dataclass
class IndicatorValue:
    formula: str                  # formula id
    name: str
    indicator: str | None         # rulebook indicator id it feeds
    unit: str | None
    year: int
    value: float | None
    reason: str | None            # why no value
    inputs: dict[str, float]      # variable → value used
    text: str
    clause: str | None
    confidence: str
    sources: list[dict]

    @property
    def mark(self) -> str:
        return CONFIDENCE_MARK.get(self.confidence, "")


@dataclass
class Calculation:
    year: int | None                       # campaign year
    years: list[int]                       # data years computed
    formula_set: str | None
    formula_set_title: str | None
    rulebook: str | None
    values: list[IndicatorValue] = field(default_factory=list)
    variables: dict[int, dict[str, float]] = field(default_factory=dict)
    carbon: dict[int, CarbonYear] = field(default_factory=dict)
    grid: str = ""
    grid_reason: str = ""
    energy_basis: dict[int, str] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    def for_indicator(self, indicator_id: str) -> list[IndicatorValue]:
        return [v for v in self.values if v.indicator == indicator_id]

    def scoring_value(self, indicator_id: str, formulas: dict[str, Formula], quota: bool) -> IndicatorValue | None:
        """The value that scores an indicator: the variant that applies (quota standard or not), latest year or mean."""
        cands = [v for v in self.values if v.indicator == indicator_id]
        if not cands:
            return None
        by_formula: dict[str, list[IndicatorValue]] = {}
        for v in cands:
            by_formula.setdefault(v.formula, []).append(v)
        order = sorted(by_formula, key=lambda fid: _variant_rank(formulas.get(fid), quota))
        for fid in order:
            vals = sorted(by_formula[fid], key=lambda v: v.year)
            f = formulas.get(fid)
            if f is not None and f.aggregate == "mean":
                got = [v for v in vals if v.value is not None]
                if len(got) == len(vals) and got:
                    last = got[-1]
                    mean = sum(v.value for v in got) / len(got)
                    return IndicatorValue(last.formula, last.name + f"（{got[0].year}—{last.year} 年平均）",
                                          last.indicator, last.unit, last.year, mean, None, {}, last.text, last.clause,
                                          last.confidence, last.sources)
                continue
            if vals[-1].value is not None:
                return vals[-1]
        return None

    def to_json(self) -> dict:
        return {
            "year": self.year, "years": self.years, "formula_set": self.formula_set, "rulebook": self.rulebook,
            "grid": self.grid, "grid_reason": self.grid_reason, "energy_basis": {str(k): v for k, v in self.energy_basis.items()},
            "values": [v.__dict__.copy() for v in self.values],
            "carbon": {str(y): {"total_tco2": c.total, "by_source": c.by_source, "confidence": c.confidence,
                                "grid": c.grid, "problems": c.problems, "notes": c.notes,
                                "lines": [asdict(ln) for ln in c.lines]} for y, c in self.carbon.items()},
            "notes": self.notes,
        }


def _variant_rank(f: Formula | None, quota: bool) -> int:
    if f is None or f.when is None:
        return 1
    wanted = "quota-standard" if quota else "no-quota-standard"
    return 0 if f.when == wanted else 2


def formula_set_for(cat: Catalogue, sel: Selection) -> FormulaSet | None:
    """The formula set of the selected rulebook; for an industry rulebook, that of the campaign's general rulebook."""
    if sel.rulebook is None:
        return None
    sets = {fs.rulebook: fs for fs in cat.formula_sets.values()}
    if sel.rulebook.id in sets:
        return sets[sel.rulebook.id]
    if sel.campaign is not None and sel.applicability is not None:
        cc = sel.campaign.categories.get(sel.applicability.category)
        for rid in (cc.rulebooks if cc else []):
            if rid in sets:
                return sets[rid]
    return None


def has_quota_standard(sel: Selection) -> bool:
    return bool(sel.applicability and sel.applicability.quota_standards)


def _variables(app: Application, cat: Catalogue, year: int, carbon: CarbonYear, calc: Calculation) -> dict[str, float]:
    v: dict[str, float] = {}
    yf = next((y for y in app.years if y.year == year), None)
    table = cat.conversions.get("gbt2589-2020")
    energy = year_energy(app.energy, year, table) if table is not None and app.energy else None
    if energy is not None and energy.carriers and energy.tce is not None:
        v["energy_tce"] = energy.tce
        calc.energy_basis[year] = "各能源品种按 GB/T 2589-2020 当量值折算"
    elif yf is not None and yf.energy_total is not None:
        v["energy_tce"] = yf.energy_total
        calc.energy_basis[year] = "申报综合能耗（能源明细无法折算或未填写）"
    if yf is not None:
        if yf.output_value is not None:
            v["output_value"] = yf.output_value
        if yf.value_added is not None:
            v["value_added"] = yf.value_added
    if carbon.total is not None:
        v["carbon_total"] = carbon.total
    finals = [p for p in app.products if not p.intermediate]
    if len(finals) == 1 and year in finals[0].output and finals[0].output[year] > 0:
        v["main_output"] = finals[0].output[year]
    for e in app.raw:
        if year in e.amounts:
            v[e.item] = v.get(e.item, 0.0) + e.amounts[year]
    conc = {e.part: e.amounts[year] for e in app.raw if e.item == "pollutant_concentration" and year in e.amounts}
    lim = {e.part: e.amounts[year] for e in app.raw if e.item == "pollutant_limit" and year in e.amounts}
    pairs = [(p, conc[p], lim[p]) for p in conc if p in lim and lim[p] > 0]
    if pairs:
        v["pollutant_margin"] = min((limit - c) / limit * 100.0 for _, c, limit in pairs)
    return v


def _missing_reason(name: str, app: Application, year: int) -> str:
    if name == "main_output":
        finals = [p for p in app.products if not p.intermediate]
        if not finals:
            return "没有填写最终产品的产量"
        if len(finals) > 1:
            return f"有 {len(finals)} 种最终产品（{'、'.join(p.name for p in finals)}）：单位产品指标须按产品分摊能耗、排放后分别计算，gmdocs 不替你分摊"
        return f"{year} 年“{finals[0].name}”产量未填写或为 0"
    if name == "carbon_total":
        return "二氧化碳排放总量无法计算（见碳排放核算中的问题）"
    if name == "pollutant_margin":
        return "原始数据中没有成对填写“主要污染物年均排放浓度”和“许可排放限值”（分项写同一污染物名）"
    label = RAW_BY_ID[name].label if name in RAW_BY_ID else BASE_VARIABLES.get(name, name)
    where = "原始数据" if name in RAW_BY_ID else "经济与能源汇总"
    return f"缺少 {year} 年的“{label.split('（')[0]}”（{where}）"


def evaluate_formula(f: Formula, variables: dict[str, float], app: Application, year: int) -> IndicatorValue:
    srcs = [s.to_json() for s in f.sources]
    unit = f.unit
    finals = [p for p in app.products if not p.intermediate]
    if unit and "产品单位" in unit and len(finals) == 1 and finals[0].unit:
        unit = unit.replace("产品单位", finals[0].unit)
    res = IndicatorValue(f.id, f.name, f.indicator, unit, year, None, None, {}, f.text, f.clause, f.confidence, srcs)
    if f.expression is None:
        res.reason = "公式无法解析"
        return res
    names = f.expression.names
    raw_names = [n for n in names if n in RAW_BY_ID]
    if raw_names and not any(n in variables for n in raw_names):
        res.reason = _missing_reason(raw_names[0], app, year) if len(raw_names) == 1 else \
            f"缺少 {year} 年的原始数据：" + "、".join(RAW_BY_ID[n].label for n in raw_names)
        return res
    values = {}
    for n in names:
        if n in variables:
            values[n] = variables[n]
        elif n in f.zero_if_absent:
            values[n] = 0.0
        else:
            res.reason = _missing_reason(n, app, year)
            return res
    try:
        x = f.expression.evaluate(values)
    except ZeroDivisionError:
        res.reason = "分母为 0，无法计算"
        res.inputs = values
        return res
    res.value = x * 100.0 if f.percent else x
    res.inputs = values
    return res


def calculate(app: Application, cat: Catalogue, year: int | None = None, grid: GridChoice | None = None,
              sel: Selection | None = None) -> Calculation:
    sel = sel or select(cat, app, year)
    grid = grid or GridChoice()
    fs = formula_set_for(cat, sel)
    calc = Calculation(sel.year, sorted({y.year for y in app.years}), fs.id if fs else None, fs.title if fs else None,
                       sel.rulebook.id if sel.rulebook else None, grid=grid.label,
                       grid_reason=DEFAULT_REASON if grid == GridChoice() else "按所选口径")
    if sel.year is not None:
        expected = [sel.year - 3, sel.year - 2, sel.year - 1]
        calc.years = [y for y in calc.years if y in expected] or calc.years
    for y in calc.years:
        calc.carbon[y] = carbon_account(app, cat, y, grid)
        calc.variables[y] = _variables(app, cat, y, calc.carbon[y], calc)
    if fs is None:
        calc.notes.append("该年度该类别的评价指标体系没有收录计算公式；只给出碳排放核算。" if sel.rulebook else
                          (sel.problem or "没有可用的评价指标体系"))
        return calc
    for f in fs.formulas:
        for y in calc.years:
            calc.values.append(evaluate_formula(f, calc.variables[y], app, y))
    return calc


__all__ = ["CROSS_CHECK_TOLERANCE", "Calculation", "IndicatorValue", "VARIABLES", "calculate", "evaluate_formula",
           "formula_set_for", "has_quota_standard"]
