"""The input fields: one table drives the YAML reader, the XLSX reader and `gmdocs init`.

Keys in input files are the Chinese labels (what applicants read); code uses the ids.
"""
from __future__ import annotations

import functools
import unicodedata
from dataclasses import dataclass
from pathlib import Path

CATEGORY_LABELS = {"factory": "绿色工厂", "park": "绿色工业园区", "supply-chain": "绿色供应链管理企业"}
LABEL_TO_CATEGORY = {v: k for k, v in CATEGORY_LABELS.items()} | {k: k for k in CATEGORY_LABELS}

RESULTS = ("符合", "不符合", "不适用")
YES_NO = ("是", "否")
NATURES = ("国有", "集体", "民营", "中外合资", "港澳台", "外商独资", "其他")
PARK_LEVELS = ("国家级", "省级", "市级", "县级及以下")


@dataclass(frozen=True)
class FieldSpec:
    id: str
    label: str
    type: str                 # text / number / percent / int / date / bool / choice
    required: bool = True
    unit: str = ""
    choices: tuple[str, ...] = ()
    help: str = ""


COMMON = (
    FieldSpec("name", "名称", "text", help="与营业执照一致的全称"),
    FieldSpec("uscc", "统一社会信用代码", "text", help="18位，GB 32100-2015"),
    FieldSpec("address", "通讯地址", "text"),
    FieldSpec("legal_rep", "法定代表人", "text"),
    FieldSpec("contact", "联系人", "text"),
    FieldSpec("phone", "联系电话", "text"),
    FieldSpec("email", "电子邮箱", "text", required=False),
    FieldSpec("province", "所在省市", "text", required=False, help="如 安徽省合肥市（官方表格封面必填）"),
    FieldSpec("postcode", "邮编", "text", required=False),
    FieldSpec("department", "申报工作联系部门", "text", required=False),
    FieldSpec("mobile", "手机", "text", required=False),
    FieldSpec("fax", "传真", "text", required=False),
    FieldSpec("level", "申报层级", "choice", required=False, choices=("国家级", "省级"), help="默认国家级"),
    FieldSpec("on_provincial_list", "已列入省级绿色制造名单", "bool", required=False, choices=YES_NO,
              help="申报国家层面名单时，有的年度要求已列入省级绿色制造名单"),
    FieldSpec("evaluator", "第三方评价机构", "text", required=False, help="委托第三方评价时填写（推荐汇总表和项目上限核对用）"),
    FieldSpec("evaluator_rep", "评价机构法定代表人", "text", required=False),
)

# 营业执照上的登记事项（官方基本信息表的栏目）
LICENCE = (
    FieldSpec("registry", "注册机关", "text", required=False, help="营业执照上的登记机关"),
    FieldSpec("capital", "注册资本", "number", required=False, unit="万元"),
    FieldSpec("valid_until", "有效期", "text", required=False, help="营业期限，如 长期 或 2045-06-30"),
)

FACTORY = COMMON + (
    FieldSpec("industry", "所属行业", "text", help="GB/T 4754 行业名称，如 铁合金冶炼、水泥制造"),
    FieldSpec("industry_code", "行业代码", "text", required=False, help="GB/T 4754 四位代码，如 3150"),
    FieldSpec("nature", "单位性质", "choice", choices=NATURES),
    FieldSpec("main_products", "主要产品", "text"),
    FieldSpec("established", "成立日期", "date", required=False, help="YYYY-MM-DD"),
    FieldSpec("profile", "单位简介", "text", required=False, help="主营业务、生产情况、所获荣誉"),
    FieldSpec("park", "所在园区", "text", required=False, help="所在工业园区的名称（与园区申报名称一致，用于核对园区绿色工厂数量）"),
) + LICENCE

