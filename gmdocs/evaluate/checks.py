"""`check`: every problem of an application in one run, each with its place and a Chinese explanation."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from ..application.model import Application, Loc
from ..catalogue.load import Catalogue
from ..errors import EXIT_PROBLEMS, GmdocsError, said
from ..findings import ERROR, INFO, WARNING, Finding
from .energy import BASIS, YearEnergy, year_energy
from .select import Selection, select
from .uscc import explain, normalise, what_changed

ENERGY_TOLERANCE = 0.02        # 申报综合能耗 vs 折算之和
UNIT_ENERGY_TOLERANCE = 0.05   # 单位产品综合能耗 vs 综合能耗 / 产量


@dataclass(frozen=True)
class ConditionResult:
    """One 申报条件 of the campaign year against the application: `met` is None when the value is not given;
    `binding` is False for a rule whose source is uncertain (shown, but not a reason to refuse)."""
    text: str
    shown: str
    met: bool | None
    binding: bool = True
    mark: str = ""            # the rule's source tag as shown to users (【未核实：…】), empty when confirmed


@dataclass
class CheckReport:
    application: Application
    selection: Selection
    findings: list[Finding] = field(default_factory=list)
    energy: dict[int, YearEnergy] = field(default_factory=dict)
    evaluation: object = None      # the Evaluation computed for the cross-checks (score)
    conditions: list[ConditionResult] = field(default_factory=list)   # the year's 申报条件, as checked

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == ERROR]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == WARNING]

    @property
    def ok(self) -> bool:
        return not self.errors


def _where(loc: Loc | None, app: Application) -> str:
    return str(loc) if loc else app.source


def check(app: Application, cat: Catalogue, year: int | None = None,
          read_findings: list[Finding] | None = None, grid=None) -> CheckReport:
    sel = select(cat, app, year)
    rep = CheckReport(app, sel, list(read_findings or []))
    add = rep.findings.append

    def err(code, msg, loc=None, fld=""):
        add(Finding(ERROR, code, msg, _where(loc, app), fld))

    def warn(code, msg, loc=None, fld=""):
        add(Finding(WARNING, code, msg, _where(loc, app), fld))

    normalise_text(app, add)
    if sel.problem:
        err("campaign", sel.problem, app.loc, "年度/类别")
    for note in sel.notes:
        add(Finding(INFO, "rulebook", note, _where(app.loc, app), "评价指标体系"))
    _uscc(app, cat, err)
    _negatives(app, err, warn)
    if sel.campaign is not None:
        _years(app, sel, err, warn)
        _exclusions(app, sel, err, warn)
        _eligibility(app, sel, rep, err, warn)
    if app.category == "park":
        _park(app, sel, rep, err, warn)
    if app.category == "factory" and sel.applicability is not None and sel.applicability.category_available:
        appl = sel.applicability
        ind = app.info.get("industry")
        if appl.industry_standards:
            nums = "、".join(s.number for s in appl.industry_standards)
            used = sel.basis is not None and any(k in sel.basis.basis_standards for k in
                                                 (s.key for s in appl.industry_standards))
            if not used:
                warn("industry-standard", f"所属行业有绿色工厂评价行业标准 {nums}，应按行业标准评价；其评分细则未收录，"
                     "gmdocs 按通则给出参考评分", ind.loc if ind else None, "所属行业")
        elif app.get("industry"):
            add(Finding(INFO, "industry-standard", f"未找到“{app.get('industry')}”的绿色工厂评价行业标准，按通则"
                        f"（{'、'.join(s.number for s in appl.general_standards) or '通则'}）评价",
                        _where(ind.loc if ind else None, app), "所属行业"))
    table = cat.conversions.get("gbt2589-2020")
    if table is not None and app.energy:
        _energy(app, rep, table, err, warn)
    if sel.campaign is not None:
        _benchmark_claims(app, cat, sel, err, warn)
    if sel.rulebook is not None:
        _answers(app, sel, err, warn)
        _computed(app, cat, year, rep, err, warn, grid)
    _attachments(app, err)
    return rep


def check_and_score(app: Application, cat: Catalogue, year: int | None = None,
                    read_findings: list[Finding] | None = None, grid=None):
    """One evaluation for `score`/`build`: the check's errors (exclusions first) put at the top of the scores."""
    from .score import score
    rep = check(app, cat, year, read_findings, grid)
    ev = rep.evaluation if rep.evaluation is not None else score(app, cat, year, grid)
    if rep.errors:
        ev.blocking += blocking_lines(rep.errors)
    return rep, ev


