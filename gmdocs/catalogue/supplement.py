"""User supplements: fill catalogue gaps from a user's own data folder.

A supplement file (`kind: supplement`) lists `fills`; each names a gap path
(`gap:`) or, to replace a sourced value, a `target:` with `override: true` and a
`reason`. Fills are spliced into the parsed YAML before the records are built,
so the spliced values pass the very same field checks as shipped data.
"""
from __future__ import annotations

from pathlib import Path

from ..errors import Problem
from .fields import VALUE_KEYS
from .yamlsrc import LDict, LList, display_path, read_yaml

FILL_KEYS = {"gap", "target", "value", "sources", "unit", "better", "indicator", "override", "reason", "note",
             "industry"}
INDUSTRY_LEVELS = ("baseline", "leading")




def _mark(obj, origin: str, line: int):
    """Tag a parsed node (recursively) as coming from a supplement file."""
    if isinstance(obj, LDict):
        obj.origin = origin
        for v in obj.values():
            _mark(v, origin, line)
    elif isinstance(obj, LList):
        obj.origin = origin
        for v in obj:
            _mark(v, origin, line)
    return obj


def _navigate(root: LDict, segments: list[str]):
    """Return (parent, key, node) for a path below a record, or None."""
    parent, key, node = None, None, root
    for seg in segments:
        if isinstance(node, dict):
            if seg not in node:
                return None
            parent, key, node = node, seg, node[seg]
        elif isinstance(node, list):
            idx = next((i for i, it in enumerate(node) if isinstance(it, dict) and str(it.get("id")) == seg), None)
            if idx is None:
                return None
            parent, key, node = node, idx, node[idx]
        else:
            return None
    return parent, key, node


def load_supplements(data_dir: Path, records: dict[str, LDict], problems: list[Problem]) -> list[dict]:
    """Apply every supplement file in `data_dir` to the raw records. Returns a summary per fill."""
    applied: list[dict] = []
    if not data_dir.exists():
        problems.append(Problem(display_path(data_dir), None, "", "用户数据目录不存在"))
        return applied
    if not data_dir.is_dir():
        problems.append(Problem(display_path(data_dir), None, "", "用户数据目录不是文件夹"))
        return applied
    filled: dict[str, str] = {}
    for path in sorted(data_dir.rglob("*.y*ml")):
        disp = display_path(path)
        data, probs = read_yaml(path, disp)
        problems.extend(probs)
        if data is None:
            continue
        if not isinstance(data, LDict) or data.get("kind") != "supplement":
            problems.append(Problem(disp, getattr(data, "line", 1), "kind",
                                    "用户数据目录中的文件必须是补充数据（kind: supplement）"))
            continue
        for k in data:
            if k not in {"kind", "title", "fills", "notes"}:
                problems.append(Problem(disp, data.line_of(k), k, f"未知的键 {k!r}（可用：kind、title、fills、notes）"))
        fills = data.get("fills")
        if not isinstance(fills, list) or not fills:
            problems.append(Problem(disp, data.line, "fills", "fills 应为非空列表"))
            continue
        for i, fill in enumerate(fills):
            _apply_fill(fill, i, disp, records, problems, filled, applied)
    return applied


