"""Typed records of the catalogue. Plain dataclasses; no I/O here."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

# Tag rule: standards/README.md "可信度与标记规则". `derived` (推算) is a value computed from other values: it sits
# below single-source (no source states it) and above uncertain (the arithmetic is written out and checkable), and it
# never counts as a source, so it can never lift a value to confirmed.
CONFIDENCE_ORDER = {"confirmed": 4, "user-supplied": 3, "single-source": 2, "derived": 1, "uncertain": 0}
BASE_CONFIDENCES = ("confirmed", "single-source", "derived", "uncertain")

# What the user sees next to a value that is not confirmed.
CONFIDENCE_MARK = {
    "confirmed": "",
    "single-source": "【未核实：单一来源】",
    "derived": "【推算】",
    "uncertain": "【未核实：存疑】",
    "user-supplied": "【用户补充】",
    "missing": "【缺失】",
}

# The tags in words, for counts and for sentences that name a confidence ("规则可信度：…").
CONFIDENCE_NAMES = {
    "confirmed": "已核实",
    "single-source": "单一来源",
    "derived": "推算",
    "uncertain": "存疑",
    "user-supplied": "用户补充",
    "missing": "缺失",
}


def confidence_text(conf: str) -> str:
    """A confidence as users read it: the mark (【推算】…), or 已核实 for confirmed; never the English tag."""
    return CONFIDENCE_MARK.get(conf) or CONFIDENCE_NAMES.get(conf, conf)


LEVEL_NAMES = {
    "benchmark": "标杆水平",
    "baseline": "基准水平",
    "grade_1": "1级",
    "grade_2": "2级",
    "grade_3": "3级",
}


@dataclass(frozen=True)
class Source:
    ref: str | None
    url: str | None
    confidence: str
    note: str | None = None
    derivation: str | None = None      # confidence `derived`: how the value is computed, from which values
    official: bool = False             # the original text itself (see gmdocs.catalogue.tagrule.is_official)

    def cite(self) -> str:
        parts = [p for p in (self.ref, self.url) if p]
        if self.derivation:
            parts.append(f"推算：{self.derivation}")
        return "；".join(parts)

    def to_json(self) -> dict:
        return {"ref": self.ref, "url": self.url, "confidence": self.confidence, "note": self.note,
                "derivation": self.derivation, "official": self.official}


def best_confidence(sources: tuple[Source, ...]) -> str:
    if not sources:
        return "uncertain"
    return max((s.confidence for s in sources), key=lambda c: CONFIDENCE_ORDER.get(c, -1))


@dataclass(frozen=True)
class Value:
    """One sourced value, or a recorded gap (`missing` says where to find it)."""

    value: Any
    sources: tuple[Source, ...]
    path: str
    file: str
    line: int
    missing: str | None = None
    note: str | None = None
    override_reason: str | None = None

    @property
    def known(self) -> bool:
        return self.missing is None

    @property
    def confidence(self) -> str:
        return "missing" if self.missing is not None else best_confidence(self.sources)

    @property
    def user_supplied(self) -> bool:
        return any(s.confidence == "user-supplied" for s in self.sources)

    @property
    def mark(self) -> str:
        return CONFIDENCE_MARK.get(self.confidence, "")

    def to_json(self) -> dict:
        return {
            "value": _jsonable(self.value),
            "missing": self.missing,
            "confidence": self.confidence,
            "path": self.path,
            "sources": [s.to_json() for s in self.sources],
            "note": self.note,
            "override_reason": self.override_reason,
        }


def _jsonable(v: Any) -> Any:
    if hasattr(v, "isoformat"):
        return v.isoformat()
    return v


@dataclass
class Record:
    kind: str
    file: str
    line: int
    sources: tuple[Source, ...]
    field_lines: dict = field(default_factory=dict, repr=False)   # top-level key → line

    @property
    def confidence(self) -> str:
        return best_confidence(self.sources)


@dataclass
class Standard(Record):
    key: str = ""
    number: str = ""
    title: str = ""
    title_en: str | None = None
    level: str = ""
    nature: str | None = None
    status: str = ""
    published: Value | None = None
    effective: Value | None = None
    abolished: Value | None = None
    replaces: list[str] = field(default_factory=list)        # keys
    replaced_by: str | None = None                           # key
    topics: list[str] = field(default_factory=list)
    industries: list[str] = field(default_factory=list)
    scope: str | None = None
    notes: str | None = None

    @property
    def ident(self) -> str:
        return self.key


@dataclass
class Policy(Record):
    id: str = ""
    number: Value | None = None
    title: str = ""
    doc_type: str = ""
    issuer: str | None = None
    date: Value | None = None
    effective: Value | None = None
    status: str = ""
    replaces: list[str] = field(default_factory=list)
    replaced_by: str | None = None
    attachments: list[str] = field(default_factory=list)
    summary: list[str] = field(default_factory=list)
    notes: str | None = None

    @property
    def ident(self) -> str:
        return self.id

    @property
    def display_number(self) -> str:
        if self.number is not None and self.number.known:
            return str(self.number.value)
        return "（文号未知）"


@dataclass
class Gate:
    id: str
    text: str
    sources: tuple[Source, ...]
    line: int
    note: str | None = None
    mandatory: bool = True          # False: encouraged item, not a veto

    @property
    def confidence(self) -> str:
        return best_confidence(self.sources)


@dataclass
class Indicator:
    id: str
    name: str
    sources: tuple[Source, ...]
    line: int
    unit: str | None = None
    kind: str | None = None            # qualitative / quantitative
    direction: str | None = None       # higher / lower
    requirement: str | None = None     # mandatory / optional / scored
    max_points: Value | None = None
    baseline: Value | None = None
    leading: Value | None = None
    rule: str | None = None
    description: str | None = None
    # industry name → {"baseline": Value, "leading": Value}; see gmdocs.catalogue.levels.levels_for
    by_industry: dict[str, dict[str, Value]] = field(default_factory=dict)

    @property
    def confidence(self) -> str:
        return best_confidence(self.sources)


@dataclass
class Group:
    id: str
    name: str
    sources: tuple[Source, ...]
    line: int
    weight: Value | None = None
    description: str | None = None
    indicators: list[Indicator] = field(default_factory=list)


@dataclass
class Scoring:
    method: str
    total: Value | None
    pass_mark: Value | None
    groups_sum_to_total: bool = False
    indicators_sum_to_group: bool = False
    index_name: str | None = None
    rule: str | None = None


@dataclass
class Rulebook(Record):
    id: str = ""
    title: str = ""
    category: str = ""
    basis_standards: list[str] = field(default_factory=list)
    basis_policies: list[str] = field(default_factory=list)
    industries: list[str] = field(default_factory=list)
    scoring: Scoring | None = None
    gates: list[Gate] = field(default_factory=list)
    groups: list[Group] = field(default_factory=list)
    notes: str | None = None

    @property
    def ident(self) -> str:
        return self.id

    def indicators(self) -> list[Indicator]:
        return [i for g in self.groups for i in g.indicators]


@dataclass
class BenchmarkRow:
    id: str
    line: int
    path: str
    sources: tuple[Source, ...]
    area: str | None = None
    product: str | None = None
    indicator: str | None = None
    unit: str | None = None
    better: str | None = None
    values: dict[str, Value] = field(default_factory=dict)
    missing: str | None = None
    notes: str | None = None

    @property
    def known(self) -> bool:
        return self.missing is None


@dataclass
class BenchmarkTable(Record):
    id: str = ""
    title: str = ""
    document_policy: str | None = None
    document_standard: str | None = None
    levels: list[str] = field(default_factory=list)
    valid_from: Value | None = None
    valid_to: Value | None = None
    areas: list[str] = field(default_factory=list)
    rows: list[BenchmarkRow] = field(default_factory=list)
    notes: str | None = None

    @property
    def ident(self) -> str:
        return self.id


@dataclass
class Coefficient:
    id: str
    carrier: str
    line: int
    sources: tuple[Source, ...]
    coefficient: Value | None = None
    unit: str | None = None
    result_unit: str | None = None
    basis: str | None = None
    heating_value: str | None = None
    notes: str | None = None


@dataclass
class ConversionTable(Record):
    id: str = ""
    title: str = ""
    standard: str | None = None
    coefficients: list[Coefficient] = field(default_factory=list)
    notes: str | None = None

    @property
    def ident(self) -> str:
        return self.id


@dataclass
class Formula:
    """One indicator formula: an arithmetic expression over the calculator's variables."""
    id: str
    name: str
    line: int
    sources: tuple[Source, ...]
    expression: Any = None             # catalogue.formula.Expression
    unit: str | None = None
    indicator: str | None = None       # the rulebook indicator this value feeds (scoring and cross-check)
    percent: bool = False              # result × 100, shown as %
    when: str | None = None            # quota-standard / no-quota-standard: which variant of the indicator
    text: str = ""                     # the formula as printed for people
    clause: str | None = None          # standard + clause of the definition
    notes: str | None = None
    zero_if_absent: list[str] = field(default_factory=list)   # variables counted as 0 when not given
    aggregate: str = "latest"          # which year's value scores: latest / mean (of the data years)

    @property
    def confidence(self) -> str:
        """A formula is only as sure as its weakest cited part (definition, constant, unit)."""
        if not self.sources:
            return "uncertain"
        return min((s.confidence for s in self.sources), key=lambda c: CONFIDENCE_ORDER.get(c, -1))


