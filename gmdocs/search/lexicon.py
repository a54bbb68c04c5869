"""The search word table: synonyms.yaml (shipped with the package) plus words taken from the catalogue.

Read when the index is built (YAML is loaded then anyway) and stored inside the index as plain JSON,
so a search never parses YAML. The file's bytes are part of the index cache key.
"""
from __future__ import annotations

from pathlib import Path

from ..errors import EXIT_BAD_INPUT, GmdocsError
from .analyzer import fold

SYNONYMS_FILE = Path(__file__).with_name("synonyms.yaml")
# Kinds of record a type word can point to: the part of a hit id before the colon.
KINDS = ("standard", "policy", "campaign", "rulebook", "indicator", "benchmark")


def norm(word: str) -> str:
    """How a word is compared: full-width folded, lower case, no spaces."""
    return "".join(fold(str(word)).lower().split())


def _words(value, where: str) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(w, (str, int)) for w in value):
        raise GmdocsError(f"{SYNONYMS_FILE.name}：{where} 应为词语列表", EXIT_BAD_INPUT)
    return [w for w in (norm(x) for x in value) if w]


def read_table(path: Path = SYNONYMS_FILE) -> dict:
    import yaml
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    if not isinstance(data, dict):
        raise GmdocsError(f"{path.name}：顶层应为映射", EXIT_BAD_INPUT)
    unknown = set(data) - {"same", "expand", "words", "optional", "hints", "prefer", "current"}
    if unknown:
        raise GmdocsError(f"{path.name}：未知的键 {'、'.join(sorted(unknown))}", EXIT_BAD_INPUT)
    variants: dict[str, list[str]] = {}

    def add(word: str, alts: list[str]) -> None:
        cur = variants.setdefault(word, [])
        for a in alts:
            if a != word and a not in cur:
                cur.append(a)

    for i, group in enumerate(data.get("same") or []):
        group = _words(group, f"same 第 {i + 1} 组")
        for w in group:
            add(w, group)
    expand = data.get("expand") or {}
    if not isinstance(expand, dict):
        raise GmdocsError(f"{path.name}：expand 应为 词: [词, …] 的映射", EXIT_BAD_INPUT)
    for word, alts in expand.items():
        add(norm(word), _words(alts, f"expand.{word}"))
    for key in ("hints", "prefer"):
        value = data.get(key) or {}
        if not isinstance(value, dict) or set(value) - set(KINDS):
            raise GmdocsError(f"{path.name}：{key} 的键应为 {'、'.join(KINDS)}", EXIT_BAD_INPUT)
    return {
        "variants": variants,
        "words": _words(data.get("words") or [], "words"),
        "optional": _words(data.get("optional") or [], "optional"),
        "hints": {t: _words(ws, f"hints.{t}") for t, ws in (data.get("hints") or {}).items()},
        "prefer": {t: _words(ws, f"prefer.{t}") for t, ws in (data.get("prefer") or {}).items()},
        "current": _words(data.get("current") or [], "current"),
    }


def catalogue_words(cat) -> list[str]:
    """Names worth keeping whole when a query is split into words: products, areas, industries, categories,
    indicator and group names."""
    from ..catalogue.model import CATEGORY_NAMES
    words: set[str] = set(CATEGORY_NAMES.values())
    for s in cat.standards.values():
        words |= set(s.industries)
    for rb in cat.rulebooks.values():
        words |= set(rb.industries)
        for g in rb.groups:
            words.add(g.name)
            words |= {i.name for i in g.indicators}
    for t in cat.benchmark_tables.values():
        for r in t.rows:
            words |= {x for x in (r.area, r.product) if x}
    out = set()
    for w in words:
        w = norm(w)
        # Plain Chinese words only: "陶瓷砖（干压，吸水率≤0.2%）" is not something people type.
        if 2 <= len(w) <= 8 and all("\u3400" <= ch <= "\u9fff" for ch in w):
            out.add(w)
    return sorted(out)


def build_lexicon(cat, path: Path = SYNONYMS_FILE) -> dict:
    table = read_table(path)
    table["words"] = sorted(set(table["words"]) | set(catalogue_words(cat)))
    return table
