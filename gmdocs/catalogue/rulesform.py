"""Rule gaps filled from Excel: a fill-in form for one rulebook's missing values, and its import.

`write_form` writes an XLSX (sheet 补充表) with one row per missing value of a rulebook — scoring
total and pass mark, group weights, indicator points, and 基准值/引领值 for the general case and for
each industry asked for. `import_form` reads the filled form back and writes (or merges into) the
supplement file `补充-<rulebook id>.yaml` in the user's data folder: under a file lock, staged next to
the target, checked together with the whole catalogue, and only then renamed into place.
"""
from __future__ import annotations

import math
import os
import re
import shutil
import tempfile
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from ..errors import EXIT_BAD_INPUT, EXIT_PROBLEMS, GmdocsError, Problem, said
from ..fsutil import atomic_write, require_file
from ..application.values import clean_text
from .load import Catalogue, read_catalogue
from .model import Rulebook, Value
from .query import values_of
from .yamlsrc import LDict, display_path, read_yaml

SHEET = "补充表"
HELP_SHEET = "说明"
HEADERS = ["序号", "项目", "单位", "行业", "应在哪份文件哪一条找到", "数值",
           "出处（你手中原文的文件号和条款）", "备注", "缺口编号"]
WIDTHS = [6, 44, 16, 14, 56, 12, 40, 24, 64]
LEVEL_LABEL = {"baseline": "基准值", "leading": "引领值"}
LOCK_NAME = ".gmdocs-import.lock"
LOCK_TIMEOUT = 60.0
_NUMBER = re.compile(r"[+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?")


def supplement_name(rulebook_id: str) -> str:
    """The supplement file an import writes into the data folder."""
    return f"补充-{rulebook_id}.yaml"


# ------------------------------------------------------------------ rows of the form
@dataclass(frozen=True)
class FormRow:
    gap: str                    # gap path (缺口编号); for an industry row the general …/baseline or …/leading
    item: str                   # 项目, in plain Chinese
    unit: str
    industry: str | None
    where: str                  # the gap's `missing` text: where the value is to be found


def find_rulebook(cat: Catalogue, rulebook_id: str) -> Rulebook:
    rb = cat.rulebooks.get(rulebook_id.strip())
    if rb is None:
        known = "、".join(sorted(cat.rulebooks)) or "（无）"
        raise GmdocsError(f"没有编号为 {said(rulebook_id)} 的指标体系。已收录的指标体系：{known}"
                          "（gmdocs rules list 可查看名称和缺失项数）", EXIT_BAD_INPUT)
    return rb


def _missing(v: Value | None) -> bool:
    return v is not None and not v.known


def form_rows(rb: Rulebook, industries: list[str] | tuple[str, ...] = ()) -> list[FormRow]:
    """One row per missing value of the rulebook (industry rows for each of `industries`)."""
    rows: list[FormRow] = []
    covered: set[str] = set()

    def add(v: Value, item: str, unit: str, industry: str | None = None, gap: str | None = None,
            where: str | None = None) -> None:
        rows.append(FormRow(gap or v.path, item, unit, industry, where or v.missing or ""))
        covered.add(v.path)

    sc = rb.scoring
    if sc is not None:
        if _missing(sc.total):
            add(sc.total, "满分（总分）", "分")
        if _missing(sc.pass_mark):
            add(sc.pass_mark, "合格线（合格所需的最低得分）", "分")
    weight_unit = "按原文（分或%）" if sc is not None and sc.method == "weighted" else "分"
    wanted = [x.strip() for x in industries if x and x.strip()]
    wanted = list(dict.fromkeys(wanted))
    for g in rb.groups:
        if _missing(g.weight):
            add(g.weight, f"组“{g.name}”的权重", weight_unit)
        for ind in g.indicators:
            if _missing(ind.max_points):
                add(ind.max_points, f"指标“{ind.name}”的分值", "分")
            unit = ind.unit or ""
            for key in ("baseline", "leading"):
                general: Value | None = getattr(ind, key)
                if general is None:
                    continue
                label = LEVEL_LABEL[key]
                if not general.known:
                    add(general, f"指标“{ind.name}”的{label}", unit)
                names = wanted + [n for n in ind.by_industry if n not in wanted]
                for name in names:
                    own = ind.by_industry.get(name, {}).get(key)
                    if own is not None and own.known:
                        continue
                    if own is None and name not in wanted:
                        continue
                    where = (own.missing if own is not None else None) or general.missing or \
                        f"{name}行业的评价要求或行业标准中“{ind.name}”的{label}"
                    rows.append(FormRow(general.path, f"指标“{ind.name}”的{label}（行业：{name}）", unit,
                                        name, where))
                    if own is not None:
                        covered.add(own.path)
    for v in values_of(rb):          # anything else the rulebook records as missing
        if not v.known and v.path not in covered:
            rows.append(FormRow(v.path, f"{rb.title}：{v.path.partition('/')[2]}", "", None, v.missing or ""))
    return rows