BLOCKING_SHOWN = 10


def blocking_lines(errors: list[Finding]) -> list[str]:
    """The check's errors as `score` prints them first: each at its own line or cell, the values that could not
    be read (or are negative) said to be left out of the calculation."""
    unread = sum(1 for f in errors if f.code == "input")
    negative = sum(1 for f in errors if f.code == "negative")
    notes = ([f"{unread} 个填写的值无法读取，未计入计算"] if unread else []) + \
        ([f"{negative} 个数量为负数，依赖它们的计算结果不可信"] if negative else [])
    head = f"检查发现 {len(errors)} 个错误，评分结果可能不完整" + (f"（{'；'.join(notes)}）" if notes else "")
    out = [head + "："]
    first = sorted(errors, key=lambda f: f.code not in ("exclusion", "input", "negative"))
    for f in first[:BLOCKING_SHOWN]:
        fld = f"［{f.field}］" if f.field else ""
        out.append(f"{f.where}：{fld}{f.message}")
    if len(errors) > BLOCKING_SHOWN:
        out.append(f"另有 {len(errors) - BLOCKING_SHOWN} 个错误，用 gmdocs check 查看全部")
    return out


def _computed(app, cat, year, rep: CheckReport, err, warn, grid=None):
    """Typed indicator values against the calculator's, and the points people award, from one evaluation."""
    from ..calculate.indicators import CROSS_CHECK_TOLERANCE
    from .score import score
    ev = score(app, cat, year, grid)
    rep.evaluation = ev
    answers = {a.id: a for a in app.answers}
    for r in ev.indicators:
        if r.value_source != "计算" or r.typed_value is None:
            continue
        a = answers.get(r.id)
        if abs(r.value) < 1e-9:          # a percentage of nothing is no measure: say the two values
            if abs(r.typed_value) > 1e-9:
                err("computed-value", f"指标“{r.name}”申报数值 {r.typed_value:g}，按原始数据和公式（{r.formula}）计算 "
                    f"{r.value_year} 年为 0", (a.value_loc or a.loc) if a else None, f"指标/{r.id}/数值")
            continue
        diff = abs(r.typed_value - r.value) / abs(r.value)
        if diff > CROSS_CHECK_TOLERANCE:
            err("computed-value", f"指标“{r.name}”申报数值 {r.typed_value:g}，按原始数据和公式（{r.formula}）计算 "
                f"{r.value_year} 年为 {r.value:,.4g}，相差 {diff:.1%}（允许 {CROSS_CHECK_TOLERANCE:.0%}）",
                (a.value_loc or a.loc) if a else None, f"指标/{r.id}/数值")
    for pf in ev.point_findings:
        fn = err if pf.severity == "error" else warn
        fn("points", pf.message, None, f"指标/{pf.indicator}" if pf.indicator else "得分")
        if pf.where:
            rep.findings[-1] = Finding(rep.findings[-1].severity, "points", pf.message, pf.where, rep.findings[-1].field)
    if ev.calc is not None:
        for y, c in ev.calc.carbon.items():
            for prob in c.problems:
                warn("carbon", f"{y} 年碳排放核算：{prob}", None, "碳排放")


