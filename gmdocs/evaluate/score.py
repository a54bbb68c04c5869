"""`score`: per indicator, per group and total, for the rulebook the campaign year selects.

Every number is traceable: a result names the rule and its confidence. Where a weight,
point value or scoring rule is missing from the catalogue, the per-indicator results
that can be computed are still given, only the totals that depend on the gap are
withheld, and the gap paths the user must supply are listed.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field

from ..application.model import Answer, Application
from ..catalogue.applicable import which
from ..catalogue.load import Catalogue
from ..catalogue.model import Indicator, Rulebook, Value
from .select import Selection, select


@dataclass
class Need:
    path: str            # gap path for `gmdocs catalogue gaps` / a supplement
    where: str           # the document and clause to read it from
    why: str


@dataclass
class IndicatorResult:
    id: str
    name: str
    group: str
    kind: str | None
    requirement: str | None
    result: str | None              # 符合 / 不符合 / 不适用 / None (未填写)
    value: float | None
    evidence: str | None
    max_points: float | None
    points: float | None            # None = withheld
    status: str                     # scored / withheld / unanswered
    reason: str
    confidence: str                 # weakest confidence of the rule values used
    user_supplied: bool = False


@dataclass
class GroupResult:
    id: str
    name: str
    weight: float | None
    points: float | None
    max_points: float | None
    withheld: str | None


@dataclass
class GateResult:
    id: str
    text: str
    result: str | None
    passed: bool | None
    mandatory: bool = True


@dataclass
class BenchmarkResult:
    product: str
    year: int | None
    value: float | None
    unit: str | None
    document: str
    table: str
    row: str
    levels: dict[str, float | None]
    position: str          # 达到标杆水平 / 介于标杆与基准之间 / 未达到基准水平 / 未收录 / 未填写
    confidence: str


@dataclass
class Evaluation:
    name: str
    uscc: str | None
    category: str
    year: int | None
    rulebook: str | None
    rulebook_title: str | None
    method: str | None
    gates: list[GateResult] = field(default_factory=list)
    indicators: list[IndicatorResult] = field(default_factory=list)
    groups: list[GroupResult] = field(default_factory=list)
    total: float | None = None
    total_max: float | None = None
    total_withheld: str | None = None
    pass_mark: float | None = None
    veto: bool = False
    mandatory_failed: list[str] = field(default_factory=list)
    benchmarks: list[BenchmarkResult] = field(default_factory=list)
    needs: list[Need] = field(default_factory=list)
    unverified: list[str] = field(default_factory=list)
    user_supplied: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def to_json(self) -> dict:
        return asdict(self)


_ORDER = {"confirmed": 3, "user-supplied": 2, "single-source": 1, "uncertain": 0, "missing": -1}


def _weakest(*confs: str) -> str:
    confs = [c for c in confs if c]
    return min(confs, key=lambda c: _ORDER.get(c, -1)) if confs else "confirmed"


def _known(v: Value | None) -> bool:
    return v is not None and v.known


def _need(ev: Evaluation, v: Value | None, path: str, why: str) -> None:
    if v is not None and not v.known:
        if all(n.path != v.path for n in ev.needs):
            ev.needs.append(Need(v.path, v.missing or "", why))
    elif v is None and all(n.path != path for n in ev.needs):
        ev.needs.append(Need(path, "（目录中没有这一项）", why))


def _linear(ind: Indicator, x: float) -> float:
    b, l = float(ind.baseline.value), float(ind.leading.value)
    if b == l:
        return 1.0 if ((x <= l) if ind.direction == "lower" else (x >= l)) else 0.0
    frac = (b - x) / (b - l) if ind.direction == "lower" else (x - b) / (l - b)
    return max(0.0, min(1.0, frac))


def _score_indicator(rb: Rulebook, group, ind: Indicator, ans: Answer | None, ev: Evaluation) -> IndicatorResult:
    mp = ind.max_points
    res = IndicatorResult(ind.id, ind.name, group.name, ind.kind, ind.requirement,
                          ans.result if ans else None, ans.value if ans else None, ans.evidence if ans else None,
                          float(mp.value) if _known(mp) else None, None, "withheld", "", ind.confidence)
    confs = [ind.confidence] + ([mp.confidence] if _known(mp) else [])
    if any(v is not None and v.user_supplied for v in (mp, ind.baseline, ind.leading)):
        res.user_supplied = True
    if ans is None or (ans.result is None and ans.value is None):
        res.status, res.reason = "unanswered", "未填写"
        res.points = 0.0 if _known(mp) else None
        if not _known(mp):
            _need(ev, mp, f"{rb.id}/groups/{group.id}/indicators/{ind.id}/max_points", f"指标 {ind.id} 的分值")
        return res
    method = rb.scoring.method if rb.scoring else "unknown"
    if method == "unknown":
        res.reason = "该指标体系的评分方法未收录，只给出填写情况"
        return res
    if not _known(mp):
        _need(ev, mp, f"{rb.id}/groups/{group.id}/indicators/{ind.id}/max_points", f"指标 {ind.id} 的分值")
        res.reason = "分值缺失"
        return res
    full = float(mp.value)
    quantitative = ind.kind == "quantitative"
    if quantitative:
        base = f"{rb.id}/groups/{group.id}/indicators/{ind.id}"
        if ind.baseline is None and ind.leading is None:
            res.reason = "定量指标的计分规则未收录，只给出填写的数值"
            if all(n.path != base for n in ev.needs):
                ev.needs.append(Need(base, "（计分规则未收录）", f"指标 {ind.id} 的计分规则"))
            return res
        if not (_known(ind.baseline) and _known(ind.leading)):
            for key in ("baseline", "leading"):
                _need(ev, getattr(ind, key), f"{base}/{key}",
                      f"指标 {ind.id} 的{'基准值' if key == 'baseline' else '引领值'}")
            res.reason = "基准值/引领值缺失"
            return res
        if res.value is None:
            res.points, res.status, res.reason = 0.0, "scored", "未填写数值，按 0 分"
        else:
            res.points = round(full * _linear(ind, res.value), 2)
            res.status = "scored"
            res.reason = (f"按基准值 {ind.baseline.value:g}、引领值 {ind.leading.value:g} 线性计分（"
                          f"{'越低越好' if ind.direction == 'lower' else '越高越好'}）")
            confs += [ind.baseline.confidence, ind.leading.confidence]
    else:
        if res.result == "符合":
            res.points, res.reason = full, "符合，得满分"
        elif res.result == "不适用":
            res.points, res.reason = 0.0, "不适用，按 0 分（是否调整满分未收录）"
        else:
            res.points, res.reason = 0.0, "不符合，0 分"
        res.status = "scored"
    res.confidence = _weakest(*confs)
    return res


def _benchmarks(cat: Catalogue, app: Application, sel: Selection) -> list[BenchmarkResult]:
    out = []
    industry = app.get("industry") or "（未填写）"
    for p in app.products:
        hits = _product_rows(which(cat, industry, sel.year, app.category, p.name).benchmarks, p.name)
        year = max(p.unit_energy) if p.unit_energy else None
        val = p.unit_energy.get(year) if year else None
        declared_unit = (p.unit_energy_unit or "").replace(" ", "")
        for h in hits:
            row, t = h.row, h.table
            if row.known and declared_unit and (row.unit or "").replace(" ", "") != declared_unit:
                continue        # another indicator (e.g. 电耗 kWh/t): not comparable with the declared value
            levels = {lv: (float(row.values[lv].value) if lv in row.values and row.values[lv].known else None)
                      for lv in t.levels} if row.known else {lv: None for lv in t.levels}
            conf = _weakest(*(v.confidence for v in row.values.values())) if row.known else "missing"
            if not row.known or all(v is None for v in levels.values()):
                pos = "未收录"
            elif val is None:
                pos = "未填写"
            else:
                pos = _position(val, levels, row.better or "lower")
            out.append(BenchmarkResult(p.name, year, val, row.unit or p.unit_energy_unit, h.document, t.id, row.id,
                                       levels, pos, conf))
    return out


def _product_rows(hits, product: str):
    """Rows for this product's 单位产品综合能耗: same product name first; other indicators (煤耗, 电耗) left out."""
    from ..catalogue.applicable import industry_score
    hits = [h for h in hits if not h.row.indicator or "综合能耗" in h.row.indicator]
    exact = [h for h in hits if h.row.product and industry_score(product, h.row.product) == 3]
    if exact:
        return exact + [h for h in hits if not h.row.known and h not in exact
                        and h.row.product and industry_score(product, h.row.product) == 3]
    return hits


