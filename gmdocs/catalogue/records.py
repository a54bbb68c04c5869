"""Build typed records from parsed YAML mappings, one builder per `kind`."""
from __future__ import annotations

from typing import Callable

from ..errors import Problem
from .fields import Fields
from .model import (CAP_COUNTS, GRID_CALIBRES, SUMMARY_COLUMN_IDS, BenchmarkRow, BenchmarkTable, Campaign, CampaignCategory, CodeRule,
                    EligibilityRule, Value,
                    Coefficient, ConversionTable, EmissionFactors, Formula, FormulaSet, FuelFactor, Gate,
                    GridFactor, Group, Indicator, Item, LEVEL_NAMES, Policy, Record, Rulebook, Scoring,
                    SimpleFactor, Standard)
from .numbers import normalise
from .yamlsrc import LDict

STANDARD_LEVELS = ("国家标准", "行业标准", "团体标准", "地方标准")
STANDARD_STATUS = ("现行", "废止", "即将实施", "状态未知")
# 已执行完毕: a one-off (annual) notice whose round is over; its rules applied to that round only.
POLICY_STATUS = ("现行", "废止", "已被替代", "已执行完毕", "状态未知")
POLICY_TYPES = ("通知", "办法", "评价要求", "标杆基准文件", "名单公告", "方案", "其他")
TOPICS = ("green-factory", "supply-chain", "park", "energy-quota", "energy-calc", "code")
CATEGORIES = ("factory", "park", "supply-chain")
METHODS = ("points", "weighted", "baseline-leading", "unknown")
EVALUATIONS = ("third-party", "self", "self-or-third-party")


def _non_negative(v) -> str | None:
    return None if v >= 0 else f"不能为负数：{v}"


def build_standard(f: Fields) -> Standard:
    srcs = f.inherited
    number = f.text("number", required=True) or ""
    key = f.text("key", required=True) or ""
    if number and key and normalise(number) != key:
        f.problem("key", f"key {key!r} 与编号 {number!r} 不一致，应为 {normalise(number)!r}")
    replaced_by = f.text("replaced_by")
    return Standard(
        kind="standard", file=f.file, line=f.line, sources=srcs,
        key=key, number=number,
        title=f.text("title", required=True) or "",
        title_en=f.text("title_en"),
        level=f.text("level", required=True, choices=STANDARD_LEVELS) or "",
        nature=f.text("nature", choices=("强制性", "推荐性")),
        status=f.text("status", required=True, choices=STANDARD_STATUS) or "",
        published=f.value("published", "date"),
        effective=f.value("effective", "date"),
        abolished=f.value("abolished", "date"),
        replaces=[normalise(x) for x in f.text_list("replaces")],
        replaced_by=normalise(replaced_by) if replaced_by else None,
        topics=_topics(f),
        industries=f.text_list("industries"),
        scope=f.text("scope"),
        notes=f.text("notes"),
    )


def _topics(f: Fields) -> list[str]:
    topics = f.text_list("topics")
    for t in topics:
        if t not in TOPICS:
            f.problem("topics", f"主题 {t!r} 不在允许范围内：{'、'.join(TOPICS)}")
    return topics


def build_policy(f: Fields) -> Policy:
    return Policy(
        kind="policy", file=f.file, line=f.line, sources=f.inherited,
        id=f.text("id", required=True) or "",
        number=f.value("number", "text"),
        title=f.text("title", required=True) or "",
        doc_type=f.text("doc_type", required=True, choices=POLICY_TYPES) or "",
        issuer=f.text("issuer"),
        date=f.value("date", "date"),
        effective=f.value("effective", "date"),
        status=f.text("status", required=True, choices=POLICY_STATUS) or "",
        replaces=f.text_list("replaces"),
        replaced_by=f.text("replaced_by"),
        attachments=f.text_list("attachments"),
        summary=f.text_list("summary"),
        notes=f.text("notes"),
    )