def _attachments(app, err):
    from ..documents.pdf import check_attachment
    from ..errors import GmdocsError
    for a in app.attachments:
        try:
            check_attachment(Path(a.path), a.name)
        except GmdocsError as exc:
            err("attachment", exc.message, a.loc, "附件")


def _uscc(app, cat, err):
    f = app.info.get("uscc")
    rule = cat.code_rules.get("gb32100-2015")
    if f is None or f.value is None or rule is None:
        return
    why = explain(str(f.value), rule)
    if why:
        err("uscc", f"统一社会信用代码 {f.value} 不合法：{why}（GB 32100-2015）", f.loc, "统一社会信用代码")


def normalise_text(app: Application, add) -> None:
    """Rewrite, in the application itself, what every later step (score, build context, cross-check, batch) must
    see in one form, and say so: the 统一社会信用代码 in its normalised form (a 提示), and XML-illegal control
    characters removed from every text field exactly as the report's `clean()` removes them (a 警告 naming the
    field), so that check, the report and its cross-check agree. Idempotent."""
    from ..application.model import Field as AppField
    from ..application.spec import INFO_FIELDS, NARRATIVE
    from ..documents.context import _ILLEGAL

    def scrub(value, label, loc):
        if not isinstance(value, str):
            return value
        bad = _ILLEGAL.findall(value)
        if not bad:
            return value
        codes = "、".join(dict.fromkeys(f"U+{ord(c):04X}" for c in bad))
        cleaned = _ILLEGAL.sub("", value)
        add(Finding(WARNING, "control-char", f"含有 {len(bad)} 个不可见的控制字符（{codes}），报告中无法打印，已删除；"
                    f"按“{cleaned[:40]}”检查和生成（请在原文件中删除这些字符）", _where(loc, app), label))
        return cleaned or None

    labels = {s.id: s.label for s in INFO_FIELDS.get(app.category, ())}
    for key, f in list(app.info.items()):
        v = scrub(f.value, f"基本信息/{labels.get(key, key)}", f.loc)
        if v is not f.value:
            app.info[key] = AppField(v, f.loc)
    narr = {nid: label for nid, label, _, _ in NARRATIVE}
    for key, f in list(app.narrative.items()):
        v = scrub(f.value, f"情况说明/{narr.get(key, key)}", f.loc)
        if v is not f.value:
            app.narrative[key] = AppField(v, f.loc)
    for use in app.energy:
        use.carrier = scrub(use.carrier, "能源消费/能源品种", use.loc) or ""
        use.unit = scrub(use.unit, "能源消费/单位", use.loc) or ""
    for p in app.products:
        p.name = scrub(p.name, "产品/名称", p.loc) or ""
        p.unit = scrub(p.unit, f"产品/{p.name}/单位", p.loc) or ""
    for a in list(app.gates) + list(app.answers):
        a.evidence = scrub(a.evidence, f"{a.id}/证据", a.loc)
        a.evaluator_note = scrub(a.evaluator_note, f"{a.id}/评价说明", a.evaluator_loc or a.loc)
    for att in app.attachments:
        att.name = scrub(att.name, "附件/名称", att.loc) or ""
    for e in app.raw:
        e.part = scrub(e.part, "原始数据/分项", e.loc)

    f = app.info.get("uscc")
    if f is not None and f.value is not None:
        code = normalise(f.value)
        if code != f.value:
            add(Finding(INFO, "uscc-normalised", f"统一社会信用代码 {said(str(f.value))} 已规范为 {code}"
                        f"（{what_changed(f.value, code)}），以下检查、评分和生成的文件都用 {code}",
                        _where(f.loc, app), "统一社会信用代码"))
            app.info["uscc"] = AppField(code or None, f.loc)


