"""`which`: the evaluation standard, benchmark rows and campaign rules that apply to an applicant."""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from dataclasses import dataclass, field

from ..errors import EXIT_BAD_INPUT, GmdocsError
from .load import Catalogue
from .model import CATEGORY_NAMES, Campaign, Rulebook, Standard
from .query import BenchmarkHit, table_document_label

_SUFFIX = re.compile(r"(行业|工业|制造业|制造|生产|产业|业)$")


@lru_cache(maxsize=4096)
def _norm(name: str) -> str:
    s = unicodedata.normalize("NFKC", name).strip().replace(" ", "")
    return _SUFFIX.sub("", s) or s


@lru_cache(maxsize=16384)
def industry_score(query: str, name: str) -> int:
    """3 = same industry, 2 = one name contains the other (水泥 / 水泥熟料), 0 = unrelated."""
    q, n = _norm(query), _norm(name)
    if not q or not n:
        return 0
    if q == n:
        return 3
    if len(min(q, n, key=len)) >= 2 and (q in n or n in q):
        return 2
    return 0


def best_industry_score(query: str, names: list[str]) -> int:
    return max((industry_score(query, n) for n in names), default=0)


@dataclass
class Applicability:
    year: int
    category: str
    industry: str
    product: str | None
    campaign: Campaign
    category_available: bool
    as_of: str = ""                       # the date standards' status is judged at
    as_of_reason: str = ""
    industry_standards: list[Standard] = field(default_factory=list)
    general_standards: list[Standard] = field(default_factory=list)
    rulebooks: list[Rulebook] = field(default_factory=list)
    quota_standards: list[Standard] = field(default_factory=list)
    benchmarks: list[BenchmarkHit] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def basis(self) -> str:
        return "industry" if self.industry_standards else "general"


def _date_key(v) -> str | None:
    """A catalogue date value (date, 'YYYY-MM' or 'YYYY') as a sortable 'YYYY-MM-DD' string (start of the period)."""
    if v is None or not v.known or v.value is None:
        return None
    x = v.value
    if hasattr(x, "isoformat"):
        return x.isoformat()
    parts = str(x).split("-")
    return "-".join(parts + ["01"] * (3 - len(parts)))


def campaign_date(camp: Campaign) -> tuple[str, str]:
    """The date a campaign's rules are judged at: its latest known deadline, else the end of its year."""
    dates = [d for d in (_date_key(it.date) for it in camp.deadlines) if d]
    if dates:
        return max(dates), "该年度最晚的截止日期"
    return f"{camp.year}-12-31", "该年度截止日期未收录，按年末"


def status_on(s: Standard, as_of: str) -> str:
    """The standard's status on a date (YYYY-MM-DD), from its effective/abolished dates; the recorded status otherwise."""
    eff, ab = _date_key(s.effective), _date_key(s.abolished)
    if eff and as_of < eff:
        return "即将实施"
    if ab:
        return "废止" if as_of >= ab else "现行"
    if s.status == "即将实施" and eff:
        return "现行"
    if s.status == "废止" and s.replaced_by is None and eff and as_of >= eff:
        return "废止"
    return s.status


def _active(s: Standard, as_of: str | None = None) -> bool:
    status = status_on(s, as_of) if as_of else s.status
    return status in ("现行", "状态未知")


def which(cat: Catalogue, industry: str, year: int, category: str = "factory",
          product: str | None = None) -> Applicability:
    """What applies; the result is memoised on the catalogue (it depends on nothing else; treat it as read-only)."""
    cache = cat.__dict__.setdefault("_which_cache", {})
    key = (industry, year, category, product)
    if key not in cache:
        cache[key] = _which(cat, industry, year, category, product)
    return cache[key]


