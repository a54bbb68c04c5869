"""The evaluator's project ledger (评价项目台账) and the per-evaluator project cap.

A third-party evaluator may take only so many national-level green-manufacturing projects:

* 2023 (工信厅节函〔2023〕202号 二、（四））: per legal entity, per batch — "同一法人的评价机构开展的本批次
  绿色制造名单评价项目……总计不得超过15项" (`legal-entity-batch`);
* from 2024 (《绿色工厂梯度培育及管理暂行办法》第二十条): per legal representative, per year, national-level
  projects only — "同一法定代表人的第三方机构每年度开展的国家层面绿色制造评价项目……总计不得超过15项"
  (`legal-representative-year`).

The campaign record says which rule applies (`evaluator_cap_counts`) and the limit (`evaluator_cap`).
The ledger is a YAML file (`项目:` a list of mappings with Chinese keys) or an XLSX workbook (sheet
`评价项目台账`, header in row 1). `add_project` appends one project under a file lock and replaces the file
atomically, so a ledger shared by several people is never left half written.

Provincial projects are listed but not counted under either rule: the 2023 batch is the national list's
batch (model.CAP_COUNTS: 本批次（国家层面）), and the 2024 rule names national-level projects.
"""
from __future__ import annotations

import datetime as dt
import json
import os
import re
import stat
import tempfile
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from .catalogue.model import CAP_COUNTS, CATEGORY_NAMES
from .catalogue.yamlsrc import LDict, display_path, read_yaml
from .errors import EXIT_BAD_INPUT, GmdocsError, Problem, said

SHEET = "评价项目台账"
HELP_SHEET = "填写说明"
WARN_AT = 13                      # warn from this many counted projects on
LOCK_TIMEOUT = 60.0
LEVELS = ("国家级", "省级")
NATIONAL = "国家级"

# column / key → Project attribute, in the ledger's column order
COLUMNS = {"年度": "year", "受评价方名称": "applicant", "统一社会信用代码": "uscc", "类别": "category", "层级": "level",
           "评价机构": "evaluator", "机构统一社会信用代码": "evaluator_uscc", "法定代表人": "legal_rep",
           "报告日期": "report_date"}
LABELS = {v: k for k, v in COLUMNS.items()}
REQUIRED = ("year", "applicant", "uscc", "evaluator", "legal_rep", "category")

CATEGORY_ALIASES = {**{k: k for k in CATEGORY_NAMES}, **{v: k for k, v in CATEGORY_NAMES.items()},
                    "工厂": "factory", "园区": "park", "绿色园区": "park", "工业园区": "park", "供应链": "supply-chain",
                    "绿色供应链": "supply-chain", "绿色供应链管理": "supply-chain", "supply_chain": "supply-chain"}
LEVEL_ALIASES = {"国家级": "国家级", "国家": "国家级", "国家层面": "国家级", "national": "国家级",
                 "省级": "省级", "省": "省级", "省级层面": "省级", "provincial": "省级"}

STATE_TEXT = {"ok": "正常", "warn": f"接近上限（≥{WARN_AT}项）", "over": "超过上限", "unknown": "本年度上限未收录"}

# The rules as written in the notices, for the ledger's 填写说明 sheet.
RULE_NOTES = (
    ("2023年度", "同一法人的评价机构本批次绿色制造名单评价项目（绿色工厂、绿色工业园区、绿色供应链管理企业）合计不超过15项",
     "工信厅节函〔2023〕202号 二、（四）"),
    ("2024年度起", "同一法定代表人的第三方机构每年度开展的国家层面绿色制造评价项目（绿色工厂、绿色工业园区、"
     "绿色供应链管理企业）合计不超过15项；省级项目不计入",
     "《绿色工厂梯度培育及管理暂行办法》（工信部节〔2024〕13号）第二十条"),
)


def norm_code(value: Any) -> str:
    """A 统一社会信用代码 as compared (the one normalisation of gmdocs.evaluate.uscc)."""
    from .evaluate.uscc import normalise
    return normalise(value)


