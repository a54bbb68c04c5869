"""Rules across records: identities, links in both directions, sums, references."""
from __future__ import annotations


from ..errors import Problem
from .model import Campaign, CodeRule, BenchmarkTable, Policy, Record, Rulebook, Standard


def _p(problems: list[Problem], rec: Record, line: int | None, field: str, msg: str) -> None:
    top = field.split("/")[0]
    problems.append(Problem(rec.file, line or rec.field_lines.get(top) or rec.line, field, msg))


def check_identities(records: list[Record], problems: list[Problem]) -> None:
    seen: dict[str, Record] = {}
    numbers: dict[str, Record] = {}
    for rec in records:
        ident = getattr(rec, "ident", "")
        if not ident:
            continue
        if ident in seen:
            other = seen[ident]
            what = "标准编号" if isinstance(rec, Standard) else "记录编号 id"
            _p(problems, rec, None, "key" if isinstance(rec, Standard) else "id",
               f"{what} {ident!r} 重复（{other.file}:{other.line} 已有）")
        else:
            seen[ident] = rec
        if isinstance(rec, Policy) and rec.number is not None and rec.number.known:
            num = str(rec.number.value)
            if num in numbers:
                _p(problems, rec, rec.number.line, "number",
                   f"文号 {num!r} 重复（{numbers[num].file}:{numbers[num].line} 已有）")
            else:
                numbers[num] = rec


def check_standards(stds: dict[str, Standard], problems: list[Problem]) -> None:
    for s in stds.values():
        if s.replaced_by:
            target = stds.get(s.replaced_by)
            if target is None:
                _p(problems, s, None, "replaced_by", f"replaced_by 指向的标准 {s.replaced_by!r} 不在目录中")
            elif s.key not in target.replaces:
                _p(problems, s, None, "replaced_by",
                   f"{target.number} 的 replaces 没有指回 {s.number}（{target.file}:{target.line}）")
            elif target.status == "现行" and s.status == "现行":
                _p(problems, s, None, "status", f"已被现行标准 {target.number} 代替，状态不应为现行")
        for old in s.replaces:
            target = stds.get(old)
            if target is None:
                _p(problems, s, None, "replaces", f"replaces 中的标准 {old!r} 不在目录中")
            elif target.replaced_by != s.key:
                _p(problems, s, None, "replaces",
                   f"{target.number} 的 replaced_by 没有指回 {s.number}（{target.file}:{target.line}）")
        if s.status == "废止" and not s.replaced_by and s.abolished is None:
            _p(problems, s, None, "status", "废止的标准应写 abolished（废止日期）或 replaced_by")


def check_policies(pols: dict[str, Policy], stds: dict[str, Standard], problems: list[Problem]) -> None:
    for p in pols.values():
        if p.replaced_by:
            target = pols.get(p.replaced_by)
            if target is None:
                _p(problems, p, None, "replaced_by", f"replaced_by 指向的政策文件 {p.replaced_by!r} 不在目录中")
            elif p.id not in target.replaces:
                _p(problems, p, None, "replaced_by", f"{target.id} 的 replaces 没有指回 {p.id}")
        for old in p.replaces:
            target = pols.get(old)
            if target is None:
                _p(problems, p, None, "replaces", f"replaces 中的政策文件 {old!r} 不在目录中")
            elif target.replaced_by != p.id:
                _p(problems, p, None, "replaces", f"{old} 的 replaced_by 没有指回 {p.id}")


def check_rulebook(rb: Rulebook, stds, pols, problems: list[Problem]) -> None:
    for key in rb.basis_standards:
        if key not in stds:
            _p(problems, rb, None, "basis/standards", f"依据标准 {key!r} 不在目录中")
    for pid in rb.basis_policies:
        if pid not in pols:
            _p(problems, rb, None, "basis/policies", f"依据政策文件 {pid!r} 不在目录中")
    ids: dict[str, int] = {}
    for kind, items in (("gates", rb.gates), ("groups", rb.groups), ("indicators", rb.indicators())):
        for it in items:
            if it.id in ids:
                _p(problems, rb, it.line, kind, f"编号 {it.id!r} 在本指标体系中重复（第 {ids[it.id]} 行已有）")
            else:
                ids[it.id] = it.line
    sc = rb.scoring
    if sc is None:
        return
    # A total or a group weight that is itself derived (推算) from the parts is not checked against the sum of those
    # parts: the check would only compare the sum with itself (standards/README.md, derived).
    if sc.groups_sum_to_total and sc.total is not None and sc.total.known and sc.total.confidence != "derived":
        weights = [g.weight for g in rb.groups]
        if weights and all(w is not None and w.known for w in weights):
            total = sum(w.value for w in weights)
            if abs(total - sc.total.value) > 1e-9:
                _p(problems, rb, sc.total.line, "scoring/total",
                   f"各组权重之和为 {total:g}，与满分 {sc.total.value:g} 不一致")
    if sc.indicators_sum_to_group:
        for g in rb.groups:
            pts = [i.max_points for i in g.indicators]
            if g.weight is None or not g.weight.known or not pts or not all(p is not None and p.known for p in pts):
                continue
            if g.weight.confidence == "derived":
                continue
            total = sum(p.value for p in pts)
            if abs(total - g.weight.value) > 1e-9:
                _p(problems, rb, g.line, f"groups/{g.id}/weight",
                   f"组内指标分值之和为 {total:g}，与该组权重 {g.weight.value:g} 不一致")


