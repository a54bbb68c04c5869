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