def norm_name(value: Any) -> str:
    """A name as compared: NFKC, without any white space."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", str(value or "")))


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return unicodedata.normalize("NFKC", str(value)).strip() if not isinstance(value, str) else value.strip()


@dataclass
class Project:
    year: int                          # campaign year
    applicant: str                     # 受评价方名称
    uscc: str                          # 受评价方统一社会信用代码 (normalised)
    category: str                      # factory / park / supply-chain
    level: str                         # 国家级 / 省级
    evaluator: str                     # 评价机构 (legal entity name)
    evaluator_uscc: str | None         # 机构统一社会信用代码
    legal_rep: str                     # 机构法定代表人
    report_date: dt.date | None = None
    loc: str = ""                      # "file:line" or "file 评价项目台账!B5"

    def __post_init__(self) -> None:
        self.uscc = norm_code(self.uscc)
        self.evaluator_uscc = norm_code(self.evaluator_uscc) or None
        self.category = CATEGORY_ALIASES.get(str(self.category).strip(), self.category)
        self.level = LEVEL_ALIASES.get(str(self.level or "").strip(), self.level or NATIONAL)

    @property
    def national(self) -> bool:
        return self.level == NATIONAL

    def same_as(self, other: "Project") -> bool:
        """The same engagement: year, applicant code, category and evaluator (by code when both have one)."""
        if (self.year, self.uscc, self.category) != (other.year, other.uscc, other.category):
            return False
        if self.evaluator_uscc and other.evaluator_uscc:
            return self.evaluator_uscc == other.evaluator_uscc
        return norm_name(self.evaluator) == norm_name(other.evaluator)

    def describe(self) -> str:
        when = self.report_date.isoformat() if self.report_date else "报告日期未填"
        return f"{self.applicant}（{CATEGORY_NAMES.get(self.category, self.category)}，{self.level}，{when}）"

    def to_json(self) -> dict:
        return {"year": self.year, "applicant": self.applicant, "uscc": self.uscc, "category": self.category,
                "level": self.level, "evaluator": self.evaluator, "evaluator_uscc": self.evaluator_uscc,
                "legal_rep": self.legal_rep,
                "report_date": self.report_date.isoformat() if self.report_date else None, "loc": self.loc}


# ------------------------------------------------------------------ parsing one row
def _year(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        y = value
    elif isinstance(value, float) and value.is_integer():
        y = int(value)
    else:
        m = re.fullmatch(r"(\d{4})\s*(年度?)?", unicodedata.normalize("NFKC", str(value or "")).strip())
        if not m:
            return None
        y = int(m.group(1))
    return y if 2000 <= y <= 2100 else None


def _date(value: Any) -> dt.date | None:
    """A date from a cell or a YAML scalar; raises ValueError when it is not one."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool) and 20000 < value < 80000:
        from openpyxl.utils.datetime import from_excel
        return from_excel(value).date()            # an Excel serial number in a cell without date format
    text = unicodedata.normalize("NFKC", str(value)).strip()
    m = re.fullmatch(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?", text)
    if not m:
        raise ValueError(text)
    return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))


def _project(raw: dict[str, Any], where: Callable[[str], tuple[str, int | None]], loc: str,
             problems: list[Problem]) -> Project | None:
    """One ledger entry (attribute → raw value) → Project, or None after adding its problems."""
    before = len(problems)

    def bad(attr: str, message: str) -> None:
        file, line = where(attr)
        problems.append(Problem(file, line, LABELS[attr], message))

    vals = {attr: _text(raw.get(attr)) for attr in ("applicant", "evaluator", "legal_rep")}
    vals["uscc"] = norm_code(raw.get("uscc"))
    vals["evaluator_uscc"] = norm_code(raw.get("evaluator_uscc")) or None
    for attr in ("applicant", "uscc", "evaluator", "legal_rep"):
        if not vals[attr]:
            bad(attr, "必填项未填写")
    year = _year(raw.get("year"))
    if raw.get("year") in (None, ""):
        bad("year", "必填项未填写（推荐工作年度，如 2024）")
    elif year is None:
        bad("year", f"年度应为四位年份（如 2024），实际是 {said(raw.get('year'))}")
    cat_raw = _text(raw.get("category"))
    category = CATEGORY_ALIASES.get(cat_raw)
    if not cat_raw:
        bad("category", "必填项未填写（绿色工厂 / 绿色工业园区 / 绿色供应链管理企业）")
    elif category is None:
        bad("category", f"未知的类别“{cat_raw}”（可填：{'、'.join(CATEGORY_NAMES.values())}）")
    lvl_raw = _text(raw.get("level"))
    level = LEVEL_ALIASES.get(lvl_raw) if lvl_raw else NATIONAL
    if level is None:
        bad("level", f"未知的层级“{lvl_raw}”（可填：{'、'.join(LEVELS)}；不填按国家级）")
    try:
        report_date = _date(raw.get("report_date"))
    except ValueError:
        report_date = None
        bad("report_date", f"日期应写成 YYYY-MM-DD（如 2024-06-30），实际是 {said(raw.get('report_date'))}")
    except (OverflowError, TypeError):
        report_date = None
        bad("report_date", f"不是有效的日期：{said(raw.get('report_date'))}")
    if len(problems) > before:
        return None
    assert year is not None and category is not None and level is not None
    return Project(year, vals["applicant"], vals["uscc"], category, level, vals["evaluator"], vals["evaluator_uscc"],
                   vals["legal_rep"], report_date, loc)


