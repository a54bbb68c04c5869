"""What the search index holds: one flat document per standard, indicator system, indicator, benchmark row,
policy document and campaign rule, each linking back to its catalogue record.

Each document keeps its text in three fields of different weight (see query.FIELD_WEIGHTS):
  name    what the record IS: a standard's or policy's title, an indicator's name, a benchmark row's
          area / product / indicator, a requirement's text;
  parent  what it belongs to: the indicator system and group, the benchmark table and its document;
  body    everything else: scope, summary, values, notes.
plus exact keys (standard and document numbers) of the record itself (`numkeys`) and of its parent (`parentkeys`),
and the years the record is an edition of (`edition`: 2018 for GB/T 36132-2018, 2023 for the 2023 campaign).
"""
from __future__ import annotations

import datetime as dt
import re

from ..catalogue.load import Catalogue
from ..catalogue.model import CATEGORY_NAMES, CONFIDENCE_MARK, LEVEL_NAMES, Standard, Value
from ..catalogue.numbers import normalise, parse
from ..catalogue.query import current_successor, table_document_label

_YEAR_IN_NUMBER = re.compile(r"[〔\[【(（]((?:19|20)\d{2})[〕\]】)）]")
_YEAR_EDITION = re.compile(r"((?:19|20)\d{2})\s*年(?:版|度)")
_POLICY_NO = re.compile(r"(\d{1,5})\s*号")
_TRAILING_PAREN = re.compile(r"^(.+?)[（(]([^（）()]*(?:[（(][^（）()]*[）)][^（）()]*)*)[）)]$")


def _year(v: Value | None) -> int | None:
    if v is None or not v.known:
        return None
    val = v.value
    if isinstance(val, dt.date):
        return val.year
    try:
        return int(str(val)[:4])
    except ValueError:
        return None


def standard_years(s: Standard, years: list[int]) -> list[int]:
    start = _year(s.effective) or _year(s.published)
    end = _year(s.abolished)
    return [y for y in years if (start is None or start <= y) and (end is None or end >= y)]


def number_keys(number: str) -> list[str]:
    p = parse(number)
    keys = {normalise(number).lower()}
    if p is not None:
        keys |= {p.base.lower(), p.code.lower()}
        if p.year:
            keys.add(f"{p.code}-{p.year}".lower())
    return sorted(keys)


def _standard_edition(number: str) -> list[int]:
    p = parse(number)
    return [int(p.year)] if p is not None and p.year else []


def policy_keys(number: str) -> list[str]:
    """Exact keys of a document number: the whole number, the bare number ("723") and "723号" (what a
    query such as 723号文 looks up: standards have bare numbers among their keys too, never 号)."""
    num = normalise(number)
    keys = [num.lower()]
    m = _POLICY_NO.search(num)
    if m:
        keys += [m.group(1), f"{m.group(1)}号"]
    return keys


def _editions(*texts: str) -> list[int]:
    """Years a text names as its edition: 〔2023〕 in a document number, 2023年版 / 2023年度 in a title."""
    years = set()
    for t in texts:
        years |= {int(y) for y in _YEAR_IN_NUMBER.findall(t or "")}
        years |= {int(y) for y in _YEAR_EDITION.findall(t or "")}
    return sorted(years)


def split_title(title: str) -> tuple[str, str]:
    """"绿色工厂评价指标体系（GB/T 36132-2018 绿色工厂评价通则）" → (name, the part in brackets)."""
    m = _TRAILING_PAREN.match(title.strip())
    if not m or not m.group(1).strip():
        return title, ""
    return m.group(1).strip(), m.group(2).strip()


def _join(*parts) -> str:
    return "\n".join(p for p in parts if p)


def _vtext(v: Value | None) -> str:
    """A value as the user reads it, with its mark (【推算】, 【未核实：单一来源】 …) as everywhere else."""
    if v is None:
        return ""
    if not v.known:
        return "未收录"
    val = v.value.isoformat() if hasattr(v.value, "isoformat") else v.value
    if isinstance(val, float) and val.is_integer():
        val = int(val)
    return f"{val}{getattr(v, 'mark', '')}"


