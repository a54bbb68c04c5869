"""Read an application from YAML or XLSX into one model, collecting every problem with its place.

A file that cannot be read at all (missing, not YAML/XLSX, wrong top-level shape) raises
GmdocsError (exit 2). Everything else — a missing field, a number typed as text that is
not a number, an unknown result — becomes a Finding, so that `check` lists all of them.
"""
from __future__ import annotations

import zipfile
from pathlib import Path

from ..catalogue.yamlsrc import LDict, display_path, read_yaml
from ..errors import EXIT_BAD_INPUT, GmdocsError
from ..findings import ERROR, WARNING, Finding
from ..fsutil import require_file
from .model import Answer, Application, Attachment, EnergyUse, Field, Loc, ProductOutput, RawEntry, YearFigures
from .spec import (CATEGORY_LABELS, INFO_FIELDS, LABEL_TO_CATEGORY, NARRATIVE_BY_LABEL, PARK_YEAR_EXTRA, RAW_BY_LABEL,
                   RAW_UNITS, RESULTS, YEAR_FIELDS, FieldSpec)
from .values import clean_text, to_bool, to_date, to_int, to_number, to_year

SHEETS = ("说明", "基本信息", "经济与能源汇总", "能源消费", "产品", "原始数据", "基本要求", "指标", "排除情形", "附件")


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
        if spec.type in ("number", "percent"):
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
                "bool": "是 或 否"}.get(spec.type, "文本")
        c.error(loc, label, f"应为{kind}，实际填写的是 {raw!r}")
        return None
    if v is None:
        if spec.required:
            c.error(loc, label, f"必填项未填写{('（' + spec.help + '）') if spec.help else ''}", code="required")
        return None
    if spec.type == "choice" and v not in spec.choices:
        c.error(loc, label, f"取值 {v!r} 不在可选范围内：{'、'.join(spec.choices)}")
        return None
    return v


def _result(raw, loc: Loc, c: Collector, label: str) -> str | None:
    s = clean_text(raw)
    if s is None:
        return None
    if s in ("是", "√", "✓"):
        return "符合"
    if s in ("否", "×"):
        return "不符合"
    if s not in RESULTS:
        c.error(loc, label, f"结论 {s!r} 不合法：应为 {'、'.join(RESULTS)}")
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
        c.error(loc, "原始数据/项目", f"未知的项目 {label!r}（可用：{'、'.join(RAW_BY_LABEL)}）", code="raw-item")
        return None
    canonical, units = RAW_UNITS[item.kind]
    unit = clean_text(unit)
    if not unit:
        c.error(loc, f"原始数据/{label}/单位", f"“{label}”未填写单位（可用：{'、'.join(units)}）", code="required")
        return None
    factor = units.get(unit.replace(" ", ""))
    if factor is None:
        c.error(loc, f"原始数据/{label}/单位", f"“{label}”的单位 {unit!r} 无法识别（可用：{'、'.join(units)}）",
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
                              f"实际是 {cat_raw!r}", EXIT_BAD_INPUT)
        year = None
        try:
            year = to_year(data.get("年度"))
        except ValueError:
            c.error(self.loc(data, "年度"), "年度", f"年度应为四位年份，实际是 {data.get('年度')!r}")
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
            app.info[s.id] = Field(convert(s, info.get(s.label), loc, c), loc)
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
                self.c.error(loc, label, f"年份或数值不合法：{k!r}: {v!r}")
                continue
            if y is not None and n is not None:
                out[y] = n
        return out

    def _energy(self, data, app: Application) -> None:
        for item in self._list(data, "能源消费"):
            carrier = clean_text(item.get("能源品种"))
            unit = clean_text(item.get("单位"))
            loc = self.loc(item)
            if not carrier:
                self.c.error(loc, "能源消费/能源品种", "必填项未填写", code="required")
                continue
            if not unit:
                self.c.error(loc, "能源消费/单位", f"“{carrier}”未填写单位", code="required")
            amounts = {}
            for k, v in item.items():
                if k in ("能源品种", "单位", "备注"):
                    continue
                try:
                    y = to_year(k)
                    n = to_number(v)
                except ValueError:
                    self.c.error(self.loc(item, k), f"能源消费/{carrier}", f"年份或数量不合法：{k!r}: {v!r}")
                    continue
                if y is not None and n is not None:
                    amounts[y] = n
            app.energy.append(EnergyUse(carrier, unit or "", amounts, loc))

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
                    self.c.error(self.loc(item, k), f"原始数据/{label}", f"年份或数值不合法：{k!r}: {v!r}")
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
                                 clean_text(item.get("单位产品综合能耗单位")), claims, loc)
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
                self.c.error(self.loc(item, "数值"), f"{key}/{aid}/数值", f"应为数字，实际是 {item.get('数值')!r}")
            res = _result(item.get("结论"), self.loc(item, "结论") if "结论" in item else loc, self.c, f"{key}/{aid}/结论")
            a = Answer(aid, res, value, clean_text(item.get("证据")), loc,
                       value_loc=self.loc(item, "数值") if "数值" in item else loc)
            for label, attr, lattr in (("自评得分", "self_points", "points_loc"), ("核定得分", "evaluator_points", "evaluator_loc")):
                if label in item:
                    setattr(a, lattr, self.loc(item, label))
                    try:
                        setattr(a, attr, to_number(item.get(label)))
                    except ValueError:
                        self.c.error(self.loc(item, label), f"{key}/{aid}/{label}", f"应为数字，实际是 {item.get(label)!r}")
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
                self.c.error(loc, f"排除情形/{k}", f"应为 是 或 否，实际是 {v!r}")