# ------------------------------------------------------------------ reading
def read_ledger(path: str | os.PathLike) -> list[Project]:
    """Every project in a ledger (.yaml/.yml or .xlsx); GmdocsError (exit 2) listing every bad entry."""
    p = Path(path)
    ext = p.suffix.lower()
    if ext not in (".yaml", ".yml", ".xlsx"):
        raise GmdocsError(f"评价项目台账应为 .xlsx 或 .yaml 文件：{p}", EXIT_BAD_INPUT)
    if not p.exists():
        raise GmdocsError(f"评价项目台账不存在：{p}（可用 gmdocs evaluator init -o {p.name} 生成空白台账）", EXIT_BAD_INPUT)
    if not p.is_file():
        raise GmdocsError(f"不是文件：{p}", EXIT_BAD_INPUT)
    return _read_xlsx(p) if ext == ".xlsx" else _read_yaml(p)


def _read_yaml(p: Path) -> list[Project]:
    disp = display_path(p)
    data, probs = read_yaml(p, disp)
    if probs:
        raise GmdocsError(f"评价项目台账无法读取：{disp}", EXIT_BAD_INPUT, probs)
    if data is None:
        return []
    if not isinstance(data, LDict):
        raise GmdocsError(f"评价项目台账应为 YAML 映射，顶层键为“项目”：{disp}", EXIT_BAD_INPUT,
                          [Problem(disp, 1, "", "文件顶层应为映射（项目: 列表）")])
    problems: list[Problem] = []
    for k in data:
        if k != "项目":
            problems.append(Problem(disp, data.line_of(k), str(k), "未知的键（台账只有“项目”一个顶层键）"))
    items = data.get("项目")
    if items is None:
        items = []
    if not isinstance(items, list):
        problems.append(Problem(disp, data.line_of("项目"), "项目", "应为列表（每个项目一项，以“- ”开头）"))
        items = []
    out: list[Project] = []
    for i, item in enumerate(items):
        line = items.item_lines[i] if hasattr(items, "item_lines") else data.line_of("项目")
        if not isinstance(item, dict):
            problems.append(Problem(disp, line, f"项目[{i + 1}]", "每个项目应为映射（年度、受评价方名称 等键）"))
            continue
        raw: dict[str, Any] = {}
        for k, v in item.items():
            if k not in COLUMNS:
                problems.append(Problem(disp, item.line_of(k) if isinstance(item, LDict) else line, str(k),
                                        f"未知的键（可用：{'、'.join(COLUMNS)}）"))
                continue
            raw[COLUMNS[k]] = v

        def where(attr: str, item=item, line=line) -> tuple[str, int | None]:
            key = LABELS[attr]
            return disp, (item.line_of(key) if isinstance(item, LDict) and key in item else line)
        proj = _project(raw, where, f"{disp}:{line}", problems)
        if proj is not None:
            out.append(proj)
    if problems:
        raise GmdocsError(f"评价项目台账有 {len(problems)} 处问题：{disp}", EXIT_BAD_INPUT, problems)
    return out


