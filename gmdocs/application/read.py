"""Read an application from YAML or XLSX into one model, collecting every problem with its place.

A file that cannot be read at all (missing, not YAML/XLSX, wrong top-level shape) raises
GmdocsError (exit 2). Everything else — a missing field, a number typed as text that is
not a number, an unknown result — becomes a Finding, so that `check` lists all of them.
"""
from __future__ import annotations

import datetime as dt
import difflib
import os
import posixpath
import re
import unicodedata
import zipfile
from pathlib import Path

from ..catalogue.yamlsrc import LDict, display_path, read_yaml
from ..errors import EXIT_BAD_INPUT, GmdocsError, not_a_number, said
from ..findings import ERROR, INFO, WARNING, Finding
from ..fsutil import require_file
from ..limits import open_zip_checked
from .model import Answer, Application, Attachment, EnergyUse, Field, Loc, ProductOutput, RawEntry, YearFigures
from .spec import (CATEGORY_LABELS, INFO_FIELDS, LABEL_TO_CATEGORY, NARRATIVE_BY_LABEL, PARK_YEAR_EXTRA, RAW_BY_LABEL,
                   RAW_UNITS, RESULTS, YEAR_FIELDS, FieldSpec, canonical_unit, raw_unit_factor, unit_tables)
from .values import SCIENTIFIC, clean_text, header_year, to_bool, to_date, to_int, to_number, to_year

SHEETS = ("说明", "基本信息", "经济与能源汇总", "能源消费", "产品", "原始数据", "基本要求", "指标", "排除情形", "情况说明", "附件")
# The sheets the reader reads (the template's, less 说明 and 选项), and the columns it reads in each: a merged
# range or a formula without a result there loses data; 产品 only for factories.
DATA_SHEETS: dict[str, frozenset[int]] = {
    "基本信息": frozenset({1, 2}), "经济与能源汇总": frozenset(range(1, 6)), "能源消费": frozenset(range(1, 6)),
    "产品": frozenset(range(1, 12)), "原始数据": frozenset(range(1, 7)), "基本要求": frozenset({1, 3, 4}),
    "指标": frozenset({1, 5, 6, 7, 8, 9, 10}), "排除情形": frozenset({1, 3}), "情况说明": frozenset({1, 2}),
    "附件": frozenset({1, 2})}
# 基本信息 fields that are codes, not numbers: a spreadsheet (or YAML) that takes them for numbers loses digits.
# id → digits (0: a telephone number, whose leading 0 of the area code goes).
CODE_FIELDS = {"uscc": 18, "industry_code": 4, "postcode": 6, "phone": 0, "mobile": 0, "fax": 0}
_UNSET = object()


class Collector:
    def __init__(self, source: str):
        self.source = source
        self.findings: list[Finding] = []

    def error(self, loc: Loc | None, field: str, message: str, code: str = "input") -> None:
        self.findings.append(Finding(ERROR, code, message, str(loc) if loc else self.source, field))

    def warn(self, loc: Loc | None, field: str, message: str, code: str = "input") -> None:
        self.findings.append(Finding(WARNING, code, message, str(loc) if loc else self.source, field))


def convert(spec: FieldSpec, raw, loc: Loc, c: Collector, label: str | None = None):
    """Convert one raw value per its spec; record an error and return None when it does not fit."""
    label = label or spec.label
    try:
        if spec.id == "year":
            v = to_year(raw)
        elif spec.type in ("number", "percent"):
            v = to_number(raw)
        elif spec.type == "int":
            v = to_int(raw)
        elif spec.type == "date":
            v = to_date(raw)
        elif spec.type == "bool":
            v = to_bool(raw)
        else:
            v = clean_text(raw)
    except (ValueError, TypeError):
        kind = {"number": "数字", "percent": "百分数（如 62.5）", "int": "整数", "date": "日期（YYYY-MM-DD）",
                "bool": "是 或 否"}.get(spec.type, "文本") if spec.id != "year" else "四位年份（如 2023 或 2023年）"
        if isinstance(raw, (dt.date, dt.time)):     # a number typed into a cell formatted as a date shows as one
            c.error(loc, label, not_a_number(raw, kind), code="date-format")
        else:
            c.error(loc, label, f"应为{kind}，实际填写的是 {said(raw)}")
        return None
    if v is None:
        if spec.required:
            c.error(loc, label, f"必填项未填写{('（' + spec.help + '）') if spec.help else ''}", code="required")
        return None
    if spec.type == "choice" and v not in spec.choices:
        c.error(loc, label, f"取值 {said(v)} 不在可选范围内：{'、'.join(spec.choices)}")
        return None
    return v


def code_field(spec: FieldSpec, raw, loc: Loc, c: Collector, excel: bool):
    """A code (统一社会信用代码, 行业代码, 邮编, 电话) that a spreadsheet or YAML took for a number: said, and read as
    well as can be. Returns the value to use, or _UNSET to convert `raw` as usual."""
    width = CODE_FIELDS.get(spec.id)
    if width is None or raw is None or isinstance(raw, bool):
        return _UNSET
    fix = ("请把该单元格格式设为“文本”（或先输入英文单引号 '），再按原件重新输入" if excel
           else f"请加英文引号，如 {spec.label}: \"{'010010' if spec.id == 'postcode' else '0551-12345678'}\"")
    if spec.id == "uscc":
        sci = isinstance(raw, str) and SCIENTIFIC.fullmatch(unicodedata.normalize("NFKC", raw).strip())
        if isinstance(raw, float) or sci:
            shown = raw.strip() if isinstance(raw, str) else f"{raw:.6g}".upper()
            fix = ("请把该单元格格式设为“文本”（或先输入英文单引号 '），再按营业执照重新输入 18 位代码" if excel
                   else "请加英文引号，按营业执照重新填写 18 位代码，如 统一社会信用代码: \"91150300MA0N7Q2X1B\"")
            c.error(loc, spec.label, f"统一社会信用代码被{' Excel ' if excel else ''}当成了数字（{shown}）：数字只保留 15 位有效"
                    f"数字，18 位代码的后几位已经丢失，无法从文件中恢复（这不是校验码算错）。{fix}", code="uscc-number")
            return None
        if isinstance(raw, int) and excel:
            c.warn(loc, spec.label, "统一社会信用代码存成了数字：现在还是完整的，但用 Excel 打开再保存后只保留 15 位有效数字，"
                   f"后几位会丢失。{fix}", code="uscc-number")
        return _UNSET
    if not isinstance(raw, (int, float)) or (isinstance(raw, float) and not raw.is_integer()):
        return _UNSET
    digits = str(int(raw))
    if width and len(digits) < width and excel:
        c.warn(loc, spec.label, f"{spec.label}被存成了数字，开头的 0 已丢失（读到 {digits}）：按 {digits.zfill(width)} 读取。"
               f"{fix}", code="code-number")
        return digits.zfill(width)
    if width and len(digits) >= width:
        return _UNSET
    if not width and len(digits) == 11 and digits.startswith("1"):        # a mobile number
        return _UNSET
    if excel:
        c.warn(loc, spec.label, f"{spec.label}被存成了数字（{digits}）：区号开头的 0 可能已丢失。{fix}", code="code-number")
    else:
        c.warn(loc, spec.label, f"{spec.label}写成了数字（读到 {digits}）：YAML 会去掉开头的 0，或把 0 开头的数字当作八进制。"
               f"{fix}", code="code-number")
    return _UNSET


