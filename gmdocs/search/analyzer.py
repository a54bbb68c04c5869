"""Text folding and CJK bigrams: every pair of adjacent Han characters is a token.

Bigrams rather than a word segmenter (measured, see README 检索): they find 能效 inside 节能效果, which
jieba splits as 节能/效果 and misses, and they cost nothing at start-up. Latin letters and digits form
lowercase word tokens. The search itself matches substrings (query.py); bigrams measure how much of a
query or a title another text covers.

Whoosh is not used by gmdocs (benchmarks/compare_search.py keeps the Whoosh analyzer built on `tokens`,
for comparison).
"""
from __future__ import annotations

import re
import unicodedata

# No character classes over the Han ranges in regular expressions here: compiling one takes several
# milliseconds (re builds a 64 K bitmap), which a cold `gmdocs search` pays on every start.
_ASCII_RUN = re.compile(r"[0-9A-Za-z]+(?:\.[0-9]+)*")


def is_han(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf" or "\uf900" <= ch <= "\ufaff"


def runs(text: str) -> list[tuple[str, int, bool]]:
    """(run, start, is_chinese): runs of Han characters and of ASCII letters/digits (7119.1 stays one run)."""
    out = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if is_han(ch):
            j = i + 1
            while j < n and is_han(text[j]):
                j += 1
            out.append((text[i:j], i, True))
            i = j
        elif ch.isascii() and ch.isalnum():
            m = _ASCII_RUN.match(text, i)
            out.append((m.group(0), i, False))
            i = m.end()
        else:
            i += 1
    return out


class _FoldTable(dict):
    """str.translate table filled on first sight of each character (NFKC when it stays one character)."""

    def __missing__(self, code: int) -> str:
        ch = chr(code)
        n = unicodedata.normalize("NFKC", ch)
        self[code] = out = n if len(n) == 1 else ch
        return out


_FOLD = _FoldTable()


def fold(text: str) -> str:
    """Full-width → half-width (length-preserving for the characters we index)."""
    return text.translate(_FOLD)


def tokens(text: str) -> list[tuple[str, int, int]]:
    """(token, startchar, endchar) for a text; positions are the list indexes."""
    text = fold(text)
    out: list[tuple[str, int, int]] = []
    for run, start, han in runs(text):
        if han:
            if len(run) == 1:
                out.append((run, start, start + 1))
            else:
                for i in range(len(run) - 1):
                    out.append((run[i:i + 2], start + i, start + i + 2))
        else:
            out.append((run.lower(), start, start + len(run)))
    return out