# ------------------------------------------------------------------ write
def _help_lines(rb: Rulebook, count: int, out_name: str) -> list[tuple[str, str]]:
    return [
        ("这是什么", f"gmdocs 规则补充表：指标体系“{rb.title}”（编号 {rb.id}）在 gmdocs 的数据中缺少的 {count} 个值。"
                 "这些值在公开来源中找不到，gmdocs 不会编造或推算；你手中有标准或文件原文时，可以在这里一次填完。"),
        ("怎么填", "在“补充表”中，按“应在哪份文件哪一条找到”查你手中的原文，把数值填进“数值”列（只填数字，"
                "不要写单位或“约”“分”等文字），并在“出处”列写明原文的文件号和条款（如：GB/T 36132-2025 附录A 表A.1）。"
                "有数值的行必须写出处。找不到的行留空即可，下次再填。"),
        ("行业", "“行业”列不为空的行是该行业专用的基准值/引领值；评分时按申报单位的行业优先采用，没有时用通用值。"),
        ("不要改动", "不要修改“缺口编号”列和“行业”列：导入时按它们找到要补的值；改动后导入会报错并指出单元格。"),
        ("标记", "导入后，这些值在 gmdocs 的所有输出（评分、报告、JSON）中都标为【用户补充】，并显示你写的出处。"),
        ("导入", f"填好保存后运行：gmdocs rules import {out_name}（可加 --data-dir 目录 指定数据目录）。"
               f"导入结果写入数据目录中的 {supplement_name(rb.id)}；再次导入同一表格会合并，"
               "已导入的值改成不同的数时需要加 --force。"),
        ("共享", "团队共用一个数据目录时，把目录放在共享盘上，每个人的 GMDOCS_DATA 或 --data-dir 都指向它；"
               "导入时加锁并整体校验后才替换文件，不会写出半个文件。"),
        ("指标体系编号", rb.id),
        ("指标体系名称", rb.title),
    ]


def write_form(cat: Catalogue, rulebook_id: str, out_path: str | os.PathLike, industries: list[str] | None = None,
               force: bool = False) -> Path:
    """Write the fill-in form for `rulebook_id` to `out_path` (.xlsx); never overwrite without `force`.

    Raises GmdocsError: unknown rulebook (exit 2, lists the known ids); nothing missing (exit 1);
    output exists without force or its folder is missing (exit 2).
    """
    rb = find_rulebook(cat, rulebook_id)
    out = Path(out_path)
    if out.suffix.lower() != ".xlsx":
        raise GmdocsError(f"补充表应保存为 .xlsx 文件：{out}", EXIT_BAD_INPUT)
    rows = form_rows(rb, industries or [])
    if not rows:
        raise GmdocsError(f"指标体系 {rb.id}（{rb.title}）没有缺失值，无需补充。"
                          "要补充某个行业的基准值/引领值，请用 --industry 指定行业。", EXIT_PROBLEMS)
    return atomic_write(out, lambda tmp: _save_form(tmp, rb, rows, out.name), force)


