#!/usr/bin/env python3
"""Batch benchmark: `gmdocs batch` over generated applications into the 推荐汇总表 XLSX.

Run from the project root:  python benchmarks/batch.py [--sizes 200,2000,20000] [--jobs 2]
Target (this 2-core machine): 2,000 applications (mixed YAML/XLSX, 2 % broken) in under 20 s with --jobs 2.
Scaling: time should grow linearly with the number of applications and peak memory should stay flat
(results are streamed into a write-only workbook; only a few hundred bytes per application are kept for the
cross-application checks).

The applications are the four examples: YAML copies with names and credit codes changed, XLSX copies of the
example workbooks, and 2 % broken files (cut-off YAML, a text file named .xlsx).
"""
from __future__ import annotations

import argparse
import json
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from gmdocs.catalogue import load_catalogue  # noqa: E402
from gmdocs.evaluate.uscc import check_character  # noqa: E402

TARGET_S = 20.0
EXAMPLES = sorted((ROOT / "examples").glob("*-申报数据.yaml"))
XLSX = sorted((ROOT / "examples").glob("*-申报数据.xlsx"))


def generate(out: Path, n: int, seed: int = 11) -> None:
    rnd = random.Random(seed)
    rule = next(iter(load_catalogue().code_rules.values()))
    texts = [p.read_text(encoding="utf-8") for p in EXAMPLES]
    shutil.copytree(ROOT / "examples" / "证明材料", out / "证明材料")
    for i in range(n):
        r = rnd.random()
        if r < 0.01:
            (out / f"坏{i:05d}.yaml").write_text("类别: 绿色工厂\n基本信息: [未闭合\n", encoding="utf-8")
        elif r < 0.02:
            (out / f"坏{i:05d}.xlsx").write_text("这不是 Excel 文件", encoding="utf-8")
        elif i % 2:
            shutil.copy(XLSX[i % len(XLSX)], out / f"申报{i:05d}.xlsx")
        else:
            text = texts[i % len(texts)]
            code = re.search(r"统一社会信用代码: (\S+)", text).group(1)
            first = code[:8] + f"{i:09d}"[-9:]
            new = first + check_character(first, rule)
            text = text.replace(code, new).replace("名称: （示例）", f"名称: （示例{i:05d}）", 1)
            (out / f"申报{i:05d}.yaml").write_text(text, encoding="utf-8")


def run(folder: Path, jobs: int) -> dict:
    out = folder.parent / "推荐汇总表.xlsx"
    cmd = [sys.executable, "-m", "gmdocs", "batch", str(folder), "-o", str(out), "--jobs", str(jobs), "--force"]
    # a fresh wrapper process per run, so that its RUSAGE_CHILDREN peak is this run's (gmdocs and its workers)
    wrapper = ("import resource, subprocess, sys, time\n"
               "t = time.perf_counter(); p = subprocess.run(sys.argv[1:], capture_output=True, text=True)\n"
               "dt = time.perf_counter() - t\n"
               "sys.stdout.write(repr((p.returncode, dt, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss,"
               " p.stderr[-3000:])))")
    proc = subprocess.run([sys.executable, "-c", wrapper, *cmd], capture_output=True, text=True, cwd=ROOT)
    import ast
    rc, dt, maxrss, err = ast.literal_eval(proc.stdout)
    if rc not in (0, 1) or not out.exists():
        raise SystemExit(f"gmdocs batch failed ({rc}): {err}")
    return {"seconds": dt, "peak_mb": maxrss / 1024, "summary": err.strip().splitlines()[-1]}


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="200,2000,20000")
    ap.add_argument("--jobs", type=int, default=2)
    args = ap.parse_args()
    sizes = [int(x) for x in args.sizes.split(",")]
    rows = []
    for n in sizes:
        with tempfile.TemporaryDirectory(prefix="gmdocs-batch-bench-") as tmp:
            folder = Path(tmp) / "申报"
            folder.mkdir()
            t0 = time.perf_counter()
            generate(folder, n)
            gen = time.perf_counter() - t0
            res = run(folder, args.jobs)
            rows.append({"n": n, **res, "generate_s": gen})
            print(f"{n:>6} 份：{res['seconds']:.2f} s（{res['seconds'] / n * 1000:.2f} ms/份），"
                  f"峰值内存（最大的一个进程）{res['peak_mb']:.0f} MB；{res['summary']}", flush=True)
    print()
    print("| 申报份数 | 用时 | 每份 | 峰值内存（单进程最大） |")
    print("|---|---|---|---|")
    for r in rows:
        print(f"| {r['n']:,} | {r['seconds']:.1f} s | {r['seconds'] / r['n'] * 1000:.2f} ms | {r['peak_mb']:.0f} MB |")
    two = next((r for r in rows if r["n"] == 2000), None)
    if two:
        verdict = "达标" if two["seconds"] < TARGET_S else "未达标"
        print(f"\n2,000 份，--jobs {args.jobs}：{two['seconds']:.1f} s，目标 < {TARGET_S:.0f} s：{verdict}")
    print(json.dumps(rows, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
