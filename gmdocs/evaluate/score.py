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
from ..catalogue.model import CONFIDENCE_MARK, CONFIDENCE_ORDER, Indicator, Rulebook, Value, confidence_text
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
    value_source: str | None = None       # 计算 (from raw data with a formula) / 申报 (typed) / None
    value_year: int | None = None
    formula: str | None = None            # the formula as printed for people
    formula_source: str | None = None     # standard + clause, and the formula's confidence mark
    typed_value: float | None = None      # what the applicant typed, when a value was also computed
    self_points: float | None = None      # 自评得分
    evaluator_points: float | None = None  # 核定得分
    evaluator_note: str | None = None
    computed_points: float | None = None  # points by the rule (linear 基准值/引领值, 符合 = full …) when known
    unit: str | None = None               # unit of the value (the computed one's, else the rulebook's)


@dataclass
class GroupResult:
    id: str
    name: str
    weight: float | None
    points: float | None
    max_points: float | None
    withheld: str | None


@dataclass
class PointFinding:
    indicator: str
    who: str                        # 自评 / 核定
    severity: str                   # error / warning
    message: str
    where: str = ""


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
    basis: str | None = None               # the system the applicant is evaluated by (id)
    basis_title: str | None = None
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
    year_reason: str = ""
    fixed_points: float | None = None     # points fixed by sourced rules
    open_points: float | None = None      # the most the still-open items can add (None: a maximum is unknown)
    open_items: int = 0
    total_range: list[float | None] | None = None
    self_total: float | None = None       # sum of 自评得分
    evaluator_total: float | None = None  # sum of 核定得分
    awarded_basis: str | None = None      # how the awarded totals relate to the rules
    point_findings: list[PointFinding] = field(default_factory=list)
    point_differences: list[dict] = field(default_factory=list)   # 自评得分 vs 核定得分
    next_step: str | None = None          # one plain sentence: how to close the gaps
    blocking: list[str] = field(default_factory=list)   # exclusions and check errors, shown first
    calc: object = field(default=None, repr=False, compare=False)   # gmdocs.calculate Calculation

    def to_json(self) -> dict:
        calc, self.calc = self.calc, None
        try:
            out = asdict(self)
        finally:
            self.calc = calc
        del out["calc"]
        out["calculation"] = calc.to_json() if calc is not None else None
        return out


_ORDER = {**CONFIDENCE_ORDER, "missing": -1}


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


def _lower_is_better(ind: Indicator, baseline: Value, leading: Value) -> bool | None:
    """The indicator's recorded direction; without one, the side the leading value lies on (None if equal)."""
    if ind.direction:
        return ind.direction == "lower"
    b, l = float(baseline.value), float(leading.value)
    return None if b == l else l < b


def _linear(ind: Indicator, x: float, baseline: Value, leading: Value) -> float:
    b, l = float(baseline.value), float(leading.value)
    lower = _lower_is_better(ind, baseline, leading)
    if b == l:
        return 1.0 if ((x <= l) if lower else (x >= l)) else 0.0
    frac = (b - x) / (b - l)          # the same line whichever side is better
    return max(0.0, min(1.0, frac))