def info_value(spec: FieldSpec, raw, loc: Loc, c: Collector, excel: bool):
    v = code_field(spec, raw, loc, c, excel)
    return convert(spec, raw, loc, c) if v is _UNSET else v


def energy_unit(unit: str | None, amounts: dict[int, float]) -> tuple[str | None, dict[int, float]]:
    """An energy carrier's unit as written → the spelling UNIT_FACTORS knows (units.yaml), the amounts scaled when
    the spelling has a factor (千立方米 → m³ × 1000). An unknown unit is kept: the check says it cannot be converted."""
    hit = canonical_unit("energy", unit) if unit else None
    if hit is None:
        return unit, amounts
    canonical, factor = hit
    return canonical, ({y: v * factor for y, v in amounts.items()} if factor != 1 else amounts)


def unit_energy_unit(prod: ProductOutput, written, loc: Loc, c: Collector) -> None:
    """The product's 单位产品综合能耗单位 → the benchmark tables' spelling (千克标准煤/吨 → kgce/t), values scaled when
    the spelling has a factor (tce/t → kgce/t × 1000); an unknown unit is a warning: that product is not compared."""
    unit = clean_text(written)
    prod.unit_energy_unit = unit
    if not unit:
        return
    hit = canonical_unit("unit_energy", unit)
    if hit is None:
        known = "、".join(u for u, _ in unit_tables()["unit_energy:exact"].values())
        c.warn(loc, f"产品/{prod.name}/单位产品综合能耗单位",
               f"单位 {said(unit)} 无法识别：“{prod.name}”的单位产品综合能耗不与能效标杆水平/基准水平对标（已跳过）。"
               f"请写 {known} 之一（也认得 千克标准煤/吨、公斤标准煤/吨 等写法）", code="unit-unknown")
        return
    prod.unit_energy_unit, factor = hit
    if factor != 1:
        prod.unit_energy = {y: v * factor for y, v in prod.unit_energy.items()}


def _result(raw, loc: Loc, c: Collector, label: str) -> str | None:
    s = clean_text(raw)
    if s is None:
        return None
    if s in ("是", "√", "✓"):
        return "符合"
    if s in ("否", "×"):
        return "不符合"
    if s not in RESULTS:
        c.error(loc, label, f"结论 {said(s)} 不合法：应为 {'、'.join(RESULTS)}")
        return None
    return s


def raw_entry(label, part, unit, amounts: dict[int, float], loc: Loc, year_locs: dict[int, Loc],
              c: Collector) -> RawEntry | None:
    """One 原始数据 row → RawEntry in the item's canonical unit; an unknown item or unit is said, never dropped silently."""
    label = clean_text(label)
    if not label:
        c.error(loc, "原始数据/项目", "必填项未填写（项目名称，如 取水量、用地面积）", code="required")
        return None
    item = RAW_BY_LABEL.get(label)
    if item is None:
        c.error(loc, "原始数据/项目", f"未知的项目 {said(label)}（可用：{'、'.join(RAW_BY_LABEL)}）", code="raw-item")
        return None
    canonical, units = RAW_UNITS[item.kind]
    unit = clean_text(unit)
    if not unit:
        c.error(loc, f"原始数据/{label}/单位", f"“{label}”未填写单位（可用：{'、'.join(units)}）", code="required")
        return None
    factor = raw_unit_factor(item.kind, unit)
    if factor is None:
        c.error(loc, f"原始数据/{label}/单位", f"“{label}”的单位 {said(unit)} 无法识别（可用：{'、'.join(units)}）",
                code="raw-unit")
        return None
    part = clean_text(part)
    if item.part and not part and item.id in ("pollutant_concentration", "pollutant_limit"):
        c.error(loc, f"原始数据/{label}/分项", f"“{label}”要在分项中写明{item.part}（如 颗粒物、二氧化硫）", code="required")
        return None
    for y, v in amounts.items():
        if v < 0:
            c.error(year_locs.get(y, loc), f"原始数据/{label}", f"{y} 年数值为负数（{v:g}），应为 0 或正数", code="negative")
    good = {y: v * factor for y, v in amounts.items() if v >= 0}
    return RawEntry(item.id, part, unit, good, loc, dict(year_locs))


EMPTY_ENERGY = ("能源消费没有填写：绿色工厂应按能源品种（电力、原煤、天然气……）逐行填写近三年的实物消费量和单位，"
                "否则无法按 GB/T 2589-2020 核对综合能耗")


def _no_attachments(app: Application, c: Collector, loc: Loc, where: str) -> None:
    """Evidence named in 基本要求/指标 but no attachment listed: the package will have none (a note: attaching the
    evidence is the applicant's choice; a 附件 sheet that is missing, or a mistyped YAML key, is an error/warning)."""
    named = sorted({a.evidence for a in list(app.gates) + list(app.answers) if a.evidence})
    if named:
        c.findings.append(Finding(INFO, "attachments", f"没有列出附件，而基本要求/指标的“证据”写了 {len(named)} 项证明材料"
                                  f"（如 {named[0]}）：申报材料汇编将不含证明材料 PDF；要附上的，请在{where}中写明名称和文件",
                                  str(loc), "附件"))


def load_application(path: str | Path) -> tuple[Application, list[Finding]]:
    p = require_file(path, "申报数据文件")
    ext = p.suffix.lower()
    if ext in (".yaml", ".yml"):
        return _YamlReader(p).read()
    if ext in (".xlsx", ".xlsm"):
        return _XlsxReader(p).read()
    raise GmdocsError(f"不支持的申报数据格式 {ext or '（无扩展名）'}：{p}（应为 .yaml 或 .xlsx）", EXIT_BAD_INPUT)


