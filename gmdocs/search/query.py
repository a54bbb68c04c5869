"""Run a user's query against the index: exact standard numbers first, then phrase text search."""
from __future__ import annotations

import dataclasses
import json
import re
from dataclasses import asdict, dataclass, field

from ..catalogue.numbers import find_citations, fold_text, matches, normalise, parse
from ..errors import EXIT_BAD_INPUT, GmdocsError
from .analyzer import fold, tokens

TYPES = ("standard", "indicator", "benchmark", "policy")
_BARE_NUMBER = re.compile(r"(?<![\w.])(\d{4,6}(?:\.\d{1,3})?(?:-(?:19|20)\d{2})?)(?![\w])")
SNIPPET_CHARS = 90


@dataclass
class SearchHit:
    id: str
    type: str
    title: str
    snippet: str
    matches: list[tuple[int, int]]
    score: float
    status: str
    years: list[int]
    successor: str | None
    confidence: str
    ref: dict
    reason: str = "text"          # "number" (exact standard number) / "successor" / "text"

    def to_json(self) -> dict:
        d = asdict(self)
        d["matches"] = [list(m) for m in self.matches]
        return d


@dataclass
class ParsedQuery:
    numbers: list[str] = field(default_factory=list)   # standard numbers as written
    bare: list[str] = field(default_factory=list)      # of which: digits only ("36132")
    terms: list[str] = field(default_factory=list)     # text terms


def parse_query(text: str) -> ParsedQuery:
    q = fold(text).strip()
    if not q:
        raise GmdocsError("检索词为空：请给出关键词，如 gmdocs search 能效", EXIT_BAD_INPUT)
    pq = ParsedQuery()
    rest = fold_text(q)
    for cand, _, _ in find_citations(rest):
        if parse(cand) is not None:
            pq.numbers.append(cand)
            rest = rest.replace(cand, " ", 1)
    for m in _BARE_NUMBER.finditer(rest):
        pq.numbers.append(m.group(1))
        pq.bare.append(m.group(1))
    for n in pq.bare:
        rest = rest.replace(n, " ", 1)
    pq.terms = [t for t in rest.split() if tokens(t)]
    if not pq.numbers and not pq.terms:
        raise GmdocsError(f"检索词 {text!r} 中没有可检索的文字或编号", EXIT_BAD_INPUT)
    return pq


def _text_query(term: str):
    from whoosh.query import Or, Phrase, Term, Wildcard
    toks = [t for t, _, _ in tokens(term)]
    parts = []
    for fld in ("title", "body"):
        if len(toks) == 1:
            tok = toks[0]
            if len(tok) == 1 and not tok.isascii():
                parts.append(Or([Wildcard(fld, tok + "*"), Wildcard(fld, "*" + tok)]))
            else:
                parts.append(Term(fld, tok))
        else:
            parts.append(Phrase(fld, toks))
    return Or(parts)


def _number_query(number: str, loose: bool = False):
    from whoosh.query import Term
    p = parse(number)
    if p.prefix and not loose:
        return Term("numkeys", (p.base + (f"-{p.year}" if p.year else "")).lower(), boost=4.0)
    return Term("numkeys", (p.code + (f"-{p.year}" if p.year and not p.prefix else "")).lower())