def _open_xlsx(p: Path, data_only: bool):
    import zipfile
    from openpyxl import load_workbook

    from .limits import check_zip_bounds
    check_zip_bounds(p, "台账 Excel 文件")
    try:
        return load_workbook(p, data_only=data_only)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise GmdocsError(f"无法打开 Excel 文件（不是有效的 .xlsx）：{display_path(p)}（{exc}）", EXIT_BAD_INPUT) from exc


def _sheet(wb, disp: str):
    if SHEET not in wb.sheetnames:
        raise GmdocsError(f"{disp}: 缺少工作表“{SHEET}”（请用 gmdocs evaluator init 生成的台账填写；"
                          f"现有工作表：{'、'.join(wb.sheetnames)}）", EXIT_BAD_INPUT,
                          [Problem(disp, None, SHEET, f"缺少工作表“{SHEET}”")])
    return wb[SHEET]


def _header(ws, disp: str) -> dict[str, int]:
    """Project attribute → column number, from the header row (any order; other columns are ignored)."""
    cols: dict[str, int] = {}
    for cell in ws[1]:
        h = re.sub(r"[\s*＊]+", "", str(cell.value or ""))
        if h in COLUMNS:
            cols.setdefault(COLUMNS[h], cell.column)
    lacking = [LABELS[a] for a in REQUIRED if a not in cols]
    if lacking:
        raise GmdocsError(f"{disp} {SHEET}!1: 表头缺少列 {'、'.join(lacking)}（表头应为：{'、'.join(COLUMNS)}）",
                          EXIT_BAD_INPUT, [Problem(f"{disp} {SHEET}!1", None, h, "表头缺少此列") for h in lacking])
    return cols


def _blank(v: Any) -> bool:
    return v is None or (isinstance(v, str) and not v.strip())


def _last_row(ws, cols: dict[str, int]) -> int:
    for r in range(ws.max_row, 1, -1):
        if any(not _blank(ws.cell(r, c).value) for c in cols.values()):
            return r
    return 1


def _read_xlsx(p: Path) -> list[Project]:
    from openpyxl.utils import get_column_letter
    disp = display_path(p)
    wb = _open_xlsx(p, data_only=True)
    try:
        ws = _sheet(wb, disp)
        cols = _header(ws, disp)
        problems: list[Problem] = []
        out: list[Project] = []
        anchor = cols["applicant"]
        for r in range(2, _last_row(ws, cols) + 1):
            raw = {attr: ws.cell(r, c).value for attr, c in cols.items()}
            if all(_blank(v) for v in raw.values()):
                continue

            def where(attr: str, r=r) -> tuple[str, int | None]:
                return f"{disp} {SHEET}!{get_column_letter(cols.get(attr, anchor))}{r}", None
            proj = _project(raw, where, f"{disp} {SHEET}!{get_column_letter(anchor)}{r}", problems)
            if proj is not None:
                out.append(proj)
    finally:
        wb.close()
    if problems:
        raise GmdocsError(f"评价项目台账有 {len(problems)} 处问题：{disp}", EXIT_BAD_INPUT, problems)
    return out


# ------------------------------------------------------------------ counting
@dataclass
class CapStatus:
    key: str
    label: str                          # 机构：X / 法定代表人：Y（X、Z）
    limit: int | None
    rule: str                           # the rule in Chinese, with its source
    counted: list[Project] = field(default_factory=list)
    state: str = "ok"                   # ok / warn / over / unknown
    over: list[Project] = field(default_factory=list)
    not_counted: list[Project] = field(default_factory=list)     # provincial projects: listed, not counted

    @property
    def count(self) -> int:
        return len(self.counted)

    @property
    def state_text(self) -> str:
        return STATE_TEXT[self.state]

    def to_json(self) -> dict:
        return {"key": self.key, "label": self.label, "count": self.count, "limit": self.limit, "state": self.state,
                "state_text": self.state_text, "rule": self.rule, "projects": [p.to_json() for p in self.counted],
                "over": [p.to_json() for p in self.over], "not_counted": [p.to_json() for p in self.not_counted]}


