#!/usr/bin/env python3
"""Build benchmark: `gmdocs build` per example with and without PDF, the 1,000-row report
(lint + render + cross-check) against bare docxtpl on the same template and data, peak memory.

Run from the project root:  python benchmarks/build.py
Targets (2-core machine): build without PDF < 1 s per example; the 1,000-row report within 2x of
bare docxtpl measured side by side; peak memory of the gmdocs process < 150 MB; build with PDF
≤ 2.5 s per example with the warm LibreOffice converter (measured in-process side by side with
one-shot soffice; the converter's one-time start is counted in the first build and shown apart).
"""
from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

EXAMPLES = sorted((ROOT / "examples").glob("*-申报数据.yaml"))
TIME_RSS = "import resource, runpy, sys; sys.argv = sys.argv[1:]; \n" \
           "try:\n    runpy.run_module('gmdocs', run_name='__main__')\nexcept SystemExit as e:\n    code = e.code\n" \
           "print('RSS_MB', resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, file=sys.stderr)\n" \
           "sys.exit(code)\n"


def run_build(example: Path, out: Path, pdf: bool) -> tuple[float, float]:
    args = [sys.executable, "-c", TIME_RSS, "gmdocs", "build", str(example), "-o", str(out), "--force"]
    if not pdf:
        args.append("--no-pdf")
    t0 = time.perf_counter()
    r = subprocess.run(args, capture_output=True, text=True, cwd=ROOT)
    dt = time.perf_counter() - t0
    if r.returncode != 0:
        raise SystemExit(f"build failed for {example.name}: {r.stderr[-500:]}")
    rss = float(r.stderr.strip().splitlines()[-1].split()[-1])
    return dt, rss


def pdf_warm_vs_oneshot(work: Path) -> None:
    """In-process `build` with PDF per example, warm converter (GMDOCS_CONVERTER=warm) and one-shot soffice
    (GMDOCS_CONVERTER=oneshot) interleaved; every DOCX → PDF conversion timed."""
    from gmdocs.catalogue import load_catalogue
    from gmdocs.documents import converter, pdf
    from gmdocs.documents.build import build

    cat = load_catalogue(use_user_data=False)
    build(EXAMPLES[0], work / "warmup", cat, pdf=False, force=True)       # imports and caches, no LibreOffice
    conversions: list[float] = []
    real_to_pdf = pdf.to_pdf

    def timed(docx, outdir, *rest):
        t0 = time.perf_counter()
        try:
            return real_to_pdf(docx, outdir, *rest)
        finally:
            conversions.append(time.perf_counter() - t0)

    saved_mode = os.environ.get("GMDOCS_CONVERTER")
    pdf.to_pdf = timed
    rows, start_s = [], None
    try:
        converter.reset()                     # no converter yet: the first warm build starts it
        for ex in EXAMPLES:
            row = {}
            for mode in ("warm", "oneshot"):
                os.environ["GMDOCS_CONVERTER"] = mode
                conversions.clear()
                t0 = time.perf_counter()
                build(ex, work / f"{ex.stem}-{mode}", cat, pdf=True, force=True)
                row[mode] = (time.perf_counter() - t0, list(conversions))
                if mode == "warm" and start_s is None:
                    os.environ["GMDOCS_CONVERTER"] = "warm"
                    conv = converter.get_converter()
                    start_s = conv.start_seconds if conv is not None else None
            rows.append((ex, row))
    finally:
        pdf.to_pdf = real_to_pdf
        converter.reset()
        if saved_mode is None:
            os.environ.pop("GMDOCS_CONVERTER", None)
        else:
            os.environ["GMDOCS_CONVERTER"] = saved_mode

    print("  含 PDF 的 build：常驻 LibreOffice 与每次启动 soffice（进程内，同一次运行，交替测量）：")
    if start_s is None:
        print("    （常驻转换进程未能启动：缺少 python3-uno？两列都是每次启动）")
    else:
        print(f"    常驻 LibreOffice 启动 {start_s:.2f} s（一次，计入第一份）")
    print(f"    {'示例':<14}{'转换次数':>8}{'常驻':>10}{'每次启动':>10}{'每次转换 常驻/每次启动':>24}")
    worst_warm = 0.0
    all_warm, all_one = [], []
    for i, (ex, row) in enumerate(rows):
        (w, wc), (o, oc) = row["warm"], row["oneshot"]
        steady = w - (start_s or 0.0) if i == 0 else w
        worst_warm = max(worst_warm, steady)
        all_warm += wc[1:] if i == 0 else wc           # the first conversion carries the start
        all_one += oc
        name = ex.stem.replace("-申报数据", "")
        per = f"{statistics.median(wc):.2f} / {statistics.median(oc):.2f} s" if wc and oc else "—"
        first = f"（含启动；不含 {steady:.2f} s）" if i == 0 and start_s is not None else ""
        print(f"    {name:<14}{len(wc):>8}{w:>9.2f}s{o:>9.2f}s{per:>24}{first}")
    if all_warm and all_one:
        print(f"    每次转换中位数：常驻 {statistics.median(all_warm):.2f} s，每次启动 {statistics.median(all_one):.2f} s")
    print(f"    含 PDF 常驻最慢 {worst_warm:.2f} s/份（不含一次性启动）   目标 ≤ 2.5 s   "
          f"{'达标' if worst_warm <= 2.5 else '未达标'}")