def _negatives(app, err, warn):
    """Quantities that cannot be below zero, each at its own line or cell (a negative amount would otherwise show
    up only as an absurd mismatch somewhere else)."""
    def say(fn, label, year, value, unit, loc, fld):
        fn("negative", f"{label} {year} 年为负数（{value:g}{(' ' + unit) if unit else ''}）：数量不能为负，"
           "请填写实际数值", loc, fld)

    for use in app.energy:
        locs = getattr(use, "year_locs", None) or {}
        for y, n in sorted(use.amounts.items()):
            if n < 0:
                say(err, f"能源消费“{use.carrier}”", y, n, use.unit, locs.get(y, use.loc), f"能源消费/{use.carrier}/{y}")
    for yf in app.years:
        for attr, label, unit, fn in (("energy_total", "综合能耗", "tce", err), ("output_value", "工业总产值", "万元", err),
                                      ("value_added", "工业增加值", "万元", warn)):
            v = getattr(yf, attr)
            if v is not None and v < 0:
                say(fn, label, yf.year, v, unit, yf.loc, f"经济与能源汇总/{label}")
    for p in app.products:
        for y, n in sorted(p.output.items()):
            if n < 0:
                say(err, f"产品“{p.name}”产量", y, n, p.unit, p.loc, f"产品/{p.name}/产量")
        for y, n in sorted(p.unit_energy.items()):
            if n < 0:
                say(err, f"产品“{p.name}”单位产品综合能耗", y, n, p.unit_energy_unit or "", p.year_locs.get(y, p.loc),
                    f"产品/{p.name}/单位产品综合能耗")
    from ..application.spec import RAW_BY_ID
    for e in app.raw:
        for y, n in sorted(e.amounts.items()):
            if n < 0:
                item = RAW_BY_ID[e.item].label if e.item in RAW_BY_ID else e.item
                name = item + (f"（{e.part}）" if e.part else "")
                say(err, f"原始数据“{name}”", y, n, e.unit, e.year_locs.get(y, e.loc), f"原始数据/{name}")


def _years(app, sel: Selection, err, warn):
    y = sel.year
    expected = [y - 3, y - 2, y - 1]
    have = sorted(yf.year for yf in app.years)
    if not app.years:
        err("data-years", f"未填写经济与能源汇总；应填 {expected[0]}—{expected[-1]} 三年的数据", app.loc, "经济与能源汇总")
        return
    for yf in app.years:
        if yf.year not in expected:
            err("data-years", f"{yf.year} 年不是 {y} 年度申报应填的近三年（{expected[0]}—{expected[-1]}）", yf.loc, "年份")
    missing = [e for e in expected if e not in have]
    if missing:
        err("data-years", f"缺少 {'、'.join(map(str, missing))} 年的数据（{y} 年度应填 {expected[0]}—{expected[-1]}）",
            app.loc, "经济与能源汇总")
    dup = {x for x in have if have.count(x) > 1}
    for d in sorted(dup):
        err("data-years", f"{d} 年重复填写", app.loc, "经济与能源汇总")
    span = f"近三年（{expected[0]}—{expected[-1]}）"
    for use in app.energy:
        extra = sorted(yr for yr in use.amounts if yr not in expected)
        if extra:
            err("data-years", f"能源消费“{use.carrier}”填了 {'、'.join(map(str, extra))} 年，不在{span}内", use.loc, "能源消费")
    for p in app.products:
        extra = sorted(yr for yr in set(p.output) | set(p.unit_energy) if yr not in expected)
        if extra:
            err("data-years", f"产品“{p.name}”填了 {'、'.join(map(str, extra))} 年，不在{span}内", p.loc, "产品")


def _exclusions(app, sel: Selection, err, warn):
    camp = sel.campaign
    ids = {e.id: e for e in camp.exclusions}
    for eid, e in ids.items():
        f = app.exclusions.get(eid)
        if f is None or f.value is None:
            err("exclusion-undeclared", f"未声明是否存在排除情形 {eid}：{e.text}", f.loc if f else app.loc, f"排除情形/{eid}")
        elif f.value:
            err("exclusion", f"声明近三年存在排除情形 {eid}：{e.text}——按{camp.exclusions_named}不得申报", f.loc,
                f"排除情形/{eid}")
    for eid, f in app.exclusions.items():
        if eid not in ids:
            warn("exclusion-unknown", f"排除情形编号 {eid} 不是{camp.exclusions_named}中的情形（{'、'.join(ids)}），已忽略",
                 f.loc, f"排除情形/{eid}")


