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


def to_year(v) -> int | None:
    if isinstance(v, str):
        v = unicodedata.normalize("NFKC", v).strip().rstrip("年")
    y = to_int(v)
    if y is not None and not 1990 <= y <= 2100:
        raise ValueError(v)
    return y