INDICATOR_KEYS = {"id", "name", "unit", "kind", "direction", "requirement", "max_points", "baseline",
                  "leading", "rule", "description", "by_industry"}
LEVEL_KEYS = ("baseline", "leading")


def _by_industry(inf: Fields) -> dict:
    """`by_industry: {行业: {baseline: <值>, leading: <值>}}` → {行业: {"baseline": Value, "leading": Value}}."""
    raw = inf.mapping("by_industry")
    out: dict = {}
    if raw is None:
        return out
    for name, body in raw.items():
        if not isinstance(name, str) or not name.strip():
            inf.problem("by_industry", f"行业名称应为非空文本，实际是 {name!r}", line=raw.line_of(name))
            continue
        if not isinstance(body, dict):
            inf.problem(f"by_industry/{name}", "应为映射 {baseline: 值, leading: 值}", line=raw.line_of(name))
            continue
        bf = inf.sub(body, f"by_industry/{name}", set(LEVEL_KEYS))
        bf.inherited = bf.sources(required=False) or inf.inherited
        levels = {}
        for key in LEVEL_KEYS:
            v = bf.value(key, "number")
            if v is not None:
                levels[key] = v
        if not body or not any(k in body for k in LEVEL_KEYS):
            bf.problem("", "至少要写 baseline（基准值）或 leading（引领值）之一", line=raw.line_of(name))
        out[name.strip()] = levels
    return out


def build_rulebook(f: Fields) -> Rulebook:
    rid = f.text("id", required=True) or ""
    basis = f.mapping("basis")
    basis_std: list[str] = []
    basis_pol: list[str] = []
    if basis is not None:
        bf = f.sub(basis, "basis", {"standards", "policies"})
        basis_std = [normalise(x) for x in bf.text_list("standards")]
        basis_pol = bf.text_list("policies")
    scoring = None
    sraw = f.mapping("scoring", required=True)
    if sraw is not None:
        sf = f.sub(sraw, "scoring", {"method", "total", "pass_mark", "groups_sum_to_total",
                                     "indicators_sum_to_group", "index_name", "rule"})
        scoring = Scoring(
            method=sf.text("method", required=True, choices=METHODS) or "unknown",
            total=sf.value("total", "number", check=_non_negative),
            pass_mark=sf.value("pass_mark", "number", check=_non_negative),
            groups_sum_to_total=sf.boolean("groups_sum_to_total"),
            indicators_sum_to_group=sf.boolean("indicators_sum_to_group"),
            index_name=sf.text("index_name"),
            rule=sf.text("rule"),
        )
    gates = []
    for g in f.items("gates"):
        gid = g.get("id")
        gf = f.sub(g, f"gates/{gid}", {"id", "text", "note", "mandatory"})
        srcs = gf.sources(required=False) or f.inherited
        gates.append(Gate(gf.text("id", required=True) or "", gf.text("text", required=True) or "",
                          srcs, gf.line, gf.text("note"), gf.boolean("mandatory", True)))
    groups = []
    for g in f.items("groups"):
        gid = g.get("id")
        gf = f.sub(g, f"groups/{gid}", {"id", "name", "weight", "description", "indicators"})
        gsrcs = gf.sources(required=False) or f.inherited
        gf.inherited = gsrcs
        group = Group(gf.text("id", required=True) or "", gf.text("name", required=True) or "", gsrcs, gf.line,
                      weight=gf.value("weight", "number", check=_non_negative),
                      description=gf.text("description"))
        for ind in gf.items("indicators"):
            iid = ind.get("id")
            inf = f.sub(ind, f"groups/{gid}/indicators/{iid}", INDICATOR_KEYS)
            isrcs = inf.sources(required=False) or gsrcs
            inf.inherited = isrcs
            group.indicators.append(Indicator(
                id=inf.text("id", required=True) or "", name=inf.text("name", required=True) or "",
                sources=isrcs, line=inf.line, unit=inf.text("unit"),
                kind=inf.text("kind", choices=("qualitative", "quantitative")),
                direction=inf.text("direction", choices=("higher", "lower")),
                requirement=inf.text("requirement", choices=("mandatory", "optional", "scored")),
                max_points=inf.value("max_points", "number", check=_non_negative),
                baseline=inf.value("baseline", "number"),
                leading=inf.value("leading", "number"),
                rule=inf.text("rule"), description=inf.text("description"),
                by_industry=_by_industry(inf),
            ))
        groups.append(group)
    return Rulebook(
        kind="rulebook", file=f.file, line=f.line, sources=f.inherited, id=rid,
        title=f.text("title", required=True) or "",
        category=f.text("category", required=True, choices=CATEGORIES) or "",
        basis_standards=basis_std, basis_policies=basis_pol,
        industries=f.text_list("industries"), scoring=scoring, gates=gates, groups=groups,
        notes=f.text("notes"),
    )