def _score_indicator(rb: Rulebook, group, ind: Indicator, ans: Answer | None, ev: Evaluation,
                     computed=None, industry: str | None = None) -> IndicatorResult:
    from ..catalogue.levels import levels_for
    mp = ind.max_points
    baseline, leading = levels_for(ind, industry)
    res = IndicatorResult(ind.id, ind.name, group.name, ind.kind, ind.requirement,
                          ans.result if ans else None, ans.value if ans else None, ans.evidence if ans else None,
                          float(mp.value) if _known(mp) else None, None, "withheld", "", ind.confidence)
    res.unit = ind.unit if ind.unit and ind.unit != "-" else None
    if ans is not None:
        res.self_points, res.evaluator_points, res.evaluator_note = ans.self_points, ans.evaluator_points, ans.evaluator_note
        if ans.value is not None:
            res.value_source, res.value_year = "申报", None
    if computed is not None and computed.value is not None:
        res.typed_value = ans.value if ans else None
        res.value, res.value_source, res.value_year = round(computed.value, 6), "计算", computed.year
        res.unit = computed.unit if computed.unit and computed.unit != "-" else None
        res.formula = computed.text
        res.formula_source = (computed.clause or "出处见公式记录") + CONFIDENCE_MARK.get(computed.confidence, "")
    confs = [ind.confidence] + ([mp.confidence] if _known(mp) else [])
    if any(v is not None and v.user_supplied for v in (mp, baseline, leading)):
        res.user_supplied = True
    if (ans is None or (ans.result is None and ans.value is None)) and res.value is not None:
        ans = Answer(ind.id, None, res.value, None, ans.loc if ans else None)
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
        if baseline is None and leading is None:
            res.reason = "定量指标的计分规则未收录，只给出填写的数值"
            if all(n.path != base for n in ev.needs):
                ev.needs.append(Need(base, "（计分规则未收录）", f"指标 {ind.id} 的计分规则"))
            return res
        if not (_known(baseline) and _known(leading)):
            for key, v in (("baseline", baseline), ("leading", leading)):
                _need(ev, v, f"{base}/{key}", f"指标 {ind.id} 的{'基准值' if key == 'baseline' else '引领值'}")
            res.reason = "基准值/引领值缺失"
            return res
        lower = _lower_is_better(ind, baseline, leading)
        if lower is None:
            res.reason = "指标方向（越高越好/越低越好）未收录，基准值与引领值相同，无法计分"
            return res
        if res.value is None:
            res.points, res.status, res.reason = 0.0, "scored", "未填写数值，按 0 分"
        else:
            res.points = round(full * _linear(ind, res.value, baseline, leading), 2)
            res.status = "scored"
            res.reason = (f"按基准值 {baseline.value:g}、引领值 {leading.value:g} 线性计分（"
                          f"{'越低越好' if lower else '越高越好'}"
                          f"{'' if ind.direction else '：方向未收录，按引领值所在一侧'}）")
            confs += [baseline.confidence, leading.confidence]
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


