"""Run a user's query against the prepared documents.

1. The query is read into units: standard numbers (GB/T 36132), document numbers (723号, 发改产业〔2023〕723号),
   years (2025、2025年、2025年度、2025版), Latin words (PTA) and Chinese text. Chinese text is cut at the words of
   the word table (synonyms.yaml): 硅铁标杆值 → 硅铁 + 标杆值, and 标杆值 also matches 标杆水平.
   Spoken words (能否、最新) need not occur; type words (标准、通知、指标) only prefer a record type.
2. Matches: records containing every unit that is not optional — each Chinese run either as typed, or cut
   further at common words and catalogue names (2025年度绿色工厂名单公布 → 绿色工厂 + 名单 + 公布); records with
   every run as typed rank higher (PHRASE_BONUS). Only when no record has every unit, the fallback: records
   covering at least half of the query, a partly matched run counted by the share of its two-character pieces
   found, or in a record's name by the best position-by-position match (one wrong character in 绿色工厂评价通侧
   still finds 绿色工厂评价通则). The number of matches is the true count (`SearchResults.total`).
3. Ranking: a unit found in the record's own name counts most (FIELD_WEIGHTS: name 1.0, body 0.6, parent 0.35);
   then how much of the record's name the query accounts for — the record that IS the named thing ranks above
   records that mention it, and an exact name match above all; then the record type the query hints at,
   and current records before replaced ones. Standard numbers keep their rule: the standard itself first
   (newest edition first), an abolished edition followed by its replacement.
"""
from __future__ import annotations

import dataclasses
import functools
import re
from dataclasses import asdict, dataclass

from ..errors import EXIT_BAD_INPUT, GmdocsError, said
from .analyzer import fold, runs, tokens

TYPES = ("standard", "indicator", "benchmark", "policy")
FIELD_WEIGHTS = {"cn": 1.0, "cb": 0.6, "cp": 0.35}
SYNONYM_FACTOR = 0.9          # a synonym found counts a little less than the word as typed
YEAR_IN_APPLICABLE = 0.3      # the year only among the campaign years a record applies to
PARTIAL_MIN = 0.5             # a partly matched unit counts only from half its pieces on
FALLBACK_MIN = 0.5            # the fallback keeps records covering at least half of the query
PHRASE_BONUS = 0.3            # every Chinese run found as typed, not only its words
SNIPPET_CHARS = 90

_BARE_NUMBER = re.compile(r"(?<![\w.])(\d{4,6}(?:\.\d{1,3})?(?:-(?:19|20)\d{2})?)(?![\w])")
_DOCNO = re.compile(r"[〔\[【(（]\s*((?:19|20)\d{2})\s*[〕\]】)）]\s*(\d{1,5})\s*号(?:文件|文)?"
                    r"|(?<![\d.])(\d{1,5})\s*号(?:文件|文)?")
_YEAR = re.compile(r"(?<![\d.])((?:19|20)\d{2})\s*(?:年度|年版|年|版)")
_IS_YEAR = re.compile(r"(?:19|20)\d{2}")
_STATUS_CURRENT = {"现行", "即将实施"}
_STATUS_OLD = {"废止", "已被替代"}


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
    reason: str = "text"          # "number" (exact standard number) / "successor" / "text" / "partial" (fallback)
    mark: str = ""                # 【未核实：单一来源】… as shown next to the title

    def to_json(self) -> dict:
        d = asdict(self)
        d["matches"] = [list(m) for m in self.matches]
        return d


class SearchResults(list):
    """The hits shown (a list of SearchHit, at most `limit`), with the true number of matches.

    `total` counts every record that matches, not only those shown; `partial` is True when no record
    contains the whole query and the hits come from the fallback (ranked by how much they cover)."""

    def __init__(self, hits=(), total: int = 0, partial: bool = False):
        super().__init__(hits)
        self.total = total
        self.partial = partial