# ------------------------------------------------------------------ YAML
class _YamlReader:
    def __init__(self, path: Path):
        self.path = path
        self.disp = display_path(path)
        self.c = Collector(self.disp)

    def loc(self, node, key=None) -> Loc:
        if isinstance(node, LDict):
            line = node.line_of(key) if key is not None else node.line
        else:
            line = getattr(node, "line", 0)
        return Loc(self.disp, str(line or ""), "yaml")

    def read(self) -> tuple[Application, list[Finding]]:
        data, probs = read_yaml(self.path, self.disp)
        if data is None:
            if not probs:
                raise GmdocsError(f"{self.disp}: 申报数据文件是空的（可用 gmdocs init 生成模板）", EXIT_BAD_INPUT)
            raise GmdocsError(f"无法读取申报数据：{probs[0]}", EXIT_BAD_INPUT, probs)
        if not isinstance(data, LDict):
            raise GmdocsError(f"{self.disp}: 申报数据文件顶层应为映射（类别: …、基本信息: …）", EXIT_BAD_INPUT)
        for pr in probs:
            self.c.error(Loc(self.disp, str(pr.line or ""), "yaml"), pr.field, pr.message)
        c = self.c
        known = {"类别", "年度", "基本信息", "经济与能源汇总", "能源消费", "产品", "原始数据", "基本要求", "指标", "排除情形",
                 "附件", "说明", "情况说明"}
        for k in data:
            if k not in known:
                c.warn(self.loc(data, k), str(k), f"未知的键，已忽略（可用：{'、'.join(sorted(known))}）")
        cat_raw = clean_text(data.get("类别"))
        category = LABEL_TO_CATEGORY.get(cat_raw or "")
        if category is None:
            raise GmdocsError(f"{self.loc(data, '类别')}: 类别应为 {'、'.join(CATEGORY_LABELS.values())}，"
                              f"实际是 {said(cat_raw)}", EXIT_BAD_INPUT)
        year = None
        try:
            year = to_year(data.get("年度"))
        except ValueError:
            c.error(self.loc(data, "年度"), "年度", f"年度应为四位年份，实际是 {said(data.get('年度'))}")
        app = Application(category, year, self.disp, {}, loc=self.loc(data))
        info = data.get("基本信息")
        if not isinstance(info, LDict):
            c.error(self.loc(data, "基本信息") if "基本信息" in data else self.loc(data), "基本信息",
                    "缺少“基本信息”（应为映射）", code="required")
            info = LDict()
            info.key_lines, info.line = {}, data.line
        specs = INFO_FIELDS[category]
        labels = {s.label for s in specs}
        for k in info:
            if k not in labels:
                c.warn(self.loc(info, k), str(k), "基本信息中未知的字段，已忽略")
        for s in specs:
            loc = self.loc(info, s.label) if s.label in info else self.loc(info)
            app.info[s.id] = Field(info_value(s, info.get(s.label), loc, c, excel=False), loc)
        self._years(data, app)
        self._energy(data, app)
        self._products(data, app)
        self._raw(data, app)
        app.gates = self._answers(data, "基本要求")
        app.answers = self._answers(data, "指标")
        self._exclusions(data, app)
        self._narrative(data, app)
        for item in self._list(data, "附件"):
            name, file = clean_text(item.get("名称")), clean_text(item.get("文件"))
            loc = self.loc(item)
            if not name or not file:
                self.c.error(loc, "附件", "每个附件要写“名称”和“文件”（PDF 路径，相对于本文件所在目录）", code="required")
                continue
            app.attachments.append(Attachment(name, str((self.path.parent / file)), loc))
        if not app.attachments:
            _no_attachments(app, c, self.loc(data, "附件") if "附件" in data else self.loc(data), "“附件”")
        return app, c.findings

    def _list(self, data, key) -> list:
        v = data.get(key)
        if v is None:
            return []
        if not isinstance(v, list):
            self.c.error(self.loc(data, key), key, "应为列表（每项以“- ”开头）")
            return []
        out = []
        for i, item in enumerate(v):
            if not isinstance(item, LDict):
                self.c.error(Loc(self.disp, str(v.item_lines[i]), "yaml"), f"{key}[{i + 1}]", "每一项应为映射")
                continue
            out.append(item)
        return out

    def _years(self, data, app: Application) -> None:
        specs = YEAR_FIELDS + (PARK_YEAR_EXTRA if app.category == "park" else ())
        for item in self._list(data, "经济与能源汇总"):
            vals = {}
            for s in specs:
                loc = self.loc(item, s.label) if s.label in item else self.loc(item)
                vals[s.id] = convert(s, item.get(s.label), loc, self.c, f"经济与能源汇总/{s.label}")
            if vals["year"] is None:
                continue
            yf = YearFigures(vals["year"], vals["value_added"], vals["output_value"], vals["energy_total"],
                             self.loc(item))
            if app.category == "park":
                yf.value_added_share = vals.get("value_added_share")
                yf.share_loc = self.loc(item, "工业增加值占比") if "工业增加值占比" in item else self.loc(item)
            app.years.append(yf)

    def _year_map(self, node, label: str) -> dict[int, float]:
        out: dict[int, float] = {}
        if node is None:
            return out
        if not isinstance(node, LDict):
            self.c.error(self.loc(node), label, "应为 {年份: 数值} 映射，如 {2020: 1200, 2021: 1300}")
            return out
        for k, v in node.items():
            loc = self.loc(node, k)
            try:
                y = to_year(k)
                n = to_number(v)
            except ValueError:
                self.c.error(loc, label, f"年份或数值不合法：{said(k)}: {said(v)}")
                continue
            if y is not None and n is not None:
                out[y] = n
        return out

    def _energy(self, data, app: Application) -> None:
        items = self._list(data, "能源消费")
        if not items and app.category == "factory":
            self.c.error(self.loc(data, "能源消费") if "能源消费" in data else self.loc(data), "能源消费", EMPTY_ENERGY,
                         code="required")
        for item in items:
            carrier = clean_text(item.get("能源品种"))
            unit = clean_text(item.get("单位"))
            loc = self.loc(item)
            if not carrier:
                self.c.error(loc, "能源消费/能源品种", "必填项未填写", code="required")
                continue
            if not unit:
                self.c.error(loc, "能源消费/单位", f"“{carrier}”未填写单位", code="required")
            amounts, year_locs = {}, {}
            for k, v in item.items():
                if k in ("能源品种", "单位", "备注"):
                    continue
                try:
                    y = to_year(k)
                    n = to_number(v)
                except ValueError:
                    self.c.error(self.loc(item, k), f"能源消费/{carrier}", f"年份或数量不合法：{said(k)}: {said(v)}")
                    continue
                if y is not None and n is not None:
                    amounts[y] = n
                    year_locs[y] = self.loc(item, k)
            unit, amounts = energy_unit(unit, amounts)
            app.energy.append(EnergyUse(carrier, unit or "", amounts, loc, year_locs))

    def _raw(self, data, app: Application) -> None:
        for item in self._list(data, "原始数据"):
            amounts, locs = {}, {}
            label = clean_text(item.get("项目"))
            for k, v in item.items():
                if k in ("项目", "分项", "单位", "备注"):
                    continue
                try:
                    y = to_year(k)
                    n = to_number(v)
                except ValueError:
                    self.c.error(self.loc(item, k), f"原始数据/{label}", f"年份或数值不合法：{said(k)}: {said(v)}")
                    continue
                if y is not None and n is not None:
                    amounts[y], locs[y] = n, self.loc(item, k)
            e = raw_entry(label, item.get("分项"), item.get("单位"), amounts, self.loc(item), locs, self.c)
            if e is not None:
                app.raw.append(e)

    def _products(self, data, app: Application) -> None:
        for item in self._list(data, "产品"):
            name = clean_text(item.get("名称"))
            loc = self.loc(item)
            if not name:
                self.c.error(loc, "产品/名称", "必填项未填写", code="required")
                continue
            try:
                claims = bool(to_bool(item.get("声明达到标杆水平")))
            except ValueError:
                self.c.error(self.loc(item, "声明达到标杆水平"), f"产品/{name}/声明达到标杆水平", "应为 是 或 否")
                claims = False
            prod = ProductOutput(name, clean_text(item.get("单位")) or "", self._year_map(item.get("产量"), f"产品/{name}/产量"),
                                 self._year_map(item.get("单位产品综合能耗"), f"产品/{name}/单位产品综合能耗"),
                                 None, claims, loc)
            unit_energy_unit(prod, item.get("单位产品综合能耗单位"),
                             self.loc(item, "单位产品综合能耗单位") if "单位产品综合能耗单位" in item else loc, self.c)
            try:
                prod.intermediate = bool(to_bool(item.get("中间产品")))
            except ValueError:
                self.c.error(self.loc(item, "中间产品"), f"产品/{name}/中间产品", "应为 是 或 否")
            ue = item.get("单位产品综合能耗")
            if isinstance(ue, LDict):
                for k in ue:
                    try:
                        prod.year_locs[to_year(k)] = self.loc(ue, k)
                    except ValueError:
                        pass
            app.products.append(prod)

    def _answers(self, data, key: str) -> list[Answer]:
        out = []
        for item in self._list(data, key):
            aid = clean_text(item.get("编号"))
            loc = self.loc(item)
            if not aid:
                self.c.error(loc, f"{key}/编号", "必填项未填写", code="required")
                continue
            value = None
            try:
                value = to_number(item.get("数值"))
            except ValueError:
                self.c.error(self.loc(item, "数值"), f"{key}/{aid}/数值", not_a_number(item.get('数值')))
            res = _result(item.get("结论"), self.loc(item, "结论") if "结论" in item else loc, self.c, f"{key}/{aid}/结论")
            a = Answer(aid, res, value, clean_text(item.get("证据")), loc,
                       value_loc=self.loc(item, "数值") if "数值" in item else loc)
            for label, attr, lattr in (("自评得分", "self_points", "points_loc"), ("核定得分", "evaluator_points", "evaluator_loc")):
                if label in item:
                    setattr(a, lattr, self.loc(item, label))
                    try:
                        setattr(a, attr, to_number(item.get(label)))
                    except ValueError:
                        self.c.error(self.loc(item, label), f"{key}/{aid}/{label}", not_a_number(item.get(label)))
            a.evaluator_note = clean_text(item.get("评价说明"))
            out.append(a)
        return out

    def _narrative(self, data, app: Application) -> None:
        nv = data.get("情况说明")
        if nv is None:
            return
        if not isinstance(nv, LDict):
            self.c.error(self.loc(data, "情况说明"), "情况说明", f"应为映射，如 创建情况: …（可用：{'、'.join(NARRATIVE_BY_LABEL)}）")
            return
        for k, v in nv.items():
            nid = NARRATIVE_BY_LABEL.get(str(k))
            if nid is None:
                self.c.warn(self.loc(nv, k), f"情况说明/{k}", f"未知的项目，已忽略（可用：{'、'.join(NARRATIVE_BY_LABEL)}）")
                continue
            app.narrative[nid] = Field(clean_text(v), self.loc(nv, k))

    def _exclusions(self, data, app: Application) -> None:
        ex = data.get("排除情形")
        if ex is None:
            return
        if not isinstance(ex, LDict):
            self.c.error(self.loc(data, "排除情形"), "排除情形", "应为映射，如 E1: 否")
            return
        for k, v in ex.items():
            loc = self.loc(ex, k)
            try:
                app.exclusions[str(k)] = Field(to_bool(v), loc)
            except ValueError:
                self.c.error(loc, f"排除情形/{k}", f"应为 是 或 否，实际是 {said(v)}")