def _position(val: float, levels: dict[str, float | None], better: str) -> str:
    def ok(limit):
        return val <= limit if better == "lower" else val >= limit
    if "benchmark" in levels:
        b, base = levels.get("benchmark"), levels.get("baseline")
        if b is not None and ok(b):
            return "达到标杆水平"
        if base is not None and not ok(base):
            return "未达到基准水平"
        if base is not None:
            return "介于标杆与基准之间"
        return "未达到标杆水平（基准未收录）"
    for lv, name in (("grade_1", "达到1级"), ("grade_2", "达到2级"), ("grade_3", "达到3级（限定值）")):
        if levels.get(lv) is not None and ok(levels[lv]):
            return name
    if levels.get("grade_3") is not None:
        return "未达到3级（超过限定值）"
    return "未收录"


def score(app: Application, cat: Catalogue, year: int | None = None) -> Evaluation:
    sel = select(cat, app, year)
    rb = sel.rulebook
    ev = Evaluation(app.name, app.get("uscc"), app.category, sel.year, rb.id if rb else None,
                    rb.title if rb else None, rb.scoring.method if rb and rb.scoring else None)
    if sel.problem:
        ev.notes.append(sel.problem)
    ev.notes += sel.notes
    if sel.campaign is not None and app.category in ("factory", "supply-chain", "park"):
        ev.benchmarks = _benchmarks(cat, app, sel) if sel.applicability and sel.applicability.category_available else []
    if rb is None:
        ev.total_withheld = sel.problem or "没有可用的评价指标体系"
        return ev
    if rb.confidence != "confirmed":
        ev.unverified.append(f"指标体系《{rb.title}》本身的出处可信度为 {rb.confidence}")
    answers = {a.id: a for a in app.answers}
    gates = {a.id: a for a in app.gates}
    for g in rb.gates:
        a = gates.get(g.id)
        passed = None if a is None or a.result is None else a.result != "不符合"
        ev.gates.append(GateResult(g.id, g.text, a.result if a else None, passed, g.mandatory))
        if passed is False and g.mandatory:
            ev.veto = True
    sc = rb.scoring
    group_known = True
    reasons: list[str] = []
    for g in rb.groups:
        results = [_score_indicator(rb, g, ind, answers.get(ind.id), ev) for ind in g.indicators]
        ev.indicators += results
        for r in results:
            if r.requirement == "mandatory" and r.result == "不符合":
                ev.mandatory_failed.append(f"{r.id} {r.name}")
            if r.confidence not in ("confirmed", "user-supplied"):
                ev.unverified.append(f"{r.id} {r.name}：规则可信度 {r.confidence}")
            if r.user_supplied:
                ev.user_supplied.append(f"{r.id} {r.name}")
        weight = float(g.weight.value) if _known(g.weight) else None
        if g.weight is not None and g.weight.user_supplied:
            ev.user_supplied.append(f"组 {g.name} 的权重")
        if g.weight is not None and _known(g.weight) and g.weight.confidence not in ("confirmed", "user-supplied"):
            ev.unverified.append(f"组 {g.name} 的权重 {weight:g}：可信度 {g.weight.confidence}")
        withheld = None
        if not g.indicators:
            withheld = "该组指标未收录"
        elif any(r.points is None for r in results):
            withheld = "组内有指标未能计分：" + "、".join(r.id for r in results if r.points is None)
        maxp = sum(r.max_points for r in results) if all(r.max_points is not None for r in results) and results else None
        pts = round(sum(r.points for r in results), 2) if withheld is None else None
        if sc.method == "weighted" and withheld is None:
            if weight is None:
                _need(ev, g.weight, f"{rb.id}/groups/{g.id}/weight", f"组 {g.name} 的权重")
                withheld = "组权重缺失"
                pts = None
            elif maxp:
                pts = round(weight * pts / maxp, 2)
        if g.weight is not None and not _known(g.weight):
            _need(ev, g.weight, f"{rb.id}/groups/{g.id}/weight", f"组 {g.name} 的权重")
        if withheld:
            group_known = False
            reasons.append(f"{g.name}：{withheld}")
        ev.groups.append(GroupResult(g.id, g.name, weight, pts, weight if sc.method == "weighted" else maxp, withheld))
    if _known(sc.total):
        ev.total_max = float(sc.total.value)
        if sc.total.confidence not in ("confirmed", "user-supplied"):
            ev.unverified.append(f"满分 {ev.total_max:g}：可信度 {sc.total.confidence}")
    else:
        _need(ev, sc.total, f"{rb.id}/scoring/total", "满分")
    if _known(sc.pass_mark):
        ev.pass_mark = float(sc.pass_mark.value)
    else:
        _need(ev, sc.pass_mark, f"{rb.id}/scoring/pass_mark", "合格线")
    if sc.method == "unknown":
        ev.total_withheld = "该指标体系的评分方法、权重和合格线均未收录"
    elif group_known and ev.groups:
        ev.total = round(sum(g.points for g in ev.groups), 2)
    else:
        ev.total_withheld = (f"{len(reasons)} 个组无法计算（{'、'.join(r.split('：')[0] for r in reasons)}），"
                             f"需补充的缺失值见下" if reasons else "没有可计分的指标")
    ev.unverified = list(dict.fromkeys(ev.unverified))
    ev.user_supplied = list(dict.fromkeys(ev.user_supplied))
    return ev