# Plain classes, not dataclasses, for what never leaves this module: each dataclass costs a cold start
# milliseconds to create.
class ParsedQuery:
    def __init__(self):
        self.numbers: list[str] = []                   # standard numbers as written
        self.bare: list[str] = []                      # of which: digits only ("36132")
        self.docnos: list[tuple[str, int | None]] = []  # ("723", 2023)
        self.years: list[int] = []
        self.words: list[str] = []                     # Latin/digit words ("pta", "800")
        self.runs: list[str] = []                      # runs of Chinese text, in order
        self.terms: list[str] = []                     # every text piece


class Unit:
    """One thing a record must contain: a Chinese word or run, a Latin word, a year or a number."""
    __slots__ = ("kind", "text", "variants", "weight", "optional", "free", "loose", "year", "pieces")

    def __init__(self, kind: str, text: str, variants: list[str], weight: float, optional: bool = False,
                 free: bool = False, year: int | None = None, pieces: list[str] | None = None):
        self.kind = kind                # han / word / year / number / docno
        self.text = text
        self.variants = variants        # text first, then its synonyms
        self.weight = weight
        self.optional = optional        # need not occur (spoken words, type words)
        self.free = free                # Chinese text not in the word table
        self.loose = False              # number: match on the code alone ("GB 36132" for GB/T 36132)
        self.year = year                # docno: the year in 〔2023〕
        self.pieces = pieces or []      # bigrams of text (partial credit)


def parse_query(text: str) -> ParsedQuery:
    q = fold(text).strip()
    if not q:
        raise GmdocsError("检索词为空：请给出关键词，如 gmdocs search 能效", EXIT_BAD_INPUT)
    pq = ParsedQuery()
    rest = q

    def docno(m):
        if m.group(2):
            pq.docnos.append((m.group(2), int(m.group(1))))
        else:
            pq.docnos.append((m.group(3), None))
        return " "
    rest = _DOCNO.sub(docno, rest)

    def year(m):
        pq.years.append(int(m.group(1)))
        return " "
    rest = _YEAR.sub(year, rest)
    if any(ch.isascii() and ch.isalnum() for ch in rest):
        # Standard numbers (imported only here: compiling the citation pattern costs a cold start time).
        from ..catalogue.numbers import find_citations, fold_text, parse
        rest = fold_text(rest)
        for cand, _, _ in find_citations(rest):
            if parse(cand) is not None:
                pq.numbers.append(cand)
                rest = rest.replace(cand, " ", 1)
        for m in _BARE_NUMBER.finditer(rest):
            pq.numbers.append(m.group(1))
            pq.bare.append(m.group(1))
        for n in pq.bare:
            rest = rest.replace(n, " ", 1)
    for piece, _, han in runs(rest.lower()):
        if han:
            pq.runs.append(piece)
        elif _IS_YEAR.fullmatch(piece):
            pq.years.append(int(piece))
        else:
            pq.words.append(piece)
    pq.terms = pq.runs + pq.words
    if not (pq.numbers or pq.docnos or pq.years or pq.terms):
        raise GmdocsError(f"检索词 {said(text)} 中没有可检索的文字或编号", EXIT_BAD_INPUT)
    return pq


# ---------------------------------------------------------------- units

def _bigrams(text: str) -> list[str]:
    return [text[i:i + 2] for i in range(len(text) - 1)] or [text]


def _segment(run: str, dictionary: set[str], longest: int) -> list[tuple[str, bool]]:
    """Greedy longest match from the left: [(piece, is_dictionary_word)]; unknown stretches stay whole."""
    out: list[tuple[str, bool]] = []
    buf, i = "", 0
    while i < len(run):
        for n in range(min(longest, len(run) - i), 0, -1):
            if run[i:i + n] in dictionary:
                if buf:
                    out.append((buf, False))
                    buf = ""
                out.append((run[i:i + n], True))
                i += n
                break
        else:
            buf += run[i]
            i += 1
    if buf:
        out.append((buf, False))
    return out


