"""Carbon account per GB/T 32150: fuel combustion, process, purchased and exported electricity and heat.

燃料燃烧排放 = 消费量 × 低位发热量 × 单位热值含碳量 × 碳氧化率 × 44/12; 外购电力 = 电量 × 电网排放因子;
外购热力 = 热量 × 热力排放因子; 输出电力、热力按同一因子扣减; 生物质燃料燃烧单独报告，不计入总量.
Every factor comes from the catalogue (standards/emission/) with its source and confidence.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from ..application.model import Application
from ..application.spec import RAW_UNITS, UNIT_FACTORS
from ..catalogue.load import Catalogue
from ..catalogue.model import CONFIDENCE_ORDER, GRID_CALIBRES, FuelFactor, GridFactor, SimpleFactor

C_TO_CO2 = 44.0 / 12.0       # 二氧化碳与碳的分子量之比
DEFAULT_CALIBRE = "national-average"
DEFAULT_REASON = ("默认用生态环境部、国家统计局公布的全国电力平均二氧化碳排放因子：它是外购电力间接排放的通用口径，"
                  "不需要绿电交易凭证；购买了绿电并取得凭证的，可用 --grid national-excl-market（外购电力先扣除绿电交易电量）；"
                  "区域或省级因子用 --grid regional:华北 或 --grid provincial:内蒙古。碳市场口径（carbon-market）只用于发电行业配额核算。")
ELECTRICITY = ("电力",)
HEAT = ("热力",)


@dataclass(frozen=True)
class GridChoice:
    calibre: str = DEFAULT_CALIBRE
    region: str | None = None

    @classmethod
    def parse(cls, text: str | None) -> "GridChoice":
        """`national-average`, `regional:华北`, `provincial:内蒙古` … → GridChoice; ValueError with a Chinese message."""
        if not text:
            return cls()
        cal, _, region = text.partition(":")
        cal = cal.strip()
        if cal not in GRID_CALIBRES:
            raise ValueError(f"电网排放因子口径 “{text}” 不合法，应为：{'、'.join(GRID_CALIBRES)}"
                             "（区域和省级写成 regional:华北、provincial:内蒙古）")
        if cal in ("regional", "provincial") and not region.strip():
            raise ValueError(f"口径 {cal} 要写明{'区域' if cal == 'regional' else '省份'}，如 {cal}:"
                             f"{'华北' if cal == 'regional' else '内蒙古'}")
        return cls(cal, region.strip() or None)

    @property
    def label(self) -> str:
        return GRID_CALIBRES[self.calibre] + (f"（{self.region}）" if self.region else "")


@dataclass
class CarbonLine:
    source: str                 # 燃料燃烧 / 过程排放 / 外购电力 / 外购热力 / 输出电力 / 输出热力 / 生物质（单列）
    item: str
    amount: float | None
    unit: str
    factor: str                 # the factor(s) used, as text with their provenance
    tco2: float | None          # negative for exports; None when it cannot be computed
    confidence: str
    problem: str | None = None


@dataclass
class CarbonYear:
    year: int
    lines: list[CarbonLine] = field(default_factory=list)
    grid: str = ""
    notes: list[str] = field(default_factory=list)

    @property
    def problems(self) -> list[str]:
        return [ln.problem for ln in self.lines if ln.problem]

    @property
    def total(self) -> float | None:
        counted = [ln for ln in self.lines if ln.source != "生物质（单列）"]
        if not counted or any(ln.tco2 is None for ln in counted):
            return None
        return sum(ln.tco2 for ln in counted)

    @property
    def by_source(self) -> dict[str, float | None]:
        out: dict[str, float | None] = {}
        for ln in self.lines:
            prev = out.get(ln.source, 0.0)
            out[ln.source] = None if prev is None or ln.tco2 is None else prev + ln.tco2
        return out

    @property
    def confidence(self) -> str:
        confs = [ln.confidence for ln in self.lines if ln.tco2 is not None and ln.source != "生物质（单列）"]
        return min(confs, key=lambda c: CONFIDENCE_ORDER.get(c, -1)) if confs else "missing"


def _weakest(*confs: str) -> str:
    return min(confs, key=lambda c: CONFIDENCE_ORDER.get(c, -1))


def _fuels(cat: Catalogue) -> dict[str, FuelFactor]:
    return {f.carrier: f for t in cat.emission_factors.values() for f in t.fuels}


def _grid_factors(cat: Catalogue) -> list[GridFactor]:
    return [g for t in cat.emission_factors.values() for g in t.electricity]


def _heat_factor(cat: Catalogue) -> SimpleFactor | None:
    return next((h for t in cat.emission_factors.values() for h in t.heat), None)


def grid_factor(cat: Catalogue, choice: GridChoice, year: int) -> tuple[GridFactor | None, str]:
    """The factor of the chosen calibre for the data year; the latest earlier year when not yet published."""
    cands = [g for g in _grid_factors(cat) if g.calibre == choice.calibre and g.value is not None and g.value.known
             and (choice.region is None or g.region == choice.region)]
    if not cands:
        have = sorted({g.region for g in _grid_factors(cat) if g.calibre == choice.calibre and g.region})
        extra = f"（已收录：{'、'.join(have)}）" if have else ""
        return None, f"没有收录“{choice.label}”{extra}"
    same = [g for g in cands if g.data_year == year]
    if same:
        return same[0], f"{choice.label} {year} 年值"
    earlier = sorted((g for g in cands if g.data_year < year), key=lambda g: g.data_year)
    if earlier:
        g = earlier[-1]
        return g, f"{choice.label}：{year} 年值未公布或未收录，用最近公布的 {g.data_year} 年值"
    g = sorted(cands, key=lambda g: g.data_year)[0]
    return g, f"{choice.label}：{year} 年及以前的值未收录，用最早收录的 {g.data_year} 年值"


def _raw_sum(app: Application, item: str, year: int) -> float | None:
    vals = [e.amounts[year] for e in app.raw if e.item == item and year in e.amounts]
    return sum(vals) if vals else None


def carbon_account(app: Application, cat: Catalogue, year: int, choice: GridChoice | None = None) -> CarbonYear:
    choice = choice or GridChoice()
    out = CarbonYear(year)
    fuels = _fuels(cat)
    table = cat.conversions.get("gbt2589-2020")
    media = {c.carrier for c in table.coefficients if c.basis == "等价值"} if table else set()
    gf, gnote = grid_factor(cat, choice, year)
    out.grid = gnote
    heat = _heat_factor(cat)
    green = _raw_sum(app, "green_power", year) if choice.calibre == "national-excl-market" else None
    for use in app.energy:
        if year not in use.amounts:
            continue
        amount, unit = use.amounts[year], use.unit
        conv = UNIT_FACTORS.get(unit.replace(" ", ""))
        name = use.carrier.strip()
        if name in ELECTRICITY:
            if conv is None or conv[0] != "kWh":
                out.lines.append(CarbonLine("外购电力", name, amount, unit, "", None, "missing",
                                            f"外购电力的单位“{unit}”无法换算为 kWh"))
                continue
            kwh = amount * conv[1]
            note = ""
            if green:
                kwh -= green
                note = f"（已扣除绿电交易电量 {green:,.0f} kWh）"
            if gf is None:
                out.lines.append(CarbonLine("外购电力", name, kwh, "kWh", "", None, "missing", f"外购电力无法计算：{gnote}"))
                continue
            out.lines.append(CarbonLine("外购电力", name + note, kwh, "kWh",
                                        f"{float(gf.value.value):g} kgCO2/kWh（{gnote}；{gf.announcement or ''}）",
                                        kwh * float(gf.value.value) / 1000.0, gf.value.confidence))
        elif name in HEAT:
            if conv is None or conv[0] != "MJ":
                out.lines.append(CarbonLine("外购热力", name, amount, unit, "", None, "missing",
                                            f"外购热力的单位“{unit}”无法换算为 GJ（请按热量填写：GJ、MJ 或 百万千焦）"))
                continue
            gj = amount * conv[1] / 1000.0
            out.lines.append(_heat_line("外购热力", name, gj, heat, +1))
        elif name in fuels or "生物质" in name:
            out.lines.append(_fuel_line(name, amount, unit, conv, fuels.get(name)))
        elif name in media:
            out.notes.append(f"“{name}”是耗能工质，其排放在生产它的能源中核算，这里不重复计算。")
        elif name.startswith("蒸汽"):
            out.lines.append(CarbonLine("外购热力", name, amount, unit, "", None, "missing",
                                        f"“{name}”以实物量计，无法换算为热量：请在能源消费中按热量（GJ）填写“热力”"))
        else:
            known = "、".join(sorted(fuels))
            out.lines.append(CarbonLine("燃料燃烧", name, amount, unit, "", None, "missing",
                                        f"“{name}”没有收录燃料排放参数（已收录：{known}）；请用核算报告数值填写原始数据“过程排放”"
                                        "或补充排放参数"))
    # process emissions: declared, and computed where a sourced factor exists
    declared = [e for e in app.raw if e.item == "process_emission" and year in e.amounts]
    for e in declared:
        out.lines.append(CarbonLine("过程排放", e.part or "过程排放", e.amounts[year], "tCO2", "申报单位核算报告数值",
                                    e.amounts[year], "user-supplied"))
    for t in cat.emission_factors.values():
        for pf in t.process:
            act = _raw_sum(app, pf.activity or "", year)
            if act is None and pf.activity == "clinker_output":
                clinker = [p for p in app.products if "熟料" in p.name and year in p.output]
                act = sum(p.output[year] for p in clinker) if clinker else None
            if act is None:
                continue
            if pf.value is None or not pf.value.known:
                if not declared:
                    out.lines.append(CarbonLine("过程排放", pf.name, act, "t", "", None, "missing",
                                                f"{pf.name}缺失（应见：{pf.value.missing if pf.value else '—'}），"
                                                "请在原始数据“过程排放”中填写温室气体排放报告中的过程排放量"))
                continue
            if declared:
                out.notes.append(f"已填写过程排放，未再按{pf.name}重复计算。")
                continue
            out.lines.append(CarbonLine("过程排放", pf.name, act, "t", f"{float(pf.value.value):g} {pf.unit}",
                                        act * float(pf.value.value), pf.value.confidence))
    for item, label, sign in (("power_exported", "输出电力", -1), ("heat_exported", "输出热力", -1)):
        amt = _raw_sum(app, item, year)
        if amt is None:
            continue
        if item == "power_exported":
            if gf is None:
                out.lines.append(CarbonLine(label, label, amt, "kWh", "", None, "missing", f"输出电力无法计算：{gnote}"))
            else:
                out.lines.append(CarbonLine(label, label, amt, "kWh", f"{float(gf.value.value):g} kgCO2/kWh（{gnote}）",
                                            -amt * float(gf.value.value) / 1000.0, gf.value.confidence))
        else:
            out.lines.append(_heat_line(label, label, amt, heat, sign))
    return out


def _heat_line(source: str, name: str, gj: float, heat: SimpleFactor | None, sign: int) -> CarbonLine:
    if heat is None or heat.value is None or not heat.value.known:
        return CarbonLine(source, name, gj, "GJ", "", None, "missing", "热力排放因子未收录")
    v = float(heat.value.value)
    return CarbonLine(source, name, gj, "GJ", f"{v:g} {heat.unit}", sign * gj * v, heat.value.confidence)


def _fuel_line(name: str, amount: float, unit: str, conv, ff: FuelFactor | None) -> CarbonLine:
    biomass = "生物质" in name or (ff is not None and ff.biomass)
    source = "生物质（单列）" if biomass else "燃料燃烧"
    if ff is None:
        return CarbonLine(source, name, amount, unit, "不计入总量（GB/T 32150：生物质燃料燃烧排放单独核算）" if biomass else "",
                          None, "missing", None if biomass else f"“{name}”没有收录燃料排放参数")
    vals = (ff.ncv, ff.carbon_content, ff.oxidation)
    if any(v is None or not v.known for v in vals):
        return CarbonLine(source, name, amount, unit, "", None, "missing", f"“{name}”的排放参数缺失")
    if conv is None:
        return CarbonLine(source, name, amount, unit, "", None, "missing", f"“{name}”的单位“{unit}”无法识别")
    base, factor = conv
    if ff.ncv_unit == "GJ/t":
        if base != "kg":
            return CarbonLine(source, name, amount, unit, "", None, "missing",
                              f"“{name}”应按质量填写（t、万t），实际单位是“{unit}”")
        activity, act_unit = amount * factor / 1000.0, "t"
    else:  # GJ/万m³
        if base != "m³":
            return CarbonLine(source, name, amount, unit, "", None, "missing",
                              f"“{name}”应按体积填写（万m³、m³），实际单位是“{unit}”")
        activity, act_unit = amount * factor / 1e4, "万m³"
    ncv, cc, of = (float(v.value) for v in vals)
    tco2 = activity * ncv * cc * of * C_TO_CO2
    conf = _weakest(*(v.confidence for v in vals))
    text = f"低位发热量 {ncv:g} {ff.ncv_unit} × 单位热值含碳量 {cc:g} tC/GJ × 碳氧化率 {of:g} × 44/12"
    return CarbonLine(source, name, activity, act_unit, text, None if biomass else tco2, conf)


RAW_CO2_UNIT = RAW_UNITS["co2"][0]
