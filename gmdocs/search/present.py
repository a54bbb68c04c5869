"""Terminal text and JSON for search results (the CLI only prints what these return)."""
from __future__ import annotations

TYPE_NAMES = {"standard": "标准", "indicator": "指标", "benchmark": "标杆/基准", "policy": "政策/规则"}
ID_TYPE_NAMES = {"rulebook": "指标体系", "campaign": "年度规则"}


def _mark_snippet(snippet: str, matches: list[tuple[int, int]], color: bool) -> str:
    out, last = [], 0
    on, off = ("\x1b[1;31m", "\x1b[0m") if color else ("「", "」")
    for s, e in matches:
        out += [snippet[last:s], on, snippet[s:e], off]
        last = e
    out.append(snippet[last:])
    return "".join(out)


def hit_lines(n: int, h, color: bool = False, verbose: bool = False) -> list[str]:
    """One hit for the terminal. The record's internal path and file only with `verbose`."""
    kind = ID_TYPE_NAMES.get(h.id.split(":", 1)[0]) or TYPE_NAMES.get(h.type, h.type)
    status = f"［{h.status}］" if h.status else ""
    head = f"{n}. [{kind}] {h.title}{status}{getattr(h, 'mark', '')}"
    lines = [head, f"   {_mark_snippet(h.snippet, h.matches, color)}"]
    if h.successor:
        lines.append(f"   已被 {h.successor} 代替")
    if h.reason == "successor":
        lines.append("   （代替上一条的新版本）")
    ref = h.ref
    if verbose and ref:
        lines.append(f"   出处记录：{ref.get('path')}（{ref.get('file')}:{ref.get('line')}）")
    return lines


def summary_line(results) -> str:
    """共 N 条 with the true count; says when only the first ones are shown and when the matches are partial."""
    total = getattr(results, "total", len(results))
    shown = len([h for h in results if h.reason != "successor"])
    text = f"共 {total} 条" + (f"，显示前 {shown} 条（--limit 可显示更多）" if total > shown else "") + "。"
    if getattr(results, "partial", False):
        text = "没有同时包含全部检索词的记录，以下按覆盖检索词的多少排列。" + text
    return text


def to_json(query: str, results) -> dict:
    """`count` is the true number of matches; `shown` how many `results` hold."""
    return {"query": query, "count": getattr(results, "total", len(results)), "shown": len(results),
            "partial": bool(getattr(results, "partial", False)), "results": [h.to_json() for h in results]}