def _save_form(path: Path, rb: Rulebook, rows: list[FormRow], out_name: str) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    wb = Workbook()
    ws = wb.active
    ws.title = SHEET
    ws.append(HEADERS)
    for i, r in enumerate(rows, 1):
        ws.append([i, r.item, r.unit, r.industry or "", r.where, None, None, None, r.gap])
    bold = Font(bold=True)
    head_fill = PatternFill("solid", fgColor="DDEBF7")
    input_fill = PatternFill("solid", fgColor="FFF2CC")
    wrap = Alignment(wrap_text=True, vertical="top")
    for cell in ws[1]:
        cell.font = bold
        cell.fill = head_fill
        cell.alignment = Alignment(wrap_text=True, vertical="center")
    last = len(rows) + 1
    for row in ws.iter_rows(min_row=2, max_row=last):
        for cell in row:
            cell.alignment = wrap
        for cell in row[5:8]:
            cell.fill = input_fill
    for i, w in enumerate(WIDTHS, 1):
        ws.column_dimensions[get_column_letter(i)].width = w
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(HEADERS))}{last}"
    dv = DataValidation(type="decimal", operator="greaterThanOrEqual", formula1="0", allow_blank=True,
                        showInputMessage=True, showErrorMessage=True, errorStyle="stop",
                        promptTitle="填写数值", prompt="只填数字（≥0），不写单位和文字；找不到就留空。有数值的行必须在“出处”列写明原文条款。",
                        errorTitle="数值不合法", error="这里只能填大于或等于 0 的数字，不要写单位、“约”“分”等文字。")
    dv.add(f"F2:F{last}")
    ws.add_data_validation(dv)
    hs = wb.create_sheet(HELP_SHEET)
    hs.append(["项目", "说明"])
    for k, v in _help_lines(rb, len(rows), out_name):
        hs.append([k, v])
    for cell in hs[1]:
        cell.font = bold
        cell.fill = head_fill
    for row in hs.iter_rows(min_row=2):
        row[0].font = bold
        for cell in row:
            cell.alignment = wrap
    hs.column_dimensions["A"].width = 14
    hs.column_dimensions["B"].width = 100
    hs.freeze_panes = "A2"
    wb.save(path)


# ------------------------------------------------------------------ import
@dataclass
class ImportResult:
    rulebook: str
    file: Path
    filled: int                 # rows of the form with a value
    still_missing: int          # rows left empty
    added: int = 0
    replaced: int = 0
    unchanged: int = 0
    fills: list[dict] = field(default_factory=list)

    def to_json(self) -> dict:
        return {"rulebook": self.rulebook, "file": str(self.file), "filled": self.filled,
                "still_missing": self.still_missing, "added": self.added, "replaced": self.replaced,
                "unchanged": self.unchanged, "fills": self.fills}


def _cell_number(v: Any) -> float | None:
    """A number typed in a cell; pure numeric text (also full-width) is accepted, anything else is not."""
    if isinstance(v, bool):
        raise ValueError(v)
    if isinstance(v, (int, float)):
        if isinstance(v, float) and not math.isfinite(v):
            raise ValueError(v)
        return float(v)
    s = unicodedata.normalize("NFKC", str(v)).replace("\ufeff", "").strip()
    if not _NUMBER.fullmatch(s):
        raise ValueError(v)
    return float(s)


def _plain(obj: Any) -> Any:
    """Parsed YAML (LDict/LList) → plain dicts and lists that yaml.safe_dump can write."""
    if isinstance(obj, dict):
        return {str(k): _plain(v) for k, v in obj.items()}
    if isinstance(obj, list):
        return [_plain(v) for v in obj]
    return obj


def _num(x: float) -> int | float:
    return int(x) if float(x).is_integer() and abs(x) < 1e15 else x


def _fill_key(fill: dict) -> tuple[str, str | None]:
    ind = fill.get("industry")
    return (str(fill.get("gap") or fill.get("target") or "").strip(),
            ind.strip() if isinstance(ind, str) and ind.strip() else None)


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, (int, float)) and isinstance(b, (int, float)) and not isinstance(a, bool) \
            and not isinstance(b, bool):
        return math.isclose(float(a), float(b), rel_tol=1e-12, abs_tol=1e-12)
    return a == b


def _columns(ws, disp: str) -> dict[str, int]:
    found: dict[str, int] = {}
    for cell in ws[1]:
        h = clean_text(cell.value)
        if not h:
            continue
        for want in ("数值", "出处", "缺口编号", "行业", "备注", "项目"):
            if h == want or (want == "出处" and h.startswith("出处")):
                found.setdefault(want, cell.column)
    lacking = [w for w in ("数值", "出处", "缺口编号") if w not in found]
    if lacking:
        raise GmdocsError(f"{disp} {SHEET}!1: 表头缺少列 {'、'.join(lacking)}（请用 gmdocs rules form 生成的补充表填写）",
                          EXIT_BAD_INPUT)
    return found


