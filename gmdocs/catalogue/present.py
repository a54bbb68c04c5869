"""Turn catalogue answers into stable JSON objects and Chinese terminal text."""
from __future__ import annotations

from .load import Catalogue
from .model import CONFIDENCE_MARK, CONFIDENCE_NAMES, CONFIDENCE_ORDER, LEVEL_NAMES, Source, Standard, Value
from .query import BenchmarkHit, Gap, current_successor, replacement_chain

BETTER_NAMES = {"lower": "越低越好", "higher": "越高越好"}


def mark(conf: str) -> str:
    return CONFIDENCE_MARK.get(conf, "")


def value_text(v: Value | None, unit: str = "") -> str:
    if v is None:
        return "—"
    if not v.known:
        return f"未收录（缺失；应见：{v.missing}）"
    val = v.value.isoformat() if hasattr(v.value, "isoformat") else v.value
    if isinstance(val, float) and val.is_integer():
        val = int(val)
    text = f"{val}{(' ' + unit) if unit else ''}"
    return f"{text}{v.mark}"


def derivation_note(v: Value | None) -> str:
    """How a derived (【推算】) value was computed, for the line that shows it; "" for any other value."""
    if v is None or not v.known or v.confidence != "derived":
        return ""
    steps = [s.derivation for s in v.sources if s.derivation]
    return f"（推算：{'；'.join(steps)}）" if steps else ""


def sources_lines(sources: tuple[Source, ...], indent: str = "    ") -> list[str]:
    return [f"{indent}- {s.cite()}{mark(s.confidence)}{('（' + s.note + '）') if s.note else ''}" for s in sources]


def _vjson(v: Value | None):
    return v.to_json() if v is not None else None


def standard_json(cat: Catalogue, s: Standard) -> dict:
    succ = current_successor(cat, s)
    return {
        "number": s.number, "key": s.key, "title": s.title, "title_en": s.title_en, "level": s.level,
        "nature": s.nature, "status": s.status,
        "published": _vjson(s.published), "effective": _vjson(s.effective), "abolished": _vjson(s.abolished),
        "replaces": [cat.standards[k].number if k in cat.standards else k for k in s.replaces],
        "replaced_by": cat.standards[s.replaced_by].number if s.replaced_by in cat.standards else s.replaced_by,
        "chain": [x.number for x in replacement_chain(cat, s)],
        "current_successor": succ.number if succ else None,
        "topics": s.topics, "industries": s.industries, "scope": s.scope, "notes": s.notes,
        "confidence": s.confidence, "unverified": s.confidence != "confirmed",
        "sources": [x.to_json() for x in s.sources], "file": s.file,
    }


def standard_text(cat: Catalogue, s: Standard) -> list[str]:
    lines = [f"{s.number}  {s.title}{mark(s.confidence)}"]
    if s.title_en:
        lines.append(f"  英文名称：{s.title_en}")
    lines.append(f"  类别：{s.level}{('（' + s.nature + '）') if s.nature else ''}")
    lines.append(f"  状态：{s.status}")
    for label, v in (("发布日期", s.published), ("实施日期", s.effective), ("废止日期", s.abolished)):
        if v is not None:
            lines.append(f"  {label}：{value_text(v)}{derivation_note(v)}")
    chain = replacement_chain(cat, s)
    if len(chain) > 1:
        parts = [f"{x.number}（{x.status}）" for x in chain]
        lines.append("  替代关系：" + " → ".join(parts))
    succ = current_successor(cat, s)
    if succ is not None:
        lines.append(f"  已被 {succ.number}《{succ.title}》代替，请引用新版本。")
    if s.industries:
        lines.append("  适用行业：" + "、".join(s.industries))
    if s.scope:
        lines.append(f"  适用范围：{s.scope}")
    if s.notes:
        lines.append(f"  说明：{s.notes}")
    lines.append("  出处：")
    lines += sources_lines(s.sources)
    if s.confidence != "confirmed":
        lines.append(f"  注意：本条信息未经两个独立来源核实{mark(s.confidence)}，使用前请以标准原文为准。")
    return lines


def benchmark_json(hit: BenchmarkHit) -> dict:
    t, r = hit.table, hit.row
    return {
        "table": t.id, "table_title": t.title, "document": hit.document,
        "valid_from": _vjson(t.valid_from), "valid_to": _vjson(t.valid_to),
        "row": r.id, "path": r.path, "area": r.area, "product": r.product, "indicator": r.indicator,
        "unit": r.unit, "better": r.better, "missing": r.missing,
        "values": {lv: _vjson(r.values.get(lv)) for lv in t.levels} if r.known else None,
        "sources": [s.to_json() for s in r.sources], "notes": r.notes,
    }


