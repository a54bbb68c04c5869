"""One batch job as a library call: find the files, evaluate them in parallel, cross-check them, write the
推荐汇总表 workbook. The CLI (`gmdocs batch`) and a web page only call `run_job` and print its result."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from ..errors import EXIT_BAD_INPUT, GmdocsError
from .conflicts import Conflict, cap_statuses, find_conflicts
from .run import AppResult, find_files, iter_results
from .summary import write_summary


@dataclass
class JobResult:
    output: Path
    year: int | None
    counts: dict
    conflicts: list[Conflict] = field(default_factory=list)
    applications: list[dict] = field(default_factory=list)     # per application, when asked for (JSON)
    skipped: list = field(default_factory=list)                # gmdocs' own workbooks found among them: (path, kind)

    @property
    def ok(self) -> bool:
        return not (self.counts["unreadable"] or self.counts["with_errors"]
                    or any(c.severity == "error" for c in self.conflicts))

    def to_json(self) -> dict:
        return {"output": str(self.output), "year": self.year, "count": self.counts["applications"],
                "applications": self.applications,
                "conflicts": [{"severity": c.severity, "kind": c.kind, "message": c.message, "files": c.files}
                              for c in self.conflicts],
                "skipped": [{"file": f, "kind": k} for f, k in self.skipped]}


def first_year(files: list[Path]) -> int | None:
    """The campaign year written in the first readable file (the summary's columns are that year's)."""
    from ..application.read import load_application
    for f in files[:20]:
        try:
            app, _ = load_application(f)
        except GmdocsError:
            continue
        if app.year:
            return app.year
    return None


def run_job(paths: list[str | Path], output: str | Path, cat, year: int | None = None, jobs: int = 2,
            data_dir: str | None = None, force: bool = False, keep_rows: bool = False,
            progress: Callable[[int, int], None] = lambda done, total: None,
            started: Callable[[int], None] = lambda total: None, shown_from: str | Path | None = None) -> JobResult:
    """Check and score every application under `paths` and write the 推荐汇总表 workbook `output`.
    `shown_from`: a folder whose path is left out of the file names and messages in the workbook (the web
    page's session folder: the user knows the files by the names they uploaded)."""
    out = Path(output)
    if out.exists() and not force:
        raise GmdocsError(f"输出文件已存在：{out}（如需覆盖请加 --force）", EXIT_BAD_INPUT)
    skipped: list = []
    files = find_files(list(paths), exclude=[out], skipped=skipped)
    if not files:
        raise GmdocsError("没有找到申报数据文件（.yaml 或 .xlsx）：" + "、".join(str(p) for p in paths), EXIT_BAD_INPUT)
    started(len(files))
    light: list[AppResult] = []        # what the cross-checks need (small)
    rows: list[dict] = []
    state: dict = {}

    prefixes = sorted({str(Path(shown_from)) + "/", str(Path(shown_from).resolve()) + "/"}, key=len, reverse=True) \
        if shown_from is not None else []

    def shown(text):
        if not isinstance(text, str):
            return text
        for pre in prefixes:
            text = text.replace(pre, "")
        return text

    def keep(results):
        for r in results:
            if prefixes:
                r.file, r.error = shown(r.file), shown(r.error)
                r.values = {k: shown(v) for k, v in r.values.items()}
                r.findings = [{k: shown(v) for k, v in f.items()} for f in r.findings]
            light.append(AppResult(file=r.file, ok=r.ok, error=r.error, category=r.category, year=r.year,
                                   errors=r.errors, warnings=r.warnings, info=r.info))
            if keep_rows:
                rows.append({"file": r.file, "ok": r.ok, "error": r.error, "errors": r.errors,
                             "warnings": r.warnings, "values": r.values})
            yield r

    def after():
        years = [r.year for r in light if r.ok and r.year]
        state["year"] = year or (max(set(years), key=years.count) if years else None)
        conflicts = find_conflicts(light)
        if len(set(years)) > 1:
            from collections import Counter
            seen = "、".join(f"{y} 年度 {n} 份" for y, n in sorted(Counter(years).items(), reverse=True))
            conflicts.append(Conflict("warning", "申报年度不一致",
                                      f"本批次的申报按不同年度的规则评价（{seen}），汇总按 {state['year']} 年度："
                                      "请按年度分批汇总，或用 --year 指定年度（所有申报按该年度规则评价）",
                                      [r.file for r in light if r.ok and r.year and r.year != state["year"]]))
        caps = cap_statuses(light, cat, state["year"]) if state["year"] else []
        for c in caps:
            if c.state == "over":
                conflicts.append(Conflict("error", "评价机构项目上限", f"{c.label}：本批次 {len(c.counted)} 项，"
                                          f"超过上限 {c.limit} 项（{c.rule}）", [p.loc for p in c.over]))
        state["conflicts"] = conflicts
        return conflicts, caps

    camp_year = year or first_year(files)
    counts = write_summary(out, keep(iter_results(files, year, jobs, data_dir, progress, cat=cat)),
                           cat.campaigns.get(camp_year) if camp_year else None, camp_year, after, force)
    return JobResult(out, state.get("year"), counts, state.get("conflicts", []), rows,
                     [(shown(str(x)), kind) for x, kind in skipped])