def score(app: Application, cat: Catalogue, year: int | None = None, grid=None, calc=None) -> Evaluation:
    from ..calculate.indicators import calculate, formula_set_for, has_quota_standard
    sel = select(cat, app, year)
    rb = sel.rulebook
    ev = Evaluation(app.name, app.get("uscc"), app.category, sel.year, rb.id if rb else None,
                    rb.title if rb else None, rb.scoring.method if rb and rb.scoring else None)
    ev.year_reason = sel.year_reason
    if sel.basis is not None:
        ev.basis, ev.basis_title = sel.basis.id, sel.basis.title
    if sel.problem:
        ev.notes.append(sel.problem)
    ev.notes += sel.notes
    if sel.applicability is not None:
        ev.notes += [n for n in sel.applicability.notes if "尚未实施" in n]
    if sel.campaign is not None and app.category in ("factory", "supply-chain", "park"):
        ev.benchmarks = _benchmarks(cat, app, sel) if sel.applicability and sel.applicability.category_available else []
    for eid, f in app.exclusions.items():
        if f.value and sel.campaign is not None and eid in {e.id for e in sel.campaign.exclusions}:
            text = next(e.text for e in sel.campaign.exclusions if e.id == eid)
            ev.blocking.append(f"声明近三年存在排除情形 {eid}（{text}）：按{sel.campaign.exclusions_named}不得申报。")
    if rb is None:
        ev.total_withheld = sel.problem or "没有可用的评价指标体系"
        return ev
    calc = calc if calc is not None else calculate(app, cat, sel.year, grid, sel)
    ev.calc = calc
    fs = formula_set_for(cat, sel)
    formulas = {f.id: f for f in fs.formulas} if fs else {}
    quota = has_quota_standard(sel)
    industry = app.get("industry")
    if rb.confidence != "confirmed":
        ev.unverified.append(f"指标体系《{rb.title}》本身的出处可信度为{confidence_text(rb.confidence)}")
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
        results = [_score_indicator(rb, g, ind, answers.get(ind.id), ev,
                                    calc.scoring_value(ind.id, formulas, quota), industry) for ind in g.indicators]
        ev.indicators += results
        for r in results:
            if r.requirement == "mandatory" and r.result == "不符合":
                ev.mandatory_failed.append(f"{r.id} {r.name}")
            if r.confidence not in ("confirmed", "user-supplied"):
                ev.unverified.append(f"{r.id} {r.name}：规则可信度{confidence_text(r.confidence)}")
            if r.user_supplied:
                ev.user_supplied.append(f"{r.id} {r.name}")
        weight = float(g.weight.value) if _known(g.weight) else None
        if g.weight is not None and g.weight.user_supplied:
            ev.user_supplied.append(f"组 {g.name} 的权重")
        if g.weight is not None and _known(g.weight) and g.weight.confidence not in ("confirmed", "user-supplied"):
            ev.unverified.append(f"组 {g.name} 的权重 {weight:g}：可信度{confidence_text(g.weight.confidence)}")
        withheld = None
        if not g.indicators:
            withheld = "该组指标未收录"
        elif any(r.points is None for r in results):
            withheld = "组内有指标未能计分：" + "、".join(r.name for r in results if r.points is None)
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
        _check_group_points(ev, g, results, weight, sc.method)
    if _known(sc.total):
        ev.total_max = float(sc.total.value)
        if sc.total.confidence not in ("confirmed", "user-supplied"):
            ev.unverified.append(f"满分 {ev.total_max:g}：可信度{confidence_text(sc.total.confidence)}")
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
        ev.total_withheld = (f"{len(reasons)} 个组无法计算（{'、'.join(r.split('：')[0] for r in reasons)}）"
                             if reasons else "没有可计分的指标")
    if sel.basis is not None and sel.basis is not rb:
        b = sel.basis
        ev.needs.insert(0, Need(f"{b.id}/groups", f"《{b.title}》的指标、判定准则和分值（原文未收录）",
                                "评价依据的指标体系"))
        for key, why in (("total", "满分"), ("pass_mark", "合格线")):
            v = getattr(b.scoring, key) if b.scoring else None
            if v is not None and not v.known:
                _need(ev, v, f"{b.id}/scoring/{key}", f"《{b.title}》的{why}")
    _awarded(ev, answers)
    _partial(ev, sc.method)
    ev.unverified = list(dict.fromkeys(ev.unverified))
    ev.user_supplied = list(dict.fromkeys(ev.user_supplied))
    return ev


POINT_TOLERANCE = 0.01


def _check_points(ev: Evaluation, r: IndicatorResult, who: str, pts: float | None, where: str) -> None:
    if pts is None:
        return
    def bad(msg, sev="error"):
        ev.point_findings.append(PointFinding(r.id, who, sev, msg, where))
    if pts < 0:
        bad(f"“{r.name}”的{who}得分 {pts:g} 为负数")
    if r.max_points is not None and pts > r.max_points + POINT_TOLERANCE:
        bad(f"“{r.name}”的{who}得分 {pts:g} 超过该项满分 {r.max_points:g}")
    if r.result == "不符合" and pts > 0:
        bad(f"“{r.name}”结论为不符合，{who}得分应为 0，实际 {pts:g}")
    if r.computed_points is not None and abs(pts - r.computed_points) > POINT_TOLERANCE:
        bad(f"“{r.name}”的{who}得分 {pts:g} 与按规则计算的 {r.computed_points:g} 不一致（{r.reason}）")


def _check_group_points(ev: Evaluation, g, results: list[IndicatorResult], weight: float | None, method: str) -> None:
    if weight is None or method != "points":
        return
    for who, attr in (("自评", "self_points"), ("核定", "evaluator_points")):
        got = [getattr(r, attr) for r in results if getattr(r, attr) is not None]
        if got and sum(got) > weight + POINT_TOLERANCE:
            ev.point_findings.append(PointFinding(g.id, who, "error",
                                                  f"“{g.name}”组的{who}得分合计 {sum(got):g} 超过该组满分 {weight:g}"))