def benchmark_text(hit: BenchmarkHit) -> list[str]:
    t, r = hit.table, hit.row
    head = " / ".join(x for x in (r.area, r.product, r.indicator) if x)
    lines = [f"{hit.document}《{t.title}》", f"  {head}"]
    if not r.known:
        lines.append(f"  数值：未收录（缺失；应见：{r.missing}）。gmdocs 不会推算该值。")
        lines.append(f"  缺口编号：{r.path}")
        return lines
    for lv in t.levels:
        lines.append(f"  {LEVEL_NAMES.get(lv, lv)}：{value_text(r.values.get(lv), r.unit or '')}")
    if r.better:
        lines.append(f"  方向：{BETTER_NAMES.get(r.better, r.better)}")
    if r.notes:
        lines.append(f"  说明：{r.notes}")
    lines.append("  出处：")
    srcs = list(r.sources)
    for v in r.values.values():
        srcs += [s for s in v.sources if s not in srcs]
    lines += sources_lines(tuple(srcs))
    return lines


def gap_text(g: Gap) -> str:
    return f"{g.path}\n    {g.record}；应见：{g.where}（{g.file}:{g.line}）"


def _std_brief(s, as_of: str | None = None) -> dict:
    from .applicable import status_on
    return {"number": s.number, "title": s.title, "status": status_on(s, as_of) if as_of else s.status,
            "status_today": s.status, "confidence": s.confidence}


def _status_then(s, res) -> str:
    """Status as of the campaign's date, with today's status when it differs."""
    from .applicable import status_on
    then = status_on(s, res.as_of)
    return then if then == s.status else f"{res.year}年度时{then}；现{s.status}"


def which_json(res) -> dict:
    from .model import CATEGORY_NAMES
    c = res.campaign
    return {
        "year": res.year, "category": res.category, "category_name": CATEGORY_NAMES[res.category],
        "industry": res.industry, "product": res.product, "category_available": res.category_available,
        "basis": res.basis,
        "as_of": res.as_of, "as_of_reason": res.as_of_reason,
        "industry_standards": [_std_brief(s, res.as_of) for s in res.industry_standards],
        "general_standards": [_std_brief(s, res.as_of) for s in res.general_standards],
        "rulebooks": [{"id": r.id, "title": r.title, "confidence": r.confidence} for r in res.rulebooks],
        "quota_standards": [_std_brief(s, res.as_of) for s in res.quota_standards],
        "benchmarks": [benchmark_json(h) for h in res.benchmarks],
        "campaign": {
            "id": c.id, "title": c.title, "notice": _vjson(c.notice),
            "categories": list(c.categories), "evaluation": _vjson(c.evaluation),
            "evaluator_cap": _vjson(c.evaluator_cap),
            "conditions": c.categories[res.category].conditions if res.category_available else [],
            "eligibility": _eligibility_json(c.categories[res.category].eligibility) if res.category_available else None,
            "exclusions": [{"id": e.id, "text": e.text} for e in c.exclusions],
            "deadlines": [{"id": d.id, "what": d.text, "date": _vjson(d.date)} for d in c.deadlines],
        },
        "notes": res.notes,
    }


def _rule_text(rule, category: str) -> str:
    from ..application.spec import INFO_FIELDS
    label = next(sp.label for sp in INFO_FIELDS[category] if sp.id == rule.field)
    test = (f"为{'或'.join(rule.one_of)}" if rule.one_of else "为“是”" if rule.is_true else "已填写")
    return f"“{label}”{test}" + (f"（{rule.level}申报）" if rule.level else "")


def _eligibility_json(v) -> dict | None:
    if v is None:
        return None
    out = _vjson(v)
    if v.known:
        out["value"] = [{"field": r.field, "text": r.text, "one_of": list(r.one_of), "is_true": r.is_true,
                         "filled": r.filled, "level": r.level} for r in v.value]
    return out