def _share_threshold(sel: Selection):
    """The campaign's 工业增加值占比 threshold for parks (a Value, possibly a gap); None without a park category."""
    if sel.campaign is None or "park" not in sel.campaign.categories:
        return None
    v = sel.campaign.categories["park"].value_added_share_over
    if v is None:
        raise GmdocsError(f"{sel.campaign.id} 的园区类别没有 value_added_share_over（工业增加值占比门槛）："
                          "数据目录不完整，请运行 gmdocs catalogue validate", EXIT_PROBLEMS)
    return v


def _eligibility(app, sel: Selection, rep: CheckReport, err, warn):
    """The year's conditions on 基本信息 fields, from the campaign data (`eligibility`): an unmet one is an error
    (a warning when the rule itself is uncertain). A year whose conditions were not found says so and applies no
    other year's."""
    from ..application.spec import CATEGORY_LABELS, INFO_FIELDS
    camp = sel.campaign
    cc = camp.categories.get(app.category) if camp is not None else None
    if cc is None or cc.eligibility is None:
        return
    v = cc.eligibility
    if not v.known:
        warn("eligibility", f"{camp.year} 年度{CATEGORY_LABELS[app.category]}的申报条件未收录（缺失；应见：{v.missing}），"
             f"未核对；拿到原文后可在数据目录补充（缺口编号 {v.path}）", app.loc, "申报条件")
        return
    binding = v.confidence != "uncertain"
    unmet = err if binding else warn
    level = app.get("level") or "国家级"
    specs = {sp.id: sp for sp in INFO_FIELDS[app.category]}
    for rule in v.value:
        if rule.level and rule.level != level:
            continue
        spec, f = specs[rule.field], app.info.get(rule.field)
        value = f.value if f is not None else None
        where = f.loc if f is not None and f.loc else app.loc
        cond = f"{camp.year} 年度申报条件“{rule.text}”{v.mark}"
        if value is None or value == "":
            rep.conditions.append(ConditionResult(rule.text, f"{spec.label}：未填写", None, binding, v.mark))
            if not spec.required:          # a required field left empty is reported where it is read
                warn("eligibility", f"未填写“{spec.label}”，无法核对 {cond}", where, spec.label)
            continue
        shown = ({True: "是", False: "否"}[value] if isinstance(value, bool) else str(value))
        met = rule.met(value)
        rep.conditions.append(ConditionResult(rule.text, f"{spec.label}：{shown}", met, binding, v.mark))
        if not met:
            unmet("eligibility", f"{spec.label}为“{shown}”：不满足 {cond}", where, spec.label)


def _park(app, sel: Selection, rep: CheckReport, err, warn):
    limit = _share_threshold(sel)
    if limit is None:
        return
    if not limit.known:
        warn("park-share", f"{sel.year} 年度园区工业增加值占比的门槛未收录（缺失；应见：{limit.missing}），未核对工业增加值占比；"
             f"拿到原文后可在数据目录补充（缺口编号 {limit.path}）", app.loc, "工业增加值占比")
        return
    bound = float(limit.value)
    src = f"{sel.year} 年度通知：须超过 {bound:g}%{limit.mark}"
    for yf in app.years:
        if yf.value_added_share is not None and yf.value_added_share <= bound:
            err("park-share", f"{yf.year} 年工业增加值占比 {yf.value_added_share:g}%：{src}", yf.share_loc or yf.loc,
                "工业增加值占比")
        elif yf.value_added_share is None:
            err("park-share", f"{yf.year} 年未填写工业增加值占比（{src}）", yf.share_loc or yf.loc, "工业增加值占比")
    shares = app.years
    if shares:
        given = [yf.value_added_share for yf in shares if yf.value_added_share is not None]
        rep.conditions.append(ConditionResult(
            f"工业增加值占比超过{bound:g}%",
            "工业增加值占比：" + "；".join(f"{yf.year}年 " + (f"{yf.value_added_share:.1f}%" if yf.value_added_share is not None
                                                             else "未填写") for yf in shares),
            None if len(given) < len(shares) else all(x > bound for x in given), mark=limit.mark))


