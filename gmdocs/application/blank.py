"""`gmdocs init`: a blank (or prefilled) input file, YAML or XLSX, from the same field table.

The blank lists the campaign's exclusions, the rulebook's basic requirements and indicators,
and the three data years, so the applicant fills in values rather than structure.
"""
from __future__ import annotations

import os
from pathlib import Path

from ..catalogue.load import Catalogue
from ..catalogue.model import CATEGORY_NAMES
from ..errors import EXIT_BAD_INPUT, GmdocsError
from ..fsutil import atomic_write
from .spec import (NARRATIVE, CATEGORY_LABELS, INFO_FIELDS, PARK_YEAR_EXTRA, RAW_ITEMS, RAW_UNITS, RESULTS, UNIT_FACTORS,
                   YEAR_FIELDS, YES_NO, FieldSpec, RawItem)

RAW_HEADER = ("项目", "分项", "单位")      # then the three year columns, then 备注


def raw_units(item: RawItem) -> list[str]:
    """The units an applicant may write for a raw item, canonical first."""
    canonical, units = RAW_UNITS[item.kind]
    return [canonical] + [u for u in units if u != canonical]


def all_raw_units() -> list[str]:
    """Every unit of every raw quantity kind, once each, in table order (for the XLSX drop-down)."""
    out: list[str] = []
    for kind in RAW_UNITS:
        for u in raw_units(RawItem("", "", kind)):
            if u not in out:
                out.append(u)
    return out


def raw_note(item: RawItem) -> str:
    """One line of help for a raw item: unit choices, what 分项 means, what to write."""
    parts = ["单位：" + "/".join(raw_units(item))]
    parts.append(f"分项：{item.part}" if item.part else "不分项")
    if item.help:
        parts.append(item.help)
    return "；".join(parts)


def skeleton(cat: Catalogue, category: str, year: int) -> dict:
    """Everything the blank needs: fields, years, gates, indicators, exclusions, carriers."""
    from ..evaluate.select import select
    from .model import Application
    camp = cat.campaigns.get(year)
    if camp is None:
        known = "、".join(str(y) for y in sorted(cat.campaigns))
        raise GmdocsError(f"年度 {year} 未收录（已收录年度：{known}）", EXIT_BAD_INPUT)
    if category not in camp.categories:
        offered = "、".join(CATEGORY_NAMES[c] for c in camp.categories)
        raise GmdocsError(f"{year} 年度推荐工作没有“{CATEGORY_NAMES[category]}”类别（本年度：{offered}）", EXIT_BAD_INPUT)
    sel = select(cat, Application(category, year, "", {}), year)
    rb = sel.rulebook
    table = cat.conversions.get("gbt2589-2020")
    carriers = sorted({c.carrier for c in table.coefficients}) if table else []
    return {
        "category": category, "year": year, "years": [year - 3, year - 2, year - 1],
        "rulebook": rb, "exclusions": camp.exclusions, "carriers": carriers,
        "gates": rb.gates if rb else [], "groups": rb.groups if rb else [],
        "conditions": year_conditions(camp, category),
    }


def year_conditions(camp, category: str) -> dict[str, str]:
    """The year's 申报条件 that concern a field, by field id, as the form and the template show them next to it
    (from the campaign data: eligibility, and a park's 工业增加值占比 threshold)."""
    out: dict[str, list[str]] = {}
    cc = camp.categories.get(category)
    el = cc.eligibility if cc is not None else None
    if el is not None and el.known:
        for r in el.value:
            out.setdefault(r.field, []).append(f"{camp.year}年度申报条件：{r.text}{el.mark}"
                                               + ("（国家层面申报）" if r.level == "国家级" else ""))
    share = cc.value_added_share_over if cc is not None else None
    if share is not None and share.known:
        out.setdefault("value_added_share", []).append(f"{camp.year}年度须超过 {share.value:g}%{share.mark}")
    elif share is not None:
        out.setdefault("value_added_share", []).append(f"{camp.year}年度的门槛未收录，不核对")
    return {k: "；".join(v) for k, v in out.items()}


