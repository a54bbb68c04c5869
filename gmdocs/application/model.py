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
    year_locs: dict[int, Loc] = field(default_factory=dict)    # year → the line or cell of that amount


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
    intermediate: bool = False                # 中间产品（如水泥熟料之于水泥）：不与最终产品重复计入能耗


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
class RawEntry:
    """One row of 原始数据: a quantity (RAW_ITEMS id), optional 分项, values per year in the canonical unit."""
    item: str                         # RawItem id
    part: str | None                  # 分项 (水源、种类、污染物…)
    unit: str                         # unit as written
    amounts: dict[int, float]         # year → quantity in the item's canonical unit
    loc: Loc
    year_locs: dict[int, Loc] = field(default_factory=dict)


@dataclass
class Answer:
    id: str                           # indicator or gate id in the rulebook
    result: str | None                # 符合 / 不符合 / 不适用 (None when only a value is given)
    value: float | None
    evidence: str | None
    loc: Loc
    self_points: float | None = None       # 自评得分 (the applicant's)
    evaluator_points: float | None = None  # 核定得分 (the third-party evaluator's)
    evaluator_note: str | None = None      # 评价说明
    value_loc: Loc | None = None
    points_loc: Loc | None = None
    evaluator_loc: Loc | None = None


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
    raw: list[RawEntry] = field(default_factory=list)             # 原始数据: water, waste, land, …
    narrative: dict[str, Field] = field(default_factory=dict)     # 情况说明: the applicant's own words
    loc: Loc | None = None
    year_source: str = "file"          # file / option / latest: where the campaign year came from

    def get(self, key: str, default=None):
        f = self.info.get(key)
        return f.value if f is not None and f.value is not None else default

    @property
    def name(self) -> str:
        return str(self.get("name", "（未填写名称）"))
