"""Lenient conversion of what people type (or Excel stores) into typed values."""
from __future__ import annotations

import datetime as dt
import re
import unicodedata

TRUE = {"是", "有", "true", "yes", "y", "1", "√", "✓", "符合"}
FALSE = {"否", "无", "false", "no", "n", "0", "×", "不符合"}


def clean_text(v) -> str | None:
    if v is None:
        return None
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    s = str(v).replace("\ufeff", "").strip()
    return s or None


def to_number(v) -> float | None:
    """1,234.5 / １２３ / ' 12.5 ' / '12%' → float; raises ValueError on anything else."""
    if v is None or (isinstance(v, str) and not v.strip()):
        return None
    if isinstance(v, bool):
        raise ValueError(v)
    if isinstance(v, (int, float)):
        return float(v)
    s = unicodedata.normalize("NFKC", str(v)).replace("\ufeff", "").strip()
    s = s.replace(",", "").replace("，", "").replace(" ", "").rstrip("%")
    if not re.fullmatch(r"[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?", s):
        raise ValueError(v)
    return float(s)


def to_int(v) -> int | None:
    n = to_number(v)
    if n is None:
        return None
    if not float(n).is_integer():
        raise ValueError(v)
    return int(n)


def to_bool(v) -> bool | None:
    if v is None or (isinstance(v, str) and not v.strip()):
        return None
    if isinstance(v, bool):
        return v
    s = unicodedata.normalize("NFKC", str(v)).strip().lower()
    if s in TRUE:
        return True
    if s in FALSE:
        return False
    raise ValueError(v)


def to_date(v) -> dt.date | None:
    if v is None or (isinstance(v, str) and not v.strip()):
        return None
    if isinstance(v, dt.datetime):
        return v.date()
    if isinstance(v, dt.date):
        return v
    s = unicodedata.normalize("NFKC", str(v)).strip()
    m = re.fullmatch(r"(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?", s)
    if not m:
        raise ValueError(v)
    return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))


# Chinese numerals people write years with (二〇二〇年, 二零二零年; a letter O or ○ for the zero).
_CN_DIGITS = {"〇": "0", "零": "0", "○": "0", "O": "0", "o": "0", "一": "1", "二": "2", "三": "3", "四": "4",
              "五": "5", "六": "6", "七": "7", "八": "8", "九": "9"}
_YEAR = re.compile(r"(\d{4})(?:\.0*)?")


def to_year(v) -> int | None:
    """A four-digit year as people write it: 2020, 2020.0, '2020, ２０２０, 2020年, "2020 年", 二〇二〇年, 二零二零年;
    None when empty; ValueError for anything else or a year outside 1990—2100."""
    if v is None or (isinstance(v, str) and not v.strip()):
        return None
    if isinstance(v, bool):
        raise ValueError(v)
    if isinstance(v, float):
        if not v.is_integer():
            raise ValueError(v)
        v = int(v)
    if isinstance(v, int):
        y = v
    else:
        s = re.sub(r"\s+", "", unicodedata.normalize("NFKC", str(v)).replace("\ufeff", ""))
        s = s.lstrip("'‘’`")                      # Excel's text prefix typed or pasted in
        if s.endswith("年度"):
            s = s[:-2]
        elif s.endswith("年"):
            s = s[:-1]
        if s and all(ch in _CN_DIGITS for ch in s):
            s = "".join(_CN_DIGITS[ch] for ch in s)
        m = _YEAR.fullmatch(s)
        if not m:
            raise ValueError(v)
        y = int(m.group(1))
    if not 1990 <= y <= 2100:
        raise ValueError(v)
    return y


def header_year(v) -> int | None:
    """The year of a column header: a year as `to_year` reads it, optionally followed by 年 and a label
    (“2020年产量”, “二〇二〇年单位产品综合能耗”). None for an empty header; ValueError for anything else."""
    if isinstance(v, str):
        s = unicodedata.normalize("NFKC", v)
        if "年" in s:
            head = s.partition("年")[0]
            if not head.strip():
                raise ValueError(v)
            return to_year(head)
    return to_year(v)


# A number Excel shows in scientific notation (an 18-digit code typed as a number): 9.11503E+17
SCIENTIFIC = re.compile(r"[-+]?\d(?:\.\d+)?[eE]\+?\d+")


def number_mangled_code(raw) -> bool:
    """True for a code (统一社会信用代码) that a spreadsheet turned into a number: an int or float cell, or the text
    of one in scientific notation (9.11503E+17) — a number keeps 15 significant digits, so the rest are lost."""
    if isinstance(raw, bool):
        return False
    if isinstance(raw, (int, float)):
        return True
    return isinstance(raw, str) and bool(SCIENTIFIC.fullmatch(unicodedata.normalize("NFKC", raw).strip()))