def cap_rule(cat, year: int) -> tuple[str, int | None, str]:
    """(how projects are counted, the limit or None, the rule in Chinese with its source) for a campaign year."""
    camp = cat.campaigns.get(year)
    counts = (camp.evaluator_cap_counts if camp is not None else None) or \
        ("legal-entity-batch" if year <= 2023 else "legal-representative-year")
    how = CAP_COUNTS[counts]
    guessed = "" if camp is not None and camp.evaluator_cap_counts else "（计数方式未收录，按年度推定）"
    if camp is None:
        return counts, None, f"目录未收录 {year} 年度推荐工作，项目上限未知；计数方式：{how}{guessed}"
    cap = camp.evaluator_cap
    if cap is None:
        return counts, None, f"{year} 年度未收录第三方评价机构项目上限；计数方式：{how}{guessed}"
    if not cap.known:
        return counts, None, f"{year} 年度项目上限未收录（缺失；应见：{cap.missing}）；计数方式：{how}{guessed}"
    try:
        limit = int(cap.value)
    except (TypeError, ValueError):
        return counts, None, f"{year} 年度项目上限无法识别：{said(cap.value)}"
    refs = "；".join(s.ref for s in cap.sources if s.ref) or "出处未收录"
    return counts, limit, f"{how}不超过 {limit} 项{guessed}（依据：{refs}）{cap.mark}"


def _order(p: Project, i: int) -> tuple:
    return (p.report_date is None, p.report_date or dt.date.min, i)


def count_caps(projects: list[Project], cat, year: int) -> list[CapStatus]:
    """Group `year`'s projects as the campaign's rule counts them; one CapStatus per evaluator (or legal rep)."""
    counts, limit, rule = cap_rule(cat, year)
    mine = [p for p in projects if p.year == year]
    code_of: dict[str, str] = {}      # evaluator name → its code, from rows that give both
    for p in mine:
        if p.evaluator_uscc:
            code_of.setdefault(norm_name(p.evaluator), p.evaluator_uscc)
    groups: dict[str, list[tuple[int, Project]]] = {}
    for i, p in enumerate(mine):
        if counts == "legal-entity-batch":
            code = p.evaluator_uscc or code_of.get(norm_name(p.evaluator))
            key = f"机构代码:{code}" if code else f"机构:{norm_name(p.evaluator)}"
        else:
            key = f"法定代表人:{norm_name(p.legal_rep)}"
        groups.setdefault(key, []).append((i, p))
    out = []
    for key, members in groups.items():
        firms = list(dict.fromkeys(p.evaluator for _, p in members))
        if counts == "legal-entity-batch":
            label = "机构：" + "、".join(firms)
        else:
            label = f"法定代表人：{members[0][1].legal_rep}（{'、'.join(firms)}）"
        counted = [(i, p) for i, p in members if p.national]
        st = CapStatus(key, label, limit, rule, [p for _, p in counted],
                       not_counted=[p for _, p in members if not p.national])
        if limit is None:
            st.state = "unknown"
        elif st.count > limit:
            st.state = "over"
            st.over = [p for i, p in sorted(counted, key=lambda ip: _order(ip[1], ip[0]))][limit:]
        elif st.count >= min(WARN_AT, limit):
            st.state = "warn"
        out.append(st)
    return out


def status_of(statuses: list[CapStatus], project: Project) -> CapStatus | None:
    """The group a project is counted (or listed) in."""
    for st in statuses:
        if any(p is project for p in st.counted + st.not_counted):
            return st
    return None


# ------------------------------------------------------------------ writing
def _replace_atomically(target: Path, write: Callable[[Path], None]) -> None:
    """Write the new version to a temporary file beside `target`, then rename it over `target`."""
    parent = target.parent if str(target.parent) else Path(".")
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=parent)
    os.close(fd)
    tmp_path = Path(tmp)
    try:
        write(tmp_path)
        with open(tmp_path, "rb+") as fh:
            os.fsync(fh.fileno())
        if target.exists():
            os.chmod(tmp_path, stat.S_IMODE(target.stat().st_mode))   # a shared ledger keeps its permissions
        else:
            mask = os.umask(0)
            os.umask(mask)
            os.chmod(tmp_path, 0o666 & ~mask)
        os.replace(tmp_path, target)
    except OSError as exc:
        tmp_path.unlink(missing_ok=True)
        raise GmdocsError(f"无法写入评价项目台账：{target}（{exc.strerror or exc}；文件是否正在 Excel 中打开？）",
                          EXIT_BAD_INPUT) from exc
    except BaseException:
        tmp_path.unlink(missing_ok=True)
        raise