# 基本信息 cells written as text (number format @) with a comment saying why.
_KEEP_ZERO = "本单元格已设为“文本”格式，请照原样填写：按数字输入时 Excel 会去掉开头的 0（如邮编 010010、区号 0551）。"
TEXT_CODES = {
    "uscc": "本单元格已设为“文本”格式：请按营业执照填写 18 位统一社会信用代码。按数字输入时 Excel 只保留 15 位有效数字，"
            "后几位会丢失（显示成 9.11503E+17）。",
    "industry_code": _KEEP_ZERO, "postcode": _KEEP_ZERO, "phone": _KEEP_ZERO, "mobile": _KEEP_ZERO, "fax": _KEEP_ZERO,
}


def _field_note(s: FieldSpec, sk: dict | None = None) -> str:
    parts = []
    if s.required:
        parts.append("必填")
    if s.unit:
        parts.append(f"单位：{s.unit}")
    if s.choices:
        parts.append("可选：" + "/".join(s.choices))
    if s.help:
        parts.append(s.help)
    if sk is not None and sk.get("conditions", {}).get(s.id):
        parts.append(sk["conditions"][s.id])
    return "；".join(parts)


def _q(v) -> str:
    if v is None:
        return ""
    s = str(v)
    if s == "" or any(ch in s for ch in ":#{}[],&*?|<>=!%@`\"'") or s.strip() != s:
        return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return s


def yaml_text(sk: dict) -> str:
    cat, years = sk["category"], sk["years"]
    L = [f"# gmdocs 申报数据（{CATEGORY_LABELS[cat]}，{sk['year']}年度）",
         "# 用 gmdocs check 本文件 检查，用 gmdocs score 本文件 评分。空着的项请按注释填写。",
         f"类别: {CATEGORY_LABELS[cat]}", f"年度: {sk['year']}", "", "基本信息:"]
    for s in INFO_FIELDS[cat]:
        L.append(f"  {s.label}:    # {_field_note(s, sk)}")
    L += ["", f"# 近三年（{years[0]}—{years[-1]}）经济与能源数据；综合能耗为当量值（tce，GB/T 2589-2020）", "经济与能源汇总:"]
    for y in years:
        L.append(f"  - 年份: {y}")
        for s in YEAR_FIELDS[1:] + (PARK_YEAR_EXTRA if cat == "park" else ()):
            L.append(f"    {s.label}:    # {_field_note(s, sk)}")
    L += ["", "# 各能源品种的实物消费量；能源品种用 GB/T 2589-2020 的名称："
          + "、".join(sk["carriers"]), "# 单位可用：" + "、".join(UNIT_FACTORS), "能源消费:"]
    L += ["  - 能源品种:", "    单位:"] + [f"    {y}:" for y in years]
    if cat == "factory":
        L += ["", "# 主要产品：产量和单位产品综合能耗（kgce/产品单位），用于能效标杆/基准对标", "产品:",
              "  - 名称:", "    单位: t", "    产量: {" + ", ".join(f"{y}: " for y in years) + "}",
              "    单位产品综合能耗: {" + ", ".join(f"{y}: " for y in years) + "}",
              "    单位产品综合能耗单位: kgce/t", "    声明达到标杆水平: 否",
              "    中间产品: 否    # 是：本厂自产自用的中间产品（如水泥熟料之于水泥），其能耗已含在最终产品中，不重复计入"]
    L += ["", "# 原始数据：计算定量指标（取水强度、固废综合利用率、容积率、可再生能源利用率、碳排放等）的基础数据。",
          "# 每行一个项目，删去行首的“# ”启用；有“分项”的项目按分项分行填写（如取水量按水源：自来水、地下水各一行），",
          f"# 数值按“单位”填写（{years[0]}—{years[-1]} 三年）；用不到的项目保持注释即可。", "原始数据:"]
    for item in RAW_ITEMS:
        part = " 分项: ," if item.part else ""
        cells = ", ".join(f"{y}: " for y in years)
        L += [f"  # {item.label}：{raw_note(item)}",
              f"  # - {{项目: {item.label},{part} 单位: {raw_units(item)[0]}, {cells}, 备注: }}"]
    L += ["", "# 基本要求（一票否决）：结论填 符合 / 不符合；证据写证明材料名称", "基本要求:"]
    for g in sk["gates"]:
        L += [f"  - 编号: {g.id}    # {g.text[:60]}", "    结论:", "    证据:"]
    L += ["", "# 指标自评：结论填 符合 / 不符合 / 不适用；定量指标填数值（能由原始数据计算的可不填）；",
          "# 自评得分填申报单位自评的分数；核定得分、评价说明由第三方评价机构填写", "指标:"]
    for grp in sk["groups"]:
        for ind in grp.indicators:
            unit = f"，单位 {ind.unit}" if ind.unit and ind.unit != "-" else ""
            L += [f"  - 编号: {_q(ind.id)}    # {grp.name}：{ind.name}{unit}", "    结论:", "    数值:", "    证据:",
                  "    自评得分:", "    核定得分:", "    评价说明:"]
    L += ["", "# 近三年是否存在下列情形（是 / 否）；存在任一情形的不得申报", "排除情形:"]
    for e in sk["exclusions"]:
        L.append(f"  {e.id}:    # {e.text}")
    L += ["", "# 情况说明：申报单位自己的话，原样印在报告中（创建情况、主要做法、下一步工作为正式报告必填）", "情况说明:"]
    for _, label, required, help_ in NARRATIVE:
        L.append(f"  {label}:    # {'必填；' if required else ''}{help_}")
    L += ["", "# 证明材料（PDF），gmdocs build 会把它们合并进申报材料汇编；文件路径相对于本文件所在目录",
          "附件:", "#  - 名称: 营业执照", "#    文件: 证明材料/营业执照.pdf"]
    return "\n".join(L) + "\n"


