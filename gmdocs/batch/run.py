"""Evaluate many application files in parallel processes; one bad file never stops the batch.

Each worker loads the catalogue once, then loads → checks → calculates → scores one file and returns a
plain, picklable `AppResult` (the summary row's values and every finding). The library does no printing:
the caller gets a `progress(done, total)` callback.
"""
from __future__ import annotations

import re

from collections import deque
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterator

from ..errors import EXIT_BAD_INPUT, GmdocsError

APP_SUFFIXES = (".yaml", ".yml", ".xlsx", ".xlsm")


@dataclass
class AppResult:
    file: str
    ok: bool                                  # loaded and evaluated (may still have check errors)
    error: str = ""                           # why the file could not be evaluated at all
    category: str = ""
    year: int | None = None
    values: dict = field(default_factory=dict)     # summary column id → value
    findings: list[dict] = field(default_factory=list)   # Finding.to_json() of the check
    errors: int = 0
    warnings: int = 0
    info: dict = field(default_factory=dict)       # raw fields the cross-checks need (uscc, park, …)


# gmdocs' own workbooks, told by their sheets: found in a folder of applications they are skipped, not "unreadable"
OUTPUT_SHEETS = {"推荐汇总表": {"推荐汇总表", "检查发现"}, "评价说明（内部）": {"检查结果", "未核实的规则"},
                 "标准查新报告": {"查新结果"}, "评价项目台账": {"评价项目台账"}}
_SHEET_NAME = re.compile(rb'<(?:\w+:)?sheet\b[^>]*?\bname="([^"]+)"')


def gmdocs_output_kind(path: Path) -> str | None:
    """Which of gmdocs' own workbooks `path` is (推荐汇总表, 评价说明（内部）, …), or None (read from the sheet names;
    any file that cannot be read that way is left to the reader, which says what is wrong with it)."""
    import html
    import zipfile
    try:
        with zipfile.ZipFile(path) as z:
            info = z.getinfo("xl/workbook.xml")
            if info.file_size > 1_000_000:
                return None
            names = {html.unescape(m.decode("utf-8", "replace")) for m in _SHEET_NAME.findall(z.read(info))}
    except (OSError, KeyError, zipfile.BadZipFile, RuntimeError, ValueError):
        return None
    if "基本信息" in names:
        return None
    return next((kind for kind, sheets in OUTPUT_SHEETS.items() if sheets <= names), None)


def find_files(paths: list[str | Path], exclude: list[Path] = (), skipped: list | None = None) -> list[Path]:
    """Every application file under the given files and folders (any depth), sorted; Office lock files
    (~$…) and hidden files skipped, and, inside folders, gmdocs' own workbooks (a 推荐汇总表 written there before:
    listed in `skipped` as (path, kind)). A path that does not exist is an error naming it."""
    out: list[Path] = []
    skip = {Path(p).resolve() for p in exclude}
    for raw in paths:
        p = Path(raw)
        if not p.exists():
            raise GmdocsError(f"找不到文件或文件夹：{p}", EXIT_BAD_INPUT)
        cands = [p] if p.is_file() else sorted(x for x in p.rglob("*") if x.is_file())
        for x in cands:
            if x.suffix.lower() not in APP_SUFFIXES or x.name.startswith(("~$", ".")) or x.resolve() in skip:
                continue
            if not p.is_file() and x.suffix.lower() == ".xlsx":
                kind = gmdocs_output_kind(x)
                if kind is not None:
                    if skipped is not None:
                        skipped.append((x, kind))
                    continue
            out.append(x)
    seen, unique = set(), []
    for x in out:
        r = x.resolve()
        if r not in seen:
            seen.add(r)
            unique.append(x)
    return unique


_CAT = None


def _init_worker(data_dir: str | None) -> None:
    global _CAT
    from ..catalogue import load_catalogue
    _CAT = load_catalogue(data_dir=data_dir)


def evaluate_file(path: str, year: int | None, cat=None) -> AppResult:
    """One application, never raising: a file that cannot be read becomes a result with its error."""
    from ..application.read import load_application
    from ..evaluate.checks import check_and_score
    cat = cat if cat is not None else _CAT
    try:
        app, found = load_application(path)
        rep, ev = check_and_score(app, cat, year, found)
    except GmdocsError as exc:
        detail = "；".join(str(p) for p in exc.problems[:3])
        return AppResult(file=path, ok=False, error=exc.message + (f"（{detail}）" if detail else ""))
    except Exception as exc:          # noqa: BLE001 — one broken file must not stop the batch
        return AppResult(file=path, ok=False, error=f"无法处理此文件：{type(exc).__name__}: {exc}")
    return _result(path, app, rep, ev)