def _q(s: str) -> str:
    return json.dumps(s, ensure_ascii=False)        # a JSON string is a YAML double-quoted scalar


def _yaml_item(p: Project, indent: int) -> str:
    pad = " " * indent
    rows = [("年度", str(p.year)), ("受评价方名称", _q(p.applicant)), ("统一社会信用代码", _q(p.uscc)),
            ("类别", CATEGORY_NAMES.get(p.category, p.category)), ("层级", p.level), ("评价机构", _q(p.evaluator))]
    if p.evaluator_uscc:
        rows.append(("机构统一社会信用代码", _q(p.evaluator_uscc)))
    rows.append(("法定代表人", _q(p.legal_rep)))
    if p.report_date:
        rows.append(("报告日期", p.report_date.isoformat()))
    lines = [f"{pad}- {rows[0][0]}: {rows[0][1]}"] + [f"{pad}  {k}: {v}" for k, v in rows[1:]]
    return "\n".join(lines) + "\n"


YAML_HEAD = ("# gmdocs 评价项目台账（第三方评价机构）：每个评价项目一项。\n"
             "# 类别：绿色工厂 / 绿色工业园区 / 绿色供应链管理企业；层级：国家级 / 省级（不填按国家级）；报告日期 YYYY-MM-DD。\n"
             "# 查看项目上限：gmdocs evaluator status 本文件；gmdocs build --report third-party --ledger 本文件 自动追加。\n")


def _yaml_with(p: Path, old: list[Project], project: Project) -> str:
    """The ledger's text with `project` appended: as text after the last item (comments kept) when the
    list is the file's last block, else the whole list written anew."""
    text = p.read_text(encoding="utf-8-sig")
    data, _ = read_yaml(p, str(p))
    lines = text.splitlines()
    items = data.get("项目") if isinstance(data, LDict) else None
    last_key = isinstance(data, LDict) and data and max(data.key_lines, key=data.key_lines.get) == "项目"
    candidate = None
    if last_key and items is None:
        candidate = text.rstrip("\n") + "\n" + _yaml_item(project, 2)
        key_line = lines[data.line_of("项目") - 1]
        if not re.fullmatch(r"项目:\s*(#.*)?", key_line.strip()):
            candidate = None
    elif last_key and isinstance(items, list) and items and hasattr(items, "item_lines"):
        first = lines[items.item_lines[0] - 1]
        if first.lstrip().startswith("-"):
            candidate = text.rstrip("\n") + "\n" + _yaml_item(project, len(first) - len(first.lstrip(" ")))
    if candidate is not None:
        tmp = tempfile.NamedTemporaryFile("w", suffix=".yaml", delete=False, encoding="utf-8")
        try:
            tmp.write(candidate)
            tmp.close()
            try:
                again = _read_yaml(Path(tmp.name))
            except GmdocsError:
                again = None
        finally:
            os.unlink(tmp.name)
        if again is not None and len(again) == len(old) + 1 and again[-1].to_json() | {"loc": ""} == \
                project.to_json() | {"loc": ""}:
            return candidate
    return YAML_HEAD + "项目:\n" + "".join(_yaml_item(q, 2) for q in old + [project])


def _xlsx_append(p: Path, project: Project, tmp: Path) -> None:
    from openpyxl.utils import get_column_letter, range_boundaries
    disp = display_path(p)
    wb = _open_xlsx(p, data_only=False)       # formulas stay formulas
    ws = _sheet(wb, disp)
    cols = _header(ws, disp)
    r = _last_row(ws, cols) + 1
    values = {"year": project.year, "applicant": project.applicant, "uscc": project.uscc,
              "category": CATEGORY_NAMES.get(project.category, project.category), "level": project.level,
              "evaluator": project.evaluator, "evaluator_uscc": project.evaluator_uscc, "legal_rep": project.legal_rep,
              "report_date": project.report_date}
    for attr, c in cols.items():
        cell = ws.cell(r, c)
        cell.value = values[attr]
        if attr == "report_date" and project.report_date is not None:
            cell.number_format = "yyyy-mm-dd"
        elif attr in ("uscc", "evaluator_uscc"):
            cell.number_format = "@"
    if ws.auto_filter.ref:
        c1, r1, c2, r2 = range_boundaries(ws.auto_filter.ref)
        if r2 is not None and r2 < r:
            ws.auto_filter.ref = f"{get_column_letter(c1)}{r1}:{get_column_letter(c2)}{r}"
    wb.save(tmp)