def _awarded(ev: Evaluation, answers: dict) -> None:
    """Check the points the applicant (自评得分) and the evaluator (核定得分) award; sum them; list differences."""
    for r in ev.indicators:
        r.computed_points = r.points if r.status == "scored" else None
        a = answers.get(r.id)
        _check_points(ev, r, "自评", r.self_points, str(a.points_loc or a.loc) if a else "")
        _check_points(ev, r, "核定", r.evaluator_points, str(a.evaluator_loc or a.loc) if a else "")
        if r.self_points is not None and r.evaluator_points is not None and abs(r.self_points - r.evaluator_points) > POINT_TOLERANCE:
            ev.point_differences.append({"indicator": r.id, "name": r.name, "self": r.self_points,
                                         "evaluator": r.evaluator_points, "note": r.evaluator_note})
    self_pts = [r.self_points for r in ev.indicators if r.self_points is not None]
    eval_pts = [r.evaluator_points for r in ev.indicators if r.evaluator_points is not None]
    ev.self_total = round(sum(self_pts), 2) if self_pts else None
    ev.evaluator_total = round(sum(eval_pts), 2) if eval_pts else None
    missing_max = any(r.max_points is None for r in ev.indicators)
    unchecked = sum(1 for r in ev.indicators if r.self_points is not None and r.computed_points is None)
    if self_pts or eval_pts:
        if ev.total is not None:
            ev.awarded_basis = f"申报单位自评分（按收录规则计算的总分为 {ev.total:g}）"
        elif missing_max:
            ev.awarded_basis = "申报单位自评分（满分未经核对）"
        else:
            ev.awarded_basis = (f"申报单位自评分（各项均已核对不超过满分；{unchecked} 项的计分规则未收录，"
                                "这些项的得分未能按规则复核）")
        unanswered = [r.name for r in ev.indicators if r.self_points is None]
        if self_pts and unanswered:
            ev.point_findings.append(PointFinding("", "自评", "warning",
                                                  f"{len(unanswered)} 项指标没有自评得分：{'、'.join(unanswered[:8])}"
                                                  f"{'…' if len(unanswered) > 8 else ''}（合计按 0 分计）"))


def _partial(ev: Evaluation, method: str) -> None:
    """Points fixed by sourced rules, points still open, the possible range, and one sentence on closing the gap."""
    if method == "weighted" or not ev.indicators:
        if ev.total is None:
            ev.next_step = _next_step(ev)
        return
    scored = [r for r in ev.indicators if r.points is not None]
    open_ = [r for r in ev.indicators if r.points is None]
    ev.fixed_points = round(sum(r.points for r in scored), 2)
    ev.open_items = len(open_)
    if all(r.max_points is not None for r in open_):
        ev.open_points = round(sum(r.max_points for r in open_), 2)
        ev.total_range = [ev.fixed_points, round(ev.fixed_points + ev.open_points, 2)]
    else:
        ev.open_points = None
        ev.total_range = [ev.fixed_points, None]
    if ev.total is None:
        ev.next_step = _next_step(ev)


def _next_step(ev: Evaluation) -> str:
    n = len(ev.needs)
    if not n:
        return "请补全未填写的指标后重新评分。"
    if ev.self_total is not None:
        return (f"自评得分已按已知规则逐项核对；要按规则算出总分，还缺 {n} 项规则数值（收在购买的标准或省级主管部门的附件中）："
                f"持有原文的，用 gmdocs rules form {ev.rulebook} -o 补充表.xlsx 导出补充表，填好后用 gmdocs rules import 补充表.xlsx 导入，"
                "总分即可算出并标为【用户补充】。")
    return (f"还缺 {n} 项规则数值（分值、权重或基准值/引领值，收在购买的标准或省级主管部门的附件中）：可以在每项指标填写自评得分，"
            f"由 gmdocs 逐项核对；持有原文的，用 gmdocs rules form {ev.rulebook} -o 补充表.xlsx 导出补充表，填好后用 "
            f"gmdocs rules import 补充表.xlsx 导入，总分即可算出并标为【用户补充】。")
