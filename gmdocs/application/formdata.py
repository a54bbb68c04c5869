"""An application as a flat web form, and back: the fields come from the same table as `gmdocs init`
(spec.py + the campaign's skeleton), so the browser form, the XLSX and the YAML ask for the same things.

    sk = blank.skeleton(cat, "factory", 2026)
    form = form_sections(sk, data)          # what the page shows: sections → fields (label, unit, choices, help, value)
    data = data_from_form(sk, request_form) # the YAML input structure (Chinese keys)
    text, where = yaml_with_lines(data)     # YAML text + {line: form field name}, to put findings next to fields

Form field names: info.<标签>, year.<i>.<标签>, energy.<i>.<列>, product.<i>.<列>, raw.<i>.<列>,
gate.<编号>.<列>, ind.<编号>.<列>, excl.<编号>, narr.<标签>. Row tables (energy, product, raw) keep
every row the browser sends that has something in it.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Mapping

from .blank import all_raw_units
from .spec import (CATEGORY_LABELS, INFO_FIELDS, NARRATIVE, PARK_YEAR_EXTRA, RAW_ITEMS, RESULTS, UNIT_FACTORS,
                   YEAR_FIELDS, YES_NO, FieldSpec)

NUMERIC = ("number", "int", "percent")


@dataclass
class FormField:
    name: str
    label: str
    type: str = "text"               # text / number / choice / textarea
    value: str = ""
    unit: str = ""
    choices: tuple[str, ...] = ()
    help: str = ""
    required: bool = False


@dataclass
class FormTable:
    """Rows of fields; `template` is an empty row the page copies for 添加一行 (names with __i__)."""
    key: str
    columns: list[str]
    rows: list[list[FormField]]
    template: list[FormField] | None = None


@dataclass
class FormSection:
    key: str
    title: str
    help: str = ""
    fields: list[FormField] = field(default_factory=list)
    table: FormTable | None = None


def _s(v) -> str:
    if v is None:
        return ""
    if isinstance(v, bool):
        return "是" if v else "否"
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)


def _spec_field(name: str, s: FieldSpec, value, sk: dict | None = None) -> FormField:
    kind = "choice" if s.choices else ("number" if s.type in NUMERIC else "text")
    extra = (sk or {}).get("conditions", {}).get(s.id)
    return FormField(name, s.label, kind, _s(value), s.unit, tuple(s.choices),
                     "；".join(x for x in (s.help, extra) if x), s.required)


def _rows(data: Mapping, key: str) -> list:
    rows = data.get(key) if isinstance(data, Mapping) else None
    return [r for r in rows if isinstance(r, Mapping)] if isinstance(rows, list) else []


def form_sections(sk: dict, data: Mapping | None = None) -> list[FormSection]:
    """The form for the skeleton's category and year, filled with `data` (the YAML structure) where given."""
    data = data or {}
    cat, years = sk["category"], sk["years"]
    info = data.get("基本信息") if isinstance(data.get("基本信息"), Mapping) else {}
    out = [FormSection("info", "基本信息", "与营业执照和官方表格一致",
                       [_spec_field(f"info.{s.label}", s, info.get(s.label), sk) for s in INFO_FIELDS[cat]])]

    by_year = {r.get("年份"): r for r in _rows(data, "经济与能源汇总")}
    specs = YEAR_FIELDS[1:] + (PARK_YEAR_EXTRA if cat == "park" else ())
    rows = [[FormField(f"year.{i}.年份", "年份", "text", str(y))]
            + [_spec_field(f"year.{i}.{s.label}", s, by_year.get(y, {}).get(s.label), sk) for s in specs]
            for i, y in enumerate(years)]
    out.append(FormSection("years", "经济与能源汇总", "综合能耗为当量值（tce，GB/T 2589-2020）",
                           table=FormTable("year", ["年份"] + [s.label for s in specs], rows)))

    def energy_row(i, r):
        return ([FormField(f"energy.{i}.能源品种", "能源品种", "choice", _s(r.get("能源品种")), choices=tuple(sk["carriers"])),
                 FormField(f"energy.{i}.单位", "单位", "choice", _s(r.get("单位")), choices=tuple(UNIT_FACTORS))]
                + [FormField(f"energy.{i}.{y}", str(y), "number", _s(r.get(y, r.get(str(y))))) for y in years])
    rows = [energy_row(i, r) for i, r in enumerate(_rows(data, "能源消费"))] or [energy_row(0, {})]
    out.append(FormSection("energy", "能源消费", "各能源品种的外购实物量，能源品种用 GB/T 2589-2020 的名称",
                           table=FormTable("energy", ["能源品种", "单位"] + [str(y) for y in years], rows,
                                           energy_row("__i__", {}))))

    if cat == "factory":
        def product_row(i, r):
            out_ = r.get("产量") if isinstance(r.get("产量"), Mapping) else {}
            ue = r.get("单位产品综合能耗") if isinstance(r.get("单位产品综合能耗"), Mapping) else {}
            return ([FormField(f"product.{i}.名称", "名称", "text", _s(r.get("名称"))),
                     FormField(f"product.{i}.单位", "单位", "text", _s(r.get("单位", "t")))]
                    + [FormField(f"product.{i}.产量.{y}", f"{y} 产量", "number", _s(out_.get(y))) for y in years]
                    + [FormField(f"product.{i}.单位产品综合能耗.{y}", f"{y} 单位产品综合能耗", "number", _s(ue.get(y)))
                       for y in years]
                    + [FormField(f"product.{i}.单位产品综合能耗单位", "能耗单位", "text",
                                 _s(r.get("单位产品综合能耗单位", "kgce/t"))),
                       FormField(f"product.{i}.声明达到标杆水平", "声明达到标杆水平", "choice",
                                 _s(r.get("声明达到标杆水平", "否")), choices=YES_NO),
                       FormField(f"product.{i}.中间产品", "中间产品", "choice", _s(r.get("中间产品", "否")), choices=YES_NO)])
        rows = [product_row(i, r) for i, r in enumerate(_rows(data, "产品"))] or [product_row(0, {})]
        cols = ["名称", "单位"] + [f"{y} 产量" for y in years] + [f"{y} 单位产品综合能耗" for y in years] + \
            ["能耗单位", "声明达到标杆水平", "中间产品"]
        out.append(FormSection("product", "产品", "主要产品的产量和单位产品综合能耗，用于能效标杆/基准对标",
                               table=FormTable("product", cols, rows, product_row("__i__", {}))))

    units = tuple(all_raw_units())

    def raw_row(i, r):
        return ([FormField(f"raw.{i}.项目", "项目", "choice", _s(r.get("项目")), choices=tuple(x.label for x in RAW_ITEMS)),
                 FormField(f"raw.{i}.分项", "分项", "text", _s(r.get("分项"))),
                 FormField(f"raw.{i}.单位", "单位", "choice", _s(r.get("单位")), choices=units)]
                + [FormField(f"raw.{i}.{y}", str(y), "number", _s(r.get(y, r.get(str(y))))) for y in years])
    rows = [raw_row(i, r) for i, r in enumerate(_rows(data, "原始数据"))] or [raw_row(0, {})]
    out.append(FormSection("raw", "原始数据", "gmdocs 用它计算取水强度、固废综合利用率、用地指标、可再生能源利用率、碳排放等定量指标",
                           table=FormTable("raw", ["项目", "分项", "单位"] + [str(y) for y in years], rows,
                                           raw_row("__i__", {}))))

    gates = {_s(r.get("编号")): r for r in _rows(data, "基本要求")}
    if sk["gates"]:
        rows = [[FormField(f"gate.{g.id}.编号", "编号", "text", g.id, help=g.text),
                 FormField(f"gate.{g.id}.结论", "结论", "choice", _s(gates.get(g.id, {}).get("结论")), choices=RESULTS),
                 FormField(f"gate.{g.id}.证据", "证据", "text", _s(gates.get(g.id, {}).get("证据")))] for g in sk["gates"]]
        out.append(FormSection("gates", "基本要求", "一票否决：结论填 符合 / 不符合；证据写证明材料名称",
                               table=FormTable("gate", ["编号", "结论", "证据"], rows)))

    answers = {_s(r.get("编号")): r for r in _rows(data, "指标")}
    rows = []
    for grp in sk["groups"]:
        for ind in grp.indicators:
            a = answers.get(ind.id, {})
            unit = ind.unit if ind.unit and ind.unit != "-" else ""
            rows.append([FormField(f"ind.{ind.id}.编号", "指标", "text", ind.id, help=f"{grp.name}：{ind.name}"),
                         FormField(f"ind.{ind.id}.结论", "结论", "choice", _s(a.get("结论")), choices=RESULTS),
                         FormField(f"ind.{ind.id}.数值", "数值", "number", _s(a.get("数值")), unit=unit),
                         FormField(f"ind.{ind.id}.证据", "证据", "text", _s(a.get("证据"))),
                         FormField(f"ind.{ind.id}.自评得分", "自评得分", "number", _s(a.get("自评得分")))])
    if rows:
        out.append(FormSection("indicators", "评价指标自评", "定量指标能由原始数据计算的可不填数值；证据写证明材料名称",
                               table=FormTable("ind", ["指标", "结论", "数值", "证据", "自评得分"], rows)))

    excl = data.get("排除情形") if isinstance(data.get("排除情形"), Mapping) else {}
    if sk["exclusions"]:
        out.append(FormSection("exclusions", "排除情形", "近三年是否存在下列情形；存在任一情形的不得申报",
                               [FormField(f"excl.{e.id}", e.text, "choice", _s(excl.get(e.id)), choices=YES_NO, required=True)
                                for e in sk["exclusions"]]))

    narr = data.get("情况说明") if isinstance(data.get("情况说明"), Mapping) else {}
    out.append(FormSection("narrative", "情况说明", "申报单位自己的话，原样印在报告中",
                           [FormField(f"narr.{label}", label, "textarea", _s(narr.get(label)), help=help_, required=req)
                            for _, label, req, help_ in NARRATIVE]))
    return out