@dataclass
class FormulaSet(Record):
    id: str = ""
    title: str = ""
    rulebook: str | None = None
    formulas: list[Formula] = field(default_factory=list)
    notes: str | None = None

    @property
    def ident(self) -> str:
        return self.id


@dataclass
class FuelFactor:
    """GB/T 32150-2015 fuel parameters: 低位发热量 × 单位热值含碳量 × 碳氧化率 × 44/12."""
    id: str
    carrier: str                       # 能源品种 as in 能源消费 (GB/T 2589 names)
    line: int
    sources: tuple[Source, ...]
    ncv: Value | None = None           # 低位发热量, GJ per physical unit
    ncv_unit: str | None = None        # GJ/t, GJ/万m³ …
    carbon_content: Value | None = None  # 单位热值含碳量, tC/GJ
    oxidation: Value | None = None     # 碳氧化率, fraction 0–1
    biomass: bool = False
    notes: str | None = None


@dataclass
class GridFactor:
    id: str
    calibre: str                       # national-average / national-excl-market / national-fossil / regional / provincial / carbon-market
    line: int
    sources: tuple[Source, ...]
    value: Value | None = None         # kgCO2/kWh
    region: str | None = None
    data_year: int | None = None
    announcement: str | None = None
    notes: str | None = None