def thousand_rows(work: Path) -> tuple[float, float, float, float]:
    """(gmdocs lint+render+crosscheck s, bare docxtpl s, lint s, crosscheck s), medians of 5."""
    from docxtpl import DocxTemplate

    from gmdocs.application.read import load_application
    from gmdocs.catalogue import load_catalogue
    from gmdocs.documents.context import build_context
    from gmdocs.documents.crosscheck import crosscheck
    from gmdocs.documents.lint import lint_template
    from gmdocs.documents.render import render_docx
    from gmdocs.evaluate.checks import check
    from gmdocs.evaluate.score import score
    cat = load_catalogue(use_user_data=False)
    app, found = load_application(ROOT / "examples" / "硅铁厂-申报数据.yaml")
    rep = check(app, cat, None, found)
    ev = score(app, cat)
    ctx = build_context(app, rep, ev, cat)
    ctx["evidence"] = [{"n": str(i + 1), "item": f"绩效-指标{i % 12 + 1}",
                        "evidence": f"第{i + 1}号证明材料：能源统计报表 205-1 表及其附注（{2020 + i % 3}年）", "pages": "—"}
                       for i in range(1000)]
    tpl = ROOT / "templates" / "2024" / "绿色工厂自评价报告.docx"
    ours, bare, lints, checks = [], [], [], []
    for i in range(5):
        t0 = time.perf_counter()
        assert lint_template(tpl) == []
        t1 = time.perf_counter()
        out = work / f"ours-{i}.docx"
        render_docx(tpl, ctx, out)
        t2 = time.perf_counter()
        problems, _ = crosscheck(out, app, ev)
        assert not problems, problems
        t3 = time.perf_counter()
        ours.append(t3 - t0)
        lints.append(t1 - t0)
        checks.append(t3 - t2)
        t0 = time.perf_counter()
        d = DocxTemplate(str(tpl))
        d.render(ctx)
        d.save(str(work / f"bare-{i}.docx"))
        bare.append(time.perf_counter() - t0)
    return statistics.median(ours), statistics.median(bare), statistics.median(lints), statistics.median(checks)


def main() -> int:
    have_pdf = shutil.which("soffice") is not None
    work = Path(tempfile.mkdtemp(prefix="gmdocs-bench-build-"))
    try:
        print(f"gmdocs 文件生成基准（{os.cpu_count()} 核，Python {sys.version.split()[0]}）")
        print(f"  {'示例':<16}{'不转 PDF（中位数/3次）':>22}{'含 PDF 与汇编':>16}{'gmdocs 进程峰值内存':>20}")
        worst_no_pdf, worst_rss = 0.0, 0.0
        for ex in EXAMPLES:
            times, rss = [], 0.0
            for i in range(3):
                dt, r = run_build(ex, work / f"{ex.stem}-np", pdf=False)
                times.append(dt)
                rss = max(rss, r)
            no_pdf = statistics.median(times)
            with_pdf = "—"
            if have_pdf:
                dt, r = run_build(ex, work / f"{ex.stem}-pdf", pdf=True)
                with_pdf = f"{dt:.2f} s"
                rss = max(rss, r)
            worst_no_pdf, worst_rss = max(worst_no_pdf, no_pdf), max(worst_rss, rss)
            print(f"  {ex.stem.replace('-申报数据', ''):<16}{no_pdf:>20.2f} s{with_pdf:>16}{rss:>18.0f} MB")
        if have_pdf:
            print("  （“含 PDF 与汇编”为命令行 gmdocs build 的新进程，默认用常驻 LibreOffice，含其启动）")
            pdf_warm_vs_oneshot(work)
        ours, bare, lint_s, check_s = thousand_rows(work)
        ratio = ours / bare
        print("  1,000 行证明材料表的报告（进程内，中位数/5次）：")
        print(f"    gmdocs 检查模板 + 渲染 + 交叉核对  {ours:.3f} s（其中检查模板 {lint_s:.3f} s，交叉核对 {check_s:.3f} s）")
        print(f"    同一模板和数据的裸 docxtpl       {bare:.3f} s")
        print(f"    比值 {ratio:.2f}x   目标 ≤ 2x   {'达标' if ratio <= 2 else '未达标'}")
        print(f"  不转 PDF 最慢 {worst_no_pdf:.2f} s/份   目标 < 1 s   {'达标' if worst_no_pdf < 1 else '未达标'}")
        print(f"  gmdocs 进程峰值内存 {worst_rss:.0f} MB（不含 LibreOffice 子进程）   目标 < 150 MB   "
              f"{'达标' if worst_rss < 150 else '未达标'}")
        if not have_pdf:
            print("  （未安装 LibreOffice，未测 PDF）")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