def _result(path: str, app, rep, ev) -> AppResult:
    from ..catalogue.model import CATEGORY_NAMES
    from ..documents.context import points, total_text
    kind = "third-party" if ev.evaluator_total is not None else "self"
    total = ev.total if ev.total is not None else (ev.evaluator_total if ev.evaluator_total is not None else ev.self_total)
    top = [b for b in ev.benchmarks if b.position not in ("未收录", "未填写")]
    bench = "；".join(f"{b.product}：{b.position}" for b in top) or ("未收录" if ev.benchmarks else "—")
    carbon = None
    calc = ev.calc
    if calc is not None and getattr(calc, "carbon", None):
        last = max(calc.carbon)
        va = next((y.value_added for y in app.years if y.year == last), None)
        tot = calc.carbon[last].total
        if tot is not None and va:
            carbon = round(tot / va, 4)
    errors, warnings = len(rep.errors), len(rep.warnings)
    check = "通过" if not errors else f"{errors} 个错误"
    if warnings:
        check += f"，{warnings} 个警告"
    text = total_text(ev, kind)
    values = {"province": str(app.get("province") or ""), "name": app.name, "uscc": str(app.get("uscc") or ""),
              "category": CATEGORY_NAMES.get(app.category, app.category), "industry": str(app.get("industry") or ""),
              "basis": ev.basis_title or ev.rulebook_title or "", "total": total,
              "total_source": text.split("（", 1)[1].rstrip("）") if "（" in text else text,
              "benchmark": bench, "carbon_intensity": carbon, "evaluator": str(app.get("evaluator") or ""),
              "check": check, "recommend": "", "file": path}
    info = {"uscc": values["uscc"], "name": app.name, "category": app.category, "park": str(app.get("park") or ""),
            "green_factories": app.get("green_factories"), "level": str(app.get("level") or "国家级"),
            "evaluator": values["evaluator"], "evaluator_rep": str(app.get("evaluator_rep") or ""),
            "points": points(total) if total is not None else ""}
    return AppResult(file=path, ok=True, category=app.category, year=ev.year, values=values,
                     findings=[f.to_json() for f in rep.findings], errors=errors, warnings=warnings, info=info)


def iter_results(files: list[Path], year: int | None, jobs: int = 1, data_dir: str | None = None,
                 progress: Callable[[int, int], None] = lambda done, total: None, cat=None) -> Iterator[AppResult]:
    """Evaluate every file, yielding results in the order of `files` as they are ready. At most a few chunks
    are in flight, so memory stays flat however many files there are. jobs=1 runs in this process."""
    total = len(files)
    if jobs <= 1 or total <= 1:
        if cat is None:
            from ..catalogue import load_catalogue
            cat = load_catalogue(data_dir=data_dir)
        for i, f in enumerate(files, 1):
            yield evaluate_file(str(f), year, cat)
            progress(i, total)
        return
    size = max(1, min(32, total // (jobs * 8) or 1))
    chunks = [[str(f) for f in files[i:i + size]] for i in range(0, total, size)]
    in_flight = jobs * 3
    with ProcessPoolExecutor(max_workers=jobs, initializer=_init_worker, initargs=(data_dir,)) as pool:
        pending: deque = deque()
        nxt = done = 0
        while nxt < len(chunks) or pending:
            while nxt < len(chunks) and len(pending) < in_flight:
                pending.append(pool.submit(_evaluate_chunk, chunks[nxt], year))
                nxt += 1
            for r in pending.popleft().result():
                done += 1
                yield r
            progress(done, total)


def run_batch(files: list[Path], year: int | None, jobs: int = 1, data_dir: str | None = None,
              progress: Callable[[int, int], None] = lambda done, total: None, cat=None) -> list[AppResult]:
    """All results as a list (for callers that want them in memory)."""
    return list(iter_results(files, year, jobs, data_dir, progress, cat))


def _evaluate_chunk(paths: list[str], year: int | None) -> list[AppResult]:
    return [evaluate_file(p, year) for p in paths]
