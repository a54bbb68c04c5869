"""The applicant's data, one model for the three categories and both input formats.

Every value keeps where it came from (`Loc`: YAML file:line or sheet!cell) so that a
check can point the user at the exact place to fix.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Loc:
    file: str
    where: str          # "12" (YAML line) or "基本信息!B3" (sheet!cell)
    kind: str = "yaml"  # yaml / xlsx

    def __str__(self) -> str:
        sep = ":" if self.kind == "yaml" else " "
        return f"{self.file}{sep}{self.where}" if self.where else self.file

    @property
    def line(self) -> int | None:
        return int(self.where) if self.kind == "yaml" and self.where.isdigit() else None


@dataclass
class Field:
    value: Any
    loc: Loc


@dataclass
class EnergyUse:
    carrier: str                  # 能源品种, matches a GB/T 2589 coefficient carrier
    unit: str                     # physical unit as written (t, 万kWh, 万m3 …)
    amounts: dict[int, float]     # year → quantity
    loc: Loc


@dataclass
class ProductOutput:
    name: str
    unit: str
    output: dict[int, float]                  # year → quantity
    unit_energy: dict[int, float]             # year → declared 单位产品综合能耗 (kgce per unit)
    unit_energy_unit: str | None
    claims_benchmark: bool                    # 声明达到标杆水平
    loc: Loc
    year_locs: dict[int, Loc] = field(default_factory=dict)


@dataclass
class YearFigures:
    year: int
    value_added: float | None         # 工业增加值（万元）
    output_value: float | None        # 工业总产值（万元）
    energy_total: float | None        # 综合能耗申报值（tce，当量值）
    loc: Loc
    value_added_share: float | None = None   # parks: 工业增加值占比 (%)
    share_loc: Loc | None = None


@dataclass
class Answer:
    id: str                           # indicator or gate id in the rulebook
    result: str | None                # 符合 / 不符合 / 不适用 (None when only a value is given)
    value: float | None
    evidence: str | None
    loc: Loc


@dataclass
class Attachment:
    name: str
    path: str | None          # resolved against the input file's folder
    loc: Loc


@dataclass
class Application:
    category: str                      # factory / park / supply-chain
    year: int | None                   # campaign year
    source: str                        # file name
    info: dict[str, Field]             # 基本信息 fields by id
    years: list[YearFigures] = field(default_factory=list)
    energy: list[EnergyUse] = field(default_factory=list)
    products: list[ProductOutput] = field(default_factory=list)
    answers: list[Answer] = field(default_factory=list)
    gates: list[Answer] = field(default_factory=list)
    exclusions: dict[str, Field] = field(default_factory=dict)   # exclusion id → Field(bool)
    attachments: list[Attachment] = field(default_factory=list)  # PDF evidence for the package
    loc: Loc | None = None

    def get(self, key: str, default=None):
        f = self.info.get(key)
        return f.value if f is not None and f.value is not None else default

    @property
    def name(self) -> str:
        return str(self.get("name", "（未填写名称）"))
