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