def add_project(path: str | os.PathLike, project: Project) -> bool:
    """Append `project` to the ledger under a lock, replacing the file atomically.

    Returns False (and writes nothing) when the ledger already holds the same project (year, applicant code,
    category, evaluator). The ledger must exist and read without problems.
    """
    from filelock import FileLock, Timeout

    from .fsutil import lock_file_for
    p = Path(path)
    lock_path = lock_file_for(p, str(p) + ".lock")
    lock = FileLock(str(lock_path), timeout=LOCK_TIMEOUT)
    try:
        with lock:
            old = read_ledger(p)
            if any(project.same_as(q) for q in old):
                return False
            if p.suffix.lower() == ".xlsx":
                _replace_atomically(p, lambda tmp: _xlsx_append(p, project, tmp))
            else:
                text = _yaml_with(p, old, project)
                _replace_atomically(p, lambda tmp: tmp.write_text(text, encoding="utf-8"))
            return True
    except Timeout as exc:
        raise GmdocsError(f"评价项目台账正被另一个进程使用，{LOCK_TIMEOUT:g} 秒后仍未释放：{p}（锁文件 {lock_path}）",
                          EXIT_BAD_INPUT) from exc


def write_blank_ledger(path: str | os.PathLike, force: bool = False) -> Path:
    """A blank ledger: XLSX (sheet 评价项目台账 with drop-downs, and 填写说明) or a commented YAML file."""
    p = Path(path)
    ext = p.suffix.lower()
    if ext not in (".xlsx", ".yaml", ".yml"):
        raise GmdocsError(f"台账文件应以 .xlsx（或 .yaml）结尾：{p}", EXIT_BAD_INPUT)
    if p.exists() and not force:
        raise GmdocsError(f"文件已存在：{p}（台账中可能已有项目；如需覆盖请加 --force）", EXIT_BAD_INPUT)
    parent = p.parent if str(p.parent) else Path(".")
    if not parent.is_dir():
        raise GmdocsError(f"输出目录不存在：{parent}", EXIT_BAD_INPUT)
    from filelock import FileLock, Timeout

    from .fsutil import lock_file_for
    lock_path = lock_file_for(p, str(p) + ".lock")
    try:
        with FileLock(str(lock_path), timeout=LOCK_TIMEOUT):      # not under a build appending to it
            if ext == ".xlsx":
                _replace_atomically(p, _write_blank_xlsx)
            else:
                text = YAML_HEAD + "".join(f"# {when}：{rule}（{src}）\n" for when, rule, src in RULE_NOTES) + "项目:\n"
                _replace_atomically(p, lambda tmp: tmp.write_text(text, encoding="utf-8"))
    except Timeout as exc:
        raise GmdocsError(f"评价项目台账正被另一个进程使用，{LOCK_TIMEOUT:g} 秒后仍未释放：{p}（锁文件 {lock_path}）",
                          EXIT_BAD_INPUT) from exc
    return p


COLUMN_HELP = {
    "年度": ("推荐工作年度（四位数字，如 2024），决定适用哪一年的项目上限规则", 8),
    "受评价方名称": ("受评价的企业或园区管理机构全称，与营业执照一致（必填）", 34),
    "统一社会信用代码": ("受评价方的 18 位统一社会信用代码（必填；全角字符、小写字母会自动规范）", 22),
    "类别": ("绿色工厂 / 绿色工业园区 / 绿色供应链管理企业（下拉选择，必填）", 20),
    "层级": ("国家级 / 省级（下拉选择；不填按国家级）。2024 年起只有国家级项目计入上限", 8),
    "评价机构": ("开展评价的第三方机构（法人）全称（必填）", 30),
    "机构统一社会信用代码": ("评价机构的统一社会信用代码（选填；2023 年按法人计数时，有代码按代码归并）", 22),
    "法定代表人": ("评价机构的法定代表人（必填；2024 年起按法定代表人合并计数，其名下各机构的项目合计）", 12),
    "报告日期": ("评价报告日期 YYYY-MM-DD（选填；超出上限时按此日期先后确定哪些项目超出）", 12),
}


