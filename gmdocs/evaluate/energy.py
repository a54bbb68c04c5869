"""综合能耗 from energy carriers with the GB/T 2589-2020 coefficients in the catalogue."""
from __future__ import annotations

from dataclasses import dataclass, field

from ..application.model import EnergyUse
from ..application.spec import UNIT_FACTORS
from ..catalogue.model import Coefficient, ConversionTable, confidence_text

BASIS = "当量值"


@dataclass
class CarrierResult:
    carrier: str
    year: int
    amount: float
    unit: str
    tce: float | None
    coefficient: Coefficient | None
    problem: str | None = None


@dataclass
class YearEnergy:
    year: int
    tce: float | None                       # None when any carrier could not be converted
    carriers: list[CarrierResult] = field(default_factory=list)
    unverified: list[str] = field(default_factory=list)   # carriers whose coefficient is not confirmed


def find_coefficients(table: ConversionTable, carrier: str, basis: str = BASIS) -> list[Coefficient]:
    """Coefficients for a carrier name or coefficient id; several means the user must choose (a range)."""
    name = carrier.strip()
    exact = [c for c in table.coefficients if c.id == name]
    if exact:
        return exact
    same = [c for c in table.coefficients if c.carrier == name]
    preferred = [c for c in same if c.basis == basis]
    return preferred or same


def convert(use: EnergyUse, year: int, table: ConversionTable) -> CarrierResult:
    amount = use.amounts[year]
    found = find_coefficients(table, use.carrier)
    coef = found[0] if len(found) == 1 else None
    res = CarrierResult(use.carrier, year, amount, use.unit, None, coef)
    if len(found) > 1:
        res.problem = (f"能源品种“{use.carrier}”有多个折标准煤系数，请写明用哪一个："
                       + "、".join(f"{c.id}（{c.coefficient.value if c.coefficient and c.coefficient.known else '缺失'}）"
                                   for c in found))
        return res
    if coef is None:
        known = "、".join(sorted({c.carrier for c in table.coefficients}))
        res.problem = f"能源品种“{use.carrier}”没有收录折标准煤系数（已收录：{known}）"
        return res
    if coef.coefficient is None or not coef.coefficient.known:
        res.problem = f"“{use.carrier}”的折标准煤系数缺失（应见：{coef.coefficient.missing if coef.coefficient else '—'}）"
        return res
    unit = UNIT_FACTORS.get(use.unit.replace(" ", ""))
    if unit is None:
        res.problem = f"“{use.carrier}”的单位“{use.unit}”无法识别（可用：{'、'.join(UNIT_FACTORS)}）"
        return res
    base_unit, factor = unit
    coef_base = UNIT_FACTORS.get((coef.unit or "").replace(" ", ""))
    if coef_base is None or base_unit != coef_base[0]:
        res.problem = f"“{use.carrier}”的单位“{use.unit}”与折标系数的单位（每{coef.unit}）不一致"
        return res
    res.tce = amount * factor / coef_base[1] * float(coef.coefficient.value) / 1000.0
    return res


def year_energy(uses: list[EnergyUse], year: int, table: ConversionTable) -> YearEnergy:
    out = YearEnergy(year, 0.0)
    for use in uses:
        if year not in use.amounts:
            continue
        r = convert(use, year, table)
        out.carriers.append(r)
        if r.tce is None:
            out.tce = None
        elif out.tce is not None:
            out.tce += r.tce
        if r.coefficient is not None and r.coefficient.coefficient is not None \
                and r.coefficient.coefficient.confidence != "confirmed":
            out.unverified.append(f"{r.carrier}（{r.coefficient.coefficient.value}"
                                  f"{confidence_text(r.coefficient.coefficient.confidence)}）")
    return out
