"""The input fields: one table drives the YAML reader, the XLSX reader and `gmdocs init`.

Keys in input files are the Chinese labels (what applicants read); code uses the ids.
"""
from __future__ import annotations

from dataclasses import dataclass

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
)

FACTORY = COMMON + (
    FieldSpec("industry", "所属行业", "text", help="GB/T 4754 行业名称，如 铁合金冶炼、水泥制造"),
    FieldSpec("industry_code", "行业代码", "text", required=False, help="GB/T 4754 四位代码，如 3150"),
    FieldSpec("nature", "单位性质", "choice", choices=NATURES),
    FieldSpec("main_products", "主要产品", "text"),
    FieldSpec("established", "成立日期", "date", required=False, help="YYYY-MM-DD"),
    FieldSpec("profile", "单位简介", "text", required=False, help="主营业务、生产情况、所获荣誉"),
)

PARK = COMMON + (
    FieldSpec("park_level", "园区级别", "choice", choices=PARK_LEVELS, help="须为省级及以上"),
    FieldSpec("park_type", "园区类型", "text", required=False, help="如 经济技术开发区、高新技术产业开发区"),
    FieldSpec("industry", "主导产业", "text"),
    FieldSpec("management_body", "管理机构", "text", help="统一管理机构名称"),
    FieldSpec("has_boundary", "具有法定边界和范围", "bool", choices=YES_NO),
    FieldSpec("manufacturing_function", "以产品制造和能源供给为主要功能", "bool", choices=YES_NO),
    FieldSpec("area_km2", "规划面积", "number", required=False, unit="km²"),
    FieldSpec("enterprises", "入驻工业企业数量", "int", required=False, unit="家"),
    FieldSpec("green_factories", "园区内绿色工厂数量", "int", required=False, unit="家"),
    FieldSpec("profile", "园区简介", "text", required=False, help="不超过500字"),
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
)

INFO_FIELDS = {"factory": FACTORY, "park": PARK, "supply-chain": SUPPLY_CHAIN}

# Yearly figures (sheet 经济与能源汇总 / YAML 经济与能源汇总).
YEAR_FIELDS = (
    FieldSpec("year", "年份", "int"),
    FieldSpec("output_value", "工业总产值", "number", required=False, unit="万元"),
    FieldSpec("value_added", "工业增加值", "number", unit="万元"),
    FieldSpec("energy_total", "综合能耗", "number", unit="tce", help="当量值，按 GB/T 2589-2020 折标准煤"),
)
PARK_YEAR_EXTRA = (
    FieldSpec("value_added_share", "工业增加值占比", "percent", unit="%", help="园区工业增加值占园区生产总值的比重，须超过50%"),
)

# Units applicants write for energy carriers → (unit of the GB/T 2589 coefficient, factor).
UNIT_FACTORS = {
    "kg": ("kg", 1.0), "t": ("kg", 1000.0), "吨": ("kg", 1000.0), "万t": ("kg", 1e7), "万吨": ("kg", 1e7),
    "kWh": ("kWh", 1.0), "千瓦时": ("kWh", 1.0), "度": ("kWh", 1.0), "MWh": ("kWh", 1000.0),
    "万kWh": ("kWh", 1e4), "万千瓦时": ("kWh", 1e4),
    "m3": ("m³", 1.0), "m³": ("m³", 1.0), "立方米": ("m³", 1.0), "万m3": ("m³", 1e4), "万m³": ("m³", 1e4),
    "万立方米": ("m³", 1e4), "MJ": ("MJ", 1.0), "GJ": ("MJ", 1000.0), "百万千焦": ("MJ", 1.0),
}