def _write_blank_xlsx(tmp: Path) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    last = 5000
    wb = Workbook()
    ws = wb.active
    ws.title = SHEET
    heads = list(COLUMNS)
    ws.append(heads)
    bold, fill = Font(bold=True), PatternFill("solid", fgColor="DDEBF7")
    req = PatternFill("solid", fgColor="FFF2CC")
    required = {LABELS[a] for a in REQUIRED}
    for i, h in enumerate(heads, 1):
        cell = ws.cell(1, i)
        cell.font = bold
        cell.fill = req if h in required else fill
        cell.alignment = Alignment(vertical="center")
        letter = get_column_letter(i)
        ws.column_dimensions[letter].width = COLUMN_HELP[h][1] + 2
        if h == "报告日期":
            ws.column_dimensions[letter].number_format = "yyyy-mm-dd"
        elif h in ("统一社会信用代码", "机构统一社会信用代码"):
            ws.column_dimensions[letter].number_format = "@"
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(heads))}1"

    def col(name: str) -> str:
        return get_column_letter(heads.index(name) + 1)

    def validation(ref: str, prompt: str, **kw) -> None:
        dv = DataValidation(allow_blank=True, showErrorMessage=True, error=prompt, errorTitle="填写有误",
                            promptTitle="请填写", prompt=prompt, **kw)
        dv.showInputMessage = True
        ws.add_data_validation(dv)
        dv.add(ref)

    validation(f"{col('类别')}2:{col('类别')}{last}", "绿色工厂 / 绿色工业园区 / 绿色供应链管理企业", type="list",
               formula1='"' + ",".join(CATEGORY_NAMES.values()) + '"')
    validation(f"{col('层级')}2:{col('层级')}{last}", "国家级 / 省级（不填按国家级）", type="list",
               formula1='"' + ",".join(LEVELS) + '"')
    validation(f"{col('年度')}2:{col('年度')}{last}", "推荐工作年度，四位数字，如 2024", type="whole",
               operator="between", formula1="2015", formula2="2100")
    validation(f"{col('报告日期')}2:{col('报告日期')}{last}", "报告日期，如 2024-06-30", type="date",
               operator="greaterThan", formula1="36526")
    hs = wb.create_sheet(HELP_SHEET)
    hs.append(["gmdocs 评价项目台账（第三方评价机构）"])
    hs["A1"].font = Font(bold=True, size=14)
    hs.append([])
    hs.append(["列", "填写说明"])
    for c in hs[3]:
        c.font, c.fill = bold, fill
    for h in heads:
        hs.append([h, COLUMN_HELP[h][0]])
    hs.append([])
    hs.append(["项目上限", "规则（出处）"])
    for c in hs[hs.max_row]:
        c.font, c.fill = bold, fill
    for when, rule, src in RULE_NOTES:
        hs.append([when, f"{rule}（{src}）"])
    hs.append([])
    for line in ("每个评价项目填一行；黄色表头的列必填。请勿修改工作表名称和表头（列的顺序可以调整，可以增加其他列）。",
                 f"接近上限：计入的项目达到 {WARN_AT} 项时提示；超过上限时，按报告日期先后列出超出的项目。",
                 "查看项目上限：gmdocs evaluator status 本文件.xlsx [--year 2024] [--json]",
                 "生成第三方评价报告时核对并自动追加：gmdocs build 申报数据 -o 输出 --report third-party "
                 "--evaluator 评价机构.yaml --engagement 评价记录.yaml --ledger 本文件.xlsx"):
        hs.append([line])
    hs.column_dimensions["A"].width = 22
    hs.column_dimensions["B"].width = 100
    for row in hs.iter_rows(min_row=4):
        for c in row:
            c.alignment = Alignment(wrap_text=True, vertical="top")
    wb.save(tmp)
