"""Re-read a rendered DOCX and check that what it prints matches the evaluation."""
from __future__ import annotations

from pathlib import Path

from ..application.model import Application
from ..evaluate.score import Evaluation
from .context import clean, indicator_codes, points, score_text, total_text


def crosscheck(docx: Path, app: Application, ev: Evaluation, draft: bool = False,
               kind: str = "self") -> tuple[list[str], int]:
    """Problems found (Chinese) and how many printed values were compared."""
    from .docxml import read_docx, tables
    paras = read_docx(docx)
    texts = [p.text for p in paras if p.part == "word/document.xml"]
    headers = [p.text for p in paras if "header" in p.part]
    problems: list[str] = []
    checked = 0
    codes = indicator_codes(ev)
    scores = {codes[r.id]: score_text(r) for r in ev.indicators}
    awarded = {"自评得分": {codes[r.id]: points(r.self_points) for r in ev.indicators},
               "核定得分": {codes[r.id]: points(r.evaluator_points) for r in ev.indicators}}
    groups = {g.name: points(g.points) for g in ev.groups}
    group_awarded = {label: {g.name: points(sum(getattr(r, attr) for r in ev.indicators if r.group == g.name
                                                 and getattr(r, attr) is not None))
                             if any(r.group == g.name and getattr(r, attr) is not None for r in ev.indicators) else "—"
                             for g in ev.groups}
                     for label, attr in (("自评得分", "self_points"), ("核定得分", "evaluator_points"))}
    total = total_text(ev, kind)
    seen_scores = set()
    for rows in tables(paras).values():
        if not rows:
            continue
        head = rows[0]
        if "编号" in head:
            for label, expected in [("得分/满分", scores)] + list(awarded.items()):
                if label not in head:
                    continue
                col = head.index(label)
                for r in rows[1:]:
                    if r and r[0] in expected and col < len(r):
                        checked += 1
                        seen_scores.add(r[0])
                        if r[col] != expected[r[0]]:
                            problems.append(f"指标 {r[0]} 的{label}在文档中为 {r[col]!r}，评价结果为 {expected[r[0]]!r}")
        if "一级指标" in head:
            for label, expected in [("得分", groups)] + list(group_awarded.items()):
                if label not in head:
                    continue
                col = head.index(label)
                for r in rows[1:]:
                    if r and r[0] in expected and col < len(r):
                        checked += 1
                        if r[col] != expected[r[0]]:
                            problems.append(f"一级指标 {r[0]} 的{label}在文档中为 {r[col]!r}，评价结果为 {expected[r[0]]!r}")
        for r in rows:
            if len(r) >= 2 and r[0] in ("总分", "指标得分"):
                checked += 1
                if r[1] != total:
                    problems.append(f"{r[0]}在文档中为 {r[1]!r}，计算结果为 {total!r}")
    everything = "\n".join(texts + headers)
    for label, value in (("名称", app.name), ("统一社会信用代码", app.get("uscc"))):
        value = clean(str(value)) if value else value       # as the report prints it (XML-illegal characters dropped)
        if value:
            checked += 1
            if str(value) not in everything:
                problems.append(f"文档中找不到{label} {value!r}")
    missing = [i for i in scores if i not in seen_scores]
    if seen_scores and missing:
        problems.append(f"文档的指标表缺少 {len(missing)} 项指标：{'、'.join(missing[:8])}")
    if draft:
        checked += 1
        if not any("草稿" in h for h in headers):
            problems.append("草稿文档的页眉中没有“草稿”标记")
    return problems, checked
