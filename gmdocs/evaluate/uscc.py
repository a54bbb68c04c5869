"""统一社会信用代码 (GB 32100-2015) check character, driven by the catalogue's code rule."""
from __future__ import annotations

from ..catalogue.model import CodeRule


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
    code = code.strip().upper()
    if len(code) != rule.length:
        return f"长度应为 {rule.length} 位，实际 {len(code)} 位"
    bad = [ch for ch in code if ch not in rule.charset]
    if bad:
        return f"含有不允许的字符 {''.join(sorted(set(bad)))}（不使用 I、O、S、V、Z）"
    expected = check_character(code[:-1], rule)
    if code[-1] != expected:
        return f"校验码错误：第 {rule.length} 位应为 {expected}，实际为 {code[-1]}"
    return None