def write_yaml(sk: dict, path: Path, force: bool) -> Path:
    text = yaml_text(sk)
    return atomic_write(path, lambda tmp: tmp.write_text(text, encoding="utf-8"), force)


def _yes_no(v):
    return None if v is None else ("是" if v else "否")


def _prefill(wb, app, app_dir: str | None = None) -> None:
    """Write an application's values into a freshly made blank workbook."""
    from .spec import INFO_FIELDS
    info = wb["基本信息"]
    rows = {str(info.cell(r, 1).value).rstrip("*").strip(): r for r in range(1, info.max_row + 1)}
    if app.year is None and "年度" in rows:
        # the file left 年度 out: so does the workbook (the latest round having the category applies)
        info.cell(rows["年度"], 2).value = None
    for s in INFO_FIELDS[app.category]:
        f = app.info.get(s.id)
        if f is not None and f.value is not None and s.label in rows:
            info.cell(rows[s.label], 2, _yes_no(f.value) if s.type == "bool" else f.value)
    yrs = wb["经济与能源汇总"]
    by_year = {yf.year: yf for yf in app.years}
    for r in range(2, yrs.max_row + 1):
        yf = by_year.get(yrs.cell(r, 1).value)
        if yf:
            yrs.cell(r, 2, yf.output_value)
            yrs.cell(r, 3, yf.value_added)
            yrs.cell(r, 4, yf.energy_total)
            if app.category == "park":
                yrs.cell(r, 5, yf.value_added_share)
    years = [yrs.cell(r, 1).value for r in range(2, yrs.max_row + 1)]
    en = wb["能源消费"]
    for use in app.energy:
        en.append([use.carrier, use.unit] + [use.amounts.get(y) for y in years])
    if "产品" in wb.sheetnames:
        pr = wb["产品"]
        for p in app.products:
            pr.append([p.name, p.unit] + [p.output.get(y) for y in years] + [p.unit_energy.get(y) for y in years]
                      + [p.unit_energy_unit, _yes_no(p.claims_benchmark), _yes_no(p.intermediate)])
    if "原始数据" in wb.sheetnames:
        from .spec import RAW_BY_ID
        raw = wb["原始数据"]
        for e in app.raw:
            # amounts are held in the item's canonical unit: write that unit, so reading back gives the same numbers
            item = RAW_BY_ID[e.item]
            raw.append([item.label, e.part, RAW_UNITS[item.kind][0]] + [e.amounts.get(y) for y in years] + [None])
    for sheet, answers, res_col, val_col, ev_col in (("基本要求", app.gates, 3, None, 4), ("指标", app.answers, 5, 6, 7)):
        ws = wb[sheet]
        rows = {str(ws.cell(r, 1).value): r for r in range(2, ws.max_row + 1)}
        for a in answers:
            r = rows.get(a.id)
            if r is None:
                ws.append([a.id])
                r = ws.max_row
            ws.cell(r, res_col, a.result)
            if val_col:
                ws.cell(r, val_col, a.value)
            ws.cell(r, ev_col, a.evidence)
            if sheet == "指标":
                ws.cell(r, 8, a.self_points)
                ws.cell(r, 9, a.evaluator_points)
                ws.cell(r, 10, a.evaluator_note)
    at = wb["附件"]
    for a in app.attachments:
        at.append([a.name, os.path.relpath(a.path, app_dir) if app_dir else a.path])
    ex = wb["排除情形"]
    rows = {str(ex.cell(r, 1).value): r for r in range(2, ex.max_row + 1)}
    for eid, f in app.exclusions.items():
        if eid in rows:
            ex.cell(rows[eid], 3, _yes_no(f.value))
    nv = wb["情况说明"]
    rows = {str(nv.cell(r, 1).value): r for r in range(2, nv.max_row + 1)}
    for nid, label, _, _ in NARRATIVE:
        f = app.narrative.get(nid)
        if f is not None and f.value and label in rows:
            nv.cell(rows[label], 2, f.value)


