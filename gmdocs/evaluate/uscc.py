"""统一社会信用代码 (GB 32100-2015) check character, driven by the catalogue's code rule."""
from __future__ import annotations

import re
import unicodedata

from ..catalogue.model import CodeRule

_BLANKS = re.compile(r"[\s\u200b-\u200d\u2060\ufeff]+")


def normalise(value) -> str:
    """The one written form of a 统一社会信用代码, used by check, score, build and batch: NFKC (full-width
    ９１ＡＢ → 91AB), no blanks anywhere (spaces, tabs, zero-width), upper case. '' for none."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return _BLANKS.sub("", unicodedata.normalize("NFKC", str(value))).upper()


def what_changed(raw, code: str) -> str:
    """In Chinese, how `raw` was rewritten into `code` (for the 提示 finding)."""
    text = str(raw)
    steps = []
    if unicodedata.normalize("NFKC", text) != text:
        steps.append("全角字符改为半角")
    if _BLANKS.search(text):
        steps.append("去掉空格")
    if unicodedata.normalize("NFKC", _BLANKS.sub("", text)) != code:
        steps.append("小写字母改为大写")
    return "、".join(steps) or "规范写法"


def check_character(first17: str, rule: CodeRule) -> str:
    """The 18th character for the first 17 characters (raises ValueError on a bad character)."""
    total = 0
    for ch, weight in zip(first17, rule.weights):
        idx = rule.charset.find(ch)
        if idx < 0:
            raise ValueError(ch)
        total += idx * weight
    c = rule.modulus - total % rule.modulus
    if c == rule.modulus:
        c = 0
    return rule.charset[c]


def explain(code: str, rule: CodeRule) -> str | None:
    """None when the code is valid, else a Chinese reason."""
    code = normalise(code)
    if len(code) != rule.length:
        return f"长度应为 {rule.length} 位，实际 {len(code)} 位"
    bad = [ch for ch in code if ch not in rule.charset]
    if bad:
        return f"含有不允许的字符 {''.join(sorted(set(bad)))}（不使用 I、O、S、V、Z）"
    expected = check_character(code[:-1], rule)
    if code[-1] != expected:
        return f"校验码错误：第 {rule.length} 位应为 {expected}，实际为 {code[-1]}"
    return None
