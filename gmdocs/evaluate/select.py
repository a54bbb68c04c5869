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
    year_reason: str = ""             # which campaign year was used, and why
    basis: Rulebook | None = None     # the system the applicant is evaluated by; differs from `rulebook` when
                                      # that system is not collected and `rulebook` scores as a reference


def latest_year(cat: Catalogue, category: str) -> int | None:
    """The latest campaign year in the catalogue that has this category."""
    years = [c.year for c in cat.campaign_list if category in c.categories]
    return max(years) if years else None


def campaign_year(cat: Catalogue, app: Application, year: int | None) -> tuple[int | None, str]:
    """--year, else the file's 年度, else the latest round that has the category; with the reason in Chinese."""
    if year is not None:
        return year, f"{year} 年度（命令行 --year 指定）"
    if app.year is not None:
        return app.year, f"{app.year} 年度（申报数据文件中的“年度”）"
    latest = latest_year(cat, app.category)
    if latest is None:
        return None, "未填写年度，目录中也没有该类别的推荐年度"
    from ..catalogue.model import CATEGORY_NAMES
    return latest, (f"{latest} 年度（文件未写年度、也未用 --year 指定，取目录中有“{CATEGORY_NAMES[app.category]}”"
                    f"类别的最新年度）")


def select(cat: Catalogue, app: Application, year: int | None = None) -> Selection:
    year, reason = campaign_year(cat, app, year)
    if year is None:
        return Selection(None, None, None, None, "未填写年度（也可用 --year 指定）", year_reason=reason)
    sel = _select(cat, app, year)
    sel.year_reason = reason
    return sel


def _select(cat: Catalogue, app: Application, year: int) -> Selection:
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
    sel = Selection(year, camp, rb, appl, None if rb else "该年度该类别没有收录评价指标体系", basis=rb)
    if rb is not None and not rb.groups:
        # The system that applies is known by name only: score against a collected general one, as a reference.
        reference = next((r for r in appl.rulebooks if r.groups and not r.industries), None)
        if reference is not None:
            sel.rulebook = reference
            sel.notes.append(f"评价依据是《{rb.title}》，其指标和评分细则未收录（缺口见评分结果）；"
                             f"这里按《{reference.title}》给出参考评分，正式评价以《{rb.title}》为准。")
    return sel
