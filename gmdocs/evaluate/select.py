"""Which campaign and rulebook apply to an application."""
from __future__ import annotations

from dataclasses import dataclass, field

from ..application.model import Application
from ..catalogue.applicable import Applicability, which
from ..catalogue.load import Catalogue
from ..catalogue.model import Campaign, Rulebook


@dataclass
class Selection:
    year: int | None
    campaign: Campaign | None
    rulebook: Rulebook | None
    applicability: Applicability | None
    problem: str | None = None        # why nothing could be selected
    notes: list[str] = field(default_factory=list)


def select(cat: Catalogue, app: Application, year: int | None = None) -> Selection:
    year = year or app.year
    if year is None:
        return Selection(None, None, None, None, "未填写年度（也可用 --year 指定）")
    camp = cat.campaigns.get(year)
    if camp is None:
        known = "、".join(str(y) for y in sorted(cat.campaigns))
        return Selection(year, None, None, None, f"年度 {year} 未收录（已收录年度：{known}）")
    industry = app.get("industry") or ""
    product = app.products[0].name if app.products else None
    appl = which(cat, industry or "（未填写）", year, app.category, product)
    if not appl.category_available:
        return Selection(year, camp, None, appl, appl.notes[0])
    rb = appl.rulebooks[0] if appl.rulebooks else None
    sel = Selection(year, camp, rb, appl, None if rb else "该年度该类别没有收录评价指标体系")
    if rb is not None and rb.industries and not rb.groups:
        # The industry system is known by name only: score against the general requirements, as a reference.
        general = [cat.rulebooks[r] for r in camp.categories[app.category].rulebooks
                   if r in cat.rulebooks and not cat.rulebooks[r].industries]
        if general:
            sel.rulebook = general[0]
            sel.notes.append(f"《{rb.title}》的指标内容未收录，按《{general[0].title}》给出参考评分；"
                             "正式评价以行业专用指标体系为准。")
    return sel