def _energy(app, rep: CheckReport, table, err, warn):
    reported: set[str] = set()
    for yf in app.years:
        ye = year_energy(app.energy, yf.year, table)
        rep.energy[yf.year] = ye
        for c in ye.carriers:
            if c.problem and c.problem not in reported:
                reported.add(c.problem)
                err("energy-carrier", c.problem, next((u.loc for u in app.energy if u.carrier == c.carrier), None), "能源消费")
        if not ye.carriers or ye.tce is None or yf.energy_total is None:
            continue
        if yf.energy_total < 0 or any(c.amount < 0 for c in ye.carriers):
            continue                     # each negative amount is an error at its own line; a sum with it means nothing
        if ye.tce <= 0:
            if yf.energy_total > 0:
                err("energy-sum", f"{yf.year} 年申报综合能耗 {yf.energy_total:,.1f} tce，但各能源品种的数量折算之和为 0 tce："
                    "请填写该年各能源品种的消费量", yf.loc, "综合能耗")
            continue
        diff = abs(ye.tce - yf.energy_total) / ye.tce
        if diff > ENERGY_TOLERANCE:
            note = f"；其中 {'、'.join(ye.unverified)} 的系数未经核实" if ye.unverified else ""
            err("energy-sum", f"{yf.year} 年申报综合能耗 {yf.energy_total:,.1f} tce，与各能源品种按 GB/T 2589-2020 "
                f"{BASIS}折算之和 {ye.tce:,.1f} tce 相差 {diff:.1%}（允许 {ENERGY_TOLERANCE:.0%}）{note}", yf.loc, "综合能耗")
    # unit energy consumption vs 综合能耗 / 产量
    totals = {yf.year: yf.energy_total for yf in app.years if yf.energy_total and yf.energy_total > 0}
    for yr, total in totals.items():
        finals = [p for p in app.products if not p.intermediate]
        prods = [p for p in finals if yr in p.output and yr in p.unit_energy and p.output[yr] > 0
                 and p.unit_energy[yr] >= 0]
        if not prods:
            continue
        if len(finals) == 1 and len(app.products) == 1:
            p = prods[0]
            computed = total * 1000.0 / p.output[yr]
            declared = p.unit_energy[yr]
            diff = abs(declared - computed) / max(computed, 1e-9)
            if diff > UNIT_ENERGY_TOLERANCE:
                err("unit-energy", f"{yr} 年“{p.name}”单位产品综合能耗申报 {declared:,.1f}，按综合能耗/产量计算为 "
                    f"{computed:,.1f} kgce/{p.unit or '单位'}，相差 {diff:.1%}（单一产品，允许 {UNIT_ENERGY_TOLERANCE:.0%}）",
                    p.year_locs.get(yr, p.loc), "单位产品综合能耗")
        else:
            # Intermediate products (水泥熟料 inside 水泥) are part of a final product's energy: summed once only.
            share = sum(p.unit_energy[yr] * p.output[yr] for p in prods) / 1000.0
            if share > total * (1 + ENERGY_TOLERANCE):
                mids = [p.name for p in app.products if p.intermediate]
                hint = (f"（中间产品 {'、'.join(mids)} 已不计入）" if mids else
                        "；如其中有另一产品的中间产品（如水泥熟料之于水泥），请在该产品标明“中间产品: 是”")
                err("unit-energy", f"{yr} 年各最终产品单位产品综合能耗×产量之和 {share:,.1f} tce 超过全厂综合能耗 "
                    f"{total:,.1f} tce{hint}", prods[0].loc, "单位产品综合能耗")