def build_units(pq: ParsedQuery, lex: dict, fine: bool) -> tuple[list[Unit], set[str], bool]:
    """(units, hinted record types, wants current records) of a parsed query."""
    variants: dict[str, list[str]] = lex.get("variants", {})
    optional = set(lex.get("optional", [])) | set(lex.get("current", []))
    hint_of = {w: t for t, ws in lex.get("hints", {}).items() for w in ws}          # need not occur
    prefer_of = {w: t for t, ws in lex.get("prefer", {}).items() for w in ws}       # must occur
    dictionary = set(variants) | optional | set(hint_of) | set(prefer_of)
    if fine:
        dictionary |= set(lex.get("words", []))
    longest = max((len(w) for w in dictionary), default=1)
    units: list[Unit] = []
    hints: set[str] = set()
    current = False
    for n in pq.numbers:
        units.append(Unit("number", n, [n], 4.0))
    for num, y in pq.docnos:
        units.append(Unit("docno", num, [num], 4.0, year=y))
    for y in pq.years:
        units.append(Unit("year", str(y), [str(y)], 2.0))
    for w in pq.words:
        units.append(Unit("word", w, [w, *variants.get(w, [])], min(max(len(w), 2), 4), optional=len(w) == 1))
    for run in pq.runs:
        for piece, known in _segment(run, dictionary, longest):
            if piece in lex.get("current", []):
                current = True
            if piece in hint_of or piece in prefer_of:
                hints.add(hint_of.get(piece) or prefer_of[piece])
            is_optional = piece in optional or piece in hint_of
            units.append(Unit("han", piece, [piece, *variants.get(piece, [])], float(len(piece)),
                              optional=is_optional, free=not known, pieces=_bigrams(piece)))
    if not any(not u.optional for u in units):
        # Only spoken or type words ("标准"): search them after all.
        for u in units:
            u.optional = False
    return units, hints, current


# ---------------------------------------------------------------- matching one document

def _find(variant: str, text: str) -> bool:
    if variant[:1].isascii():
        return _word_pattern(variant).search(text) is not None
    return variant in text


def _number_key(number: str, loose: bool) -> str:
    from ..catalogue.numbers import parse
    p = parse(number)
    if p.prefix and not loose:
        return (p.base + (f"-{p.year}" if p.year else "")).lower()
    return (p.code + (f"-{p.year}" if p.year and not p.prefix else "")).lower()


@functools.lru_cache(maxsize=64)
def _year_pattern(year: str):
    return re.compile(rf"(?<![0-9]){year}(?![0-9])")


@functools.lru_cache(maxsize=64)
def _docno_pattern(key: str):
    return re.compile(rf"(?<![0-9]){key}")


@functools.lru_cache(maxsize=256)
def _word_pattern(word: str):
    return re.compile(rf"(?<![0-9a-z.]){re.escape(word)}(?![0-9a-z])")


def level(u: Unit, doc: dict) -> float:
    """How well a unit is found in a document: field weight of the best field, 0 when absent."""
    if u.kind == "number":
        key = _number_key(u.text, u.loose)
        if key in doc["numkeys"]:
            return 1.0
        return FIELD_WEIGHTS["cp"] if key in doc["parentkeys"] else 0.0
    if u.kind == "docno":
        key = f"{u.text}号"
        fits = u.year is None or not doc["edition"] or u.year in doc["edition"]
        if key in doc["numkeys"] and fits:
            return 1.0
        if key in doc["parentkeys"] and fits:
            return FIELD_WEIGHTS["cp"]
        return FIELD_WEIGHTS["cb"] * 0.8 if _docno_pattern(key).search(doc["cb"]) else 0.0
    if u.kind == "year":
        y = int(u.text)
        if y in doc["edition"]:
            return 1.0
        best = 0.0
        pat = _year_pattern(u.text)
        for f, w in FIELD_WEIGHTS.items():
            if w > best and pat.search(doc[f]):
                best = w
        if not best and y in doc["years"]:
            best = YEAR_IN_APPLICABLE
        return best
    if u.kind == "word" and u.text.isdigit():
        # 723, 274: a document or standard number written without 号 or prefix.
        if u.text in doc["numkeys"]:
            return 1.0
        if u.text in doc["parentkeys"]:
            return FIELD_WEIGHTS["cp"]
    best = 0.0
    every = doc["ca"]
    for i, v in enumerate(u.variants):
        if not _find(v, every):
            continue
        factor = 1.0 if i == 0 else SYNONYM_FACTOR
        for f, w in FIELD_WEIGHTS.items():
            if w * factor > best and _find(v, doc[f]):
                best = w * factor
        if best == 1.0:
            break
    return best