ROW_KEYS = {"id", "area", "product", "indicator", "unit", "better", "values", "missing", "notes"}


def build_benchmark_table(f: Fields) -> BenchmarkTable:
    tid = f.text("id", required=True) or ""
    levels = f.text_list("levels", required=True)
    for lv in levels:
        if lv not in LEVEL_NAMES:
            f.problem("levels", f"等级 {lv!r} 不合法，应为：{'、'.join(LEVEL_NAMES)}")
    doc = f.mapping("document", required=True)
    doc_pol = doc_std = None
    if doc is not None:
        df = f.sub(doc, "document", {"policy", "standard"})
        doc_pol = df.text("policy")
        std = df.text("standard")
        doc_std = normalise(std) if std else None
        if not doc_pol and not doc_std:
            df.problem("", "document 应写 policy（政策 id）或 standard（标准编号）之一")
    rows = []
    for r in f.items("rows"):
        rid = r.get("id")
        path = f"{tid}/rows/{rid}"
        rf = Fields(r, f.base_file, path, f.problems, ROW_KEYS, (), f.supplement_ok)
        missing = rf.text("missing")
        srcs = rf.sources(required=missing is None)
        rf.inherited = srcs
        row = BenchmarkRow(id=rf.text("id", required=True) or "", line=rf.line, path=path, sources=srcs,
                           area=rf.text("area"), product=rf.text("product"), indicator=rf.text("indicator"),
                           unit=rf.text("unit"), better=rf.text("better", choices=("lower", "higher")),
                           missing=missing, notes=rf.text("notes"))
        if not (row.area or row.product):
            rf.problem("product", "行至少要写 area（领域）或 product（产品）", line=rf.line)
        vals = rf.mapping("values")
        if missing is not None and vals is not None:
            rf.problem("values", "整行写了 missing 就不能再写 values")
        elif missing is None and vals is None:
            rf.problem("values", "缺少 values（数值未找到时写 missing: 出处）", line=rf.line)
        if vals is not None and missing is None:
            vf = Fields(vals, f.base_file, f"{path}/values", f.problems, set(levels), srcs, f.supplement_ok)
            for lv in vals:
                if lv in levels:
                    v = vf.value(lv, "number")
                    if v is not None:
                        row.values[lv] = v
            if not row.unit:
                rf.problem("unit", "有数值的行必须写单位 unit", line=rf.line)
            if not row.better:
                rf.problem("better", "有数值的行必须写 better（lower / higher）", line=rf.line)
        rows.append(row)
    return BenchmarkTable(
        kind="benchmark_table", file=f.file, line=f.line, sources=f.inherited, id=tid,
        title=f.text("title", required=True) or "", document_policy=doc_pol, document_standard=doc_std,
        levels=levels, valid_from=f.value("valid_from", "date"), valid_to=f.value("valid_to", "date"),
        areas=f.text_list("areas"), rows=rows, notes=f.text("notes"),
    )


