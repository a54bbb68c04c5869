#!/usr/bin/env python3
"""Evaluation benchmark: load, check and score 2,000 generated applications in one process.

Run from the project root:  python benchmarks/evaluate.py [N]
Target (2-core machine): 2,000 applications (about the yearly national volume) in under 20 s.
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


def main() -> int:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
    with tempfile.TemporaryDirectory(prefix="gmdocs-eval-") as tmp:
        paths = generate(Path(tmp), n)
        t0 = time.perf_counter()
        cat = load_catalogue(use_user_data=False)
        t_cat = time.perf_counter() - t0
        errors = scored = 0
        t1 = time.perf_counter()
        for p in paths:
            app, found = load_application(p)
            rep = check(app, cat, None, found)
            ev = score(app, cat)
            errors += not rep.ok
            scored += ev.rulebook is not None
        t_apps = time.perf_counter() - t1
    total = t_cat + t_apps
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"gmdocs 评价基准：{n} 份申报（{len(EXAMPLES)} 个示例变形而成，约 30% 带数据错误）")
    print(f"  加载数据目录              {t_cat:8.2f} s")
    print(f"  读取 + 检查 + 评分        {t_apps:8.2f} s   （{n / t_apps:,.0f} 份/秒）")
    print(f"  合计                      {total:8.2f} s   目标 < 20 s   {'达标' if total < 20 else '未达标'}")
    print(f"  有错误的申报 {errors} 份；已评分 {scored} 份")
    print(f"  进程最大常驻内存（含解释器和数据目录）{rss:,.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
