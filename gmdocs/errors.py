"""One error type for everything a user can get wrong, and the problem record.

A `Problem` is one finding (file, line, field, Chinese message); a `GmdocsError`
carries one or more problems and the exit code the CLI should end with.
"""
from __future__ import annotations

from dataclasses import dataclass, field

# Exit codes (documented in README.md, 退出码).
EXIT_OK = 0
EXIT_PROBLEMS = 1      # the data or the query found problems / nothing
EXIT_BAD_INPUT = 2     # a file, argument or supplement the user gave is unusable
EXIT_INTERNAL = 4      # a defect of gmdocs itself: said in Chinese, the details written to a report file


def said(value) -> str:
    """A value a user wrote, as messages quote it: text in “”, a date as YYYY-MM-DD, 是/否, numbers as written
    (never Python's repr such as datetime.datetime(2023, 3, 15, 0, 0))."""
    import datetime as dt
    if value is None:
        return "（空）"
    if isinstance(value, str):
        return f"“{value}”"
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time(0) else value.isoformat(sep=" ")
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, float):
        return f"{value:.15g}"
    return str(value)


def not_a_number(value, kind: str = "数字") -> str:
    """'应为数字，实际是 …', with the likely cause when Excel shows the number as a date."""
    import datetime as dt
    if isinstance(value, (dt.date, dt.time)):
        return (f"应为{kind}，但单元格是日期格式（显示为 {said(value)}）：请把单元格格式改为“常规”或“数值”，"
                "再填写数值")
    return f"应为{kind}，实际是 {said(value)}"


@dataclass(frozen=True)
class Problem:
    file: str
    line: int | None
    field: str
    message: str

    def location(self) -> str:
        loc = self.file
        if self.line:
            loc += f":{self.line}"
        return loc

    def __str__(self) -> str:
        where = self.location()
        fld = f"字段 {self.field}：" if self.field else ""
        return f"{where}: {fld}{self.message}"

    def to_json(self) -> dict:
        return {"file": self.file, "line": self.line, "field": self.field, "message": self.message}


@dataclass
class GmdocsError(Exception):
    message: str
    exit_code: int = EXIT_BAD_INPUT
    problems: list[Problem] = field(default_factory=list)

    def __str__(self) -> str:
        lines = [self.message]
        lines += [f"  - {p}" for p in self.problems]
        return "\n".join(lines)


def write_defect_report(exc: BaseException, what: str) -> "object | None":
    """The traceback of a defect of gmdocs, written to `<cache>/错误报告/` for the user to attach to a report
    (`what`: the command or page). Returns the file's path, or None when it cannot be written."""
    import datetime as dt
    import os
    import platform
    import traceback

    from . import __version__
    from .paths import cache_dir
    try:
        folder = cache_dir() / "错误报告"
        folder.mkdir(parents=True, exist_ok=True)
        where = folder / f"gmdocs-{dt.datetime.now():%Y%m%d-%H%M%S}-{os.getpid()}.txt"
        where.write_text(f"gmdocs {__version__} · Python {platform.python_version()} · {platform.platform()}\n"
                         f"{what}\n\n{''.join(traceback.format_exception(exc))}", encoding="utf-8")
        return where
    except OSError:
        return None