def highlight(text: str, terms: list[str], numbers: list[str]) -> tuple[str, list[tuple[int, int]]]:
    """A window of the text around the first match, with match offsets inside the window."""
    folded = fold(text).lower()
    spans: list[tuple[int, int]] = []
    needles = [fold(t).lower() for t in terms]
    queries = [q for q in (parse(n) for n in numbers) if q is not None]
    for cited, s, e in find_citations(text):
        key = normalise(cited)
        if any(matches(q, key) or matches(dataclasses.replace(q, prefix=""), key) for q in queries):
            spans.append((s, e))
    for nd in needles:
        if not nd:
            continue
        start = 0
        while True:
            i = folded.find(nd, start)
            if i < 0:
                break
            spans.append((i, i + len(nd)))
            start = i + 1
    spans.sort()
    flat = text.replace("\n", " ")
    if not spans:
        return flat[:SNIPPET_CHARS], []
    first = spans[0][0]
    lo = max(0, first - SNIPPET_CHARS // 3)
    hi = min(len(flat), lo + SNIPPET_CHARS)
    inside = [(s - lo, e - lo) for s, e in spans if s >= lo and e <= hi]
    merged: list[tuple[int, int]] = []
    for s, e in inside:
        if merged and s <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(e, merged[-1][1]))
        else:
            merged.append((s, e))
    snippet = ("…" if lo else "") + flat[lo:hi] + ("…" if hi < len(flat) else "")
    off = 1 if lo else 0
    return snippet, [(s + off, e + off) for s, e in merged]


def run_search(ix, text: str, type_: str | None = None, status: str | None = None,
               year: int | None = None, limit: int = 10) -> list[SearchHit]:
    from whoosh.query import And, Term
    if type_ and type_ not in TYPES:
        raise GmdocsError(f"--type 的取值 {type_!r} 不合法：应为 {'、'.join(TYPES)}", EXIT_BAD_INPUT)
    if limit < 1:
        raise GmdocsError("--limit 应为正整数", EXIT_BAD_INPUT)
    pq = parse_query(text)
    filters = []
    if type_:
        filters.append(Term("type", type_))
    if status:
        filters.append(Term("status", status))
    if year:
        filters.append(Term("years", str(year)))
    flt = And(filters) if len(filters) > 1 else (filters[0] if filters else None)
    hits: list[SearchHit] = []

    def build(loose: bool):
        parts = [_number_query(n, loose) for n in pq.numbers] + [_text_query(t) for t in pq.terms]
        return parts[0] if len(parts) == 1 else And(parts)

    with ix.searcher() as s:
        results = s.search(build(False), limit=None if pq.numbers else limit, filter=flt)
        if pq.numbers and results.is_empty():
            # "GB 36132" for "GB/T 36132": retry on the number alone.
            results = s.search(build(True), limit=None, filter=flt)
        if pq.bare and results.is_empty():
            # "2023" is more likely a year than a standard number: search it as text.
            pq.terms += pq.bare
            pq.numbers = [n for n in pq.numbers if n not in pq.bare]
            pq.bare = []
            results = s.search(build(False), limit=None if pq.numbers else limit, filter=flt)
        for r in results:
            hits.append(_hit(r, r.score, pq, "number" if pq.numbers else "text"))
        if pq.numbers:
            # Exact standard records first (newest edition first), then everything else by score.
            hits.sort(key=lambda h: (h.type != "standard", -(_edition_year(h) or 0) if h.type == "standard" else 0,
                                     -h.score))
            hits = hits[:limit]
            present = {h.id for h in hits}
            for h in list(hits):
                if h.type == "standard" and h.successor:
                    sid = "standard:" + normalise(h.successor)
                    if sid not in present:
                        doc = s.document(id=sid)
                        if doc:
                            hits.insert(hits.index(h) + 1, _hit(doc, 0.0, pq, "successor"))
                            present.add(sid)
    return hits


def _edition_year(h: SearchHit) -> int | None:
    p = parse(h.ref.get("ident", ""))
    return int(p.year) if p and p.year else None


def _hit(doc, score: float, pq: ParsedQuery, reason: str) -> SearchHit:
    fields = doc.fields() if hasattr(doc, "fields") else doc
    snippet, matches = highlight(fields.get("body", ""), pq.terms, pq.numbers)
    years = [int(y) for y in (fields.get("years") or "").split()]
    return SearchHit(
        id=fields["id"], type=fields["type"], title=fields.get("title", ""), snippet=snippet, matches=matches,
        score=round(float(score), 4), status=fields.get("status") or "", years=years,
        successor=fields.get("successor") or None, confidence=fields.get("confidence") or "",
        ref=json.loads(fields.get("ref") or "{}"), reason=reason)