# ------------------------------------------------------------------ XLSX
class _Value:
    __slots__ = ("value",)

    def __init__(self, value):
        self.value = value


class _SheetValues:
    """One sheet's cell values, read once in openpyxl's read-only streaming mode; `cell(r, c).value` and
    `max_row` as on a normal worksheet (random access on a read-only sheet would re-read the XML)."""

    def __init__(self, title: str, rows):
        self.title = title
        self._cells: dict[tuple[int, int], object] = {}
        self.date_overflow: list[tuple[str, object]] = []      # (cell, number) formatted as a date it cannot be
        self.max_row = 0
        for r, row in enumerate(rows, 1):
            for c, v in enumerate(row, 1):
                if v is not None:
                    self._cells[(r, c)] = v
                    self.max_row = r

    def cell(self, r: int, c: int) -> _Value:
        return _Value(self._cells.get((r, c)))


_DATE_OVERFLOW = re.compile(r"Cell (\$?[A-Z]+\$?\d+) is marked as a date but the serial value (\S+) is outside")


def _openpyxl_quietly(make):
    """`make()` with openpyxl's warnings kept from the user's terminal (English, about features gmdocs does not read:
    extensions, styles); returns (result, the warnings' texts)."""
    import warnings
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = make()
    return result, [str(w.message) for w in caught]


