"""Checks across applications of one batch: the same 统一社会信用代码 twice, one company in two categories,
an evaluator over the project cap, a park's declared 绿色工厂数量 against the factories of that park."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from ..catalogue.model import CATEGORY_NAMES
from .run import AppResult


@dataclass
class Conflict:
    severity: str        # error / warning / info
    kind: str            # Chinese name of the check
    message: str
    files: list[str]

    def row(self) -> list:
        return [{"error": "错误", "warning": "警告", "info": "提示"}[self.severity], self.kind, self.message,
                listed(self.files)]


CELL_ITEMS = 50          # an Excel cell holds at most 32,767 characters: long lists are cut with a count


def listed(items: list[str], limit: int = CELL_ITEMS) -> str:
    text = "；".join(items[:limit])
    return text + (f"；等共 {len(items)} 个" if len(items) > limit else "")


def _norm(code: str) -> str:
    from ..evaluate.uscc import normalise
    return normalise(code)


def find_conflicts(results: list[AppResult]) -> list[Conflict]:
    ok = [r for r in results if r.ok]
    out: list[Conflict] = []
    by_code: dict[str, list[AppResult]] = defaultdict(list)
    for r in ok:
        if r.info.get("uscc"):
            by_code[_norm(r.info["uscc"])].append(r)
    for code, rs in sorted(by_code.items()):
        if len(rs) < 2:
            continue
        cats = defaultdict(list)
        for r in rs:
            cats[r.category].append(r)
        for cat, same in cats.items():
            if len(same) > 1:
                out.append(Conflict("error", "重复申报", f"统一社会信用代码 {code} 在{CATEGORY_NAMES[cat]}中出现 "
                                    f"{len(same)} 次（{'、'.join(sorted({s.info['name'] for s in same}))}）",
                                    [s.file for s in same]))
        if len(cats) > 1:
            names = "、".join(CATEGORY_NAMES[c] for c in sorted(cats))
            out.append(Conflict("warning", "同一单位申报多个类别", f"统一社会信用代码 {code} 同时申报{names}："
                                "本年度推荐通知是否允许未收录，请核对", [r.file for r in rs]))
    parks = [r for r in ok if r.category == "park"]
    factories = [r for r in ok if r.category == "factory"]
    for p in parks:
        mine = [f for f in factories if f.info.get("park") and f.info["park"].strip() == p.info["name"].strip()]
        declared = p.info.get("green_factories")
        if declared is None:
            if mine:
                out.append(Conflict("info", "园区绿色工厂数量", f"{p.info['name']} 未填写园区内绿色工厂数量；本批次有 "
                                    f"{len(mine)} 家该园区的工厂申报绿色工厂", [p.file] + [f.file for f in mine]))
            continue
        if len(mine) > int(declared):
            out.append(Conflict("warning", "园区绿色工厂数量", f"{p.info['name']} 申报园区内绿色工厂 {declared} 家，"
                                f"而本批次已有 {len(mine)} 家该园区的工厂申报绿色工厂（申报数应不少于已认定的绿色工厂数）",
                                [p.file] + [f.file for f in mine]))
        elif mine:
            out.append(Conflict("info", "园区绿色工厂数量", f"{p.info['name']} 申报园区内绿色工厂 {declared} 家；"
                                f"本批次另有 {len(mine)} 家该园区的工厂申报绿色工厂", [p.file] + [f.file for f in mine]))
    return out


def cap_statuses(results: list[AppResult], cat, year: int):
    """The per-evaluator project counts of this batch under the year's cap rule (gmdocs.ledger)."""
    from ..ledger import Project, count_caps
    projects = []
    for r in results:
        if not r.ok or not r.info.get("evaluator"):
            continue
        projects.append(Project(year=r.year or year, applicant=r.info["name"], uscc=_norm(r.info["uscc"]),
                                category=r.category, level=r.info.get("level") or "国家级",
                                evaluator=r.info["evaluator"], evaluator_uscc=None,
                                legal_rep=r.info.get("evaluator_rep") or "", report_date=None, loc=r.file))
    return count_caps(projects, cat, year) if projects else []