PARK = COMMON + (
    FieldSpec("park_level", "园区级别", "choice", choices=PARK_LEVELS, help="按园区批准设立的层级填写"),
    FieldSpec("park_type", "园区类型", "text", required=False, help="如 经济技术开发区、高新技术产业开发区"),
    FieldSpec("industry", "主导产业", "text"),
    FieldSpec("management_body", "管理机构", "text", help="统一管理机构名称"),
    FieldSpec("has_boundary", "具有法定边界和范围", "bool", choices=YES_NO),
    FieldSpec("manufacturing_function", "以产品制造和能源供给为主要功能", "bool", choices=YES_NO),
    FieldSpec("area_km2", "规划面积", "number", required=False, unit="km²"),
    FieldSpec("enterprises", "入驻工业企业数量", "int", required=False, unit="家"),
    FieldSpec("green_factories", "园区内绿色工厂数量", "int", required=False, unit="家"),
    FieldSpec("profile", "园区简介", "text", required=False, help="不超过500字"),
    FieldSpec("score_year1", "第1年评价得分", "number", required=False, unit="分",
              help="第三方评价报告“近三年评价得分”：评价年度前两年的得分（第3年为本次评价得分）"),
    FieldSpec("score_year2", "第2年评价得分", "number", required=False, unit="分", help="评价年度前一年的得分"),
)

SUPPLY_CHAIN = COMMON + (
    FieldSpec("industry", "所属行业", "text", help="如 汽车整车制造、电子电器、机械"),
    FieldSpec("industry_code", "行业代码", "text", required=False),
    FieldSpec("nature", "单位性质", "choice", choices=NATURES),
    FieldSpec("main_products", "主要产品", "text"),
    FieldSpec("suppliers", "供应商数量", "int", unit="家"),
    FieldSpec("green_suppliers", "其中绿色工厂数量", "int", required=False, unit="家"),
    FieldSpec("epr_pilot", "汽车产品生产者责任延伸试点企业", "bool", required=False, choices=YES_NO),
    FieldSpec("profile", "单位简介", "text", required=False),
) + LICENCE

INFO_FIELDS = {"factory": FACTORY, "park": PARK, "supply-chain": SUPPLY_CHAIN}

# Yearly figures (sheet 经济与能源汇总 / YAML 经济与能源汇总).
YEAR_FIELDS = (
    FieldSpec("year", "年份", "int"),
    FieldSpec("output_value", "工业总产值", "number", required=False, unit="万元"),
    FieldSpec("value_added", "工业增加值", "number", unit="万元"),
    FieldSpec("energy_total", "综合能耗", "number", unit="tce", help="当量值，按 GB/T 2589-2020 折标准煤"),
)
PARK_YEAR_EXTRA = (
    FieldSpec("value_added_share", "工业增加值占比", "percent", unit="%", help="园区工业增加值占园区生产总值的比重；门槛按该年度通知"),
)

# Units applicants write for energy carriers → (unit of the GB/T 2589 coefficient, factor).
UNIT_FACTORS = {
    "kg": ("kg", 1.0), "t": ("kg", 1000.0), "吨": ("kg", 1000.0), "万t": ("kg", 1e7), "万吨": ("kg", 1e7),
    "kWh": ("kWh", 1.0), "千瓦时": ("kWh", 1.0), "度": ("kWh", 1.0), "MWh": ("kWh", 1000.0),
    "万kWh": ("kWh", 1e4), "万千瓦时": ("kWh", 1e4),
    "m3": ("m³", 1.0), "m³": ("m³", 1.0), "立方米": ("m³", 1.0), "万m3": ("m³", 1e4), "万m³": ("m³", 1e4),
    "万立方米": ("m³", 1e4), "MJ": ("MJ", 1.0), "GJ": ("MJ", 1000.0), "百万千焦": ("MJ", 1000.0),
}
# 百万千焦 = 10^6 kJ = 1 GJ = 1000 MJ.


