"""The prepared search documents: loaded from the index file, scanned by query.py.

Matching is on "compact" text: full-width folded, lower case, punctuation turned into spaces and the spaces
between two Chinese characters removed, so 绿色制造 制造企业绿色供应链管理 导则 contains 绿色供应链管理导则 and
精对苯二甲酸（PTA） contains pta as a word.
"""
from __future__ import annotations

import functools
import re
from pathlib import Path

from .analyzer import fold, tokens

HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"


@functools.lru_cache(maxsize=None)
def _patterns():
    # Compiled on first use: a class over the Han ranges costs milliseconds to compile, and a search
    # (which only reads prepared text) should not pay for it.
    return (re.compile(rf"[^0-9a-z.{HAN}]+"), re.compile(r"(?<![0-9])\.|\.(?![0-9])"),
            re.compile(rf"(?<=[{HAN}]) (?=[{HAN}])"))


def compact(text: str) -> str:
    non_word, lone_dot, han_gap = _patterns()
    s = non_word.sub(" ", fold(text or "").lower())
    s = lone_dot.sub(" ", s)
    s = " ".join(s.split())
    return han_gap.sub("", s)


def prepare(doc: dict) -> dict:
    """A document as stored: its fields plus the compact text of name, parent and body."""
    out = dict(doc)
    out["cn"] = compact(doc["name"])
    out["cp"] = compact(doc.get("parent", ""))
    out["cb"] = compact(doc.get("body", ""))
    out["nt"] = sorted({t for t, _, _ in tokens(out["cn"])})     # the name's pieces: how much of it a query covers
    return out


class Store:
    """What open_index returns: the documents and the word table of one index folder."""

    def __init__(self, docs: list[dict], lexicon: dict, fmt: str = ""):
        self.docs = docs
        for d in docs:
            d["ca"] = "\n".join((d["cn"], d["cb"], d["cp"]))      # one look for "is it anywhere"
            d["nt"] = set(d.get("nt", ()))
        self.lexicon = lexicon
        self.format = fmt
        self.by_id = {d["id"]: d for d in docs}

    @classmethod
    def load(cls, path: Path, fast: Path | None = None) -> Store:
        data = None
        if fast is not None:
            import marshal
            try:
                data = marshal.loads(Path(fast).read_bytes())
            except (OSError, ValueError, EOFError, TypeError):
                data = None                  # absent (another Python built the index) or unreadable: the JSON
        if not isinstance(data, dict) or "docs" not in data:
            import json
            data = json.loads(Path(path).read_text(encoding="utf-8"))
        return cls(data["docs"], data["lexicon"], data.get("format", ""))

    def doc_count(self) -> int:
        return len(self.docs)

    def close(self) -> None:
        """Nothing to release (kept so callers can treat it like an open index)."""