def _openpyxl_sheet(name: str, ws) -> _SheetValues:
    """A sheet read by openpyxl. A number in a cell formatted as a date it cannot be (openpyxl warns and reads
    '#VALUE!') is read as the number, and remembered so that the reader says so at that cell."""
    from openpyxl.utils.cell import coordinate_to_tuple
    sheet, said = _openpyxl_quietly(lambda: _SheetValues(name, ws.iter_rows(values_only=True)))
    for text in said:
        m = _DATE_OVERFLOW.search(text)
        if not m:
            continue
        try:
            serial = float(m.group(2))
            r, c = coordinate_to_tuple(m.group(1).replace("$", ""))
        except ValueError:
            continue
        value = int(serial) if serial.is_integer() and abs(serial) < 2 ** 63 else serial
        sheet._cells[(r, c)] = value
        sheet.max_row = max(sheet.max_row, r)
        sheet.date_overflow.append((m.group(1).replace("$", ""), value))
    return sheet


def _load_openpyxl(path):
    from openpyxl import load_workbook
    return _openpyxl_quietly(lambda: load_workbook(path, data_only=True, read_only=True))[0]


class _BookValues:
    """The workbook's sheets, each read only when the reader asks for it (the 说明 and 选项 sheets never are):
    about 1.5× faster than loading every sheet with styles and validations."""

    def __init__(self, wb):
        self._wb = wb
        self.sheetnames = wb.sheetnames
        self._sheets: dict[str, _SheetValues] = {}

    def __getitem__(self, name: str) -> _SheetValues:
        if name not in self._sheets:
            self._sheets[name] = _openpyxl_sheet(name, self._wb[name])
        return self._sheets[name]

    def loaded(self) -> list[str]:
        """The sheets read so far, in the order they were read."""
        return list(self._sheets)

    def close(self) -> None:
        self._wb.close()


def _calamine_value(v):
    """A value as openpyxl reads it: empty → None, a whole number → int, a date without time → datetime."""
    if v == "" or v is None:
        return None
    if isinstance(v, float) and v.is_integer() and abs(v) < 2 ** 53:
        return int(v)
    if isinstance(v, dt.date) and not isinstance(v, dt.datetime):
        return dt.datetime(v.year, v.month, v.day)
    if isinstance(v, dt.time):
        return v
    return v


class _CalamineBook(_BookValues):
    """The same sheets read with python-calamine (Rust): about 10× faster than openpyxl's streaming reader
    on the application workbook; the values are given the types openpyxl gives (tests compare the two)."""

    def __init__(self, path: Path):
        from python_calamine import CalamineWorkbook
        try:
            self._wb = CalamineWorkbook.from_path(str(path))
        except Exception as exc:        # noqa: BLE001 — calamine's own error types: reported as an unreadable file
            raise ValueError(str(exc)) from exc
        self.sheetnames = list(self._wb.sheet_names)
        self._sheets = {}
        self._path = path

    def __getitem__(self, name: str) -> _SheetValues:
        if name not in self._sheets:
            try:
                rows = self._wb.get_sheet_by_name(name).to_python(skip_empty_area=False)
            except Exception as exc:    # noqa: BLE001
                raise OSError(f"工作表“{name}”无法读取：{exc}") from exc
            if any(isinstance(v, float) and abs(v) >= 2 ** 53 for row in rows for v in row):
                # calamine reads every number as a float: an 18-digit integer (a code another program wrote as a
                # number) would lose digits; openpyxl reads the digits as written
                wb = _load_openpyxl(self._path)
                try:
                    self._sheets[name] = _openpyxl_sheet(name, wb[name])
                finally:
                    wb.close()
            else:
                self._sheets[name] = _SheetValues(name, ([_calamine_value(v) for v in row] for row in rows))
        return self._sheets[name]

    def close(self) -> None:
        close = getattr(self._wb, "close", None)
        if close:
            close()


def _open_book(path: Path):
    """calamine when installed (fast), openpyxl's read-only reader otherwise (GMDOCS_XLSX_READER=openpyxl forces it)."""
    if os.environ.get("GMDOCS_XLSX_READER") != "openpyxl":
        try:
            return _CalamineBook(path)
        except ImportError:
            pass
    return _BookValues(_load_openpyxl(path))


_MERGE = re.compile(rb'<(?:\w+:)?mergeCell\b[^>]*?\bref="([A-Za-z]+\d+(?::[A-Za-z]+\d+)?)"')
_FORMULA = re.compile(rb"<(?:\w+:)?f[\s>/]")
_CELL = re.compile(rb"<(?:\w+:)?c\b([^>]*?)(?:/>|>(.*?)</(?:\w+:)?c>)", re.S)
_REF = re.compile(rb'\br="([A-Za-z]+\d+)"')
_CACHED = re.compile(rb"<(?:\w+:)?v>[^<]")


class _SheetXml:
    """What openpyxl's read-only, values-only mode does not give: merged ranges and formulas without a cached
    result, found with a regex over the sheet's XML part (a sheet is read once more, without parsing it)."""

    def __init__(self, zf: zipfile.ZipFile):
        self.zf = zf
        self._parts: dict[str, str] | None = None

    def parts(self) -> dict[str, str]:
        """Sheet name → its part in the zip, from the workbook and its relationships."""
        if self._parts is None:
            self._parts = {}
            try:
                from lxml import etree
                parser = etree.XMLParser(resolve_entities=False, no_network=True)
                rels = etree.fromstring(self.zf.read("_rels/.rels"), parser)
                book = next((r.get("Target") for r in rels if (r.get("Type") or "").endswith("/officeDocument")),
                            "xl/workbook.xml").lstrip("/")
                base = posixpath.dirname(book)
                targets = {r.get("Id"): r.get("Target") or "" for r in etree.fromstring(
                    self.zf.read(posixpath.join(base, "_rels", posixpath.basename(book) + ".rels")), parser)}
                for sh in etree.fromstring(self.zf.read(book), parser).iter("{*}sheet"):
                    rid = next((v for k, v in sh.attrib.items() if k.endswith("}id")), None)
                    t = targets.get(rid)
                    if t:
                        self._parts[sh.get("name")] = t.lstrip("/") if t.startswith("/") else \
                            posixpath.normpath(posixpath.join(base, t))
            except (KeyError, ValueError, OSError, zipfile.BadZipFile, etree.XMLSyntaxError):
                pass
        return self._parts

    def scan(self, name: str) -> tuple[list[str], list[str], list[str]]:
        """(merged ranges, formula cells without a result, formula cells with one) of a sheet."""
        part = self.parts().get(name)
        if part is None:
            return [], [], []
        try:
            data = self.zf.read(part)
        except (KeyError, OSError, zipfile.BadZipFile):
            return [], [], []
        merged = [m.group(1).decode().upper() for m in _MERGE.finditer(data)] if b"mergeCell" in data else []
        empty, cached = [], []
        if _FORMULA.search(data):
            for m in _CELL.finditer(data):
                body = m.group(2)
                if not body or not _FORMULA.search(body):
                    continue
                ref = _REF.search(m.group(1))
                (cached if _CACHED.search(body) else empty).append(ref.group(1).decode().upper() if ref else "?")
        return merged, empty, cached