def write_xlsx(sk: dict, path: Path, force: bool, app=None) -> Path:
    from openpyxl import Workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.worksheet.datavalidation import DataValidation

    cat, years = sk["category"], sk["years"]
    bold, fill = Font(bold=True), PatternFill("solid", fgColor="DDEBF7")
    req_fill = PatternFill("solid", fgColor="FFF2CC")

    def header(ws, names, widths):
        ws.append(names)
        for i, cell in enumerate(ws[1]):
            cell.font, cell.fill = bold, fill
            ws.column_dimensions[cell.column_letter].width = widths[i] if i < len(widths) else 14
        ws.freeze_panes = "A2"

    def decimal(ws, ref, prompt):
        dv = DataValidation(type="decimal", operator="greaterThanOrEqual", formula1="0", allow_blank=True,
                            showErrorMessage=True, errorTitle="应为 ≥0 的数字", error=prompt, promptTitle="请填写数字",
                            prompt=prompt)
        dv.showInputMessage = True
        ws.add_data_validation(dv)
        dv.add(ref)

    def dropdown(ws, formula, ref, prompt):
        dv = DataValidation(type="list", formula1=formula, allow_blank=True, showErrorMessage=True,
                            errorTitle="取值不在可选范围内", error=prompt, promptTitle="请选择", prompt=prompt)
        dv.showInputMessage = True
        ws.add_data_validation(dv)
        dv.add(ref)

    def write(tmp: Path):
        wb = Workbook()
        ws = wb.active
        ws.title = "说明"
        notes = [f"gmdocs 申报数据（{CATEGORY_LABELS[cat]}，{sk['year']}年度）", "",
                 "1. 按各工作表填写；黄色底色的是必填项。带下拉箭头的单元格请从列表中选择。",
                 f"2. 经济与能源数据填近三年（{years[0]}—{years[-1]}），综合能耗为当量值，单位 tce（GB/T 2589-2020）。",
                 "3. 能源消费：每行一个能源品种，填实物消费量，单位从下拉列表选（如 万kWh、t、万m³）。",
                 "4. 基本要求和指标：结论选 符合 / 不符合 / 不适用；定量指标填数值；证据写证明材料名称。",
                 "5. 排除情形：近三年存在任一情形的不得申报，请如实选择 是 / 否。",
                 "6. 填好后运行：gmdocs check 本文件.xlsx（检查），gmdocs score 本文件.xlsx（评分）。",
                 "7. 数字可以带千分位逗号；请勿修改工作表名称和表头。",
                 "8. 原始数据：计算定量指标的基础数据，每行一个项目，项目和单位从下拉列表选；有“分项”的项目按分项分行填写"
                 "（如取水量按水源：自来水、地下水各一行）。产品的“中间产品”选 是 表示本厂自产自用的中间产品（如水泥熟料之于水泥）。",
                 "9. 指标的“自评得分”由申报单位填写，“核定得分”“评价说明”由第三方评价机构填写；得分为 ≥0 的数字。",
                 "", "原始数据的项目、可用单位和分项："]
        for n in notes:
            ws.append([n])
        for item in RAW_ITEMS:
            ws.append([f"  {item.label}：{raw_note(item)}"])
        ws.column_dimensions["A"].width = 110
        ws["A1"].font = Font(bold=True, size=14)
        opts = wb.create_sheet("选项")
        for i, c in enumerate(sk["carriers"], 1):
            opts.cell(i, 1, c)
        for i, u in enumerate(UNIT_FACTORS, 1):
            opts.cell(i, 2, u)
        for i, item in enumerate(RAW_ITEMS, 1):
            opts.cell(i, 3, item.label)
        units = all_raw_units()
        for i, u in enumerate(units, 1):
            opts.cell(i, 4, u)
        opts.sheet_state = "hidden"

        info = wb.create_sheet("基本信息")
        header(info, ["字段", "值", "单位/说明"], [30, 44, 60])
        info.append(["类别", CATEGORY_LABELS[cat], "不要修改"])
        info.append(["年度", sk["year"], "推荐工作年度"])
        for s in INFO_FIELDS[cat]:
            info.append([s.label + (" *" if s.required else ""), None, _field_note(s, sk)])
            r = info.max_row
            if s.required:
                info.cell(r, 2).fill = req_fill
            if s.id in TEXT_CODES:      # codes, not numbers: Excel would drop digits or leading zeros
                info.cell(r, 2).number_format = "@"
                info.cell(r, 2).comment = Comment(TEXT_CODES[s.id], "gmdocs", width=260, height=110)
            if s.choices:
                dropdown(info, '"' + ",".join(s.choices) + '"', f"B{r}", "可选：" + "/".join(s.choices))

        yrs = wb.create_sheet("经济与能源汇总")
        specs = YEAR_FIELDS + (PARK_YEAR_EXTRA if cat == "park" else ())
        header(yrs, [s.label + (f"（{s.unit}）" if s.unit else "") for s in specs], [10, 18, 18, 18, 20])
        for col, s in enumerate(specs, 1):
            if sk["conditions"].get(s.id):       # the year's threshold, where the column is filled in
                yrs.cell(1, col).comment = Comment(sk["conditions"][s.id], "gmdocs", width=260, height=80)
        for y in years:
            yrs.append([y] + [None] * (len(specs) - 1))

        en = wb.create_sheet("能源消费")
        header(en, ["能源品种", "单位"] + [f"{y}年" for y in years], [18, 12, 16, 16, 16])
        dropdown(en, f"选项!$A$1:$A${max(1, len(sk['carriers']))}", "A2:A60", "从 GB/T 2589-2020 收录的能源品种中选择")
        dropdown(en, f"选项!$B$1:$B${len(UNIT_FACTORS)}", "B2:B60", "实物量单位")

        if cat == "factory":
            pr = wb.create_sheet("产品")
            header(pr, ["名称", "单位"] + [f"{y}年产量" for y in years] + [f"{y}年单位产品综合能耗" for y in years]
                   + ["单位产品综合能耗单位", "声明达到标杆水平", "中间产品"], [14, 8, 14, 14, 14, 22, 22, 22, 20, 18, 10])
            dropdown(pr, '"是,否"', "J2:J30", "是否声明该产品能效达到标杆水平")
            dropdown(pr, '"是,否"', "K2:K30", "是：本厂自产自用的中间产品（如水泥熟料之于水泥），能耗不与最终产品重复计入")

        raw = wb.create_sheet("原始数据")
        header(raw, list(RAW_HEADER) + [f"{y}年" for y in years] + ["备注"], [28, 14, 10, 16, 16, 16, 30])
        dropdown(raw, f"选项!$C$1:$C${len(RAW_ITEMS)}", "A2:A200", "从列表中选择项目（各项目的单位和分项见“说明”工作表）")
        dropdown(raw, f"选项!$D$1:$D${len(units)}", "C2:C200", "所填项目对应的单位（见“说明”工作表）")
        decimal(raw, "D2:F200", "≥0 的数字，按所选单位填写")

        gs = wb.create_sheet("基本要求")
        header(gs, ["编号", "要求", "结论", "证据"], [8, 80, 10, 40])
        for g in sk["gates"]:
            gs.append([g.id, g.text, None, None])
            gs.cell(gs.max_row, 2).alignment = Alignment(wrap_text=True, vertical="top")
        dropdown(gs, '"' + ",".join(RESULTS) + '"', f"C2:C{max(2, gs.max_row)}", "符合 / 不符合 / 不适用")

        ind = wb.create_sheet("指标")
        header(ind, ["编号", "一级指标", "指标", "单位", "结论", "数值", "证据", "自评得分", "核定得分", "评价说明"],
               [12, 18, 44, 10, 10, 12, 40, 10, 10, 40])
        for grp in sk["groups"]:
            for i in grp.indicators:
                ind.append([i.id, grp.name, i.name, i.unit if i.unit and i.unit != "-" else None, None, None, None])
        last = max(2, ind.max_row)
        dropdown(ind, '"' + ",".join(RESULTS) + '"', f"E2:E{last}", "符合 / 不符合 / 不适用")
        decimal(ind, f"H2:I{last}", "得分：≥0 的数字（自评得分由申报单位填写，核定得分由评价机构填写）")

        ex = wb.create_sheet("排除情形")
        header(ex, ["编号", "情形（近三年）", "是否存在"], [8, 90, 12])
        for e in sk["exclusions"]:
            ex.append([e.id, e.text, None])
            ex.cell(ex.max_row, 2).alignment = Alignment(wrap_text=True, vertical="top")
        dropdown(ex, '"' + ",".join(YES_NO) + '"', f"C2:C{max(2, ex.max_row)}", "是 / 否")
        nv = wb.create_sheet("情况说明")
        header(nv, ["项目", "内容（申报单位自己的话，原样印在报告中）", "说明"], [14, 90, 40])
        for _, label, required, help_ in NARRATIVE:
            nv.append([label, None, ("必填；" if required else "") + help_])
            nv.cell(nv.max_row, 2).alignment = Alignment(wrap_text=True, vertical="top")
            if required:
                nv.cell(nv.max_row, 2).fill = req_fill
        at = wb.create_sheet("附件")
        header(at, ["名称", "文件（PDF，相对于本文件所在目录）"], [30, 60])
        if app is not None:
            _prefill(wb, app, str(Path(app.source).resolve().parent) if app.source else None)
        wb.save(tmp)

    return atomic_write(path, write, force)


