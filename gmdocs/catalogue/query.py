"""Questions asked of a loaded catalogue: find a standard, its chain, benchmark rows, gaps."""
from __future__ import annotations

import dataclasses
import unicodedata
from dataclasses import dataclass

from .load import Catalogue
from .model import BenchmarkRow, BenchmarkTable, Record, Standard, Value
from .numbers import matches, parse

STATUS_ORDER = {"现行": 0, "即将实施": 1, "状态未知": 2, "废止": 3}


def find_standards(cat: Catalogue, query: str, loose: bool = True) -> list[Standard]:
    """Every edition matching a (possibly partial, any spelling) standard number, newest first.

    With `loose`, a prefix that matches nothing is dropped ("GB 36132" finds GB/T 36132)."""
    parsed = parse(query)
    if parsed is None:
        return []
    hits = [s for s in cat.standards.values() if matches(parsed, s.key)]
    if not hits and parsed.prefix and loose:
        # "GB 36132" for "GB/T 36132": fall back to the number alone.
        loose = dataclasses.replace(parsed, prefix="")
        hits = [s for s in cat.standards.values() if matches(loose, s.key)]
    return sorted(hits, key=lambda s: (parse(s.key).year or "0000", s.key), reverse=True)


def replacement_chain(cat: Catalogue, std: Standard) -> list[Standard]:
    """Oldest → newest editions linked by replaces/replaced_by, including `std`."""
    chain = [std]
    seen = {std.key}
    cur = std
    while cur.replaces:
        prev = next((cat.standards[k] for k in cur.replaces if k in cat.standards and k not in seen), None)
        if prev is None:
            break
        chain.insert(0, prev)
        seen.add(prev.key)
        cur = prev
    cur = std
    while cur.replaced_by and cur.replaced_by in cat.standards and cur.replaced_by not in seen:
        cur = cat.standards[cur.replaced_by]
        chain.append(cur)
        seen.add(cur.key)
    return chain


def current_successor(cat: Catalogue, std: Standard) -> Standard | None:
    """The newest edition that (transitively) replaces `std`, if any."""
    chain = replacement_chain(cat, std)
    idx = chain.index(std)
    return chain[-1] if idx < len(chain) - 1 else None


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text).replace(" ", "").lower()


def table_document_label(cat: Catalogue, table: BenchmarkTable) -> str:
    if table.document_policy and table.document_policy in cat.policies:
        return cat.policies[table.document_policy].display_number
    if table.document_standard and table.document_standard in cat.standards:
        return cat.standards[table.document_standard].number
    return table.document_policy or table.document_standard or ""


@dataclass
class BenchmarkHit:
    table: BenchmarkTable
    row: BenchmarkRow
    document: str


def find_benchmark_rows(cat: Catalogue, query: str, doc: str | None = None) -> list[BenchmarkHit]:
    """Rows whose product, area, id or indicator contains the query (full-width tolerant)."""
    q = _fold(query)
    d = _fold(doc) if doc else None
    hits = []
    for table in cat.benchmark_tables.values():
        label = table_document_label(cat, table)
        if d and d not in _fold(label) and d not in _fold(table.id) and d not in _fold(table.title):
            continue
        for row in table.rows:
            fields = [row.product, row.area, row.id, row.indicator]
            if any(f and q in _fold(f) for f in fields):
                hits.append(BenchmarkHit(table, row, label))
    return hits


@dataclass
class Gap:
    path: str
    where: str           # the document and clause where the value is to be found
    record: str          # record title / number
    kind: str
    file: str
    line: int

    def to_json(self) -> dict:
        return dataclasses.asdict(self)


def _record_label(rec: Record) -> str:
    if isinstance(rec, Standard):
        return f"{rec.number} {rec.title}"
    return getattr(rec, "title", None) or getattr(rec, "ident", "")


def list_standards(cat: Catalogue, status: str | None = None, level: str | None = None,
                   topic: str | None = None) -> list[Standard]:
    """Standards filtered by status, level (国家/行业/团体/地方, with or without 标准) and topic, by key."""
    from ..errors import EXIT_BAD_INPUT, GmdocsError, said
    if level and not level.endswith("标准"):
        level += "标准"
    if level and level not in ("国家标准", "行业标准", "团体标准", "地方标准"):
        raise GmdocsError(f"--type 的取值 {said(level)} 不合法：应为 国家、行业、团体 或 地方", EXIT_BAD_INPUT)
    return [s for s in sorted(cat.standards.values(), key=lambda s: s.key)
            if (not status or s.status == status) and (not level or s.level == level)
            and (not topic or topic in s.topics)]


def values_of(obj) -> list[Value]:
    """Every Value inside a record (dates, weights, points, benchmark levels, coefficients …)."""
    out: list[Value] = []
    _walk_values(obj, out)
    return out


def _walk_values(obj, out: list[Value]) -> None:
    if isinstance(obj, Value):
        out.append(obj)
    elif dataclasses.is_dataclass(obj):
        for f in dataclasses.fields(obj):
            _walk_values(getattr(obj, f.name), out)
    elif isinstance(obj, (list, tuple)):
        for x in obj:
            _walk_values(x, out)
    elif isinstance(obj, dict):
        for x in obj.values():
            _walk_values(x, out)


def gaps(cat: Catalogue) -> list[Gap]:
    """Every value recorded as missing, with its gap path and where to find it."""
    out: list[Gap] = []
    for rec in cat.records():
        label = _record_label(rec)
        values: list[Value] = []
        _walk_values(rec, values)
        for v in values:
            if not v.known:
                out.append(Gap(v.path, v.missing or "", label, rec.kind, v.file, v.line))
        if isinstance(rec, BenchmarkTable):
            for row in rec.rows:
                if not row.known:
                    out.append(Gap(row.path, row.missing or "", label, "benchmark_row", rec.file, row.line))
    return out


def confidence_counts(cat: Catalogue) -> dict[str, int]:
    """Confidence of every sourced fact: records (identity), gates, indicators, rows, values."""
    from .model import best_confidence
    counts: dict[str, int] = {}

    def add(c: str) -> None:
        counts[c] = counts.get(c, 0) + 1

    for rec in cat.records():
        add(rec.confidence)
        values: list[Value] = []
        _walk_values(rec, values)
        for v in values:
            add(v.confidence)
        for g in getattr(rec, "gates", []):
            add(g.confidence)
        if hasattr(rec, "indicators") and callable(rec.indicators):
            for i in rec.indicators():
                add(i.confidence)
        for row in getattr(rec, "rows", []):
            add(best_confidence(row.sources) if row.known else "missing")
    return counts


def catalogue_counts(cat: Catalogue) -> dict[str, int]:
    rows = [r for t in cat.benchmark_tables.values() for r in t.rows]
    return {
        "standards": len(cat.standards),
        "policies": len(cat.policies),
        "rulebooks": len(cat.rulebooks),
        "indicators": sum(len(rb.indicators()) for rb in cat.rulebooks.values()),
        "gates": sum(len(rb.gates) for rb in cat.rulebooks.values()),
        "benchmark_tables": len(cat.benchmark_tables),
        "benchmark_rows_with_values": sum(1 for r in rows if r.known),
        "benchmark_rows_missing": sum(1 for r in rows if not r.known),
        "coefficients": sum(len(c.coefficients) for c in cat.conversions.values()),
        "campaigns": len(cat.campaign_list),
        "gaps": len(gaps(cat)),
    }