COEF_KEYS = {"id", "carrier", "unit", "result_unit", "basis", "coefficient", "heating_value", "notes"}


def build_conversion_table(f: Fields) -> ConversionTable:
    tid = f.text("id", required=True) or ""
    std = f.text("standard")
    coefs = []
    for c in f.items("coefficients", required=True):
        cid = c.get("id")
        cf = f.sub(c, f"coefficients/{cid}", COEF_KEYS)
        srcs = cf.sources(required=False) or f.inherited
        cf.inherited = srcs
        coefs.append(Coefficient(
            id=cf.text("id", required=True) or "", carrier=cf.text("carrier", required=True) or "",
            line=cf.line, sources=srcs,
            coefficient=cf.value("coefficient", "number", required=True, check=_non_negative),
            unit=cf.text("unit", required=True), result_unit=cf.text("result_unit", required=True),
            basis=cf.text("basis", choices=("当量值", "等价值", "不区分")),
            heating_value=cf.text("heating_value"), notes=cf.text("notes"),
        ))
    return ConversionTable(kind="conversion_table", file=f.file, line=f.line, sources=f.inherited, id=tid,
                           title=f.text("title") or "", standard=normalise(std) if std else None,
                           coefficients=coefs, notes=f.text("notes"))


def build_code_rule(f: Fields) -> CodeRule:
    std = f.text("standard")
    rule = CodeRule(kind="code_rule", file=f.file, line=f.line, sources=f.inherited,
                    id=f.text("id", required=True) or "", title=f.text("title") or "",
                    standard=normalise(std) if std else None,
                    charset=f.text("charset", required=True) or "",
                    modulus=f.integer("modulus", required=True) or 0,
                    length=f.integer("length", required=True) or 0,
                    pattern=f.text("pattern"), notes=f.text("notes"))
    w = f.data.get("weights")
    if not isinstance(w, list) or not all(isinstance(x, int) and not isinstance(x, bool) for x in w):
        f.problem("weights", "weights 应为整数列表")
    else:
        rule.weights = list(w)
        if rule.length and len(w) != rule.length - 1:
            f.problem("weights", f"权重个数 {len(w)} 应为 length-1 = {rule.length - 1}")
    for key in ("segments", "test_vectors"):
        items = f.items(key)
        setattr(rule, key, list(items))
    return rule


CATEGORY_KEYS = {"rulebooks", "industry_standards", "conditions", "notes", "value_added_share_over", "eligibility"}
ELIGIBILITY_KEYS = {"field", "text", "one_of", "is", "filled", "level"}


def _eligibility(cf: Fields, category: str) -> Value | None:
    """`eligibility`: the year's conditions on 基本信息 fields, as a sourced list (or a gap). Each item names the
    field (its id in the application's field table), the condition's wording and one test."""
    import dataclasses

    from ..application.spec import INFO_FIELDS
    v = cf.value("eligibility", "any", required=category == "park")
    if v is None or not v.known:
        return v
    if not isinstance(v.value, list) or not v.value:
        cf.problem("eligibility", "应为条件列表：每项写 field、text，和 one_of / is: true / filled: true 之一",
                   line=v.line)
        return None
    specs = {sp.id: sp for sp in INFO_FIELDS[category]}
    rules, ok = [], True
    for i, item in enumerate(v.value):
        key = f"eligibility[{i + 1}]"
        line = getattr(item, "line", None) or v.line

        def bad(msg: str) -> None:
            nonlocal ok
            ok = False
            cf.problem(key, msg, line=line)
        if not isinstance(item, dict):
            bad("应为映射（field、text 和一项判断）")
            continue
        for k in set(item) - ELIGIBILITY_KEYS:
            bad(f"未知的键 {k!r}（可用：{'、'.join(sorted(ELIGIBILITY_KEYS))}）")
        fid = item.get("field")
        spec = specs.get(fid) if isinstance(fid, str) else None
        if spec is None:
            bad(f"field {item.get('field')!r} 不是{category}申报数据基本信息的字段（可用：{'、'.join(specs)}）")
            continue
        text = item.get("text")
        if not isinstance(text, str) or not text.strip():
            bad("缺少条件原文 text")
            continue
        tests = [k for k in ("one_of", "is", "filled") if k in item]
        if len(tests) != 1:
            bad("应写 one_of（允许的取值）、is: true 或 filled: true 中的一项")
            continue
        one_of = item.get("one_of") or []
        if tests == ["one_of"] and (not isinstance(one_of, list) or not one_of
                                    or any(spec.choices and c not in spec.choices for c in one_of)):
            bad(f"one_of 应为字段“{spec.label}”可选值的列表（{'、'.join(spec.choices)}）")
            continue
        if tests == ["is"] and (item["is"] is not True or spec.type != "bool"):
            bad(f"is: true 只用于是/否字段，字段“{spec.label}”不是")
            continue
        if tests == ["filled"] and item["filled"] is not True:
            bad("filled 只能写 true")
            continue
        level = item.get("level")
        if level not in (None, "国家级", "省级"):
            bad(f"level 应为 国家级 或 省级，实际是 {level!r}")
            continue
        rules.append(EligibilityRule(spec.id, text.strip(), tuple(str(c) for c in one_of), tests == ["is"],
                                     tests == ["filled"], level))
    return dataclasses.replace(v, value=tuple(rules)) if ok else None