class _XlsxReader:
    def __init__(self, path: Path):
        self.path = path
        self.disp = display_path(path)
        self.c = Collector(self.disp)

    def loc(self, sheet: str, cell: str) -> Loc:
        return Loc(self.disp, f"{sheet}!{cell}", "xlsx")

    def read(self) -> tuple[Application, list[Finding]]:
        # size, inflated size, encryption and the old .xls format, before openpyxl inflates anything
        zf = open_zip_checked(self.path, "Excel 文件", self.disp)
        try:
            self.xml = _SheetXml(zf)
            try:
                wb = _open_book(self.path)
            except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
                raise GmdocsError(f"无法打开 Excel 文件（不是有效的 .xlsx）：{self.disp}（{exc}）", EXIT_BAD_INPUT) from exc
            try:
                return self._read(wb)
            except (zipfile.BadZipFile, OSError) as exc:      # a sheet's XML broken inside a valid zip
                raise GmdocsError(f"无法读取 Excel 文件：{self.disp}（{exc}）", EXIT_BAD_INPUT) from exc
            finally:
                wb.close()
        finally:
            zf.close()

    def _renamed(self, wb, name: str) -> str | None:
        """The sheet that looks like `name` renamed: among the sheets the template does not have, the closest name
        (or the only one, when a single sheet is missing)."""
        extra = [n for n in wb.sheetnames if n not in SHEETS and n != "选项"]
        norm = {n: "".join(unicodedata.normalize("NFKC", n).split()) for n in extra}
        same = [n for n, k in norm.items() if k == name]
        if same:
            return same[0]
        close = difflib.get_close_matches(name, extra, n=1, cutoff=0.4)
        return close[0] if close else None

    def _missing_sheets(self, wb, category: str) -> list[str]:
        expected = [n for n in DATA_SHEETS if n != "产品" or category == "factory"]
        return [n for n in expected if n not in wb.sheetnames]

    def _report_missing(self, wb, app: Application, missing: list[str]) -> None:
        """One error per missing sheet, first in the list: what is lost, and the renamed sheet if one looks like it."""
        extra = [n for n in wb.sheetnames if n not in SHEETS and n != "选项"]
        out = []
        for name in missing:
            guess = self._renamed(wb, name)
            if guess is None and len(missing) == 1 and len(extra) == 1:
                guess = extra[0]
            msg = f"缺少工作表“{name}”"
            if guess:
                msg += f"：有一个名为“{guess}”的工作表，是不是把“{name}”改了名？请改回“{name}”"
            msg += "（工作表名称不能修改；可用 gmdocs init 生成模板对照）"
            if name == "附件":
                named = {a.evidence for a in list(app.gates) + list(app.answers) if a.evidence}
                msg += "。没有“附件”工作表，申报材料汇编将不含任何证明材料 PDF" + (
                    f"（基本要求/指标的“证据”写了 {len(named)} 项证明材料）" if named else "")
            elif name in ("能源消费", "经济与能源汇总"):
                msg += "。没有这张表就无法核对综合能耗"
            out.append(Finding(ERROR, "sheet-missing", msg, self.disp, name))
        self.c.findings[:0] = out

    def _scan_xml(self, wb) -> None:
        """Merged ranges and formulas without a result in the sheets read: named, cell by cell."""
        from openpyxl.utils.cell import coordinate_to_tuple, range_boundaries
        for name in wb.loaded():
            for ref, value in wb[name].date_overflow:
                self.c.warn(self.loc(name, ref), name, f"单元格 {ref} 设为日期格式，但其中的数 {value} 不是有效日期"
                            "（Excel 中显示为 ####），已按数字读取；请把该单元格的格式改为“常规”或“数值”", code="date-format")
            cols = DATA_SHEETS.get(name)
            if cols is None:
                continue
            merged, empty, cached = self.xml.scan(name)
            for ref in merged:
                try:
                    c0, r0, c1, r1 = range_boundaries(ref)
                except ValueError:
                    continue
                first = ref.split(":")[0]
                msg = (f"合并单元格 {ref}：请取消合并（合并后只有左上角的 {first} 有内容，其余单元格读作空白"
                       f"{'，表头合并后年份也读不出' if r0 == 1 else ''}）")
                if cols & set(range(c0, c1 + 1)):
                    self.c.error(self.loc(name, ref), f"{name}/合并单元格", msg, code="merged-cell")
                else:
                    self.c.warn(self.loc(name, ref), f"{name}/合并单元格", msg, code="merged-cell")
            for ref in empty:
                try:
                    in_data = ref == "?" or coordinate_to_tuple(ref)[1] in cols
                except ValueError:
                    in_data = True
                if in_data:
                    self.c.error(self.loc(name, ref), f"{name}/公式",
                                 f"公式单元格 {ref} 没有计算结果（请在 Excel 中打开保存一次，或改为数值）", code="formula")
            if cached:
                shown = "、".join(cached[:5]) + ("等" if len(cached) > 5 else "")
                self.c.findings.append(Finding(INFO, "formula", f"{len(cached)} 个公式单元格（{shown}）按 Excel 最后一次保存时"
                                               "的计算结果读取", str(self.loc(name, cached[0])), f"{name}/公式"))

    def _read(self, wb) -> tuple[Application, list[Finding]]:
        if "基本信息" not in wb.sheetnames:
            guess = self._renamed(wb, "基本信息")
            hint = f"：有一个名为“{guess}”的工作表，是不是改了名？请改回“基本信息”" if guess else ""
            raise GmdocsError(f"{self.disp}: 缺少工作表“基本信息”{hint}（请用 gmdocs init 生成的模板填写，工作表名称不能修改）",
                              EXIT_BAD_INPUT)
        c = self.c
        ws = wb["基本信息"]
        rows = {}
        for r in range(1, ws.max_row + 1):
            label = clean_text(ws.cell(r, 1).value)
            if label:
                rows[label.rstrip("*").strip()] = r
        cat_raw = clean_text(ws.cell(rows["类别"], 2).value) if "类别" in rows else None
        category = LABEL_TO_CATEGORY.get(cat_raw or "")
        if category is None:
            raise GmdocsError(f"{self.disp} 基本信息!B{rows.get('类别', '?')}: 类别应为 "
                              f"{'、'.join(CATEGORY_LABELS.values())}，实际是 {said(cat_raw)}", EXIT_BAD_INPUT)
        year = None
        if "年度" in rows:
            try:
                year = to_year(ws.cell(rows["年度"], 2).value)
            except ValueError:
                c.error(self.loc("基本信息", f"B{rows['年度']}"), "年度", "年度应为四位年份")
        app = Application(category, year, self.disp, {}, loc=Loc(self.disp, "", "xlsx"))
        for s in INFO_FIELDS[category]:
            r = rows.get(s.label)
            loc = self.loc("基本信息", f"B{r}") if r else self.loc("基本信息", "A:A")
            raw = ws.cell(r, 2).value if r else None
            if r is None and s.required:
                c.error(loc, s.label, "模板中缺少这一行", code="required")
                app.info[s.id] = Field(None, loc)
                continue
            app.info[s.id] = Field(info_value(s, raw, loc, c, excel=True), loc)
        missing = self._missing_sheets(wb, category)
        self._years(wb, app)
        self._energy(wb, app)
        self._products(wb, app)
        self._raw(wb, app)
        app.gates = self._answers(wb, "基本要求", result_col=3, evidence_col=4, value_col=None)
        app.answers = self._answers(wb, "指标", result_col=5, evidence_col=7, value_col=6, points_col=8)
        self._exclusions(wb, app)
        self._narrative(wb, app)
        ws = self._sheet(wb, "附件")
        if ws is not None:
            for r in range(2, ws.max_row + 1):
                name, file = clean_text(ws.cell(r, 1).value), clean_text(ws.cell(r, 2).value)
                if not name and not file:
                    continue
                loc = self.loc("附件", f"A{r}")
                if not name or not file:
                    c.error(loc, "附件", "每个附件要写名称和文件（PDF 路径，相对于本文件所在目录）", code="required")
                    continue
                app.attachments.append(Attachment(name, str(self.path.parent / file), loc))
            if not app.attachments:
                _no_attachments(app, c, self.loc("附件", "A2"), "“附件”工作表")
        self._scan_xml(wb)
        if missing:
            self._report_missing(wb, app, missing)
        return app, c.findings

    def _sheet(self, wb, name):
        if name not in wb.sheetnames:
            return None
        return wb[name]

    def _year_header(self, ws, first_col: int, count: int = 3) -> list[int | None]:
        """The years of a group of year columns (2023年, 2023年产量, 二〇二三年 …); a header that is not a year, or a
        column with numbers under an empty header, is an error naming the header cell."""
        years: list[int | None] = []
        for col in range(first_col, first_col + count):
            raw = ws.cell(1, col).value
            cell = f"{chr(64 + col)}1"
            try:
                y = header_year(raw)
            except ValueError:
                self.c.error(self.loc(ws.title, cell), f"{ws.title}/表头", f"表头 {said(raw)} 不是年份：应写四位年份，如 2023年"
                             "（这一列的数值无法读取）", code="year-header")
                y = None
            else:
                if y is None and any(ws.cell(r, col).value not in (None, "") for r in range(2, ws.max_row + 1)):
                    self.c.error(self.loc(ws.title, cell), f"{ws.title}/表头",
                                 f"表头 {cell} 没有年份，这一列填写的数值无法读取：请写上年份，如 2023年", code="year-header")
                elif y is not None and y in years:
                    self.c.error(self.loc(ws.title, cell), f"{ws.title}/表头", f"表头年份 {y} 重复（这一列的数值无法读取）",
                                 code="year-header")
                    y = None
            years.append(y)
        return years

    def _years(self, wb, app: Application) -> None:
        ws = self._sheet(wb, "经济与能源汇总")
        if ws is None:
            return
        specs = YEAR_FIELDS + (PARK_YEAR_EXTRA if app.category == "park" else ())
        rows = 0
        for r in range(2, ws.max_row + 1):
            if all(ws.cell(r, i + 1).value in (None, "") for i in range(len(specs))):
                continue
            rows += 1
            vals = {}
            for i, s in enumerate(specs):
                col = chr(ord("A") + i)
                vals[s.id] = convert(s, ws.cell(r, i + 1).value, self.loc(ws.title, f"{col}{r}"), self.c,
                                     f"经济与能源汇总/{s.label}")
            if vals["year"] is None:
                continue
            yf = YearFigures(vals["year"], vals["value_added"], vals["output_value"], vals["energy_total"],
                             self.loc(ws.title, f"A{r}"))
            if app.category == "park":
                yf.value_added_share = vals.get("value_added_share")
                yf.share_loc = self.loc(ws.title, f"E{r}")
            app.years.append(yf)
        if not rows:
            self.c.error(self.loc(ws.title, "A2"), "经济与能源汇总", "经济与能源汇总是空的：应从第 2 行起逐年填写近三年的年份、"
                         "工业增加值和综合能耗", code="required")

    def _energy(self, wb, app: Application) -> None:
        ws = self._sheet(wb, "能源消费")
        if ws is None:
            return
        years = self._year_header(ws, 3)
        before = len(app.energy)
        for r in range(2, ws.max_row + 1):
            carrier = clean_text(ws.cell(r, 1).value)
            if not carrier:
                continue
            unit = clean_text(ws.cell(r, 2).value)
            if not unit:
                self.c.error(self.loc(ws.title, f"B{r}"), "能源消费/单位", f"“{carrier}”未填写单位", code="required")
            amounts, year_locs = {}, {}
            for i, y in enumerate(years):
                col = 3 + i
                raw = ws.cell(r, col).value
                try:
                    n = to_number(raw)
                except ValueError:
                    self.c.error(self.loc(ws.title, f"{chr(64 + col)}{r}"), f"能源消费/{carrier}",
                                 not_a_number(raw))
                    continue
                if y is not None and n is not None:
                    amounts[y] = n
                    year_locs[y] = self.loc(ws.title, f"{chr(64 + col)}{r}")
            unit, amounts = energy_unit(unit, amounts)
            app.energy.append(EnergyUse(carrier, unit or "", amounts, self.loc(ws.title, f"A{r}"), year_locs))
        if len(app.energy) == before and app.category == "factory":
            self.c.error(self.loc(ws.title, "A2"), "能源消费", EMPTY_ENERGY + "（从第 2 行起每行一个能源品种）", code="required")

    def _raw(self, wb, app: Application) -> None:
        ws = self._sheet(wb, "原始数据")
        if ws is None:
            return
        years = self._year_header(ws, 4)
        for r in range(2, ws.max_row + 1):
            label = clean_text(ws.cell(r, 1).value)
            if not label and all(ws.cell(r, c).value in (None, "") for c in range(2, 7)):
                continue
            amounts, locs = {}, {}
            for i, y in enumerate(years):
                col = 4 + i
                raw = ws.cell(r, col).value
                cell = f"{chr(64 + col)}{r}"
                try:
                    n = to_number(raw)
                except ValueError:
                    self.c.error(self.loc(ws.title, cell), f"原始数据/{label}", not_a_number(raw))
                    continue
                if y is not None and n is not None:
                    amounts[y], locs[y] = n, self.loc(ws.title, cell)
            e = raw_entry(label, ws.cell(r, 2).value, ws.cell(r, 3).value, amounts, self.loc(ws.title, f"A{r}"), locs,
                          self.c)
            if e is not None:
                app.raw.append(e)

    def _products(self, wb, app: Application) -> None:
        ws = self._sheet(wb, "产品")
        if ws is None:
            return
        out_years = self._year_header(ws, 3)
        ue_years = self._year_header(ws, 6)
        for r in range(2, ws.max_row + 1):
            name = clean_text(ws.cell(r, 1).value)
            if not name:
                continue
            prod = ProductOutput(name, clean_text(ws.cell(r, 2).value) or "", {}, {},
                                 None, False, self.loc(ws.title, f"A{r}"))
            for years, first, target, label in ((out_years, 3, prod.output, "产量"),
                                                (ue_years, 6, prod.unit_energy, "单位产品综合能耗")):
                for i, y in enumerate(years):
                    col = first + i
                    raw = ws.cell(r, col).value
                    cell = f"{chr(64 + col)}{r}"
                    try:
                        n = to_number(raw)
                    except ValueError:
                        self.c.error(self.loc(ws.title, cell), f"产品/{name}/{label}", not_a_number(raw))
                        continue
                    if y is not None and n is not None:
                        target[y] = n
                        if label == "单位产品综合能耗":
                            prod.year_locs[y] = self.loc(ws.title, cell)
            unit_energy_unit(prod, ws.cell(r, 9).value, self.loc(ws.title, f"I{r}"), self.c)
            try:
                prod.claims_benchmark = bool(to_bool(ws.cell(r, 10).value))
            except ValueError:
                self.c.error(self.loc(ws.title, f"J{r}"), f"产品/{name}/声明达到标杆水平", "应为 是 或 否")
            try:
                prod.intermediate = bool(to_bool(ws.cell(r, 11).value))
            except ValueError:
                self.c.error(self.loc(ws.title, f"K{r}"), f"产品/{name}/中间产品", "应为 是 或 否")
            app.products.append(prod)

    def _answers(self, wb, sheet: str, result_col: int, evidence_col: int, value_col: int | None,
                 points_col: int | None = None) -> list[Answer]:
        ws = self._sheet(wb, sheet)
        if ws is None:
            return []
        out = []
        for r in range(2, ws.max_row + 1):
            aid = clean_text(ws.cell(r, 1).value)
            if not aid:
                continue
            value = None
            if value_col:
                raw = ws.cell(r, value_col).value
                try:
                    value = to_number(raw)
                except ValueError:
                    self.c.error(self.loc(sheet, f"{chr(64 + value_col)}{r}"), f"{sheet}/{aid}/数值",
                                 not_a_number(raw))
            res = _result(ws.cell(r, result_col).value, self.loc(sheet, f"{chr(64 + result_col)}{r}"), self.c,
                          f"{sheet}/{aid}/结论")
            a = Answer(aid, res, value, clean_text(ws.cell(r, evidence_col).value),
                       self.loc(sheet, f"{chr(64 + result_col)}{r}"),
                       value_loc=self.loc(sheet, f"{chr(64 + value_col)}{r}") if value_col else None)
            if points_col:
                for col, attr, lattr, label in ((points_col, "self_points", "points_loc", "自评得分"),
                                                (points_col + 1, "evaluator_points", "evaluator_loc", "核定得分")):
                    raw = ws.cell(r, col).value
                    cell = self.loc(sheet, f"{chr(64 + col)}{r}")
                    setattr(a, lattr, cell)
                    try:
                        setattr(a, attr, to_number(raw))
                    except ValueError:
                        self.c.error(cell, f"{sheet}/{aid}/{label}", not_a_number(raw))
                a.evaluator_note = clean_text(ws.cell(r, points_col + 2).value)
            out.append(a)
        return out

    def _narrative(self, wb, app: Application) -> None:
        ws = self._sheet(wb, "情况说明")
        if ws is None:
            return
        for r in range(2, ws.max_row + 1):
            label = clean_text(ws.cell(r, 1).value)
            if not label:
                continue
            nid = NARRATIVE_BY_LABEL.get(label)
            if nid is None:
                self.c.warn(self.loc(ws.title, f"A{r}"), f"情况说明/{label}",
                            f"未知的项目，已忽略（可用：{'、'.join(NARRATIVE_BY_LABEL)}）")
                continue
            app.narrative[nid] = Field(clean_text(ws.cell(r, 2).value), self.loc(ws.title, f"B{r}"))

    def _exclusions(self, wb, app: Application) -> None:
        ws = self._sheet(wb, "排除情形")
        if ws is None:
            return
        for r in range(2, ws.max_row + 1):
            eid = clean_text(ws.cell(r, 1).value)
            if not eid:
                continue
            loc = self.loc(ws.title, f"C{r}")
            try:
                app.exclusions[eid] = Field(to_bool(ws.cell(r, 3).value), loc)
            except ValueError:
                self.c.error(loc, f"排除情形/{eid}", f"应为 是 或 否，实际是 {said(ws.cell(r, 3).value)}")
