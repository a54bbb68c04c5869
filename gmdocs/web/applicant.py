"""The applicant's work in one session folder: the application being filled in (a form, or an uploaded
YAML/XLSX), its attachments, the evaluator's files, and the checks run on it — all through the library
(formdata, load_application, check_and_score); the routes only call these."""
from __future__ import annotations

import json
import re
from pathlib import Path

from ..application.blank import skeleton
from ..application.formdata import data_from_form, field_of, form_sections, yaml_with_lines
from ..application.read import load_application
from ..application.spec import LABEL_TO_CATEGORY
from ..errors import EXIT_BAD_INPUT, GmdocsError
from ..evaluate.checks import check_and_score
from .workspace import inside

APP_FILE = "申报数据.yaml"
STATE = "state.json"


def load_state(ws: Path) -> dict:
    try:
        return json.loads((ws / STATE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def save_state(ws: Path, st: dict) -> None:
    tmp = ws / (STATE + ".tmp")
    tmp.write_text(json.dumps(st, ensure_ascii=False), encoding="utf-8")
    tmp.replace(ws / STATE)


def start(ws: Path, cat, category: str, year: int) -> dict:
    skeleton(cat, category, year)                       # the year and category exist (Chinese error otherwise)
    st = {"category": category, "year": year, "source": "form", "form": {}, "attachments": []}
    save_state(ws, st)
    return st


def from_yaml_upload(ws: Path, cat, path: Path) -> dict:
    """An uploaded YAML becomes the form's content (its category and year choose the form)."""
    from ..catalogue.yamlsrc import read_yaml
    data, problems = read_yaml(path, path.name)         # the CLI's reader: Chinese errors with the line
    if problems:
        raise GmdocsError(f"无法读取上传的 YAML 文件 {path.name}：", EXIT_BAD_INPUT, problems)
    if not isinstance(data, dict):
        raise GmdocsError(f"上传的 YAML 文件 {path.name} 不是申报数据（应以“类别:”“年度:”等项目开头）", EXIT_BAD_INPUT)
    category = LABEL_TO_CATEGORY.get(str(data.get("类别", "")).strip())
    try:
        year = int(data.get("年度"))
    except (TypeError, ValueError):
        year = None
    if category is None or year is None:
        raise GmdocsError(f"上传的 YAML 文件 {path.name} 缺少“类别”或“年度”（类别：绿色工厂 / 绿色工业园区 / "
                          "绿色供应链管理企业；年度：如 2026）", EXIT_BAD_INPUT)
    sk = skeleton(cat, category, year)
    form = {}
    for sec in form_sections(sk, data):
        for f in sec.fields:
            form[f.name] = f.value
        if sec.table:
            for row in sec.table.rows:
                for f in row:
                    form[f.name] = f.value
    atts = []
    for a in data.get("附件") or []:
        if isinstance(a, dict) and a.get("文件"):
            p = (path.parent / str(a["文件"])).resolve()
            if p.is_file() and (ws.resolve() in p.parents):
                atts.append({"名称": str(a.get("名称") or p.stem), "文件": str(p)})
    st = {"category": category, "year": year, "source": "form", "form": form, "attachments": atts,
          "note": f"已载入 {path.name}；附件请在下方重新上传" if data.get("附件") and not atts else f"已载入 {path.name}"}
    save_state(ws, st)
    return st


def from_xlsx_upload(ws: Path, path: Path) -> dict:
    st = load_state(ws)
    st.update({"source": "file", "file": str(path), "note": f"使用上传的 {path.name}：在 Excel 中修改后重新上传"})
    app, _ = load_application(path)          # readable at all (else a Chinese error now)
    st["category"], st["year"] = app.category, app.year
    save_state(ws, st)
    return st


def add_attachment(ws: Path, st: dict, saved: Path, name: str) -> None:
    """A PDF the user uploaded as 证明材料. For the form, it is listed under `name`; for an uploaded workbook,
    it goes where the workbook's 附件 sheet expects a file of that name (the sheet names the files)."""
    if st.get("source") == "file":
        app, _ = load_application(Path(st["file"]))
        for a in app.attachments:
            target = Path(a.path) if a.path else None
            if target is not None and target.name == saved.name and not target.exists():
                inside(ws, target).parent.mkdir(parents=True, exist_ok=True)
                saved.replace(target)
                return
        raise GmdocsError(f"上传的 {saved.name} 不是工作簿“附件”表中列出的文件：请按表中的文件名上传，"
                          "或在 Excel 的“附件”表中加上这一行后重新上传工作簿", EXIT_BAD_INPUT)
    st.setdefault("attachments", []).append({"名称": name or saved.stem, "文件": str(saved)})
    if "附件请" in (st.get("note") or ""):
        st["note"] = ""


def place_referenced(base: Path, saved: list[Path], referenced: list[str], ws: Path) -> None:
    """Move uploaded files to the relative paths a YAML file names for them (same file name), inside `ws`."""
    for rel in referenced:
        want = base / rel
        for p in saved:
            if p.name == want.name and p != want:
                inside(ws, want).parent.mkdir(parents=True, exist_ok=True)
                p.replace(want)


def sk_of(cat, st: dict) -> dict:
    return skeleton(cat, st["category"], int(st["year"]))


def current_file(ws: Path, st: dict, cat) -> tuple[Path, dict[int, str]]:
    """The application file the checks read: the form written as YAML (with the field on each line), or
    the uploaded XLSX."""
    if st.get("source") == "file":
        return Path(st["file"]), {}
    data = data_from_form(sk_of(cat, st), st.get("form") or {}, st.get("attachments"))
    text, where = yaml_with_lines(data)
    path = ws / APP_FILE
    path.write_text(text, encoding="utf-8")
    return path, where


def check(ws: Path, st: dict, cat) -> dict:
    """Findings (each with the form field it concerns) and the counts, for the page beside the form."""
    path, where = current_file(ws, st, cat)
    try:
        app, read = load_application(path)
    except GmdocsError as err:
        items = [{"severity": "error", "message": hide_paths(p.message, ws), "where": f"{p.file}:{p.line}" if p.line else p.file,
                  "field": field_of(f"{Path(p.file).name}:{p.line}", path.name, where) if p.line else ""}
                 for p in err.problems] or [{"severity": "error", "message": err.message, "where": path.name, "field": ""}]
        return {"errors": len(items), "warnings": 0, "findings": items, "score": None}
    rep, ev = check_and_score(app, cat, None, read)
    names = set(where.values())
    years = sk_of(cat, st)["years"] if st.get("source") == "form" else []
    if st.get("source") == "form":
        for sec in form_sections(sk_of(cat, st)):
            names.update(f.name for f in sec.fields)
            if sec.table:
                names.update(f.name for row in sec.table.rows for f in row)
    items = []
    for f in rep.findings:
        name = _field_for(field_of(f.where.rsplit("/", 1)[-1], path.name, where), f.field, names, f.message)
        label = f.field
        m = re.fullmatch(r"year\.(\d+)\.(.+)", name)
        if m and years and int(m.group(1)) < len(years):
            label = f"{years[int(m.group(1))]}年{m.group(2)}"          # which year, not only which column
        items.append({"severity": f.severity, "code": f.code, "message": hide_paths(f.message, ws), "label": label,
                      "where": f.where.replace(str(path.parent) + "/", ""), "field": name})
    return {"errors": len(rep.errors), "warnings": len(rep.warnings), "findings": items,
            "score": {"total": ev.total, "self_total": ev.self_total, "veto": ev.veto}}


def hide_paths(text: str, ws: Path) -> str:
    """A message without the session folder's path (the user knows the files by their own names)."""
    for base in {str(ws.resolve()), str(ws)}:
        text = text.replace(base + "/uploads/", "").replace(base + "/", "")
    return text


def _field_for(at_line: str, label: str, names: set[str], message: str = "") -> str:
    """The form field of a finding: the one on its line, unless the finding names another field (a missing
    field has no line of its own: the reader points at its section or row) — then that field, looked for in
    the same row first, then in the same section."""
    want = (label or "").split("/")[-1]
    if not want or at_line.endswith("." + want):
        return at_line
    if want in ("基本要求", "指标") and message:
        # "未填写基本要求 M1：…", "指标 能源低碳化-取水强度 …": the row named in the message
        prefix = "gate" if want == "基本要求" else "ind"
        for n in sorted((n for n in names if n.startswith(prefix + ".") and n.endswith(".结论")), key=len, reverse=True):
            ident = n[len(prefix) + 1:-len(".结论")]
            if re.search(rf"(?<![\w-]){re.escape(ident)}(?![\w-])", message):
                return n
    row, section = at_line.rsplit(".", 1)[0] if at_line else "", at_line.split(".")[0] if at_line else ""
    for scope in (row, section, ""):
        found = [n for n in names if n.rsplit(".", 1)[-1] == want and (not scope or n.startswith(scope + "."))]
        if len(found) == 1:
            return found[0]
        if found:
            break
    return at_line


def evaluate(ws: Path, st: dict, cat):
    path, _ = current_file(ws, st, cat)
    app, read = load_application(path)
    rep, ev = check_and_score(app, cat, None, read)
    return app, rep, ev