def check_table(t: BenchmarkTable, stds, pols, problems: list[Problem]) -> None:
    if t.document_policy and t.document_policy not in pols:
        _p(problems, t, None, "document/policy", f"政策文件 {t.document_policy!r} 不在目录中")
    if t.document_standard and t.document_standard not in stds:
        _p(problems, t, None, "document/standard", f"标准 {t.document_standard!r} 不在目录中")
    seen: dict[str, int] = {}
    for row in t.rows:
        if row.id in seen:
            _p(problems, t, row.line, f"rows/{row.id}", f"行编号 {row.id!r} 重复（第 {seen[row.id]} 行已有）")
        seen[row.id] = row.line
        if row.known:
            for lv in t.levels:
                if lv not in row.values:
                    _p(problems, t, row.line, f"rows/{row.id}/values",
                       f"缺少等级 {lv}（找不到时写 {lv}: {{missing: 出处}}）")
        if t.areas and row.area and row.area not in t.areas:
            _p(problems, t, row.line, f"rows/{row.id}/area", f"领域 {row.area!r} 不在本表 areas 列表中")


def check_code_rule(rule: CodeRule, stds, problems: list[Problem]) -> None:
    from ..evaluate.uscc import explain
    if rule.standard and rule.standard not in stds:
        _p(problems, rule, None, "standard", f"标准 {rule.standard!r} 不在目录中")
    if len(rule.charset) != rule.modulus:
        _p(problems, rule, None, "charset", f"字符集长度 {len(rule.charset)} 应等于模数 {rule.modulus}")
        return
    for tv in rule.test_vectors:
        code, valid = str(tv.get("code", "")), tv.get("valid", True)
        try:
            ok = explain(code, rule) is None
        except ValueError:
            ok = False
        if ok != bool(valid):
            _p(problems, rule, getattr(tv, "line", None), "test_vectors",
               f"测试代码 {code} 按本规则计算{'合法' if ok else '不合法'}，与记录的 valid={valid} 不符")


def check_campaign(c: Campaign, pols, rulebooks, tables, problems: list[Problem]) -> None:
    if c.notice is not None and c.notice.known and c.notice.value not in pols:
        _p(problems, c, c.notice.line, "notice", f"通知 {c.notice.value!r} 不在政策文件目录中")
    for name, cat in c.categories.items():
        for rid in cat.rulebooks:
            rb = rulebooks.get(rid)
            if rb is None:
                _p(problems, c, cat.line, f"categories/{name}/rulebooks", f"指标体系 {rid!r} 不存在")
            elif rb.category != name:
                _p(problems, c, cat.line, f"categories/{name}/rulebooks",
                   f"指标体系 {rid!r} 的类别是 {rb.category}，不能用于 {name}")
    for tid in c.benchmark_tables:
        if tid not in tables:
            _p(problems, c, None, "benchmark_tables", f"标杆/基准表 {tid!r} 不存在")


def check_all(cat, problems: list[Problem]) -> None:
    records = list(cat.records())
    check_identities(records, problems)
    check_standards(cat.standards, problems)
    check_policies(cat.policies, cat.standards, problems)
    for rb in cat.rulebooks.values():
        check_rulebook(rb, cat.standards, cat.policies, problems)
    for t in cat.benchmark_tables.values():
        check_table(t, cat.standards, cat.policies, problems)
    for ct in cat.conversions.values():
        if ct.standard and ct.standard not in cat.standards:
            _p(problems, ct, None, "standard", f"标准 {ct.standard!r} 不在目录中")
    for rule in cat.code_rules.values():
        check_code_rule(rule, cat.standards, problems)
    years: dict[int, Campaign] = {}
    for c in cat.campaign_list:
        if c.year in years:
            _p(problems, c, None, "year", f"年度 {c.year} 重复（{years[c.year].file} 已有）")
        years[c.year] = c
        check_campaign(c, cat.policies, cat.rulebooks, cat.benchmark_tables, problems)