def _num(text: str):
    t = text.strip().replace(",", "").replace("，", "")
    if re.fullmatch(r"[+-]?\d+", t):
        return int(t)
    try:
        return float(t)
    except ValueError:
        return text.strip()       # left as written: the check says it is not a number, at its line


def _value(f: FormField, raw: str | None):
    text = (raw or "").strip()
    if not text:
        return None
    return _num(text) if f.type == "number" else text


def _indexed(form: Mapping[str, str], prefix: str) -> list[str]:
    """The row indices the form sends for a row table, in order (numbers first, as sent)."""
    seen: list[str] = []
    for name in form:
        m = re.match(rf"{prefix}\.([^.]+)\.", name)
        if m and m.group(1) not in seen and m.group(1) != "__i__":
            seen.append(m.group(1))
    return seen


def data_from_form(sk: dict, form: Mapping[str, str], attachments: list[dict] | None = None) -> dict:
    """The YAML input structure from the form's fields (what the browser sent)."""
    cat, years = sk["category"], sk["years"]
    data: dict = {"类别": CATEGORY_LABELS[cat], "年度": sk["year"]}
    empty = {"year": years}

    def get(name):
        v = form.get(name)
        return v if isinstance(v, str) else ("" if v is None else str(v))

    info = {}
    for s in INFO_FIELDS[cat]:
        v = _value(_spec_field("", s, None), get(f"info.{s.label}"))
        if v is not None:
            info[s.label] = v
    data["基本信息"] = info

    specs = YEAR_FIELDS[1:] + (PARK_YEAR_EXTRA if cat == "park" else ())
    rows = []
    for i, y in enumerate(empty["year"]):
        row = {"年份": y}
        for s in specs:
            v = _value(_spec_field("", s, None), get(f"year.{i}.{s.label}"))
            if v is not None:
                row[s.label] = v
        rows.append(row)
    data["经济与能源汇总"] = rows

    def table(prefix, text_cols, year_cols=True):
        out = []
        for i in _indexed(form, prefix):
            row = {}
            for c in text_cols:
                v = get(f"{prefix}.{i}.{c}").strip()
                if v:
                    row[c] = v
            if year_cols:
                for y in years:
                    v = _value(FormField("", "", "number"), get(f"{prefix}.{i}.{y}"))
                    if v is not None:
                        row[y] = v
            if row:
                out.append(row)
        return out

    energy = table("energy", ["能源品种", "单位"])
    if energy:
        data["能源消费"] = energy
    if cat == "factory":
        products = []
        for i in _indexed(form, "product"):
            row: dict = {}
            for c in ("名称", "单位", "单位产品综合能耗单位", "声明达到标杆水平", "中间产品"):
                v = get(f"product.{i}.{c}").strip()
                if v:
                    row[c] = v
            for key in ("产量", "单位产品综合能耗"):
                vals = {y: _value(FormField("", "", "number"), get(f"product.{i}.{key}.{y}")) for y in years}
                vals = {y: v for y, v in vals.items() if v is not None}
                if vals:
                    row[key] = vals
            if row.get("名称") or row.get("产量") or row.get("单位产品综合能耗"):
                products.append(row)
        if products:
            data["产品"] = products
    raw = [r for r in table("raw", ["项目", "分项", "单位"]) if r.get("项目") or any(y in r for y in years)]
    if raw:
        data["原始数据"] = raw
    gates = []
    for g in sk["gates"]:
        row = {"编号": g.id}
        for c in ("结论", "证据"):
            v = get(f"gate.{g.id}.{c}").strip()
            if v:
                row[c] = v
        if len(row) > 1:
            gates.append(row)
    if gates:
        data["基本要求"] = gates
    answers = []
    for grp in sk["groups"]:
        for ind in grp.indicators:
            row = {"编号": ind.id}
            for c in ("结论", "证据"):
                v = get(f"ind.{ind.id}.{c}").strip()
                if v:
                    row[c] = v
            for c in ("数值", "自评得分"):
                v = _value(FormField("", "", "number"), get(f"ind.{ind.id}.{c}"))
                if v is not None:
                    row[c] = v
            if len(row) > 1:
                answers.append(row)
    if answers:
        data["指标"] = answers
    excl = {}
    for e in sk["exclusions"]:
        v = get(f"excl.{e.id}").strip()
        if v:
            excl[e.id] = v
    if excl:
        data["排除情形"] = excl
    narr = {}
    for _, label, _, _ in NARRATIVE:
        v = get(f"narr.{label}").strip()
        if v:
            narr[label] = v
    if narr:
        data["情况说明"] = narr
    if attachments:
        data["附件"] = [{"名称": a["名称"], "文件": a["文件"]} for a in attachments]
    return data


