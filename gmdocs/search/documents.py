"""What the search index holds: one flat document per standard, indicator, benchmark row,
policy document and campaign rule, each linking back to its catalogue record."""
from __future__ import annotations

import datetime as dt
import json
import re

from ..catalogue.load import Catalogue
from ..catalogue.model import CATEGORY_NAMES, LEVEL_NAMES, Standard, Value
from ..catalogue.numbers import normalise, parse
from ..catalogue.query import current_successor, table_document_label


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


def _ref(kind: str, ident: str, path: str, file: str, line: int) -> str:
    return json.dumps({"kind": kind, "ident": ident, "path": path, "file": file, "line": line}, ensure_ascii=False)


def _vtext(v: Value | None) -> str:
    if v is None:
        return ""
    if not v.known:
        return "未收录"
    return str(v.value)


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

    docs: list[dict] = []
    for s in cat.standards.values():
        succ = current_successor(cat, s)
        body = [s.number, s.title, s.title_en or "", s.level, s.status, s.scope or "", s.notes or "",
                "适用行业：" + "、".join(s.industries) if s.industries else ""]
        if succ:
            body.append(f"已被 {succ.number} 代替")
        docs.append(dict(
            id=f"standard:{s.key}", type="standard", title=f"{s.number} {s.title}", body="\n".join(b for b in body if b),
            numkeys=" ".join(number_keys(s.number)), status=s.status,
            years=" ".join(str(y) for y in standard_years(s, years)),
            successor=succ.number if succ else "", confidence=s.confidence,
            ref=_ref("standard", s.key, s.key, s.file, s.line)))
    for p in cat.policies.values():
        body = [p.display_number, p.title, p.issuer or "", p.doc_type, p.status, *p.summary, *p.attachments,
                p.notes or ""]
        keys = []
        if p.number is not None and p.number.known:
            num = normalise(str(p.number.value))
            keys.append(num.lower())
            m = re.search(r"(\d+)号", num)
            if m:
                keys.append(m.group(1))
        ys = used.get(p.id, set())
        docs.append(dict(
            id=f"policy:{p.id}", type="policy", title=f"{p.display_number} {p.title}", body="\n".join(b for b in body if b),
            numkeys=" ".join(keys), status=p.status, years=" ".join(str(y) for y in sorted(ys)),
            successor="", confidence=p.confidence, ref=_ref("policy", p.id, p.id, p.file, p.line)))
    for rb in cat.rulebooks.values():
        ys = " ".join(str(y) for y in sorted(used.get(rb.id, set())))
        for g in rb.groups:
            for ind in g.indicators:
                body = [ind.name, f"一级指标：{g.name}", f"指标体系：{rb.title}", ind.unit or "", ind.description or "",
                        ind.rule or "", g.description or ""]
                docs.append(dict(
                    id=f"indicator:{rb.id}/{ind.id}", type="indicator", title=f"{ind.name}（{rb.title} · {g.name}）",
                    body="\n".join(b for b in body if b), numkeys="", status="", years=ys, successor="",
                    confidence=ind.confidence,
                    ref=_ref("indicator", rb.id, f"{rb.id}/groups/{g.id}/indicators/{ind.id}", rb.file, ind.line)))
        for gate in rb.gates:
            docs.append(dict(
                id=f"indicator:{rb.id}/gate/{gate.id}", type="indicator", title=f"基本要求 {gate.id}（{rb.title}）",
                body=gate.text + ("\n" + gate.note if gate.note else ""), numkeys="", status="", years=ys,
                successor="", confidence=gate.confidence,
                ref=_ref("gate", rb.id, f"{rb.id}/gates/{gate.id}", rb.file, gate.line)))
    for t in cat.benchmark_tables.values():
        label = table_document_label(cat, t)
        ys = " ".join(str(y) for y in sorted(used.get(t.id, set())))
        doc_keys = []
        if t.document_standard and t.document_standard in cat.standards:
            doc_keys = number_keys(cat.standards[t.document_standard].number)
        for r in t.rows:
            vals = "；".join(f"{LEVEL_NAMES.get(lv, lv)} {_vtext(r.values.get(lv))}" for lv in t.levels) if r.known \
                else f"数值未收录（应见：{r.missing}）"
            head = " / ".join(x for x in (r.area, r.product, r.indicator) if x)
            body = [head, f"{label}《{t.title}》", vals, r.unit or "", r.notes or ""]
            docs.append(dict(
                id=f"benchmark:{t.id}/{r.id}", type="benchmark", title=f"{head}（{label}）",
                body="\n".join(b for b in body if b), numkeys=" ".join(doc_keys), status="", years=ys,
                successor="", confidence="missing" if not r.known else "",
                ref=_ref("benchmark", t.id, r.path, t.file, r.line)))
    for c in cat.campaign_list:
        for name, catg in c.categories.items():
            body = [f"{c.year}年度 {CATEGORY_NAMES.get(name, name)}", *catg.conditions, catg.notes or ""]
            docs.append(dict(
                id=f"campaign:{c.year}/{name}", type="policy",
                title=f"{c.year}年度推荐工作 · {CATEGORY_NAMES.get(name, name)}", body="\n".join(b for b in body if b),
                numkeys="", status="", years=str(c.year), successor="", confidence=c.confidence,
                ref=_ref("campaign", c.id, f"{c.id}/categories/{name}", c.file, catg.line)))
        rules = [f"{c.year}年度不得申报的情形：", *(e.text for e in c.exclusions),
                 *(f"截止日期：{d.text} {_vtext(d.date)}" for d in c.deadlines), c.notes or ""]
        docs.append(dict(
            id=f"campaign:{c.year}", type="policy", title=f"{c.year}年度推荐工作规则（{c.title or ''}）",
            body="\n".join(b for b in rules if b), numkeys="", status="", years=str(c.year), successor="",
            confidence=c.confidence, ref=_ref("campaign", c.id, c.id, c.file, c.line)))
    return docs