def _benchmark_claims(app, cat, sel: Selection, err, warn):
    from ..catalogue.applicable import which
    industry = app.get("industry") or "（未填写）"
    for p in app.products:
        if not p.claims_benchmark:
            continue
        rows = [h for h in which(cat, industry, sel.year, app.category, p.name).benchmarks
                if h.table.id in sel.campaign.benchmark_tables and "benchmark" in h.table.levels]
        known = [h for h in rows if h.row.known and h.row.values.get("benchmark") and h.row.values["benchmark"].known]
        if not known:
            what = f"（应见：{rows[0].row.missing}）" if rows and rows[0].row.missing else ""
            warn("benchmark-claim", f"声明“{p.name}”达到标杆水平，但对应的标杆值未收录{what}，无法核对", p.loc, "声明达到标杆水平")
            continue
        h = known[0]
        bench = h.row.values["benchmark"].value
        if not p.unit_energy:
            err("benchmark-claim", f"声明“{p.name}”达到标杆水平，但没有填写单位产品综合能耗", p.loc, "单位产品综合能耗")
            continue
        last = max(p.unit_energy)
        val = p.unit_energy[last]
        worse = val > bench if h.row.better == "lower" else val < bench
        if worse:
            err("benchmark-claim", f"声明“{p.name}”达到标杆水平，但 {last} 年单位产品综合能耗 {val:g} {h.row.unit}"
                f"{'高于' if h.row.better == 'lower' else '低于'}标杆水平 {bench:g}（{h.document}）",
                p.year_locs.get(last, p.loc), "声明达到标杆水平")


# Evidence that names no document: the evidence index would point at itself.
PLACEHOLDER_EVIDENCE = re.compile(r"^(详?见(证明材料|附件|材料|附表)(清单|目录)?|同上|略|等|无|/|—+|-+)[。.]?$")


def _answers(app, sel: Selection, err, warn):
    for a in list(app.gates) + list(app.answers):
        if a.evidence and PLACEHOLDER_EVIDENCE.match(a.evidence.strip()):
            err("evidence-placeholder", f"“{a.id}”的证明材料写的是“{a.evidence}”：请写出具体的证明材料名称"
                "（如 排污许可证及年度执行报告），证明材料清单要按名称索引到申报材料汇编中的页码",
                a.loc, f"{a.id}/证据")
    rb = sel.rulebook
    gate_ids = {g.id for g in rb.gates}
    mandatory = {g.id for g in rb.gates if g.mandatory}
    ind_ids = {i.id for i in rb.indicators()}
    for a in app.gates:
        if a.id not in gate_ids:
            warn("unknown-item", f"基本要求编号 {a.id} 不在《{rb.title}》中，已忽略", a.loc, "基本要求")
        elif a.result == "不符合" and a.id in mandatory:
            err("gate-failed", f"基本要求 {a.id} 不符合（一票否决）", a.loc, "基本要求")
    answered = {a.id for a in app.gates if a.result}
    for g in rb.gates:
        if g.id not in answered and g.mandatory:
            err("gate-unanswered", f"未填写基本要求 {g.id}：{g.text}", app.loc, "基本要求")
    for a in app.answers:
        if a.id not in ind_ids:
            warn("unknown-item", f"指标编号 {a.id} 不在《{rb.title}》中，已忽略", a.loc, "指标")
    have = {a.id for a in app.answers if a.result or a.value is not None}
    missing = [i for i in rb.indicators() if i.id not in have]
    if missing:
        warn("indicator-unanswered", f"有 {len(missing)} 项指标未填写：{'、'.join(i.id for i in missing[:10])}"
             f"{'…' if len(missing) > 10 else ''}（这些指标按未得分处理）", app.loc, "指标")