def _doc(id, type, title, name, body, *, parent="", numkeys=(), parentkeys=(), status="", years=(), edition=(),
         successor="", successor_id="", confidence="", ref=None) -> dict:
    return dict(id=id, type=type, title=title, name=name, parent=parent, body=body, numkeys=list(numkeys),
                parentkeys=list(parentkeys), status=status, years=sorted(set(years)), edition=sorted(set(edition)),
                successor=successor, successor_id=successor_id, confidence=confidence,
                mark=CONFIDENCE_MARK.get(confidence, "") or "", ref=ref or {})


def _ref(kind: str, ident: str, path: str, file: str, line: int) -> dict:
    return {"kind": kind, "ident": ident, "path": path, "file": file, "line": line}


def build_documents(cat: Catalogue) -> list[dict]:
    years = sorted(cat.campaigns)
    used: dict[str, set[int]] = {}

    def use(ident: str, year: int) -> None:
        used.setdefault(ident, set()).add(year)

    for c in cat.campaign_list:
        if c.notice is not None and c.notice.known:
            use(str(c.notice.value), c.year)
        for catg in c.categories.values():
            for rid in catg.rulebooks:
                use(rid, c.year)
                rb = cat.rulebooks.get(rid)
                if rb:
                    for k in rb.basis_standards:
                        use(k, c.year)
                    for pid in rb.basis_policies:
                        use(pid, c.year)
        for tid in c.benchmark_tables:
            use(tid, c.year)
            t = cat.benchmark_tables.get(tid)
            if t and t.document_policy:
                use(t.document_policy, c.year)

    def policy_doc_keys(pid: str | None) -> tuple[list[str], list[int]]:
        p = cat.policies.get(pid or "")
        if p is None or p.number is None or not p.number.known:
            return [], []
        return policy_keys(str(p.number.value)), _editions(str(p.number.value), p.title)

    docs: list[dict] = []
    for s in cat.standards.values():
        succ = current_successor(cat, s)
        body = [s.number, s.title, s.title_en or "", s.level, s.status, s.scope or "", s.notes or "",
                "适用行业：" + "、".join(s.industries) if s.industries else ""]
        if succ:
            body.append(f"已被 {succ.number} 代替")
        docs.append(_doc(
            f"standard:{s.key}", "standard", f"{s.number} {s.title}", s.title, _join(*body),
            numkeys=number_keys(s.number), status=s.status, years=standard_years(s, years),
            edition=_standard_edition(s.number), successor=succ.number if succ else "",
            successor_id=f"standard:{succ.key}" if succ else "", confidence=s.confidence,
            ref=_ref("standard", s.key, s.key, s.file, s.line)))
    for p in cat.policies.values():
        body = [p.display_number, p.title, p.issuer or "", p.doc_type, p.status, *p.summary, *p.attachments,
                p.notes or ""]
        keys, edition = policy_doc_keys(p.id)
        docs.append(_doc(
            f"policy:{p.id}", "policy", f"{p.display_number} {p.title}", p.title, _join(*body),
            numkeys=keys, status=p.status, years=used.get(p.id, set()), edition=edition or _editions(p.title),
            confidence=p.confidence, ref=_ref("policy", p.id, p.id, p.file, p.line)))
    for rb in cat.rulebooks.values():
        ys = used.get(rb.id, set())
        rb_name, rb_paren = split_title(rb.title)
        rb_keys = sorted({k for key in rb.basis_standards if key in cat.standards
                          for k in number_keys(cat.standards[key].number)})
        rb_edition = set(_editions(rb.title))
        for key in rb.basis_standards:
            if key in cat.standards:
                rb_edition |= set(_standard_edition(cat.standards[key].number))
        for pid in rb.basis_policies:
            keys, ed = policy_doc_keys(pid)
            rb_keys = sorted(set(rb_keys) | set(keys))
            rb_edition |= set(ed)
        groups = "、".join(g.name for g in rb.groups)
        docs.append(_doc(
            f"rulebook:{rb.id}", "indicator", f"指标体系：{rb.title}", rb_name,
            _join(rb.title, f"类别：{CATEGORY_NAMES.get(rb.category, rb.category)}",
                  "适用行业：" + "、".join(rb.industries) if rb.industries else "",
                  f"一级指标：{groups}" if groups else "", rb.notes or ""),
            parent=rb_paren, numkeys=rb_keys, years=ys, edition=rb_edition, confidence=rb.confidence,
            ref=_ref("rulebook", rb.id, rb.id, rb.file, rb.line)))
        for g in rb.groups:
            for ind in g.indicators:
                body = [ind.unit or "", ind.description or "", ind.rule or "", g.description or ""]
                docs.append(_doc(
                    f"indicator:{rb.id}/{ind.id}", "indicator", f"{ind.name}（{rb.title} · {g.name}）", ind.name,
                    _join(ind.name, f"一级指标：{g.name}", f"指标体系：{rb.title}", *body),
                    parent=f"{g.name} {rb.title}", parentkeys=rb_keys, years=ys, edition=rb_edition,
                    confidence=ind.confidence,
                    ref=_ref("indicator", rb.id, f"{rb.id}/groups/{g.id}/indicators/{ind.id}", rb.file, ind.line)))
        for gate in rb.gates:
            docs.append(_doc(
                f"indicator:{rb.id}/gate/{gate.id}", "indicator", f"基本要求 {gate.id}（{rb.title}）", gate.text,
                _join(gate.text, gate.note or ""), parent=f"基本要求 {rb.title}", parentkeys=rb_keys, years=ys,
                edition=rb_edition, confidence=gate.confidence,
                ref=_ref("gate", rb.id, f"{rb.id}/gates/{gate.id}", rb.file, gate.line)))
    for t in cat.benchmark_tables.values():
        label = table_document_label(cat, t)
        ys = used.get(t.id, set())
        doc_keys, edition = policy_doc_keys(t.document_policy)
        if t.document_standard and t.document_standard in cat.standards:
            number = cat.standards[t.document_standard].number
            doc_keys, edition = number_keys(number), _standard_edition(number)
        for r in t.rows:
            vals = "；".join(f"{LEVEL_NAMES.get(lv, lv)} {_vtext(r.values.get(lv))}" for lv in t.levels) if r.known \
                else f"数值未收录（应见：{r.missing}）"
            head = " / ".join(x for x in (r.area, r.product, r.indicator) if x)
            docs.append(_doc(
                f"benchmark:{t.id}/{r.id}", "benchmark", f"{head}（{label}）", head,
                _join(head, f"{label}《{t.title}》", vals, r.unit or "", r.notes or ""),
                parent=f"{label} {t.title}", parentkeys=doc_keys, years=ys, edition=edition,
                confidence="missing" if not r.known else "",
                ref=_ref("benchmark", t.id, r.path, t.file, r.line)))
    for c in cat.campaign_list:
        for name, catg in c.categories.items():
            cname = CATEGORY_NAMES.get(name, name)
            el = catg.eligibility
            extra = [r.text for r in el.value if r.text not in catg.conditions] if el is not None and el.known else []
            body = [f"{c.year}年度 {cname}", "申报条件：" if catg.conditions or extra else "", *catg.conditions, *extra,
                    catg.notes or ""]
            docs.append(_doc(
                f"campaign:{c.year}/{name}", "policy", f"{c.year}年度推荐工作 · {cname}",
                f"{c.year}年度{cname}推荐工作", _join(*body), parent=c.title or "", years=[c.year],
                edition=[c.year], confidence=c.confidence,
                ref=_ref("campaign", c.id, f"{c.id}/categories/{name}", c.file, catg.line)))
        rules = [f"{c.year}年度不得申报的情形：", *(e.text for e in c.exclusions),
                 *(f"截止日期：{d.text} {_vtext(d.date)}" for d in c.deadlines), _cap_text(c), c.notes or ""]
        docs.append(_doc(
            f"campaign:{c.year}", "policy", f"{c.year}年度推荐工作规则（{c.title or ''}）",
            f"{c.year}年度推荐工作规则", _join(*rules), parent=c.title or "", years=[c.year], edition=[c.year],
            confidence=c.confidence, ref=_ref("campaign", c.id, c.id, c.file, c.line)))
    return docs


def _cap_text(c) -> str:
    """The evaluation mode and the per-evaluator project cap, in words (searchable: 第三方 上限 不得超过)."""
    from ..catalogue import model
    out = []
    ev = getattr(c, "evaluation", None)
    if ev is not None and ev.known:
        out.append("评价方式：" + getattr(model, "EVALUATION_NAMES", {}).get(str(ev.value), str(ev.value)))
    cap = getattr(c, "evaluator_cap", None)
    if cap is not None and cap.known:
        counts = getattr(model, "CAP_COUNTS", {}).get(getattr(c, "evaluator_cap_counts", None) or "", "")
        out.append(f"第三方评价机构项目上限：{counts + '，' if counts else ''}不得超过 {cap.value} 项")
    return "\n".join(out)