@dataclass
class SimpleFactor:
    id: str
    name: str
    line: int
    sources: tuple[Source, ...]
    value: Value | None = None
    unit: str | None = None
    activity: str | None = None        # RAW item id the factor multiplies (process factors)
    notes: str | None = None


@dataclass
class EmissionFactors(Record):
    id: str = ""
    title: str = ""
    standard: str | None = None
    fuels: list[FuelFactor] = field(default_factory=list)
    electricity: list[GridFactor] = field(default_factory=list)
    heat: list[SimpleFactor] = field(default_factory=list)
    process: list[SimpleFactor] = field(default_factory=list)
    notes: str | None = None

    @property
    def ident(self) -> str:
        return self.id


GRID_CALIBRES = {
    "national-average": "全国电力平均二氧化碳排放因子",
    "national-excl-market": "全国电力平均二氧化碳排放因子（不包括市场化交易的非化石能源电量）",
    "national-fossil": "全国化石能源电力二氧化碳排放因子",
    "regional": "区域电力平均二氧化碳排放因子",
    "provincial": "省级电力平均二氧化碳排放因子",
    "carbon-market": "全国碳市场电网排放因子",
}


@dataclass
class CodeRule(Record):
    id: str = ""
    title: str = ""
    standard: str | None = None
    charset: str = ""
    weights: list[int] = field(default_factory=list)
    modulus: int = 0
    length: int = 0
    pattern: str | None = None
    segments: list[dict] = field(default_factory=list)
    test_vectors: list[dict] = field(default_factory=list)
    notes: str | None = None

    @property
    def ident(self) -> str:
        return self.id