def _scalar(v) -> str:
    if v is None:
        return ""
    if isinstance(v, bool):
        return "是" if v else "否"
    if isinstance(v, (int, float)):
        return repr(v)
    return json.dumps(str(v), ensure_ascii=False)        # a JSON string is a YAML double-quoted scalar


_ROW_PREFIX = {"经济与能源汇总": "year", "能源消费": "energy", "产品": "product", "原始数据": "raw"}
_KEYED = {"基本要求": "gate", "指标": "ind"}
_MAP_PREFIX = {"基本信息": "info", "排除情形": "excl", "情况说明": "narr"}


def yaml_with_lines(data: Mapping) -> tuple[str, dict[int, str]]:
    """Block-style YAML of `data` (one value per line) and the form field name on each line."""
    lines: list[str] = []
    where: dict[int, str] = {}

    def put(text: str, name: str = "") -> None:
        lines.append(text)
        if name:
            where[len(lines)] = name

    for key, value in data.items():
        if isinstance(value, Mapping):
            put(f"{key}:", "")
            prefix = _MAP_PREFIX.get(key, key)
            for k, v in value.items():
                put(f"  {k}: {_scalar(v)}", f"{prefix}.{k}")
        elif isinstance(value, list):
            put(f"{key}:")
            for i, row in enumerate(value):
                ident = row.get("编号") if key in _KEYED else i
                prefix = f"{_KEYED.get(key) or _ROW_PREFIX.get(key, key)}.{ident}"
                first = True
                for k, v in row.items():
                    lead = "  - " if first else "    "
                    if isinstance(v, Mapping):
                        put(f"{lead}{k}:", f"{prefix}.{k}")
                        for yk, yv in v.items():
                            put(f"      {yk}: {_scalar(yv)}", f"{prefix}.{k}.{yk}")
                    else:
                        put(f"{lead}{k}: {_scalar(v)}", f"{prefix}.{k}")
                    first = False
        else:
            put(f"{key}: {_scalar(value)}", "")
    return "\n".join(lines) + "\n", where


def field_of(finding_where: str, file_name: str, where: dict[int, str]) -> str:
    """The form field a finding located at 'file:line' concerns ('' when it is not on a field's line)."""
    m = re.fullmatch(rf"{re.escape(file_name)}:(\d+)", finding_where or "")
    return where.get(int(m.group(1)), "") if m else ""
