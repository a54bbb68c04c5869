"""Official report formats as data: templates/formats.yaml lists, per (category, report kind, edition), the
template, the campaign years it serves, the fields the official form asks for, its length limits, the
sources of each part and the section map. The campaign year picks the edition; `--format` overrides.

Adding next year's format is a template plus an entry in formats.yaml; no code here changes.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from ..errors import EXIT_BAD_INPUT, GmdocsError
from ..paths import templates_dir

FORMATS_FILE = "formats.yaml"
KIND_NAMES = {"self": "自评价报告", "third-party": "第三方评价报告"}


@dataclass(frozen=True)
class Format:
    id: str
    category: str
    kind: str
    name: str
    first: int
    last: int | None
    template: Path
    required: tuple[str, ...]
    limits: dict = field(default_factory=dict, hash=False, compare=False)
    sources: tuple[dict, ...] = ()
    sections: tuple[dict, ...] = ()

    def serves(self, year: int) -> bool:
        return self.first <= year and (self.last is None or year <= self.last)

    @property
    def rounds_text(self) -> str:
        return f"{self.first}—{self.last}年度" if self.last else f"{self.first}年度起"


def _problem(msg: str) -> GmdocsError:
    return GmdocsError(f"格式版本表 {templates_dir() / FORMATS_FILE} 有误：{msg}", EXIT_BAD_INPUT)


@lru_cache(maxsize=4)
def _load(folder: str) -> tuple[Format, ...]:
    from ..catalogue.yamlsrc import read_yaml
    data, probs = read_yaml(Path(folder) / FORMATS_FILE, FORMATS_FILE)
    if probs or not isinstance(data, dict) or not isinstance(data.get("formats"), list):
        raise _problem("无法读取，或缺少 formats 列表" + (f"（{probs[0]}）" if probs else ""))
    out = []
    for i, e in enumerate(data["formats"], 1):
        try:
            rounds = e["rounds"]
            out.append(Format(id=str(e["id"]), category=e["category"], kind=e["kind"], name=e["name"],
                              first=int(rounds[0]), last=None if rounds[1] is None else int(rounds[1]),
                              template=Path(folder) / e["template"], required=tuple(e.get("required") or ()),
                              limits=dict(e.get("limits") or {}), sources=tuple(e.get("sources") or ()),
                              sections=tuple(e["sections"])))
        except (KeyError, TypeError, ValueError, IndexError) as exc:
            raise _problem(f"第 {i} 项缺少或写错了字段（{exc}）") from exc
    return tuple(out)


def all_formats() -> tuple[Format, ...]:
    return _load(str(templates_dir()))


def choose(category: str, kind: str, year: int | None, edition: str | None = None) -> Format:
    """The edition for the campaign year (the newest that serves it), or the one `--format` names."""
    mine = [f for f in all_formats() if f.category == category and f.kind == kind]
    if not mine:
        raise _problem(f"没有 {category}/{kind} 的格式")
    if edition is not None:
        hit = [f for f in mine if f.id == str(edition)]
        if not hit:
            have = "、".join(f"{f.id}（{f.name}）" for f in mine)
            raise GmdocsError(f"没有格式版本 {edition}；{KIND_NAMES[kind]}可用的版本：{have}", EXIT_BAD_INPUT)
        return hit[0]
    if year is not None:
        serving = [f for f in mine if f.serves(year)] or [f for f in mine if f.first <= year]
        if serving:
            return max(serving, key=lambda f: f.first)
        return min(mine, key=lambda f: f.first)
    return max(mine, key=lambda f: f.first)


def for_template(template: Path, category: str, kind: str, year: int | None) -> Format:
    """The entry of a shipped template; a user's own template takes the section map of the year's edition."""
    for f in all_formats():
        if f.template.resolve() == Path(template).resolve():
            return f
    return choose(category, kind, year)


def flat_sections(sections, level: int = 1) -> list[dict]:
    out = []
    for s in sections:
        out.append({**{k: v for k, v in s.items() if k != "children"}, "level": level})
        out += flat_sections(s.get("children") or [], level + 1)
    return out
