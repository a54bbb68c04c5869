"""Reading one YAML mapping into typed values, recording every problem found.

`Fields` wraps a mapping from a file; each accessor returns a typed value (or
None) and appends a Chinese `Problem` naming file, line and field when the value
is absent, ill-typed or unknown. Nothing raises: a whole run collects all
problems.
"""
from __future__ import annotations

import datetime as dt
import re
from typing import Any, Callable

from ..errors import Problem
from .model import BASE_CONFIDENCES, Source, Value
from .tagrule import confirmed_problem, not_a_source
from .yamlsrc import LDict, LList

_DATE_RE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")

VALUE_KEYS = {"value", "sources", "missing", "note"}
SOURCE_KEYS_ORDER = ("ref", "url", "confidence", "note", "derivation", "official")
SOURCE_KEYS = set(SOURCE_KEYS_ORDER)


def _type_name(v: Any) -> str:
    if isinstance(v, dict):
        return "映射"
    if isinstance(v, list):
        return "列表"
    if isinstance(v, bool):
        return "布尔值"
    if isinstance(v, (int, float)):
        return "数字"
    if v is None:
        return "空值"
    return "文本"


def parse_date(v: Any) -> tuple[Any, str | None]:
    """Accept YYYY-MM-DD (YAML date), YYYY-MM or YYYY. Returns (value, error)."""
    if isinstance(v, dt.datetime):
        return v.date(), None
    if isinstance(v, dt.date):
        return v, None
    if isinstance(v, int) and 1900 <= v <= 2100:
        return str(v), None
    if isinstance(v, str) and _DATE_RE.match(v):
        parts = v.split("-")
        try:
            if len(parts) == 3:
                return dt.date(int(parts[0]), int(parts[1]), int(parts[2])), None
            if len(parts) == 2:
                dt.date(int(parts[0]), int(parts[1]), 1)
            return v, None
        except ValueError:
            pass
    return None, f"日期不合法：{v!r}（应为 YYYY-MM-DD、YYYY-MM 或 YYYY）"