def _hamming(piece: str, text: str) -> float:
    """Best share of positions equal when `piece` is laid over `text` (one wrong character: (n-1)/n).
    Only for 3 characters or more: one of two characters is not a typo, it is another word."""
    n = len(piece)
    if n < 3 or len(text) < n or not set(piece) & set(text):
        return 0.0
    best = 0
    for i in range(len(text) - n + 1):
        same = sum(a == b for a, b in zip(piece, text[i:i + n]))
        if same > best:
            best = same
            if best == n:
                break
    return best / n


def partial(u: Unit, doc: dict) -> tuple[float, float]:
    """(weighted, raw) partial credit of a Chinese unit not found as a whole (fallback pass only)."""
    if u.kind != "han" or len(u.text) < 2:
        return 0.0, 0.0
    best_w = best_raw = 0.0
    for f, w in FIELD_WEIGHTS.items():
        text = doc[f]
        share = sum(1 for p in u.pieces if p in text) / len(u.pieces)
        if f == "cn":
            share = max(share, _hamming(u.text, text))
        if share >= PARTIAL_MIN:
            best_w = max(best_w, share * w)
            best_raw = max(best_raw, share)
    return best_w, best_raw


# ---------------------------------------------------------------- ranking

class _Scored:
    __slots__ = ("doc", "score", "units", "levels")

    def __init__(self, doc: dict, score: float, units: list[Unit], levels: list[float]):
        self.doc, self.score, self.units, self.levels = doc, score, units, levels

    def found(self) -> list[str]:
        """The texts to highlight (worked out for the hits shown only)."""
        return [t for u, lv in zip(self.units, self.levels) if lv > 0 for t in _found_texts(u, self.doc)]


def _qtokens(units: list[Unit]) -> set[str]:
    out: set[str] = set()
    for u in units:
        if u.kind in ("han", "word"):
            for v in u.variants:
                out |= {t for t, _, _ in tokens(v)}
        elif u.kind in ("year", "docno"):
            out.add(u.text)
    return out


def _score(doc: dict, units: list[Unit], levels: list[float], qtok: set[str], hints: set[str],
           current: bool) -> float:
    req = [(u, lv) for u, lv in zip(units, levels) if not u.optional]
    opt = [(u, lv) for u, lv in zip(units, levels) if u.optional]
    total = sum(u.weight for u, _ in req) or 1.0
    cov = sum(u.weight * lv for u, lv in req) / total
    nt = doc["nt"]
    named = sum(1 for t in nt if t in qtok) / len(nt) if nt else 0.0
    exact = 1.0 if named >= 0.999 and req and all(lv >= 1.0 for _, lv in req) else 0.0
    optional = (sum(u.weight * lv for u, lv in opt) / sum(u.weight for u, _ in opt)) if opt else 0.0
    score = cov + 0.5 * named + 0.3 * exact + 0.15 * optional
    if doc["id"].split(":", 1)[0] in hints:
        score += 0.25
    st = doc.get("status") or ""
    if st in _STATUS_CURRENT:
        score += 0.1 if current else 0.02
    elif st in _STATUS_OLD:
        score -= 0.1 if current else 0.02
    if doc["edition"]:
        score += 0.0005 * (max(doc["edition"]) - 2000) / 30      # newer edition first when all else is equal
    return score


