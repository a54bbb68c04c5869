"""标准查新: every standard number cited in a text, checked against the catalogue."""
from __future__ import annotations

import re
from dataclasses import asdict, dataclass

from .load import Catalogue
from .numbers import _PREFIX_ALT, find_citations, fold_text, normalise, parse
from .query import current_successor, find_standards

# Report statuses (also the JSON values of `status`).
CURRENT, ABOLISHED, UPCOMING, UNKNOWN_STATUS, NOT_LISTED = "现行", "废止", "即将实施", "状态未知", "未收录"


@dataclass
class Citation:
    file: str
    location: str
    cited_as: str
    key: str
    status: str
    number: str | None          # the catalogue edition the citation resolves to
    title: str | None
    replaced_by: str | None
    note: str

    def to_json(self) -> dict:
        return asdict(self)


_PREFIX = rf"(?:(?:{_PREFIX_ALT})(?:\s*/?\s*[TZ](?![A-Z]))?|DB\s*\d{{2}}(?:\s*/?\s*T)?|T\s*/\s*[A-Z]{{2,8}})"
_BREAK = r"[ \t\u3000]*(?:\r\n|\r|\n)[ \t\u3000]*"
# A number cut by a line break (a PDF line ends inside it): the code (GB/T 336⏎35-2017) or the year (-20⏎17).
_SPLIT_CODE = re.compile(rf"(?<![A-Za-z0-9]){_PREFIX}\s*(?P<head>\d{{1,5}})(?P<gap>{_BREAK})(?P<tail>\d{{1,5}})"
                         r"(?![\d年月日条款项页个次%、)）]|\.(?!\d))", re.IGNORECASE)
_SPLIT_YEAR = re.compile(rf"(?<![A-Za-z0-9]){_PREFIX}\s*\d{{1,6}}(?:\.\d{{1,3}})*\s*-\s*(?P<head>\d{{1,3}})(?P<gap>{_BREAK})"
                         r"(?P<tail>\d{1,3})(?![\d年])", re.IGNORECASE)
MAX_CODE_DIGITS = 6


def join_split_numbers(text: str) -> str:
    """The text with every standard number that a line break cut in two joined again (查新 of a PDF whose
    line ends inside ＧＢ／Ｔ ３３６⏎３５—２０１７ found “GB/T 336”, 未收录). Only digits that make a
    plausible number are joined: a code of at most 6 digits, a year of 4."""
    for pattern, fits in ((_SPLIT_CODE, lambda h, t: len(h) + len(t) <= MAX_CODE_DIGITS),
                          (_SPLIT_YEAR, lambda h, t: len(h) + len(t) == 4 and (h + t)[:2] in ("19", "20"))):
        while True:
            folded = fold_text(text)         # same length as text: positions carry over
            m = next((m for m in pattern.finditer(folded) if fits(m.group("head"), m.group("tail"))), None)
            if m is None:
                break
            text = text[:m.start("gap")] + text[m.end("gap"):]
    return text


def check_text(cat: Catalogue, file: str, location: str, text: str) -> list[Citation]:
    out = []
    text = join_split_numbers(text)
    for cited, _, _ in find_citations(text):
        key = normalise(cited)
        p = parse(cited)
        editions = find_standards(cat, cited, loose=False)
        if not editions:
            out.append(Citation(file, location, cited, key, NOT_LISTED, None, None, None,
                                "目录中没有这个标准，无法判断状态；请到国家标准信息公共服务平台核对。"))
            continue
        if p is not None and p.year:
            std = editions[0]
        else:
            active = [s for s in editions if s.status == CURRENT]
            std = active[0] if active else editions[0]
        succ = current_successor(cat, std)
        note = ""
        if p is not None and not p.year:
            note = f"未注明年份，按 {std.number} 核对（不注日期的引用指最新版本）。"
        if std.status == ABOLISHED:
            note += f"已废止，已被 {succ.number} 代替。" if succ else "已废止。"
        elif succ is not None:
            note += f"将被 {succ.number} 代替（{succ.status}）。"
        if std.confidence != "confirmed":
            note += "（状态信息未经两个独立来源核实）"
        out.append(Citation(file, location, cited, std.key, std.status, std.number, std.title,
                            succ.number if succ else None, note))
    return out


@dataclass
class CheckResult:
    citations: list[Citation]
    warnings: list[str]


REPORT_HEADERS = ["文件", "位置", "引用写法", "状态", "对应标准", "标准名称", "代替标准", "说明"]


def check_files(cat: Catalogue, files, progress=None) -> CheckResult:
    """Check every file; all files are read before anything is reported (a bad file stops the run)."""
    from ..documents.extract import extract
    extracted = [extract(f) for f in files]
    cites: list[Citation] = []
    warnings: list[str] = []
    for ex in extracted:
        if progress:
            progress(ex.file)
        warnings += [f"{ex.file}：{w}" for w in ex.warnings]
        found = []
        for chunk in ex.chunks:
            found += check_text(cat, ex.file, chunk.location, chunk.text)
        if not found and not ex.warnings:
            warnings.append(f"{ex.file}：没有找到标准编号。")
        cites += found
    return CheckResult(cites, warnings)


def report_rows(cites: list[Citation]) -> list[list]:
    return [[c.file, c.location, c.cited_as, c.status, c.number or "", c.title or "", c.replaced_by or "", c.note]
            for c in cites]