class Fields:
    """Accessor over one mapping with problem collection and unknown-key check."""

    def __init__(self, data: LDict, file: str, path: str, problems: list[Problem],
                 allowed: set[str], inherited: tuple[Source, ...] = (), supplement_ok: bool = False):
        self.data = data
        self.file = getattr(data, "origin", None) or file
        self.base_file = file
        self.path = path
        self.problems = problems
        self.allowed = allowed | {"sources"}
        self.inherited = inherited
        self.supplement_ok = supplement_ok
        self.line = getattr(data, "line", 0)
        for key in data:
            if key not in self.allowed:
                self.problem(key, f"未知的键 {key!r}（可用的键：{'、'.join(sorted(self.allowed))}）")

    # -- problems -------------------------------------------------------
    def line_of(self, key: str) -> int:
        return self.data.line_of(key) if isinstance(self.data, LDict) else self.line

    def problem(self, key: str, message: str, line: int | None = None, file: str | None = None) -> None:
        fld = f"{self.path}/{key}" if key else self.path
        self.problems.append(Problem(file or self.file, line or self.line_of(key), fld, message))

    # -- scalars --------------------------------------------------------
    def text(self, key: str, required: bool = False, choices: tuple[str, ...] | None = None) -> str | None:
        v = self.data.get(key)
        if v is None:
            if required:
                self.problem(key, "缺少必填字段", line=self.line)
            return None
        if isinstance(v, (int, float)) and not isinstance(v, bool):
            v = str(v)
        if not isinstance(v, str):
            self.problem(key, f"应为文本，实际是{_type_name(v)}")
            return None
        v = v.strip()
        if required and not v:
            self.problem(key, "不能为空")
            return None
        if choices and v not in choices:
            self.problem(key, f"取值 {v!r} 不在允许范围内：{'、'.join(choices)}")
            return None
        return v

    def boolean(self, key: str, default: bool = False) -> bool:
        v = self.data.get(key)
        if v is None:
            return default
        if not isinstance(v, bool):
            self.problem(key, f"应为 true 或 false，实际是 {v!r}")
            return default
        return v

    def integer(self, key: str, required: bool = False) -> int | None:
        v = self.data.get(key)
        if v is None:
            if required:
                self.problem(key, "缺少必填字段", line=self.line)
            return None
        if isinstance(v, bool) or not isinstance(v, int):
            self.problem(key, f"应为整数，实际是 {v!r}")
            return None
        return v

    def text_list(self, key: str, required: bool = False) -> list[str]:
        v = self.data.get(key)
        if v is None:
            if required:
                self.problem(key, "缺少必填字段", line=self.line)
            return []
        if isinstance(v, str):
            v = [v]
        if not isinstance(v, list):
            self.problem(key, f"应为文本列表，实际是{_type_name(v)}")
            return []
        out = []
        for i, item in enumerate(v):
            if isinstance(item, (int, float)) and not isinstance(item, bool):
                item = str(item)
            if not isinstance(item, str) or not item.strip():
                lines = getattr(v, "item_lines", None)
                self.problem(f"{key}[{i + 1}]", f"应为非空文本，实际是 {item!r}",
                             line=lines[i] if lines else None)
                continue
            out.append(item.strip())
        return out

    # -- nested ---------------------------------------------------------
    def mapping(self, key: str, required: bool = False) -> LDict | None:
        v = self.data.get(key)
        if v is None:
            if required:
                self.problem(key, "缺少必填字段", line=self.line)
            return None
        if not isinstance(v, dict):
            self.problem(key, f"应为映射（键: 值），实际是{_type_name(v)}")
            return None
        return v

    def items(self, key: str, required: bool = False) -> list[LDict]:
        """A list of mappings; each item gets a line (from its own mapping)."""
        v = self.data.get(key)
        if v is None:
            if required:
                self.problem(key, "缺少必填字段", line=self.line)
            return []
        if not isinstance(v, list):
            self.problem(key, f"应为列表，实际是{_type_name(v)}")
            return []
        out = []
        for i, item in enumerate(v):
            if not isinstance(item, dict):
                lines = getattr(v, "item_lines", None)
                self.problem(f"{key}[{i + 1}]", f"列表项应为映射，实际是{_type_name(item)}",
                             line=lines[i] if lines else None)
                continue
            out.append(item)
        return out

    def sub(self, data: LDict, path_part: str, allowed: set[str], inherited: tuple[Source, ...] | None = None) -> "Fields":
        return Fields(data, self.base_file, f"{self.path}/{path_part}", self.problems, allowed,
                      self.inherited if inherited is None else inherited, self.supplement_ok)

    # -- sources --------------------------------------------------------
    def sources(self, key: str = "sources", required: bool = True, data: Any = None,
                line: int | None = None, file: str | None = None) -> tuple[Source, ...]:
        raw = self.data.get(key) if data is None else data
        file = file or self.file
        if raw is None:
            if required:
                self.problem(key, "缺少出处 sources（每个值都要写明出处和可信度）", line=line or self.line, file=file)
            return ()
        if not isinstance(raw, list) or not raw:
            self.problem(key, "sources 应为非空列表", line=line, file=file)
            return ()
        out: list[Source] = []
        lines_of: dict[Source, int | None] = {}
        unverifiable = False            # a confirmed entry without URL was reported: do not report the list again
        lines = getattr(raw, "item_lines", [None] * len(raw))
        for i, item in enumerate(raw):
            where = f"{key}[{i + 1}]"
            iline = lines[i] if i < len(lines) else None
            if not isinstance(item, dict):
                self.problem(where, f"出处应为映射（ref/url/confidence），实际是{_type_name(item)}", line=iline, file=file)
                continue
            unknown = set(item) - SOURCE_KEYS
            for k in sorted(unknown, key=str):
                self.problem(f"{where}/{k}", f"出处中未知的键 {k!r}（可用：{'、'.join(SOURCE_KEYS_ORDER)}）",
                             line=item.line_of(k) if isinstance(item, LDict) else iline, file=file)
            ref, url, conf = item.get("ref"), item.get("url"), item.get("confidence")
            derivation, official = item.get("derivation"), item.get("official", False)
            has_derivation = isinstance(derivation, str) and bool(derivation.strip())
            if not (isinstance(ref, str) and ref.strip()) and not (isinstance(url, str) and url.strip()) \
                    and not (conf == "derived" and has_derivation):
                self.problem(where, "出处至少要有 ref（文件号+条款）或 url 之一（推算值写 derivation）", line=iline, file=file)
                continue
            if url is not None and not (isinstance(url, str) and re.match(r"^https?://", url)):
                self.problem(f"{where}/url", f"url 应以 http:// 或 https:// 开头：{url!r}", line=iline, file=file)
            allowed = BASE_CONFIDENCES + (("user-supplied",) if self.supplement_ok or getattr(raw, "origin", None) else ())
            if conf is None:
                self.problem(f"{where}/confidence", f"缺少可信度 confidence（{' / '.join(BASE_CONFIDENCES)}）",
                             line=iline, file=file)
                continue
            if conf not in allowed:
                self.problem(f"{where}/confidence", f"可信度 {conf!r} 不合法，应为：{' / '.join(allowed)}",
                             line=iline, file=file)
                continue
            if conf == "derived" and not has_derivation:
                self.problem(f"{where}/derivation", "可信度 derived（推算）必须写 derivation：由哪些值、怎样算出"
                             "（如 \"1850 + 50 = 1900：…\"）", line=iline, file=file)
                continue
            if derivation is not None and conf != "derived":
                self.problem(f"{where}/derivation", f"derivation 只用于可信度 derived（推算），这里是 {conf}",
                             line=item.line_of("derivation") if isinstance(item, LDict) else iline, file=file)
            if not isinstance(official, bool):
                self.problem(f"{where}/official", f"official 应为 true 或 false，实际是 {official!r}", line=iline, file=file)
                official = False
            elif official and conf == "derived":
                self.problem(f"{where}/official", "推算值不是原文，不能同时写 official: true", line=iline, file=file)
                official = False
            note = item.get("note")
            src = Source(ref.strip() if isinstance(ref, str) else None,
                         url.strip() if isinstance(url, str) else None, conf,
                         str(note) if note is not None else None,
                         derivation.strip() if has_derivation else None, official)
            if conf == "confirmed" and not src.url and not official:
                unverifiable = True
                self.problem(f"{where}/confidence", "没有网址的出处读者无法核对，最高标 single-source（项目持有的原文副本写 official: true）",
                             line=iline, file=file)
            if not_a_source(src):
                self.problem(where, "演示（demo）、模拟（mock）和 AI 生成的材料不是出处：删去这条出处；只有它支持的值写成缺失"
                             "（未核实的数值可以留在 notes 里，注明不是数值）", line=iline, file=file)
                continue
            out.append(src)
            lines_of[src] = iline
        err = None if unverifiable else confirmed_problem(tuple(out))
        if err:
            first = next(s for s in out if s.confidence == "confirmed")
            idx = out.index(first)
            at = line or self.line_of(key)
            iline = lines_of.get(first)
            # The first confirmed entry's line, unless it is a YAML alias of an entry written earlier in the file.
            self.problem(f"{key}[{idx + 1}]/confidence", err, line=iline if iline and iline >= at else at, file=file)
        return tuple(out)

    # -- values (the three forms) ----------------------------------------
    def value(self, key: str, kind: str = "any", required: bool = False,
              check: Callable[[Any], str | None] | None = None) -> Value | None:
        """Read a value in one of the three forms (plain / {value, sources} / {missing})."""
        raw = self.data.get(key)
        path = f"{self.path}/{key}"
        if raw is None:
            if required:
                self.problem(key, "缺少必填字段（找不到时写 {missing: 出处}）", line=self.line)
            return None
        line = self.line_of(key)
        if isinstance(raw, dict):
            origin = getattr(raw, "origin", None)
            file = origin or self.file
            rline = raw.line if origin else line
            for k in raw:
                if k not in VALUE_KEYS:
                    self.problem(f"{key}/{k}", f"值的写法中未知的键 {k!r}（可用：value、sources、missing、note）",
                                 line=raw.line_of(k), file=file)
            note = raw.get("note")
            if "missing" in raw:
                where = raw.get("missing")
                if not isinstance(where, str) or not where.strip():
                    self.problem(f"{key}/missing", "missing 应写明该值应在哪份文件哪一条找到", line=rline, file=file)
                    where = "（未注明）"
                if "value" in raw:
                    self.problem(key, "不能同时写 value 和 missing", line=rline, file=file)
                return Value(None, (), path, file, rline, missing=where.strip(), note=note)
            if "value" not in raw:
                self.problem(key, "带出处的值必须有 value（找不到时写 missing）", line=rline, file=file)
                return None
            srcs = self.sources("sources", data=raw.get("sources"), line=rline, file=file)
            if not srcs:
                return None
            v = self._typed(key, raw["value"], kind, check, raw.line_of("value") if isinstance(raw, LDict) else rline, file)
            if v is None:
                return None
            return Value(v, srcs, path, file, rline, note=note,
                         override_reason=getattr(raw, "override_reason", None))
        if not self.inherited:
            self.problem(key, "该值没有出处：记录或所在行没有 sources，请写成 {value: …, sources: […]}", line=line)
            return None
        v = self._typed(key, raw, kind, check, line, self.file)
        if v is None:
            return None
        return Value(v, self.inherited, path, self.file, line)

    def _typed(self, key: str, raw: Any, kind: str, check, line: int, file: str) -> Any:
        if kind == "number":
            if isinstance(raw, bool) or not isinstance(raw, (int, float)):
                self.problem(key, f"应为数字，实际是 {raw!r}", line=line, file=file)
                return None
        elif kind == "date":
            raw, err = parse_date(raw)
            if err:
                self.problem(key, err, line=line, file=file)
                return None
        elif kind == "text":
            if isinstance(raw, (int, float)) and not isinstance(raw, bool):
                raw = str(raw)
            if not isinstance(raw, str) or not raw.strip():
                self.problem(key, f"应为非空文本，实际是 {raw!r}", line=line, file=file)
                return None
        if check:
            err = check(raw)
            if err:
                self.problem(key, err, line=line, file=file)
                return None
        return raw


def is_supplement_origin(obj: Any) -> bool:
    return isinstance(obj, (LDict, LList)) and getattr(obj, "origin", None) is not None