# ------------------------------------------------------------------ XLSX
class _Value:
    __slots__ = ("value",)

    def __init__(self, value):
        self.value = value


class _SheetValues:
    """One sheet's cell values, read once in openpyxl's read-only streaming mode; `cell(r, c).value` and
    `max_row` as on a normal worksheet (random access on a read-only sheet would re-read the XML)."""

    def __init__(self, ws):
        self.title = ws.title
        self._cells: dict[tuple[int, int], object] = {}
        self.max_row = 0
        for r, row in enumerate(ws.iter_rows(values_only=True), 1):
            for c, v in enumerate(row, 1):
                if v is not None:
                    self._cells[(r, c)] = v
                    self.max_row = r

    def cell(self, r: int, c: int) -> _Value:
        return _Value(self._cells.get((r, c)))


class _BookValues:
    """The workbook's sheets, each read only when the reader asks for it (the 说明 and 选项 sheets never are):
    about 1.5× faster than loading every sheet with styles and validations."""

    def __init__(self, wb):
        self._wb = wb
        self.sheetnames = wb.sheetnames
        self._sheets: dict[str, _SheetValues] = {}

    def __getitem__(self, name: str) -> _SheetValues:
        if name not in self._sheets:
            self._sheets[name] = _SheetValues(self._wb[name])
        return self._sheets[name]

    def close(self) -> None:
        self._wb.close()