def build_campaign(f: Fields) -> Campaign:
    year = f.integer("year", required=True) or 0
    camp = Campaign(kind="campaign", file=f.file, line=f.line, sources=f.inherited,
                    id=f.text("id", required=True) or "", year=year, title=f.text("title"),
                    notice=f.value("notice", "text", required=True),
                    evaluation=f.value("evaluation", "text", required=True,
                                       check=lambda v: None if v in EVALUATIONS else
                                       f"取值 {v!r} 不在允许范围内：{'、'.join(EVALUATIONS)}"),
                    evaluator_cap=f.value("evaluator_cap", "number", check=_non_negative),
                    evaluator_cap_counts=f.text("evaluator_cap_counts", choices=tuple(CAP_COUNTS)),
                    summary_columns_source=f.text("summary_columns_source"),
                    benchmark_tables=f.text_list("benchmark_tables"),
                    data_years=f.text("data_years"), notes=f.text("notes"),
                    exclusions_basis=f.text("exclusions_basis"))
    for i, col in enumerate(f.data.get("summary_columns") or []):
        if not isinstance(col, dict) or col.get("id") not in SUMMARY_COLUMN_IDS or not col.get("label"):
            f.problem("summary_columns", f"第 {i + 1} 列应写 id（{'、'.join(SUMMARY_COLUMN_IDS)}）和 label")
            continue
        camp.summary_columns.append({"id": str(col["id"]), "label": str(col["label"])})
    cats = f.mapping("categories", required=True)
    if cats is not None:
        for name, body in cats.items():
            if name not in CATEGORIES:
                f.problem(f"categories/{name}", f"类别 {name!r} 不合法，应为：{'、'.join(CATEGORIES)}",
                          line=cats.line_of(name))
                continue
            if not isinstance(body, dict):
                f.problem(f"categories/{name}", "类别内容应为映射", line=cats.line_of(name))
                continue
            cf = f.sub(body, f"categories/{name}", CATEGORY_KEYS)
            camp.categories[name] = CampaignCategory(
                name=name, line=cf.line, rulebooks=cf.text_list("rulebooks"),
                industry_standards=cf.boolean("industry_standards"),
                conditions=cf.text_list("conditions"), notes=cf.text("notes"),
                value_added_share_over=cf.value("value_added_share_over", "number", required=name == "park",
                                                check=_percent),
                eligibility=_eligibility(cf, name))
            if name != "park" and "value_added_share_over" in body:
                cf.problem("value_added_share_over", "value_added_share_over（工业增加值占比门槛）只用于园区类别 park")
    for key, target in (("exclusions", camp.exclusions), ("deadlines", camp.deadlines)):
        for it in f.items(key):
            itf = f.sub(it, f"{key}/{it.get('id')}", {"id", "text", "what", "date"})
            text = itf.text("text") or itf.text("what")
            if not text:
                itf.problem("text", "缺少说明 text / what", line=itf.line)
            item = Item(itf.text("id", required=True) or "", text or "", itf.line)
            if key == "deadlines":
                item.date = itf.value("date", "date", required=True)
            target.append(item)
    return camp