def _found_texts(u: Unit, doc: dict) -> list[str]:
    if u.kind in ("han", "word"):
        hits = [v for v in u.variants if any(_find(v, doc[f]) for f in FIELD_WEIGHTS)]
        if hits:
            return hits
        if u.kind == "han":
            return [p for p in u.pieces if len(p) == 2 and p in doc["cb"]]
    if u.kind == "year":
        return [u.text]
    return []


def _rank(docs: list[dict], units: list[Unit], hints: set[str], current: bool, fallback: bool,
          whole: list[Unit] | None = None) -> list[_Scored]:
    """Matching documents, best first.

    Without `fallback` every unit that is not optional must occur — the units cut at common words, or
    the `whole` units (Chinese runs as typed); a record with every whole unit ranks higher (PHRASE_BONUS).
    With `fallback`, partly matched Chinese units count by their share and a record must cover
    FALLBACK_MIN of the query (numbers must still match exactly)."""
    qtok = _qtokens(units)
    must = [u for u in units if not u.optional]
    must_weight = sum(u.weight for u in must) or 1.0
    whole_must = [u for u in whole or () if not u.optional]
    separate = whole is not None and whole is not units
    out: list[_Scored] = []
    for doc in docs:
        if fallback:
            levels = [level(u, doc) for u in units]
            covered, exact_ok = 0.0, True
            for i, u in enumerate(units):
                if levels[i] > 0:
                    covered += 0.0 if u.optional else u.weight
                elif u.kind in ("number", "docno"):
                    exact_ok = False
                    break
                else:
                    levels[i], raw = partial(u, doc)
                    covered += 0.0 if u.optional else u.weight * raw
            if not exact_ok or covered / must_weight < FALLBACK_MIN:
                continue
            # A run typed with one wrong character (零炭园区) still resembles the name it meant (零碳园区).
            bonus = PHRASE_BONUS * _resemblance(whole_must, doc) if whole_must else 0.0
        else:
            all_words = all(level(u, doc) > 0 for u in must)
            all_whole = separate and all(level(u, doc) > 0 for u in whole_must)
            if not (all_words or all_whole):
                continue
            levels = [level(u, doc) for u in units]
            bonus = PHRASE_BONUS if all_whole else 0.0
        out.append(_Scored(doc, _score(doc, units, levels, qtok, hints, current) + bonus, units, levels))
    out.sort(key=lambda s: (-s.score, s.doc["id"]))
    return out


def _resemblance(whole: list[Unit], doc: dict) -> float:
    """Weighted share of the query's Chinese runs (3 characters or more) that the record's name nearly
    contains (at most one wrong character in three)."""
    runs_ = [u for u in whole if u.kind == "han" and len(u.text) >= 3]
    total = sum(u.weight for u in runs_)
    if not total:
        return 0.0
    got = 0.0
    for u in runs_:
        h = _hamming(u.text, doc["cn"])
        if h >= 2 / 3:
            got += u.weight * h
    return got / total


def _select(store, type_: str | None, status: str | None, year: int | None) -> list[dict]:
    docs = store.docs
    if type_:
        docs = [d for d in docs if d["type"] == type_]
    if status:
        docs = [d for d in docs if d.get("status") == status]
    if year:
        docs = [d for d in docs if year in d["years"]]
    return docs


def _passes(store, pq: ParsedQuery, docs: list[dict]) -> tuple[list[_Scored], bool]:
    """The matching records, and whether they come from the fallback."""
    lex = store.lexicon
    whole, hints, current = build_units(pq, lex, fine=False)
    words, hints_w, current_w = build_units(pq, lex, fine=True)
    hints |= hints_w
    current = current or current_w
    same = [u.text for u in whole] == [u.text for u in words]
    for loose in (False, True):
        if loose:
            if not pq.numbers:
                break
            for u in whole + words:
                if u.kind == "number":
                    u.loose = True
        hits = _rank(docs, words, hints, current, fallback=False, whole=words if same else whole)
        if hits:
            return hits, False
    hits = _rank(docs, words, hints, current, fallback=True, whole=whole)
    return hits, bool(hits)


