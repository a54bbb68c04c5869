#!/usr/bin/env python3
"""Search benchmark: index build, cold `gmdocs search` in a new process, warm latency, recall.

Run from the project root:  python benchmarks/search.py
Targets (2-core machine): cold search median <= 300 ms, warm p95 < 100 ms, build < 5 s.
Recall uses the labelled query set in tests/search_labelled.yaml.
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

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from gmdocs.paths import default_root  # noqa: E402
from gmdocs.search.index import _build, open_index  # noqa: E402
from gmdocs.search.query import run_search  # noqa: E402

WARM_QUERIES = ["能效", "能耗", "园区", "标杆水平", "基准", "硅铁", "水泥熟料", "单位产品综合能耗",
                "绿色供应链管理", "工业固体废物综合利用率", "GB/T 36132", "gbt36132-2018", "36132",
                "GB 16780", "第三方评价", "可再生能源", "碳排放", "供应商", "截止日期", "723"]


def pct(values, p):
    values = sorted(values)
    k = (len(values) - 1) * p
    lo, hi = int(k), min(int(k) + 1, len(values) - 1)
    return values[lo] + (values[hi] - values[lo]) * (k - lo)


def main() -> int:
    cache = Path(tempfile.mkdtemp(prefix="gmdocs-bench-"))
    env = dict(os.environ, GMDOCS_CACHE=str(cache))
    env.pop("GMDOCS_DATA", None)
    try:
        # 1. Index build of the whole catalogue (load YAML + build documents + write index).
        builds = []
        for i in range(3):
            target = cache / f"bench-build-{i}"
            t0 = time.perf_counter()
            _build(target, default_root(), None)
            builds.append(time.perf_counter() - t0)
        build_s = statistics.median(builds)
        ix = open_index(cache / "bench-build-0")
        with ix.searcher() as s:
            ndocs = s.doc_count()

        # 2. Cold `gmdocs search` in a new process (index already cached), median of 10.
        subprocess.run([sys.executable, "-m", "gmdocs", "search", "能效"], env=env, cwd=ROOT,
                       capture_output=True, check=False)   # first call builds the cache
        colds = []
        for _ in range(10):
            t0 = time.perf_counter()
            r = subprocess.run([sys.executable, "-m", "gmdocs", "search", "能效"], env=env, cwd=ROOT,
                               capture_output=True, text=True)
            colds.append((time.perf_counter() - t0) * 1000)
            assert r.returncode == 0, r.stderr
        cold_ms = statistics.median(colds)

        # 3. Warm queries (index open), 5 rounds over the fixed set.
        lat = []
        for _ in range(5):
            for q in WARM_QUERIES:
                t0 = time.perf_counter()
                run_search(ix, q, limit=10)
                lat.append((time.perf_counter() - t0) * 1000)

        # 4. Recall on the labelled set.
        labelled = yaml.safe_load((ROOT / "tests" / "search_labelled.yaml").read_text(encoding="utf-8"))
        found = expected = 0
        misses = []
        for case in labelled:
            hits = [h.id for h in run_search(ix, case["query"], case.get("type"), limit=case.get("limit", 10))]
            for want in case["expect"]:
                expected += 1
                if want in hits:
                    found += 1
                else:
                    misses.append(f"{case['query']} → {want}")
        ix.close()
    finally:
        shutil.rmtree(cache, ignore_errors=True)

    import whoosh
    print(f"gmdocs 检索基准（{os.cpu_count()} 核，Python {sys.version.split()[0]}，"
          f"Whoosh {'.'.join(map(str, whoosh.__version__))}，{ndocs} 条索引文档）")
    rows = [
        ("索引构建（全目录，中位数/3次）", f"{build_s:.2f} s", "< 5 s", build_s < 5),
        ("冷启动 gmdocs search（新进程，中位数/10次）", f"{cold_ms:.0f} ms", "≤ 300 ms", cold_ms <= 300),
        ("热查询 p50", f"{pct(lat, 0.5):.1f} ms", "—", True),
        ("热查询 p95", f"{pct(lat, 0.95):.1f} ms", "< 100 ms", pct(lat, 0.95) < 100),
        ("标注查询召回率", f"{found}/{expected} = {found / expected:.2f}", "1.00", found == expected),
    ]
    for name, val, target, ok in rows:
        print(f"  {name:<34}{val:>16}   目标 {target:<10}{'达标' if ok else '未达标'}")
    for m in misses:
        print(f"  未召回：{m}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