def init_file(cat: Catalogue, category: str, year: int | None, out: str | Path, force: bool = False,
              source=None) -> Path:
    """Write a blank input; with `source` (a loaded YAML application) write it as a filled XLSX."""
    p = Path(out)
    ext = p.suffix.lower()
    if ext not in (".yaml", ".yml", ".xlsx"):
        raise GmdocsError(f"输出文件应以 .yaml 或 .xlsx 结尾：{p}", EXIT_BAD_INPUT)
    if source is not None:
        if ext != ".xlsx":
            raise GmdocsError("--from 只用于把 YAML 申报数据转成 XLSX：输出文件应以 .xlsx 结尾", EXIT_BAD_INPUT)
        if source.category != category:
            raise GmdocsError(f"--from 文件的类别是 {CATEGORY_LABELS[source.category]}，与命令中的 "
                              f"{CATEGORY_LABELS[category]} 不一致", EXIT_BAD_INPUT)
        if source.year is not None:
            year = source.year
        else:   # 年度 left out: the latest round having the category applies when the file is read, so use it here
            year = None
    if year is None:    # no --year: the latest round in the catalogue that has the category
        from ..evaluate.select import latest_year
        year = latest_year(cat, category)
        if year is None:
            raise GmdocsError(f"目录中没有“{CATEGORY_LABELS[category]}”类别的推荐年度，请用 --year 指定", EXIT_BAD_INPUT)
    sk = skeleton(cat, category, year)
    return write_xlsx(sk, p, force, source) if ext == ".xlsx" else write_yaml(sk, p, force)
