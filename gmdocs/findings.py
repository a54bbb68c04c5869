"""A finding of a check: severity, a stable code, a Chinese message, and where to fix it."""
from __future__ import annotations

from dataclasses import dataclass

ERROR, WARNING, INFO = "error", "warning", "info"
SEVERITY_NAMES = {ERROR: "错误", WARNING: "警告", INFO: "提示"}


# What each code checks, in the words of the people who read the findings (XLSX for provincial offices and
# applicants); the codes themselves stay in --json output for scripts.
CODE_LABELS = {
    "input": "填写格式", "required": "必填项", "sheet-missing": "工作表缺失", "merged-cell": "合并单元格",
    "formula": "公式单元格", "date-format": "日期格式", "year-header": "年份表头", "unit-unknown": "单位", "raw-unit": "原始数据单位",
    "raw-item": "原始数据项目", "unknown-item": "未知的项目", "negative": "负数", "code-number": "代码被存成数字",
    "control-char": "不可见字符", "uscc": "统一社会信用代码", "uscc-number": "统一社会信用代码",
    "uscc-normalised": "统一社会信用代码", "campaign": "年度与类别", "rulebook": "评价依据",
    "industry-standard": "行业标准", "data-years": "数据年份", "eligibility": "申报条件", "park-share": "申报条件",
    "exclusion": "不得申报的情形", "exclusion-undeclared": "不得申报的情形", "exclusion-unknown": "不得申报的情形",
    "energy-carrier": "能源品种", "energy-sum": "综合能耗核对", "unit-energy": "单位产品综合能耗核对",
    "benchmark-claim": "能效标杆声明", "gate-failed": "基本要求", "gate-unanswered": "基本要求",
    "indicator-unanswered": "评价指标", "computed-value": "指标计算核对", "points": "得分核对", "carbon": "碳排放核算",
    "attachment": "证明材料", "attachments": "证明材料", "evidence-placeholder": "证明材料",
}


def code_label(code: str) -> str:
    """The Chinese name of a finding's code (其他检查 for a code not in the table)."""
    return CODE_LABELS.get(code, "其他检查")


@dataclass(frozen=True)
class Finding:
    severity: str
    code: str          # stable identifier, e.g. "uscc-check", "energy-sum"
    message: str       # Chinese, says what is wrong and how to fix it
    where: str         # "申报.yaml:12" or "申报.xlsx 基本信息!B3" or the file alone
    field: str = ""    # the field's Chinese label or path

    def __str__(self) -> str:
        fld = f"［{self.field}］" if self.field else ""
        return f"{SEVERITY_NAMES[self.severity]} {self.where}: {fld}{self.message}"

    def to_json(self) -> dict:
        return {"severity": self.severity, "code": self.code, "message": self.message, "where": self.where,
                "field": self.field}