@dataclass
class CampaignCategory:
    name: str
    line: int
    rulebooks: list[str] = field(default_factory=list)
    industry_standards: bool = False
    conditions: list[str] = field(default_factory=list)
    notes: str | None = None
    # park: the 工业增加值占比 a park must exceed (%), from that year's notice; a gap when the notice is not found
    value_added_share_over: Value | None = None
    # the year's eligibility conditions that an application's 基本信息 can show: a Value whose value is a list of
    # EligibilityRule (its sources are the notice's); a gap when the year's conditions are not found
    eligibility: Value | None = None


@dataclass(frozen=True)
class EligibilityRule:
    """One condition of a campaign year on a 基本信息 field: the field's value is one of `one_of`, or is 是
    (`is_true`), or is filled in (`filled`); `level` limits it to applications at that level (国家级/省级)."""
    field: str
    text: str
    one_of: tuple[str, ...] = ()
    is_true: bool = False
    filled: bool = False
    level: str | None = None

    def met(self, value) -> bool:
        if self.one_of:
            return str(value) in self.one_of
        if self.is_true:
            return value is True
        return value not in (None, "")


@dataclass
class Item:
    id: str
    text: str
    line: int
    date: Value | None = None


@dataclass
class Campaign(Record):
    id: str = ""
    year: int = 0
    title: str | None = None
    notice: Value | None = None          # policy id, or a gap
    categories: dict[str, CampaignCategory] = field(default_factory=dict)
    evaluation: Value | None = None      # third-party / self / self-or-third-party, or a gap
    evaluator_cap: Value | None = None
    evaluator_cap_counts: str | None = None   # legal-entity-batch / legal-representative-year (see CAP_COUNTS)
    summary_columns: list[dict] = field(default_factory=list)    # 推荐汇总表 columns [{id, label}]
    summary_columns_source: str | None = None
    benchmark_tables: list[str] = field(default_factory=list)
    exclusions: list[Item] = field(default_factory=list)
    exclusions_basis: str | None = None   # the document whose list the exclusions are, as reports name it
    deadlines: list[Item] = field(default_factory=list)
    data_years: str | None = None
    notes: str | None = None

    @property
    def ident(self) -> str:
        return self.id

    @property
    def exclusions_named(self) -> str:
        """How reports and messages name the list of 不得申报的情形: the year's notice unless the data say otherwise."""
        return self.exclusions_basis or f"{self.year}年度推荐通知"


# How the per-evaluator project cap is counted: 2023 per legal entity per batch (202号); from 2024 per legal
# representative per year, national-level projects only (梯度培育办法第二十条).
CAP_COUNTS = {"legal-entity-batch": "同一法人的评价机构本批次（国家层面）项目合计",
              "legal-representative-year": "同一法定代表人的评价机构本年度国家层面项目合计"}
SUMMARY_COLUMN_IDS = ("province", "name", "uscc", "category", "industry", "basis", "total", "total_source",
                      "benchmark", "carbon_intensity", "evaluator", "check", "recommend", "file")
CATEGORY_NAMES = {"factory": "绿色工厂", "park": "绿色工业园区", "supply-chain": "绿色供应链管理企业"}
EVALUATION_NAMES = {
    "third-party": "第三方评价",
    "self": "自评价（无需第三方评价报告）",
    "self-or-third-party": "自评价或第三方评价",
}