def which_text(cat, res) -> list[str]:
    from .model import CATEGORY_NAMES, EVALUATION_NAMES
    c = res.campaign
    notice = cat.policies.get(c.notice.value) if c.notice is not None and c.notice.known else None
    lines = [f"{res.year}年度 · {CATEGORY_NAMES[res.category]} · 行业：{res.industry}"
             + (f" · 产品：{res.product}" if res.product else "")]
    lines.append(f"年度通知：{notice.display_number + '《' + notice.title + '》' if notice else value_text(c.notice)}")
    if not res.category_available:
        lines += [f"注意：{n}" for n in res.notes]
        return lines
    lines.append("")
    lines.append("一、评价依据")
    for s in res.industry_standards:
        lines.append(f"  行业标准：{s.number}《{s.title}》［{_status_then(s, res)}］{mark(s.confidence)}")
    for s in res.general_standards:
        role = "通则（行业标准之外的部分及无行业标准时）" if res.industry_standards else "通则"
        lines.append(f"  {role}：{s.number}《{s.title}》［{_status_then(s, res)}］{mark(s.confidence)}")
    for s in res.quota_standards:
        lines.append(f"  能耗限额标准：{s.number}《{s.title}》［{_status_then(s, res)}］{mark(s.confidence)}")
    lines.append(f"  （标准状态按 {res.as_of} 判断：{res.as_of_reason}）")
    for r in res.rulebooks:
        lines.append(f"  指标体系：{r.title}{mark(r.confidence)}")
    lines.append("")
    lines.append("二、能效标杆/基准水平与能耗限额")
    if not res.benchmarks:
        lines.append("  未收录相关行。")
    for h in res.benchmarks:
        lines += ["  " + x for x in benchmark_text(h)]
    lines.append("")
    lines.append("三、年度规则")
    ev = c.evaluation
    ev_text = EVALUATION_NAMES.get(ev.value, ev.value) + ev.mark if ev is not None and ev.known else value_text(ev)
    lines.append(f"  评价方式：{ev_text}")
    if c.evaluator_cap is not None:
        lines.append(f"  同一评价机构本批次项目上限：{value_text(c.evaluator_cap, '项')}")
    lines.append("  本年度类别：" + "、".join(CATEGORY_NAMES[k] for k in c.categories))
    cc = c.categories[res.category]
    for cond in cc.conditions:
        lines.append(f"  条件：{cond}")
    el = cc.eligibility
    if el is not None and el.known:
        for rule in el.value:
            if rule.text not in cc.conditions:
                lines.append(f"  条件：{rule.text}{el.mark}")
        lines.append("  （gmdocs check 按基本信息核对：" + "；".join(_rule_text(r, res.category) for r in el.value) + "）")
    elif el is not None:
        lines.append(f"  申报条件：{value_text(el)}")
    if c.exclusions:
        lines.append("  不得申报的情形（近三年）：")
        lines += [f"    {e.id}. {e.text}" for e in c.exclusions]
    for d in c.deadlines:
        lines.append(f"  截止日期：{value_text(d.date)}　{d.text}{derivation_note(d.date)}")
    if res.notes:
        lines.append("")
        lines.append("四、说明")
        lines += [f"  - {n}" for n in res.notes]
    return lines


def _w(text: str) -> int:
    import unicodedata
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * max(0, width - _w(text))


def citation_lines(cites) -> list[str]:
    """A terminal table: 状态 | 引用写法 | 对应标准 | 文件与位置 | 说明 (width-aware for Chinese)."""
    if not cites:
        return ["没有找到标准编号。"]
    head = ["状态", "引用写法", "对应标准", "文件与位置", "说明"]
    rows = [[c.status, c.cited_as, (c.number or "—") + (f" → {c.replaced_by}" if c.replaced_by else ""),
             f"{c.file} {c.location}", c.note or ""] for c in cites]
    widths = [max(_w(r[i]) for r in rows + [head]) for i in range(4)]
    lines = ["  ".join(_pad(h, widths[i]) if i < 4 else h for i, h in enumerate(head))]
    lines.append("  ".join("-" * widths[i] if i < 4 else "----" for i in range(5)))
    for r in rows:
        lines.append("  ".join(_pad(v, widths[i]) if i < 4 else v for i, v in enumerate(r)))
    counts: dict[str, int] = {}
    for c in cites:
        counts[c.status] = counts.get(c.status, 0) + 1
    lines.append("合计：" + "，".join(f"{k} {v}" for k, v in counts.items()))
    return lines


def counts_text(counts: dict, conf: dict, cat) -> str:
    lines = [
        f"标准 {counts['standards']} 项；政策文件 {counts['policies']} 份；指标体系 {counts['rulebooks']} 个"
        f"（指标 {counts['indicators']} 项，基本要求 {counts['gates']} 项）；",
        f"标杆/基准与等级表 {counts['benchmark_tables']} 张：有数值的行 {counts['benchmark_rows_with_values']}，"
        f"缺失的行 {counts['benchmark_rows_missing']}；折标系数 {counts['coefficients']} 项；年度 {counts['campaigns']} 个；",
        f"缺失值 {counts['gaps']} 处（gmdocs catalogue gaps 查看）。",
        "可信度：" + "，".join(f"{CONFIDENCE_NAMES.get(k, k)} {conf[k]}"
                             for k in sorted(conf, key=lambda c: -CONFIDENCE_ORDER.get(c, -1))),
    ]
    if cat.supplements:
        lines.append(f"已应用用户补充 {len(cat.supplements)} 项（来自 {cat.data_dir}）。")
    return "\n".join(lines)