def _gap_problem(rb: Rulebook, vmap: dict[str, Value], gap: str, industry: str | None) -> tuple[str, str | None]:
    """(effective path, problem message or None) for a form row's 缺口编号 and 行业."""
    if industry is None:
        v = vmap.get(gap)
        if v is None:
            return gap, f"缺口编号 {said(gap)} 在指标体系 {rb.id} 中找不到（请不要修改“缺口编号”列）"
        if v.known:
            return gap, f"{said(gap)} 不是缺口：它已有出处的值（请不要修改“缺口编号”列）"
        return gap, None
    head, _, level = gap.rpartition("/")
    parts = head.split("/")
    if level not in LEVEL_LABEL or len(parts) < 5 or parts[-2] != "indicators" or gap not in vmap:
        return gap, (f"缺口编号 {said(gap)} 不是指标的基准值/引领值，不能写行业"
                     "（请不要修改“缺口编号”列和“行业”列）")
    eff = f"{head}/by_industry/{industry}/{level}"
    own = vmap.get(eff)
    if own is not None and own.known:
        return eff, f"行业 {industry} 的{LEVEL_LABEL[level]}已有出处的值，不是缺口"
    return eff, None


def import_form(cat_root_or_cat: Catalogue | str | os.PathLike | None, xlsx_path: str | os.PathLike,
                data_dir: str | os.PathLike | None = None, force: bool = False,
                progress: Callable[[str], None] | None = None) -> ImportResult:
    """Read a filled 补充表 and write/merge `补充-<rulebook>.yaml` into the data folder (see module doc).

    `cat_root_or_cat` is the shipped `standards/` folder or a loaded Catalogue (its root is used; the
    gaps are checked against the shipped data without user supplements). `data_dir`: explicit, else
    GMDOCS_DATA, else the user config folder (created). Every error is a GmdocsError (exit 2) naming
    the file and sheet!cell; nothing is written unless the whole catalogue validates with the result.
    """
    from ..paths import default_root, writable_data_dir
    say = progress or (lambda _s: None)
    if isinstance(cat_root_or_cat, Catalogue):
        root = cat_root_or_cat.root
    else:
        root = Path(cat_root_or_cat) if cat_root_or_cat else default_root()
    xlsx = require_file(xlsx_path, "补充表")
    disp = display_path(xlsx)
    say(f"正在读取：{disp}")
    from openpyxl import load_workbook
    import zipfile
    from ..limits import check_zip_bounds
    check_zip_bounds(xlsx, "规则补充表")
    try:
        wb = load_workbook(xlsx, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise GmdocsError(f"无法打开 Excel 文件（不是有效的 .xlsx）：{disp}（{exc}）", EXIT_BAD_INPUT) from exc
    if SHEET not in wb.sheetnames:
        raise GmdocsError(f"{disp}: 缺少工作表“{SHEET}”（请用 gmdocs rules form 生成的补充表填写）", EXIT_BAD_INPUT)
    ws = wb[SHEET]
    cols = _columns(ws, disp)
    shipped = read_catalogue(root, use_user_data=False)
    if shipped.problems:
        raise GmdocsError("随附数据目录校验不通过，无法导入（请运行 gmdocs catalogue validate）：", EXIT_BAD_INPUT,
                          list(shipped.problems))

    def cell(col: str, r: int) -> str:
        from openpyxl.utils import get_column_letter
        return f"{disp} {SHEET}!{get_column_letter(cols[col])}{r}"

    def get(col: str, r: int) -> Any:
        return ws.cell(r, cols[col]).value if col in cols else None

    problems: list[Problem] = []
    rb: Rulebook | None = None
    vmap: dict[str, Value] = {}
    new_fills: list[tuple[int, dict]] = []
    seen: dict[tuple[str, str | None], int] = {}
    still_missing = 0
    for r in range(2, ws.max_row + 1):
        gap = clean_text(get("缺口编号", r))
        raw = get("数值", r)
        value_given = raw is not None and not (isinstance(raw, str) and not raw.strip())
        src = clean_text(get("出处", r))
        if gap is None:
            if value_given or src:
                problems.append(Problem(cell("缺口编号", r), None, "", "缺口编号为空（请不要修改“缺口编号”列）"))
            continue
        rid = gap.partition("/")[0]
        if rb is None:
            rb = shipped.rulebooks.get(rid)
            if rb is None:
                problems.append(Problem(cell("缺口编号", r), None, "",
                                        f"缺口编号 {said(gap)} 指向的指标体系 {said(rid)} 不存在（请不要修改“缺口编号”列）"))
                continue
            vmap = {v.path: v for v in values_of(rb)}
        elif rid != rb.id:
            problems.append(Problem(cell("缺口编号", r), None, "",
                                    f"缺口编号 {said(gap)} 不属于本表的指标体系 {rb.id}（一张补充表只能对应一个指标体系）"))
            continue
        industry = clean_text(get("行业", r))
        eff, msg = _gap_problem(rb, vmap, gap, industry)
        if msg:
            problems.append(Problem(cell("缺口编号", r), None, "", msg))
            continue
        if not value_given:
            still_missing += 1
            continue
        try:
            number = _cell_number(raw)
        except ValueError:
            problems.append(Problem(cell("数值", r), None, "",
                                    f"数值应为数字，实际是 {said(raw)}（只填数字，不写单位或“约”“分”等文字）"))
            continue
        if number < 0:
            problems.append(Problem(cell("数值", r), None, "", f"数值不能为负数：{_num(number)}"))
            continue
        if not src:
            problems.append(Problem(cell("出处", r), None, "",
                                    "有数值的行必须写出处（你手中原文的文件号和条款，如 GB/T 36132-2025 附录A 表A.1）"))
            continue
        key = (gap, industry)
        if key in seen:
            problems.append(Problem(cell("缺口编号", r), None, "",
                                    f"与第 {seen[key]} 行是同一个缺口{('（行业：' + industry + '）') if industry else ''}，请只填一次"))
            continue
        seen[key] = r
        fill: dict[str, Any] = {"gap": gap}
        if industry:
            fill["industry"] = industry
        fill["value"] = _num(number)
        fill["sources"] = [{"ref": src, "confidence": "user-supplied"}]
        note = clean_text(get("备注", r))
        if note:
            fill["note"] = note
        new_fills.append((r, fill))
    if rb is None and not problems:
        raise GmdocsError(f"{disp} {SHEET}: 表中没有任何缺口编号（请用 gmdocs rules form 生成的补充表填写）", EXIT_BAD_INPUT)
    if problems:
        raise GmdocsError(f"补充表有误，未导入（共 {len(problems)} 处）：", EXIT_BAD_INPUT, problems)
    assert rb is not None
    if not new_fills:
        raise GmdocsError(f"{disp} {SHEET}: 没有填写任何数值（仍缺 {still_missing} 项），未写入文件。"
                          "请在“数值”列填数字、在“出处”列写原文条款后保存，再导入。", EXIT_BAD_INPUT)

    ddir = writable_data_dir(data_dir)
    try:
        ddir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise GmdocsError(f"无法创建数据目录：{ddir}（{exc.strerror or exc}）", EXIT_BAD_INPUT) from exc
    if not ddir.is_dir():
        raise GmdocsError(f"数据目录不是文件夹：{ddir}", EXIT_BAD_INPUT)
    target = ddir / supplement_name(rb.id)
    from filelock import FileLock, Timeout
    lock = FileLock(str(ddir / LOCK_NAME), timeout=LOCK_TIMEOUT)
    say(f"数据目录：{ddir}")
    try:
        with lock:
            return _merge_and_write(shipped.root, rb, target, new_fills, still_missing, force, cell, say)
    except Timeout as exc:
        raise GmdocsError(f"数据目录正被另一个导入占用，{LOCK_TIMEOUT:g} 秒后仍未释放：{ddir}（锁文件 {LOCK_NAME}）",
                          EXIT_BAD_INPUT) from exc


def _merge_and_write(root: Path, rb: Rulebook, target: Path, new_fills: list[tuple[int, dict]],
                     still_missing: int, force: bool, cell: Callable[[str, int], str],
                     say: Callable[[str], None]) -> ImportResult:
    tdisp = display_path(target)
    doc: dict[str, Any] = {"kind": "supplement",
                           "title": f"用户补充：{rb.title}（由 gmdocs rules import 从规则补充表导入）"}
    old_fills: list[dict] = []
    doc["fills"] = old_fills
    if target.exists():
        data, probs = read_yaml(target, tdisp)
        if probs or not isinstance(data, LDict) or data.get("kind") != "supplement" \
                or not isinstance(data.get("fills", []), list):
            raise GmdocsError(f"已有的补充文件无法合并：{tdisp}（应为 kind: supplement 且 fills 为列表；"
                              "请修正或移走该文件后再导入）", EXIT_BAD_INPUT, probs)
        doc = _plain(data)
        old_fills = [f for f in doc.get("fills") or [] if isinstance(f, dict)]
        doc["fills"] = old_fills
    index = {_fill_key(f): i for i, f in enumerate(old_fills)}
    res = ImportResult(rb.id, target, filled=len(new_fills), still_missing=still_missing)
    problems: list[Problem] = []
    for r, fill in new_fills:
        key = _fill_key(fill)
        res.fills.append(dict(fill))
        if key not in index:
            old_fills.append(fill)
            index[key] = len(old_fills) - 1
            res.added += 1
            continue
        old = old_fills[index[key]]
        if _same(old.get("value"), fill["value"]):
            old_fills[index[key]] = fill           # same value: take the form's 出处 and 备注
            res.unchanged += 1
        elif force:
            old_fills[index[key]] = fill
            res.replaced += 1
        else:
            what = key[0] + (f"（行业：{key[1]}）" if key[1] else "")
            problems.append(Problem(cell("数值", r), None, "",
                                    f"{what} 在 {tdisp} 中已有补充值 {said(old.get('value'))}，本表为 {said(fill['value'])}；"
                                    "确认要替换请加 --force"))
    if problems:
        raise GmdocsError(f"补充表中的值与已导入的值不同，未导入（共 {len(problems)} 处）：", EXIT_BAD_INPUT, problems)
    doc.setdefault("kind", "supplement")
    text = _render(doc)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    tmp_path = Path(tmp)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
        _share_mode(tmp_path, target)
        say("正在校验：数据目录连同本次导入的补充…")
        _validate_staged(root, target, tmp_path)
        os.replace(tmp_path, target)
    except BaseException:
        tmp_path.unlink(missing_ok=True)
        raise
    return res


def _share_mode(tmp: Path, target: Path) -> None:
    """mkstemp makes 0600 files; give the supplement the existing file's mode, or the umask default,
    so that a team sharing the data folder can read it."""
    try:
        if target.exists():
            mode = target.stat().st_mode & 0o777
        else:
            umask = os.umask(0)
            os.umask(umask)
            mode = 0o666 & ~umask
        os.chmod(tmp, mode)
    except OSError:
        pass


def _render(doc: dict) -> str:
    import yaml
    head = ("# 用户补充数据（kind: supplement），由 gmdocs rules import 从规则补充表导入。\n"
            "# 可以手工修改；再次导入同一指标体系的补充表会合并到本文件。\n")
    order = ["kind", "title", "notes", "fills"]
    ordered = {k: doc[k] for k in order if k in doc}
    ordered.update({k: v for k, v in doc.items() if k not in ordered})
    return head + yaml.safe_dump(ordered, allow_unicode=True, sort_keys=False, width=1000)


def _validate_staged(root: Path, target: Path, staged: Path) -> None:
    """Load the whole catalogue with the data folder as it will be after the rename; raise on any problem."""
    ddir = target.parent
    with tempfile.TemporaryDirectory(prefix="gmdocs-import-") as tmp:
        mirror = Path(tmp) / "data"
        mirror.mkdir()
        names: dict[str, str] = {}
        for p in sorted(ddir.rglob("*.y*ml")):
            if p == target or not p.is_file():
                continue
            rel = p.relative_to(ddir)
            (mirror / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(p, mirror / rel)
            names[display_path(mirror / rel)] = display_path(p)
        shutil.copyfile(staged, mirror / target.name)
        names[display_path(mirror / target.name)] = display_path(target)
        cat = read_catalogue(root, data_dir=mirror)
        if cat.problems:
            probs = [Problem(names.get(p.file, p.file), p.line, p.field, p.message) for p in cat.problems]
            raise GmdocsError(f"导入后的数据目录校验不通过，未写入 {display_path(target)}（共 {len(probs)} 处）：",
                              EXIT_BAD_INPUT, probs)


# ------------------------------------------------------------------ list
def rulebook_summaries(cat: Catalogue) -> list[dict]:
    """Each rulebook's id, title, category and number of missing values (for `gmdocs rules list`)."""
    out = []
    for rid in sorted(cat.rulebooks):
        rb = cat.rulebooks[rid]
        out.append({"id": rb.id, "title": rb.title, "category": rb.category,
                    "gaps": sum(1 for v in values_of(rb) if not v.known)})
    return out
