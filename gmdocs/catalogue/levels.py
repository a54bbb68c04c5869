"""Which 基准值/引领值 apply to an applicant: the industry's own values first, else the general ones."""
from __future__ import annotations

from .model import Indicator, Value

MIN_INDUSTRY_SCORE = 2      # gmdocs.catalogue.applicable.industry_score: 3 same, 2 one contains the other


def industry_levels(ind: Indicator, industry: str | None) -> tuple[str | None, dict[str, Value]]:
    """The best-matching `by_industry` entry (name, {"baseline"/"leading": Value}), or (None, {})."""
    if not industry or not ind.by_industry:
        return None, {}
    from .applicable import industry_score
    best, best_score = None, 0
    for name in ind.by_industry:            # declaration order breaks ties
        sc = industry_score(industry, name)
        if sc >= MIN_INDUSTRY_SCORE and sc > best_score:
            best, best_score = name, sc
    return (best, ind.by_industry[best]) if best is not None else (None, {})


def levels_for(ind: Indicator, industry: str | None) -> tuple[Value | None, Value | None]:
    """(baseline, leading) for an applicant in `industry`.

    Industry-specific values (`by_industry`, names matched with `industry_score` ≥ 2, the best score
    wins) come first; a level the matching entry does not have falls back to the general
    `baseline` / `leading`. A returned Value may itself be a gap (`known` is False).
    """
    _, levels = industry_levels(ind, industry)
    return levels.get("baseline", ind.baseline), levels.get("leading", ind.leading)