def _which(cat: Catalogue, industry: str, year: int, category: str = "factory",
           product: str | None = None) -> Applicability:
    if category not in CATEGORY_NAMES:
        raise GmdocsError(f"类别 {category!r} 不合法：应为 factory、park 或 supply-chain", EXIT_BAD_INPUT)
    industry = (industry or "").strip()
    if not industry:
        raise GmdocsError("--industry 不能为空", EXIT_BAD_INPUT)
    camp = cat.campaigns.get(year)
    if camp is None:
        known = "、".join(str(y) for y in sorted(cat.campaigns))
        raise GmdocsError(f"年度 {year} 未收录（已收录年度：{known}）", EXIT_BAD_INPUT)
    cat_rules = camp.categories.get(category)
    res = Applicability(year, category, industry, product, camp, cat_rules is not None)
    as_of, as_of_reason = campaign_date(camp)
    res.as_of, res.as_of_reason = as_of, as_of_reason
    if cat_rules is None:
        offered = "、".join(CATEGORY_NAMES[c] for c in camp.categories)
        res.notes.append(f"{year}年度推荐工作没有“{CATEGORY_NAMES[category]}”类别（本年度类别：{offered}）。")
        return res
    rulebooks = [cat.rulebooks[r] for r in cat_rules.rulebooks if r in cat.rulebooks]
    topic = {"factory": "green-factory", "park": "park", "supply-chain": "supply-chain"}[category]
    # An industry's own system comes first, then the general one (the reference while the industry rules are not collected).
    specific = [rb for rb in rulebooks if rb.industries and best_industry_score(industry, rb.industries)]
    if product and not specific:
        specific = [rb for rb in rulebooks if rb.industries and best_industry_score(product, rb.industries)]
    general = [rb for rb in rulebooks if not rb.industries]
    res.rulebooks = specific + general
    if category == "supply-chain" and not specific:
        res.notes.append(f"“{industry}”不属于有专门评价指标体系的行业（电子电器、机械、汽车），按通用评价要求评价。")
    for rb in general:
        for key in rb.basis_standards:
            if key in cat.standards and cat.standards[key] not in res.general_standards:
                res.general_standards.append(cat.standards[key])
    if cat_rules.industry_standards and category != "supply-chain":
        scored = [(best_industry_score(industry, s.industries), s) for s in cat.standards.values()
                  if topic in s.topics and s.industries and _active(s, as_of) and s not in res.general_standards]
        top = max((sc for sc, s in scored if s.level == "行业标准"), default=0)
        res.industry_standards = [s for sc, s in scored if sc and sc == top and s.level == "行业标准"]
        others = [s for sc, s in scored if sc and s.level != "行业标准"]
        if others:
            res.notes.append("相关的地方/团体标准（不替代行业标准或通则，仅供参考）："
                             + "、".join(f"{s.number}《{s.title}》" for s in others))
        if category == "factory":
            if res.industry_standards:
                res.notes.append("已发布绿色工厂评价行业标准的，按行业标准评价。")
            else:
                names = "、".join(s.number for s in res.general_standards) or "通则"
                res.notes.append(f"未找到“{industry}”的绿色工厂评价行业标准，按通则（{names}）评价。"
                                 "如你所在行业已有行业标准而本工具未收录，请以工业和信息化部节能与综合利用司公布的清单为准。")
    # Benchmarks: the campaign's tables plus energy-quota grade tables of the industry's standards.
    res.quota_standards = [s for s in cat.standards.values()
                           if "energy-quota" in s.topics and _active(s, as_of)
                           and (best_industry_score(industry, s.industries)
                                or (product and best_industry_score(product, s.industries)))]
    for s in cat.standards.values():
        if "energy-quota" in s.topics and s not in res.quota_standards and status_on(s, as_of) == "即将实施" \
                and (best_industry_score(industry, s.industries) or (product and best_industry_score(product, s.industries))):
            prev = "、".join(s.replaces) or "上一版"
            res.notes.append(f"{s.number} 在 {year} 年度评价时尚未实施（{as_of} 时为即将实施），当时适用的是 {prev}，"
                             f"其等级数值未收录，不用 {s.number} 的数值对标。")
    quota_keys = {s.key for s in res.quota_standards}
    wanted = [product] if product else [industry]
    for t in cat.benchmark_tables.values():
        in_campaign = t.id in camp.benchmark_tables
        if not in_campaign and t.document_standard not in quota_keys:
            continue
        for row in t.rows:
            names = [x for x in (row.product, row.area) if x]
            if any(best_industry_score(w, names) for w in wanted):
                res.benchmarks.append(BenchmarkHit(t, row, table_document_label(cat, t)))
    if not res.benchmarks and category == "factory":
        res.notes.append(f"没有找到“{product or industry}”的能效标杆/基准行或能耗限额等级表；"
                         "非重点用能行业优先推荐达到相应国家能源消耗限额标准先进值的工厂。")
    if cat_rules.notes:
        res.notes.append(cat_rules.notes)
    return res
