"""The province's workbook, written as the results arrive (openpyxl write-only mode: memory stays flat):
推荐汇总表 (columns from the campaign year's data), every finding of every application, the per-evaluator
project counts, the cross-application conflicts, and notes saying where the columns come from."""
from __future__ import annotations

from pathlib import Path
from typing import Callable, Iterable

from ..findings import code_label
from ..fsutil import atomic_write
from .conflicts import listed
from .run import AppResult

SEVERITY = {"error": "错误", "warning": "警告", "info": "提示"}
CAP_STATE = {"ok": "正常", "warn": "接近上限", "over": "超过上限", "unknown": "本年度上限未收录"}
CATEGORY_SHORT = {"factory": "工厂", "park": "园区", "supply-chain": "供应链"}
DEFAULT_COLUMNS = [{"id": "name", "label": "申报单位名称"}, {"id": "uscc", "label": "统一社会信用代码"},
                   {"id": "category", "label": "类别"}, {"id": "total", "label": "评价得分"},
                   {"id": "check", "label": "检查结果"}, {"id": "recommend", "label": "是否推荐"}]
# Column widths (characters) by column id: write-only sheets are sized before the rows arrive.
WIDTHS = {"province": 16, "name": 34, "uscc": 22, "category": 18, "industry": 16, "basis": 40, "total": 10,
          "total_source": 22, "benchmark": 30, "carbon_intensity": 14, "evaluator": 28, "check": 22,
          "recommend": 10, "file": 40}
FINDING_HEADERS = ["申报文件", "申报单位", "级别", "检查项", "位置", "字段", "说明"]
FINDING_WIDTHS = [40, 30, 8, 18, 36, 18, 80]


def write_summary(path: str | Path, results: Iterable[AppResult], campaign, year: int | None,
                  after: Callable[[], tuple[list, list]], force: bool = False) -> dict:
    """Write the workbook. `results` is consumed once, as it comes; `after()` is called when all results are
    in and returns (conflicts, cap statuses) for the last two sheets. Returns counts of what was written."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    columns = list(getattr(campaign, "summary_columns", None) or DEFAULT_COLUMNS)
    ids = [c["id"] for c in columns]
    counts = {"applications": 0, "unreadable": 0, "with_errors": 0, "findings": 0}

    def write(tmp: Path) -> None:
        wb = Workbook(write_only=True)
        bold, fill = Font(bold=True), PatternFill("solid", fgColor="DDEBF7")
        bad = PatternFill("solid", fgColor="FCE4D6")

        def start(name, headers, widths):
            ws = wb.create_sheet(name)
            for i, w in enumerate(widths, 1):
                ws.column_dimensions[get_column_letter(i)].width = w
            ws.freeze_panes = "A2"
            row = []
            for h in headers:
                c = WriteOnlyCell(ws, value=h)
                c.font, c.fill = bold, fill
                c.alignment = Alignment(vertical="center", wrap_text=True)
                row.append(c)
            ws.append(row)
            return ws

        summary = start("推荐汇总表", [c["label"] for c in columns], [WIDTHS.get(i, 16) for i in ids])
        findings = start("检查发现", FINDING_HEADERS, FINDING_WIDTHS)
        caps_ws = start("评价机构项目数", ["评价机构 / 法定代表人", "本批次项目数", "上限", "状态", "计数规则",
                                            "超出上限的项目", "项目"], [30, 12, 8, 16, 40, 40, 80])
        conf_ws = start("跨申报核对", ["级别", "核对项", "说明", "涉及文件"], [8, 20, 80, 60])
        notes = wb.create_sheet("说明")
        notes.column_dimensions["A"].width = 110
        total_col = ids.index("total") if "total" in ids else -1
        carbon_col = ids.index("carbon_intensity") if "carbon_intensity" in ids else -1
        check_col = ids.index("check") if "check" in ids else -1
        n_rows = n_find = 0
        for r in results:
            counts["applications"] += 1
            if r.ok:
                values = [r.values.get(i) if r.values.get(i) is not None else "" for i in ids]
            else:
                counts["unreadable"] += 1
                values = ["" for _ in ids]
                for k, cid in enumerate(ids):
                    values[k] = {"file": r.file, "check": "无法读取：" + r.error,
                                 "name": Path(r.file).stem}.get(cid, "")
            if r.ok and r.errors:
                counts["with_errors"] += 1
            row = []
            for k, v in enumerate(values):
                c = WriteOnlyCell(summary, value=v)
                if k == total_col and isinstance(v, (int, float)):
                    c.number_format = "0.0#"
                elif k == carbon_col and isinstance(v, (int, float)):
                    c.number_format = "0.000#"
                elif k == check_col and (not r.ok or r.errors):
                    c.fill = bad
                row.append(c)
            summary.append(row)
            n_rows += 1
            name = r.values.get("name") if r.ok else Path(r.file).stem
            if not r.ok:
                findings.append([r.file, name, "错误", "无法读取", r.file, "", r.error])
                n_find += 1
            for f in r.findings:
                findings.append([r.file, name, SEVERITY.get(f["severity"], f["severity"]), code_label(f["code"]), f["where"],
                                 f["field"], f["message"]])
                n_find += 1
        counts["findings"] = n_find
        last = get_column_letter(len(ids))
        summary.auto_filter.ref = f"A1:{last}{n_rows + 1}"
        findings.auto_filter.ref = f"A1:G{n_find + 1}"
        if "recommend" in ids:
            col = get_column_letter(ids.index("recommend") + 1)
            dv = DataValidation(type="list", formula1='"是,否"', allow_blank=True, showErrorMessage=True,
                                error="请选择“是”或“否”", errorTitle="是否推荐")
            dv.add(f"{col}2:{col}{max(2, n_rows + 1)}")
            summary.data_validations.append(dv)
        conflicts, caps = after()
        for c in caps:
            names = listed([f"{p.applicant}（{CATEGORY_SHORT.get(p.category, p.category)}）" for p in c.counted])
            caps_ws.append([c.label, len(c.counted), c.limit if c.limit is not None else "",
                            CAP_STATE.get(c.state, c.state), c.rule, listed([p.applicant for p in c.over]), names])
        caps_ws.auto_filter.ref = f"A1:G{len(caps) + 1}"
        for c in conflicts:
            conf_ws.append(c.row())
        conf_ws.auto_filter.ref = f"A1:D{len(conflicts) + 1}"
        src = getattr(campaign, "summary_columns_source", None) or "推荐汇总表的官方列未收录；使用 gmdocs 默认列"
        ok = counts["applications"] - counts["unreadable"]
        for line in (f"{year or '—'}年度推荐汇总：共 {counts['applications']} 份申报文件，{ok} 份已评价，"
                     f"{counts['unreadable']} 份无法读取。",
                     f"汇总表的列：{src}",
                     "评价得分：有收录的评分规则时为计算得分，否则为评价机构核定得分或申报单位自评得分（见“得分来源”列）。",
                     "“是否推荐”一列由省级主管部门填写（下拉选择）。",
                     "“检查发现”为每份申报的全部检查结果；“跨申报核对”为统一社会信用代码重复、同一单位申报多个类别、"
                     "评价机构项目上限、园区绿色工厂数量的核对；“评价机构项目数”按本年度的上限规则计数。"):
            notes.append([line])
        wb.save(tmp)

    atomic_write(path, write, force)
    return counts