def run_search(store, text: str, type_: str | None = None, status: str | None = None,
               year: int | None = None, limit: int = 10) -> SearchResults:
    if type_ and type_ not in TYPES:
        raise GmdocsError(f"--type 的取值 {said(type_)} 不合法：应为 {'、'.join(TYPES)}", EXIT_BAD_INPUT)
    if limit < 1:
        raise GmdocsError("--limit 应为正整数", EXIT_BAD_INPUT)
    pq = parse_query(text)
    docs = _select(store, type_, status, year)
    scored, fallback = _passes(store, pq, docs)
    if not scored and pq.bare:
        # "2023" is more likely a year than a standard number, "800" a value: search them as text.
        for n in pq.bare:
            pq.numbers.remove(n)
            if _IS_YEAR.fullmatch(n):
                pq.years.append(int(n))
            else:
                pq.words.append(n)
        pq.bare = []
        pq.terms = pq.runs + pq.words
        scored, fallback = _passes(store, pq, docs)
    reason = "partial" if fallback else ("number" if pq.numbers else "text")
    if pq.numbers and not fallback:
        # Exact standard records first (newest edition first), then everything else by score.
        def own(s: _Scored) -> bool:
            return s.doc["type"] == "standard" and any(
                _number_key(n, False) in s.doc["numkeys"] or _number_key(n, True) in s.doc["numkeys"]
                for n in pq.numbers)
        scored.sort(key=lambda s: (not own(s), -(max(s.doc["edition"] or [0])) if own(s) else 0, -s.score))
    total = len(scored)
    hits = [_hit(s.doc, s.score, s.found(), pq, reason) for s in scored[:limit]]
    if not fallback:
        # An abolished edition is followed by the edition that replaces it (if it passes the filters).
        allowed = {d["id"]: d for d in docs}
        present = {h.id for h in hits}
        for h in list(hits):
            sid = store.by_id[h.id].get("successor_id") if h.type == "standard" else ""
            if sid and sid not in present and sid in allowed:
                hits.insert(hits.index(h) + 1, _hit(allowed[sid], 0.0, [], pq, "successor"))
                present.add(sid)
    return SearchResults(hits, total=total, partial=fallback)


# ---------------------------------------------------------------- presentation of one hit

def highlight(text: str, terms: list[str], numbers: list[str]) -> tuple[str, list[tuple[int, int]]]:
    """A window of the text around the first match, with match offsets inside the window."""
    folded = fold(text).lower()
    spans: list[tuple[int, int]] = []
    needles = sorted({fold(t).lower() for t in terms if t}, key=len, reverse=True)
    if numbers:
        from ..catalogue.numbers import find_citations, matches, normalise, parse
        queries = [q for q in (parse(n) for n in numbers) if q is not None]
        for cited, s, e in find_citations(text):
            key = normalise(cited)
            if any(matches(q, key) or matches(dataclasses.replace(q, prefix=""), key) for q in queries):
                spans.append((s, e))
    for nd in needles:
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
        return flat[:SNIPPET_CHARS] + ("…" if len(flat) > SNIPPET_CHARS else ""), []
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


def _hit(doc: dict, score: float, found: list[str], pq: ParsedQuery, reason: str) -> SearchHit:
    snippet, spans = highlight(doc.get("body", ""), found, pq.numbers)
    return SearchHit(
        id=doc["id"], type=doc["type"], title=doc["title"], snippet=snippet, matches=spans,
        score=round(float(score), 4), status=doc.get("status") or "", years=list(doc["years"]),
        successor=doc.get("successor") or None, confidence=doc.get("confidence") or "", ref=doc.get("ref") or {},
        reason=reason, mark=doc.get("mark") or "")