def _apply_fill(fill, i, disp, records, problems, filled, applied):
    where = f"fills[{i + 1}]"
    line = getattr(fill, "line", 0)
    if not isinstance(fill, LDict):
        problems.append(Problem(disp, None, where, "每一项应为映射"))
        return
    for k in fill:
        if k not in FILL_KEYS:
            problems.append(Problem(disp, fill.line_of(k), f"{where}/{k}",
                                    f"未知的键 {k!r}（可用：{'、'.join(sorted(FILL_KEYS))}）"))
    gap, target = fill.get("gap"), fill.get("target")
    override = fill.get("override") is True
    if bool(gap) == bool(target):
        problems.append(Problem(disp, line, where, "每一项要写 gap（填补缺口）或 target（覆盖已有值）之一"))
        return
    path = str(gap or target).strip()
    if target and not override:
        problems.append(Problem(disp, fill.line_of("target"), f"{where}/target",
                                "target 用于覆盖已有出处的值，必须同时写 override: true 和 reason"))
        return
    reason = fill.get("reason")
    if override and not (isinstance(reason, str) and reason.strip()):
        problems.append(Problem(disp, fill.line_of("override"), f"{where}/reason", "覆盖已有值必须写明理由 reason"))
        return
    if "value" not in fill:
        problems.append(Problem(disp, line, f"{where}/value", "缺少 value"))
        return
    srcs = fill.get("sources")
    if not isinstance(srcs, list) or not srcs:
        problems.append(Problem(disp, line, f"{where}/sources", "补充值必须写出处 sources（你手中原文的文件号和条款）"))
        return
    for j, s in enumerate(srcs):
        if isinstance(s, dict) and s.get("confidence", "user-supplied") != "user-supplied":
            problems.append(Problem(disp, s.line if isinstance(s, LDict) else line,
                                    f"{where}/sources[{j + 1}]/confidence",
                                    "补充数据的可信度必须是 user-supplied"))
            return
        if isinstance(s, LDict):
            s.setdefault("confidence", "user-supplied")
    rec_id, _, rest = path.partition("/")
    record = records.get(rec_id)
    if record is None:
        problems.append(Problem(disp, line, f"{where}/{'gap' if gap else 'target'}",
                                f"缺口编号 {path!r} 指向的记录 {rec_id!r} 不存在（用 gmdocs catalogue gaps 查看编号）"))
        return
    industry = fill.get("industry")
    if industry is not None:
        found = _industry_slot(record, rest, industry, fill, where, disp, path, problems)
        if found is None:
            return
        parent, key, node, path = found       # parent: the indicator; its by_industry slot is made on success
    else:
        found = _navigate(record, [s for s in rest.split("/") if s]) if rest else None
        if found is None or found[0] is None:
            problems.append(Problem(disp, line, f"{where}/{'gap' if gap else 'target'}",
                                    f"缺口编号 {path!r} 在记录 {rec_id!r} 中找不到"))
            return
        parent, key, node = found
    if path in filled:
        problems.append(Problem(disp, line, where, f"{path!r} 已被 {filled[path]} 补充过，两个补充互相冲突"))
        return
    # An industry-specific level that the rulebook does not list yet is a gap, too.
    is_value_gap = (industry is not None and node is None) or (
        isinstance(node, dict) and "missing" in node and set(node) <= VALUE_KEYS)
    is_row_gap = isinstance(node, dict) and "missing" in node and not is_value_gap
    _mark(fill, disp, line)
    if gap and not (is_value_gap or is_row_gap):
        problems.append(Problem(disp, fill.line_of("gap"), f"{where}/gap",
                                f"{path!r} 不是缺口：它已有出处的值。补充数据不能悄悄替换已有值；"
                                "确需替换请改用 target 并写 override: true 和 reason"))
        return
    if target and (is_value_gap or is_row_gap):
        problems.append(Problem(disp, fill.line_of("target"), f"{where}/target",
                                f"{path!r} 是缺口，请用 gap 而不是 target"))
        return
    if is_row_gap:
        values = fill["value"]
        if not isinstance(values, LDict):
            problems.append(Problem(disp, fill.line_of("value"), f"{where}/value",
                                    "整行缺失的补充，value 应为 {等级: 数值} 映射，如 {benchmark: 100, baseline: 117}"))
            return
        del node["missing"]
        node["values"] = values
        node["sources"] = fill["sources"]
        node.key_lines["values"] = values.line
        for k in ("unit", "better", "indicator"):
            if fill.get(k) is not None:
                node[k] = fill[k]
    else:
        new = LDict(value=fill["value"], sources=fill["sources"])
        new.line, new.key_lines = fill.line, {"value": fill.line_of("value"), "sources": fill.line_of("sources")}
        new.origin = disp
        if fill.get("note") is not None:
            new["note"] = fill["note"]
        if override:
            new.override_reason = reason.strip()
        if industry is not None:
            parent = _industry_entry(parent, industry.strip(), fill, disp)
        parent[key] = new
    filled[path] = f"{disp}:{line}"
    applied.append({"path": path, "file": disp, "line": line, "override": override,
                    "reason": reason.strip() if override else None,
                    "industry": industry.strip() if isinstance(industry, str) else None})


def _new_ldict(line: int, origin: str) -> LDict:
    d = LDict()
    d.line, d.key_lines, d.origin = line, {}, origin
    return d


def _industry_slot(record, rest, industry, fill, where, disp, path, problems):
    """`gap: …/indicators/<i>/baseline` + `industry: X` → the slot by_industry[X].baseline of that indicator.

    Returns (indicator, level, node, effective path) — node is None when the rulebook has no such value
    yet; the slot itself is only made once the fill is accepted (`_industry_entry`) — or None after
    recording a problem. The general baseline/leading is left as it is.
    """
    line = fill.line_of("industry")
    if not isinstance(industry, str) or not industry.strip():
        problems.append(Problem(disp, line, f"{where}/industry", f"industry 应为行业名称（非空文本），实际是 {industry!r}"))
        return None
    industry = industry.strip()
    segs = [s for s in rest.split("/") if s]
    if len(segs) < 5 or segs[-1] not in INDUSTRY_LEVELS or segs[-3] != "indicators" or segs[0] != "groups":
        problems.append(Problem(disp, line, f"{where}/industry",
                                "industry 只能用于指标的基准值或引领值："
                                "缺口编号应为 <指标体系>/groups/<组>/indicators/<指标>/baseline 或 …/leading"))
        return None
    level = segs[-1]
    found = _navigate(record, segs[:-1])
    indicator = found[2] if found is not None else None
    if not isinstance(indicator, LDict) or level not in indicator:
        problems.append(Problem(disp, fill.line_of("gap" if "gap" in fill else "target"), where,
                                f"缺口编号 {path!r} 在记录中找不到（该指标没有 {level}）"))
        return None
    by_ind = indicator.get("by_industry")
    if by_ind is not None and not isinstance(by_ind, LDict):
        problems.append(Problem(disp, line, f"{where}/industry", "该指标的 by_industry 不是映射，无法按行业补充"))
        return None
    entry = by_ind.get(industry) if by_ind is not None else None
    if entry is not None and not isinstance(entry, LDict):
        problems.append(Problem(disp, line, f"{where}/industry", f"该指标的 by_industry/{industry} 不是映射"))
        return None
    eff = "/".join([path.partition("/")[0], *segs[:-1], "by_industry", industry, level])
    return indicator, level, entry.get(level) if entry is not None else None, eff


def _industry_entry(indicator: LDict, industry: str, fill: LDict, disp: str) -> LDict:
    """The mapping by_industry[industry] of an indicator, created when the rulebook has none yet."""
    by_ind = indicator.get("by_industry")
    if by_ind is None:
        by_ind = _new_ldict(fill.line, disp)
        indicator["by_industry"] = by_ind
        indicator.key_lines.setdefault("by_industry", fill.line)
    entry = by_ind.get(industry)
    if entry is None:
        entry = _new_ldict(fill.line, disp)
        by_ind[industry] = entry
        by_ind.key_lines.setdefault(industry, fill.line)
    return entry
