"""Count the catalogue's values per confidence tag, by record kind (`gmdocs catalogue stats`)."""
from __future__ import annotations

from .load import Catalogue
from .model import BenchmarkTable, best_confidence
from .query import values_of

# Column order of the table: the tags of the tag rule (standards/README.md), then gaps.
TAGS = ("confirmed", "single-source", "derived", "uncertain", "user-supplied", "missing")
TAG_NAMES = {"confirmed": "已核实", "single-source": "单一来源", "derived": "推算", "uncertain": "存疑",
             "user-supplied": "用户补充", "missing": "缺失"}


def _empty() -> dict[str, int]:
    return {t: 0 for t in TAGS}


def _add(table: dict[str, dict[str, int]], kind: str, tag: str) -> None:
    row = table.setdefault(kind, _empty())
    row[tag] = row.get(tag, 0) + 1


def tag_counts(cat: Catalogue) -> dict:
    """Every value (date, number, weight, level, coefficient … and whole missing benchmark rows) per tag.

    `values`: kind → tag → count, plus `total`. `items`: the same for what carries its own sources
    without being a value (a record itself, a gate, an indicator, a benchmark row)."""
    values: dict[str, dict[str, int]] = {}
    items: dict[str, dict[str, int]] = {}
    for rec in cat.records():
        values.setdefault(rec.kind, _empty())
        for v in values_of(rec):
            _add(values, rec.kind, v.confidence)
        _add(items, rec.kind, rec.confidence)
        for g in getattr(rec, "gates", []):
            _add(items, rec.kind, g.confidence)
        if hasattr(rec, "indicators") and callable(rec.indicators):
            for i in rec.indicators():
                _add(items, rec.kind, i.confidence)
        if isinstance(rec, BenchmarkTable):
            for row in rec.rows:
                if row.known:
                    _add(items, rec.kind, best_confidence(row.sources))
                else:
                    _add(values, rec.kind, "missing")   # a whole row of values not recorded
    out = {}
    for name, table in (("values", values), ("items", items)):
        total = _empty()
        for row in table.values():
            for t, n in row.items():
                total[t] = total.get(t, 0) + n
        out[name] = {k: table[k] for k in sorted(table)}
        out[name]["total"] = total
    return out


def stats_text(counts: dict) -> list[str]:
    """Two plain tables (values, then sourced items) with one column per tag."""
    tags = [t for t in TAGS]
    extra = sorted({t for part in counts.values() for row in part.values() for t in row} - set(tags))
    tags += extra
    lines: list[str] = []
    for name, title in (("values", "值（日期、数字、权重、分值、标杆/基准、系数……；整行缺失的标杆行计为缺失）"),
                        ("items", "自带出处的条目（记录本身、否决项、指标、标杆行）")):
        table = counts[name]
        lines.append(f"{title}：")
        head = ["类型"] + [f"{t}" for t in tags] + ["合计"]
        rows = [[kind] + [str(table[kind].get(t, 0)) for t in tags] + [str(sum(table[kind].values()))]
                for kind in table]
        widths = [max(len(r[i]) for r in rows + [head]) for i in range(len(head))]
        lines.append("  ".join(h.ljust(widths[i]) for i, h in enumerate(head)).rstrip())
        for r in rows:
            lines.append("  ".join(c.ljust(widths[i]) if i == 0 else c.rjust(widths[i])
                                   for i, c in enumerate(r)).rstrip())
        lines.append("")
    lines.append("标记：" + "，".join(f"{t}={TAG_NAMES.get(t, t)}" for t in tags))
    return lines
