"""A finding of a check: severity, a stable code, a Chinese message, and where to fix it."""
from __future__ import annotations

from dataclasses import dataclass

ERROR, WARNING, INFO = "error", "warning", "info"
SEVERITY_NAMES = {ERROR: "错误", WARNING: "警告", INFO: "提示"}


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