# ---------------------------------------------------------------- raw data (sheet/YAML 原始数据)
# Canonical unit per quantity kind, and the units applicants write for it → factor to the canonical unit.
RAW_UNITS: dict[str, tuple[str, dict[str, float]]] = {
    "volume": ("m³", {"m3": 1.0, "m³": 1.0, "立方米": 1.0, "万m3": 1e4, "万m³": 1e4, "万立方米": 1e4,
                      "Nm3": 1.0, "Nm³": 1.0, "标立方米": 1.0, "万Nm3": 1e4, "万Nm³": 1e4}),
    "mass": ("t", {"t": 1.0, "吨": 1.0, "kg": 1e-3, "千克": 1e-3, "万t": 1e4, "万吨": 1e4}),
    "area": ("m²", {"m2": 1.0, "m²": 1.0, "平方米": 1.0, "万m2": 1e4, "万m²": 1e4, "万平方米": 1e4,
                    "公顷": 1e4, "hm2": 1e4, "hm²": 1e4, "亩": 10000.0 / 15.0}),
    "electricity": ("kWh", {"kWh": 1.0, "千瓦时": 1.0, "度": 1.0, "MWh": 1e3, "万kWh": 1e4, "万千瓦时": 1e4}),
    "heat": ("GJ", {"GJ": 1.0, "MJ": 1e-3, "百万千焦": 1.0, "TJ": 1e3}),
    "co2": ("tCO2", {"tCO2": 1.0, "t": 1.0, "吨": 1.0, "吨二氧化碳": 1.0, "万tCO2": 1e4, "万吨二氧化碳": 1e4}),
    "concentration": ("mg/m³", {"mg/m3": 1.0, "mg/m³": 1.0, "mg/Nm3": 1.0, "mg/Nm³": 1.0}),
    "count": ("项", {"项": 1.0, "个": 1.0, "类": 1.0}),
    "certificate": ("个", {"个": 1.0, "张": 1.0}),
    "money": ("万元", {"万元": 1.0, "元": 1e-4, "亿元": 1e4}),
}


# ---------------------------------------------------------------- unit spellings (units.yaml)
UNITS_FILE = Path(__file__).with_name("units.yaml")


def unit_key(s) -> str:
    """How unit spellings are compared: NFKC (ｋＷｈ→kWh, m³→m3, ㎡→m2, ／→/), no blanks, case-insensitive."""
    return "".join(unicodedata.normalize("NFKC", str(s)).split()).casefold()


@functools.cache
def unit_tables() -> dict[str, dict[str, tuple[str, float]]]:
    """unit_key(spelling) → (canonical unit, factor to it), per kind: energy (the keys of UNIT_FACTORS),
    unit_energy (the units of the benchmark tables), raw (RAW_UNITS; the energy spellings apply too).
    Read once from units.yaml; a canonical unit that the code does not know is a packaging error."""
    import yaml
    data = yaml.safe_load(UNITS_FILE.read_text(encoding="utf-8"))
    raw_units = list(dict.fromkeys(u for canonical, table in RAW_UNITS.values() for u in (canonical, *table)))
    known = {"energy": list(UNIT_FACTORS), "unit_energy": [str(u) for u in data.get("unit_energy_canonical") or ()],
             "raw": raw_units}
    out: dict[str, dict[str, tuple[str, float]]] = {}
    for kind, canon in known.items():
        table: dict[str, tuple[str, float]] = {}
        for u in canon:
            table.setdefault(unit_key(u), (u, 1.0))
        for row in data.get(kind) or ():
            unit, factor = str(row["unit"]), float(row.get("factor", 1))
            if unit not in canon:
                raise RuntimeError(f"{UNITS_FILE}: {kind} 一节的 {row['spelling']} → {unit}：规范单位 {unit} 不存在")
            table.setdefault(unit_key(row["spelling"]), (unit, factor))
        out[kind] = table
        out[kind + ":exact"] = {u: (u, 1.0) for u in canon}
    return out


def canonical_unit(kind: str, written) -> tuple[str, float] | None:
    """(canonical unit, factor) for a unit as written, or None when it is not recognised; a canonical unit
    written as such is kept as written. kind: energy / unit_energy / raw (an energy spelling is also a raw one:
    公斤 → kg, 万度 → 万kWh)."""
    if written is None or not str(written).strip():
        return None
    tables = unit_tables()
    exact = tables[kind + ":exact"].get(str(written).replace(" ", "").strip())
    if exact is not None:
        return exact
    key = unit_key(written)
    hit = tables[kind].get(key)
    if hit is None and kind == "raw":
        hit = tables["energy"].get(key)
    return hit


def raw_unit_factor(kind: str, written) -> float | None:
    """The factor to a raw quantity kind's canonical unit (RAW_UNITS) for a unit as written, or None."""
    canonical, units = RAW_UNITS[kind]
    hit = canonical_unit("raw", written)
    if hit is None:
        return None
    unit, factor = hit
    if unit == canonical:
        return factor
    if unit in units:
        return factor * units[unit]
    return None


@dataclass(frozen=True)
class RawItem:
    id: str            # variable name used by the formulas in standards/formula/
    label: str         # what the applicant writes in 项目
    kind: str          # key of RAW_UNITS
    part: str = ""     # what 分项 means for this item (水源、种类、污染物…); empty: no 分项
    help: str = ""


