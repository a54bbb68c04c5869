"""CJK-bigram analyzer: every pair of adjacent Han characters is a token.

Chosen by measurement (see README, 检索): it finds 能效 inside 节能效果, which a word
segmenter (jieba) splits as 节能/效果 and misses, and it costs nothing at start-up.
Latin letters and digits form lowercase word tokens. A multi-token query becomes a
phrase query, so 单位产品综合能耗 matches only that exact run of characters.
"""
from __future__ import annotations

import re
import unicodedata

from whoosh.analysis import Token, Tokenizer

_HAN = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_RUN = re.compile(rf"[{_HAN}]+|[0-9A-Za-z]+(?:\.[0-9]+)*")
_IS_HAN = re.compile(rf"[{_HAN}]")


def fold(text: str) -> str:
    """Full-width → half-width (length-preserving for the characters we index)."""
    out = []
    for ch in text:
        n = unicodedata.normalize("NFKC", ch)
        out.append(n if len(n) == 1 else ch)
    return "".join(out)


def tokens(text: str) -> list[tuple[str, int, int]]:
    """(token, startchar, endchar) for a text; positions are the list indexes."""
    text = fold(text)
    out: list[tuple[str, int, int]] = []
    for m in _RUN.finditer(text):
        run, start = m.group(0), m.start()
        if _IS_HAN.match(run):
            if len(run) == 1:
                out.append((run, start, start + 1))
            else:
                for i in range(len(run) - 1):
                    out.append((run[i:i + 2], start + i, start + i + 2))
        else:
            out.append((run.lower(), start, m.end()))
    return out


class BigramTokenizer(Tokenizer):
    def __eq__(self, other):
        return isinstance(other, BigramTokenizer)

    def __call__(self, value, positions=False, chars=False, keeporiginal=False, removestops=True,
                 start_pos=0, start_char=0, tokenize=True, mode="", **kwargs):
        t = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        if not tokenize:
            t.original = t.text = value
            t.boost = 1.0
            if positions:
                t.pos = start_pos
            if chars:
                t.startchar, t.endchar = start_char, start_char + len(value)
            yield t
            return
        for pos, (text, s, e) in enumerate(tokens(value)):
            t.text = text
            t.boost = 1.0
            if keeporiginal:
                t.original = text
            t.stopped = False
            if positions:
                t.pos = start_pos + pos
            if chars:
                t.startchar, t.endchar = start_char + s, start_char + e
            yield t


def BigramAnalyzer():
    return BigramTokenizer()
