#!/usr/bin/env python3
"""Evaluation benchmark: load, check, calculate and score 2,000 generated applications, in one process and in N.

Run from the project root:  python benchmarks/evaluate.py [N [JOBS]]   (JOBS defaults to 2, the cores of this machine)
Target (2-core machine): 2,000 applications (about the yearly national volume) in under 10 s,
with every indicator formula and the carbon account computed for every data year.
The applications are the four examples with their numbers scaled and names changed, so every
one exercises the energy cross-checks, the benchmark comparison and the scoring.
"""
from __future__ import annotations

import random
import re
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from gmdocs.application.read import load_application  # noqa: E402
from gmdocs.catalogue import load_catalogue  # noqa: E402
from gmdocs.evaluate.checks import check  # noqa: E402
from gmdocs.evaluate.score import score  # noqa: E402

EXAMPLES = sorted((ROOT / "examples").glob("*-申报数据.yaml"))
NUMBER = re.compile(r"(?<!年度: )(?<!年份: )(?<=: )(\d+(?:\.\d+)?)$", re.M)


def generate(out: Path, n: int, seed: int = 7) -> list[Path]:
    rnd = random.Random(seed)
    # attachments are relative to the examples folder: keep them pointing there
    texts = [p.read_text(encoding="utf-8").replace("文件: 证明材料/", f"文件: {p.parent.as_posix()}/证明材料/")
             for p in EXAMPLES]
    paths = []
    for i in range(n):
        text = texts[i % len(texts)].replace("名称: （示例）", f"名称: （示例{i:04d}）", 1)
        if rnd.random() < 0.3:          # some applications carry errors, as real batches do
            text = NUMBER.sub(lambda m: str(round(float(m.group(1)) * rnd.uniform(0.9, 1.1), 1)), text, count=5)
        p = out / f"app-{i:04d}.yaml"
        p.write_text(text, encoding="utf-8")
        paths.append(p)
    return paths


def run(paths: list[Path]) -> tuple[int, int, int]:
    cat = load_catalogue(use_user_data=False)
    errors = scored = computed = 0
    for p in paths:
        app, found = load_application(p)
        rep = check(app, cat, None, found)       # runs calculate + score once for the cross-checks
        ev = rep.evaluation if rep.evaluation is not None else score(app, cat)
        errors += not rep.ok
        scored += ev.rulebook is not None
        computed += sum(1 for v in (ev.calc.values if ev.calc is not None else []) if v.value is not None)
    return errors, scored, computed


def main() -> int:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
    jobs = int(sys.argv[2]) if len(sys.argv) > 2 else 2
    with tempfile.TemporaryDirectory(prefix="gmdocs-eval-") as tmp:
        paths = generate(Path(tmp), n)
        t0 = time.perf_counter()
        load_catalogue(use_user_data=False)
        t_cat = time.perf_counter() - t0
        t1 = time.perf_counter()
        errors, scored, computed = run(paths)
        t_apps = time.perf_counter() - t1
        from concurrent.futures import ProcessPoolExecutor
        t2 = time.perf_counter()
        with ProcessPoolExecutor(jobs) as pool:
            parts = list(pool.map(run, [paths[i::jobs] for i in range(jobs)]))
        t_par = time.perf_counter() - t2
        assert tuple(map(sum, zip(*parts))) == (errors, scored, computed)
    total = t_cat + t_apps
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"gmdocs 评价基准：{n} 份申报（{len(EXAMPLES)} 个示例变形而成，约 30% 带数据错误）")
    print(f"  加载数据目录              {t_cat:8.2f} s")
    print(f"  读取 + 检查 + 计算 + 评分 {t_apps:8.2f} s   （{n / t_apps:,.0f} 份/秒）")
    print(f"  合计（单进程）            {total:8.2f} s   目标 < 10 s   {'达标' if total < 10 else '未达标'}")
    print(f"  合计（{jobs} 个进程，含各自加载数据目录）{t_par:6.2f} s   目标 < 10 s   {'达标' if t_par < 10 else '未达标'}")
    print(f"  有错误的申报 {errors} 份；已评分 {scored} 份；按公式算出的指标值 {computed:,} 个（逐年）")
    print(f"  进程最大常驻内存（含解释器和数据目录）{rss:,.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
