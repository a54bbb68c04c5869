"""Standard numbers: normalised keys and lenient matching.

`GB/T 36132-2018`, `gbt36132-2018`, `ＧＢ／Ｔ ３６１３２—２０１８` all normalise to
`GBT36132-2018`; `36132` and `GB/T36132` match every edition of 36132.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

_DASHES = "‐‑‒–—―－﹣−"
_NUMBER_RE = re.compile(r"^(?P<prefix>[A-Z][A-Z0-9]*?)?(?P<code>\d[\d.]*?)(?:-(?P<year>\d{4}))?$")


def normalise(number: str) -> str:
    """The catalogue key of a standard number (display form → key)."""
    s = unicodedata.normalize("NFKC", number).upper()
    for d in _DASHES:
        s = s.replace(d, "-")
    s = re.sub(r"[\s/\\]+", "", s)
    return s


@dataclass(frozen=True)
class ParsedNumber:
    prefix: str      # "GBT", "GB", "JCT", "TCESA", "" when only digits were given
    code: str        # "36132", "7119.1"
    year: str | None

    @property
    def base(self) -> str:
        return f"{self.prefix}{self.code}"


def parse(number: str) -> ParsedNumber | None:
    m = _NUMBER_RE.match(normalise(number))
    if not m:
        return None
    return ParsedNumber(m.group("prefix") or "", m.group("code"), m.group("year"))


def matches(query: ParsedNumber, key: str) -> bool:
    """Does a catalogue key match the (possibly partial) query?"""
    target = parse(key)
    if target is None:
        return False
    if target.code != query.code:
        return False
    if query.prefix and query.prefix != target.prefix:
        return False
    if query.year and query.year != target.year:
        return False
    return True


# Prefixes of Chinese standards as cited in documents (national, sector, local, group).
_PREFIXES = ("GB", "JB", "YB", "JC", "HG", "FZ", "YS", "QB", "SJ", "HJ", "DL", "NB", "SH", "SY", "QC", "CJ",
             "JGJ", "JG", "TB", "YY", "WS", "GA", "AQ", "MT", "DZ", "SN", "LY", "NY", "SC", "YD", "JJF", "JJG",
             "CECS", "RB", "SB", "WB", "XB", "LS", "GY", "HB", "JT", "KA", "CY", "MZ", "NB/SH")
_PREFIX_ALT = "|".join(sorted({p for p in _PREFIXES if "/" not in p}, key=len, reverse=True))
CITATION_RE = re.compile(
    r"(?<![A-Za-z0-9])("
    rf"(?:(?:{_PREFIX_ALT})(?:\s*/?\s*[TZ](?![A-Z]))?|DB\s*\d{{2}}(?:\s*/?\s*T)?|T\s*/\s*[A-Z]{{2,8}})"
    r"\s*\d{1,6}(?:\.\d{1,3})*(?:\s*-\s*(?:19|20)\d{2})?"
    r")(?![0-9])",
    re.IGNORECASE,
)


def fold_text(text: str) -> str:
    """Full-width → half-width and dashes → '-', keeping the text length unchanged."""
    out = []
    for ch in text:
        if ch in _DASHES:
            out.append("-")
            continue
        n = unicodedata.normalize("NFKC", ch)
        out.append(n if len(n) == 1 else ch)
    return "".join(out)


def find_citations(text: str) -> list[tuple[str, int, int]]:
    """Every standard number cited in a text: (as written, start, end)."""
    folded = fold_text(text)
    return [(text[m.start(1):m.end(1)], m.start(1), m.end(1)) for m in CITATION_RE.finditer(folded)]