class _XlsxReader:
    def __init__(self, path: Path):
        self.path = path
        self.disp = display_path(path)
        self.c = Collector(self.disp)

    def loc(self, sheet: str, cell: str) -> Loc:
        return Loc(self.disp, f"{sheet}!{cell}", "xlsx")

    def read(self) -> tuple[Application, list[Finding]]:
        from openpyxl import load_workbook
        try:
            wb = _BookValues(load_workbook(self.path, data_only=True, read_only=True))
        except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
            raise GmdocsError(f"无法打开 Excel 文件（不是有效的 .xlsx）：{self.disp}（{exc}）", EXIT_BAD_INPUT) from exc
        try:
            return self._read(wb)
        except (zipfile.BadZipFile, OSError) as exc:      # a sheet's XML broken inside a valid zip
            raise GmdocsError(f"无法读取 Excel 文件：{self.disp}（{exc}）", EXIT_BAD_INPUT) from exc
        finally:
            wb.close()

    def _read(self, wb) -> tuple[Application, list[Finding]]:
        if "基本信息" not in wb.sheetnames:
            raise GmdocsError(f"{self.disp}: 缺少工作表“基本信息”（请用 gmdocs init 生成的模板填写）", EXIT_BAD_INPUT)
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
                              f"{'、'.join(CATEGORY_LABELS.values())}，实际是 {cat_raw!r}", EXIT_BAD_INPUT)
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
            app.info[s.id] = Field(convert(s, raw, loc, c), loc)
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
        return app, c.findings

    def _sheet(self, wb, name):
        if name not in wb.sheetnames:
            return None
        return wb[name]

    def _year_header(self, ws, first_col: int, count: int = 3) -> list[int | None]:
        years = []
        for col in range(first_col, first_col + count):
            raw = ws.cell(1, col).value
            try:
                years.append(to_year(str(raw).split("年")[0]) if raw is not None else None)
            except ValueError:
                years.append(None)
        return years

    def _years(self, wb, app: Application) -> None:
        ws = self._sheet(wb, "经济与能源汇总")
        if ws is None:
            return
        specs = YEAR_FIELDS + (PARK_YEAR_EXTRA if app.category == "park" else ())
        for r in range(2, ws.max_row + 1):
            if all(ws.cell(r, i + 1).value in (None, "") for i in range(len(specs))):
                continue
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

    def _energy(self, wb, app: Application) -> None:
        ws = self._sheet(wb, "能源消费")
        if ws is None:
            return
        years = self._year_header(ws, 3)
        for r in range(2, ws.max_row + 1):
            carrier = clean_text(ws.cell(r, 1).value)
            if not carrier:
                continue
            unit = clean_text(ws.cell(r, 2).value)
            if not unit:
                self.c.error(self.loc(ws.title, f"B{r}"), "能源消费/单位", f"“{carrier}”未填写单位", code="required")
            amounts = {}
            for i, y in enumerate(years):
                col = 3 + i
                raw = ws.cell(r, col).value
                try:
                    n = to_number(raw)
                except ValueError:
                    self.c.error(self.loc(ws.title, f"{chr(64 + col)}{r}"), f"能源消费/{carrier}",
                                 f"应为数字，实际是 {raw!r}")
                    continue
                if y is not None and n is not None:
                    amounts[y] = n
            app.energy.append(EnergyUse(carrier, unit or "", amounts, self.loc(ws.title, f"A{r}")))

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
                    self.c.error(self.loc(ws.title, cell), f"原始数据/{label}", f"应为数字，实际是 {raw!r}")
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
                                 clean_text(ws.cell(r, 9).value), False, self.loc(ws.title, f"A{r}"))
            for years, first, target, label in ((out_years, 3, prod.output, "产量"),
                                                (ue_years, 6, prod.unit_energy, "单位产品综合能耗")):
                for i, y in enumerate(years):
                    col = first + i
                    raw = ws.cell(r, col).value
                    cell = f"{chr(64 + col)}{r}"
                    try:
                        n = to_number(raw)
                    except ValueError:
                        self.c.error(self.loc(ws.title, cell), f"产品/{name}/{label}", f"应为数字，实际是 {raw!r}")
                        continue
                    if y is not None and n is not None:
                        target[y] = n
                        if label == "单位产品综合能耗":
                            prod.year_locs[y] = self.loc(ws.title, cell)
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
                                 f"应为数字，实际是 {raw!r}")
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
                        self.c.error(cell, f"{sheet}/{aid}/{label}", f"应为数字，实际是 {raw!r}")
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
                self.c.error(loc, f"排除情形/{eid}", f"应为 是 或 否，实际是 {ws.cell(r, 3).value!r}")