FORMULA_KEYS = {"id", "name", "expression", "unit", "indicator", "percent", "when", "text", "clause", "notes",
                "zero_if_absent", "aggregate"}


def build_formula_set(f: Fields) -> FormulaSet:
    from .formula import FormulaError, compile_expression
    fs = FormulaSet(kind="formula_set", file=f.file, line=f.line, sources=f.inherited,
                    id=f.text("id", required=True) or "", title=f.text("title", required=True) or "",
                    rulebook=f.text("rulebook"), notes=f.text("notes"))
    for item in f.items("formulas", required=True):
        ff = f.sub(item, f"formulas/{item.get('id')}", FORMULA_KEYS)
        srcs = ff.sources(required=True)
        expr_text = ff.text("expression", required=True)
        expr = None
        if expr_text:
            try:
                expr = compile_expression(expr_text)
            except FormulaError as exc:
                ff.problem("expression", str(exc))
        fs.formulas.append(Formula(
            id=ff.text("id", required=True) or "", name=ff.text("name", required=True) or "", line=ff.line,
            sources=srcs, expression=expr, unit=ff.text("unit"), indicator=ff.text("indicator"),
            percent=ff.boolean("percent"), when=ff.text("when", choices=("quota-standard", "no-quota-standard")),
            text=ff.text("text", required=True) or "", clause=ff.text("clause"), notes=ff.text("notes"),
            zero_if_absent=ff.text_list("zero_if_absent"),
            aggregate=ff.text("aggregate", choices=("latest", "mean")) or "latest"))
        f_last = fs.formulas[-1]
        for name in f_last.zero_if_absent:
            if f_last.expression is not None and name not in f_last.expression.names:
                ff.problem("zero_if_absent", f"变量 {name!r} 不在表达式中")
    return fs


def _percent(v) -> str | None:
    return None if 0 <= v <= 100 else f"应为 0—100 之间的百分数：{v}"


def _positive(v) -> str | None:
    return None if v > 0 else f"应为正数：{v}"


def _fraction(v) -> str | None:
    return None if 0 < v <= 1 else f"碳氧化率应写成 0–1 之间的小数（如 0.93），实际是 {v}"


