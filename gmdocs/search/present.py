"""Terminal text for search hits (JSON comes from SearchHit.to_json)."""
from __future__ import annotations

from ..catalogue.model import CONFIDENCE_MARK

TYPE_NAMES = {"standard": "标准", "indicator": "指标", "benchmark": "标杆/基准", "policy": "政策/规则"}


def _mark_snippet(snippet: str, matches: list[tuple[int, int]], color: bool) -> str:
    out, last = [], 0
    on, off = ("\x1b[1;31m", "\x1b[0m") if color else ("「", "」")
    for s, e in matches:
        out += [snippet[last:s], on, snippet[s:e], off]
        last = e
    out.append(snippet[last:])
    return "".join(out)


def hit_lines(n: int, h, color: bool = False) -> list[str]:
    mark = CONFIDENCE_MARK.get(h.confidence, "") if h.confidence else ""
    status = f"［{h.status}］" if h.status else ""
    head = f"{n}. [{TYPE_NAMES.get(h.type, h.type)}] {h.title}{status}{mark}"
    lines = [head, f"   {_mark_snippet(h.snippet, h.matches, color)}"]
    if h.successor:
        lines.append(f"   已被 {h.successor} 代替")
    if h.reason == "successor":
        lines.append("   （代替上一条的新版本）")
    ref = h.ref
    if ref:
        lines.append(f"   出处记录：{ref.get('path')}（{ref.get('file')}:{ref.get('line')}）")
    return lines