RAW_ITEMS = (
    RawItem("water_withdrawal", "取水量", "volume", "水源", "按水源分行填写（自来水、地表水、地下水、再生水等），合计为取水量"),
    RawItem("water_reused", "重复利用水量", "volume", "", "循环水、串联水等重复利用的水量"),
    RawItem("water_recycled", "回用水量", "volume", "", "废水经处理后回用的水量"),
    RawItem("wastewater_treated", "废水处理量", "volume"),
    RawItem("wastewater", "废水产生量", "volume"),
    RawItem("waste_gas", "废气产生量", "volume", "", "标准状态体积"),
    RawItem("waste_generated", "一般工业固体废物产生量", "mass", "种类", "按种类分行填写"),
    RawItem("waste_utilized", "一般工业固体废物综合利用量", "mass", "种类", "按种类分行填写"),
    RawItem("waste_disposed", "一般工业固体废物处置量", "mass", "种类"),
    RawItem("waste_stock_utilized", "综合利用往年贮存量", "mass", "", "当年综合利用的往年贮存量"),
    RawItem("land_area", "用地面积", "area", "", "厂区总用地面积"),
    RawItem("building_footprint", "建筑物和构筑物占地面积", "area", "", "含堆场用地"),
    RawItem("floor_area", "总建筑面积", "area"),
    RawItem("green_area", "绿地面积", "area"),
    RawItem("pv_self", "自发自用光伏发电量", "electricity"),
    RawItem("wind_self", "自发自用风电发电量", "electricity"),
    RawItem("green_power", "绿电交易电量", "electricity", "", "外购电力中通过绿电交易购入的电量"),
    RawItem("green_cert", "绿证", "certificate", "", "当年购买并核销的绿色电力证书数量"),
    RawItem("power_exported", "输出电力", "electricity", "", "向厂界外输出的电量"),
    RawItem("heat_exported", "输出热力", "heat", "", "向厂界外输出的热量"),
    RawItem("process_emission", "过程排放", "co2", "排放过程", "工业生产过程排放（按行业核算指南），如碳酸盐分解"),
    RawItem("clinker_output", "熟料产量", "mass", "", "水泥企业：用于计算碳酸盐分解的过程排放"),
    RawItem("pollutant_concentration", "主要污染物年均排放浓度", "concentration", "污染物", "按污染物分行填写"),
    RawItem("pollutant_limit", "许可排放限值", "concentration", "污染物", "与年均排放浓度同一污染物同一行名"),
    RawItem("pollutant_generated", "主要污染物产生量", "mass", "污染物"),
    RawItem("raw_material", "主要原材料消耗量", "mass", "原料"),
    RawItem("green_material", "绿色物料使用量", "mass"),
    RawItem("material_total", "同类物料使用总量", "mass"),
    RawItem("ecms_functions", "能碳管理系统平台功能符合数量", "count", "", "12 项功能中具备的项数"),
    RawItem("advanced_equipment", "先进工艺技术装备数量", "count", "", "采用国家目录所列技术装备的项数"),
    RawItem("retrofit_projects", "绿色低碳改造项目数量", "count"),
    RawItem("retrofit_investment", "绿色低碳改造投资", "money"),
    RawItem("total_investment", "固定资产投资总额", "money"),
    RawItem("footprint_categories", "开展碳足迹核算的产品类别数", "count"),
    RawItem("product_categories", "产品类别总数", "count"),
)
RAW_BY_LABEL = {r.label: r for r in RAW_ITEMS}
RAW_BY_ID = {r.id: r for r in RAW_ITEMS}



# ---------------------------------------------------------------- the applicant's own words (sheet/YAML 情况说明)
# (id, label, required for a formal report, help)
NARRATIVE = (
    ("creation", "创建情况", True, "对照评价要求说明绿色创建的总体情况（管理机构、规划目标、重点工作）"),
    ("practices", "主要做法", True, "节能降碳、资源利用、清洁生产等方面的主要做法和成效"),
    ("highlights", "亮点", False, "特色和亮点（不超过100字为宜）"),
    ("problems", "存在问题", False, "自评中发现的不足"),
    ("next_steps", "下一步工作", True, "下一步的改进计划"),
)
NARRATIVE_BY_LABEL = {label: nid for nid, label, _, _ in NARRATIVE}