def build_emission_factors(f: Fields) -> EmissionFactors:
    std = f.text("standard")
    ef = EmissionFactors(kind="emission_factors", file=f.file, line=f.line, sources=f.inherited,
                         id=f.text("id", required=True) or "", title=f.text("title", required=True) or "",
                         standard=normalise(std) if std else None, notes=f.text("notes"))
    for item in f.items("fuels"):
        ff = f.sub(item, f"fuels/{item.get('id')}", {"id", "carrier", "ncv", "ncv_unit", "carbon_content",
                                                      "oxidation", "biomass", "notes"})
        srcs = ff.sources(required=False) or f.inherited
        ff.inherited = srcs
        ef.fuels.append(FuelFactor(
            id=ff.text("id", required=True) or "", carrier=ff.text("carrier", required=True) or "", line=ff.line,
            sources=srcs, ncv=ff.value("ncv", "number", required=True, check=_positive),
            ncv_unit=ff.text("ncv_unit", required=True, choices=("GJ/t", "GJ/万m³")),
            carbon_content=ff.value("carbon_content", "number", required=True, check=_positive),
            oxidation=ff.value("oxidation", "number", required=True, check=_fraction),
            biomass=ff.boolean("biomass"), notes=ff.text("notes")))
    for item in f.items("electricity"):
        gf = f.sub(item, f"electricity/{item.get('id')}", {"id", "calibre", "region", "data_year", "value",
                                                           "announcement", "notes"})
        srcs = gf.sources(required=False) or f.inherited
        gf.inherited = srcs
        ef.electricity.append(GridFactor(
            id=gf.text("id", required=True) or "", calibre=gf.text("calibre", required=True,
                                                                  choices=tuple(GRID_CALIBRES)) or "",
            line=gf.line, sources=srcs, value=gf.value("value", "number", required=True, check=_positive),
            region=gf.text("region"), data_year=gf.integer("data_year", required=True),
            announcement=gf.text("announcement"), notes=gf.text("notes")))
    for key, target in (("heat", ef.heat), ("process", ef.process)):
        for item in f.items(key):
            sf = f.sub(item, f"{key}/{item.get('id')}", {"id", "name", "value", "unit", "activity", "notes"})
            srcs = sf.sources(required=False) or f.inherited
            sf.inherited = srcs
            target.append(SimpleFactor(
                id=sf.text("id", required=True) or "", name=sf.text("name", required=True) or "", line=sf.line,
                sources=srcs, value=sf.value("value", "number", required=True, check=_non_negative),
                unit=sf.text("unit", required=True), activity=sf.text("activity"), notes=sf.text("notes")))
    return ef


BUILDERS: dict[str, tuple[set[str], Callable[[Fields], Record]]] = {
    "standard": ({"kind", "number", "key", "title", "title_en", "level", "nature", "status", "published",
                  "effective", "abolished", "replaces", "replaced_by", "topics", "industries", "scope",
                  "notes"}, build_standard),
    "policy": ({"kind", "id", "number", "title", "doc_type", "issuer", "date", "effective", "status",
                "replaces", "replaced_by", "attachments", "summary", "notes"}, build_policy),
    "rulebook": ({"kind", "id", "title", "category", "basis", "industries", "scoring", "gates", "groups",
                  "notes"}, build_rulebook),
    "benchmark_table": ({"kind", "id", "title", "document", "levels", "valid_from", "valid_to", "areas",
                         "rows", "notes"}, build_benchmark_table),
    "conversion_table": ({"kind", "id", "title", "standard", "coefficients", "notes"}, build_conversion_table),
    "code_rule": ({"kind", "id", "title", "standard", "charset", "weights", "modulus", "length", "pattern",
                   "segments", "test_vectors", "notes"}, build_code_rule),
    "formula_set": ({"kind", "id", "title", "rulebook", "formulas", "notes"}, build_formula_set),
    "emission_factors": ({"kind", "id", "title", "standard", "fuels", "electricity", "heat", "process", "notes"},
                         build_emission_factors),
    "campaign": ({"kind", "id", "year", "title", "notice", "categories", "evaluation", "evaluator_cap",
                  "evaluator_cap_counts", "summary_columns", "summary_columns_source",
                  "benchmark_tables", "exclusions", "exclusions_basis", "deadlines", "data_years", "notes"},
                 build_campaign),
}


def build_record(data: LDict, file: str, problems: list[Problem], supplement_ok: bool = False) -> Record | None:
    kind = data.get("kind")
    if kind not in BUILDERS:
        problems.append(Problem(file, data.line_of("kind") if "kind" in data else data.line, "kind",
                                f"未知的记录类型 kind={kind!r}，应为：{'、'.join(BUILDERS)}"))
        return None
    allowed, builder = BUILDERS[kind]
    ident = data.get("key") or data.get("id") or "?"
    f = Fields(data, file, str(ident), problems, allowed, supplement_ok=supplement_ok)
    f.inherited = f.sources(required=True)
    rec = builder(f)
    rec.field_lines = dict(data.key_lines)
    return rec
