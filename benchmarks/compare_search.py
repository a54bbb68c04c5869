#!/usr/bin/env python3
"""Compare Whoosh distributions and Chinese analyzers on the REAL gmdocs catalogue.

Run from the project root with the main interpreter and Whoosh-Reloaded installed (pip install -e ".[bench]"):

    python benchmarks/compare_search.py \
        --venv whoosh3=/tmp/venv-w3/bin/python --venv jieba=/tmp/venv-jieba/bin/python

Variants (each skipped if its interpreter or packages are missing):
  reloaded+bigram   main interpreter, the bigram analyzer on gmdocs' tokens, Phrase queries (as gmdocs
                    searched before it dropped Whoosh; both kept below)
  whoosh3+bigram    "whoosh3" venv, same analyzer and queries
  reloaded(venv)+bigram  "jieba" venv (Whoosh-Reloaded 2.7.5, small site-packages), same analyzer and queries
  reloaded+jieba    "jieba" venv, jieba.analyse.ChineseAnalyzer, AND of the query's segments
  reloaded+rjieba   "jieba" venv, rjieba.tokenize(mode="search"), non-CJK tokens split into letter/digit runs, AND

Measured per variant: index build (median of 5), index size, import + first tokenize in a fresh
process (median of 7 after 1 discarded run), cold query in a fresh process (open index + 1 query,
median of 7 after 1 discarded), warm p50/p95 over the query set (per-query median of 5), recall and
precision against substring ground truth, and warnings under `-W error` with fresh bytecode.

The documents are built ONCE (load_catalogue + build_documents) and written to JSON so every
variant indexes exactly the same documents even if standards/ changes during the run. If the
catalogue does not validate, read_catalogue() is used instead and the problems are reported.
Results: JSON on stdout (or --out FILE).
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

QUERIES = [
    # 2 characters
    "能效", "能耗", "园区", "标杆", "基准", "碳排", "电耗", "产能", "工信", "煤制", "节能", "光伏",
    # 3-6 characters (several cross jieba word boundaries or AND apart on this data)
    "碳排放", "综合利用", "能源管理", "绿色园区", "能效水平", "能耗限额", "标杆水平", "基准水平",
    "水泥熟料", "电解铝", "第三方评价", "可再生能源", "能源管理体系", "能效标杆水平",
    # long phrases
    "单位产品综合能耗", "工业固体废物综合利用率", "绿色供应链管理",
]
COLD_QUERY = "单位产品综合能耗"
INDEXNAME = "catalogue"

# Written to the work directory and imported by every worker process, so that pickled schemas
# refer to an importable module (cmp_helpers.RjiebaTokenizer) and cold processes stay light.
HELPERS = r'''
import re

FIELDS = ("title", "body")
_ALNUM = re.compile(r"[0-9]+|[A-Za-z]+")
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")

from whoosh.analysis import Token, Tokenizer


from gmdocs.search.analyzer import tokens


class _PiecesTokenizer(Tokenizer):
    """A Whoosh tokenizer over (text, start, end) pieces; subclasses say how a value is cut."""
    def __eq__(self, other):
        return type(other) is type(self)

    def pieces(self, value):
        raise NotImplementedError

    def __call__(self, value, positions=False, chars=False, keeporiginal=False, removestops=True,
                 start_pos=0, start_char=0, tokenize=True, mode="", **kwargs):
        t = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        if not tokenize:
            t.original = t.text = value
            t.boost = 1.0
            if positions:
                t.pos = start_pos
            if chars:
                t.startchar, t.endchar = start_char, start_char + len(value)
            yield t
            return
        for pos, (text, s, e) in enumerate(self.pieces(value)):
            t.text = text
            t.boost = 1.0
            t.stopped = False
            if keeporiginal:
                t.original = text
            if positions:
                t.pos = start_pos + pos
            if chars:
                t.startchar, t.endchar = start_char + s, start_char + e
            yield t


class RjiebaTokenizer(_PiecesTokenizer):
    """rjieba search-mode segments; non-CJK tokens split into lower-cased letter runs and digit runs."""
    def pieces(self, value):
        import rjieba
        for w, s, e in rjieba.tokenize(value, "search"):
            if _HAN.match(w):
                yield w, s, e
            else:
                for m in _ALNUM.finditer(w):
                    yield m.group(0).lower(), s + m.start(), s + m.end()


class BigramTokenizer(_PiecesTokenizer):
    """gmdocs' CJK bigrams (the analyzer gmdocs searched with before it dropped Whoosh)."""
    def pieces(self, value):
        return tokens(value)


def BigramAnalyzer():
    return BigramTokenizer()


def whoosh_doc(doc, schema):
    """A gmdocs search document as Whoosh takes it: only the schema's fields, lists (years) as text."""
    names = set(schema.names())
    return {k: (" ".join(map(str, v)) if isinstance(v, list) and k != "ref" else v)
            for k, v in doc.items() if k in names}


def _text_query(term: str):
    """A Whoosh phrase query for one term (title or body), as gmdocs searched before its own matcher;
    used only by benchmarks/compare_search.py to compare analyzers."""
    from whoosh.query import Or, Phrase, Term, Wildcard
    toks = [t for t, _, _ in tokens(term)]
    parts = []
    for fld in ("title", "body"):
        if len(toks) == 1:
            tok = toks[0]
            if len(tok) == 1 and not tok.isascii():
                parts.append(Or([Wildcard(fld, tok + "*"), Wildcard(fld, "*" + tok)]))
            else:
                parts.append(Term(fld, tok))
        else:
            parts.append(Phrase(fld, toks))
    return Or(parts)


def analyzer(name):
    if name == "bigram":
        return BigramAnalyzer()
    if name == "jieba":
        from jieba.analyse import ChineseAnalyzer
        return ChineseAnalyzer()
    if name == "rjieba":
        return RjiebaTokenizer()
    raise ValueError(name)


def schema(name):
    """gmdocs.search.index.schema() with the analyzer swapped."""
    from whoosh.fields import ID, KEYWORD, STORED, TEXT, Schema
    ana = analyzer(name)
    return Schema(
        id=ID(stored=True, unique=True), type=ID(stored=True),
        title=TEXT(analyzer=ana, stored=True, field_boost=2.0), body=TEXT(analyzer=ana, stored=True),
        numkeys=KEYWORD(lowercase=True, commas=False, scorable=True), status=ID(stored=True),
        years=KEYWORD(stored=True), successor=STORED(), confidence=STORED(), ref=STORED())


def make_query(name, term, ix_schema):
    if name == "bigram":
        return _text_query(term)                         # Phrase for multi-token terms, as gmdocs did
    from whoosh.query import And, NullQuery, Or, Term
    toks = []
    for t in ix_schema["body"].analyzer(term):
        if t.text not in toks:
            toks.append(t.text)
    if not toks:
        return NullQuery
    return Or([And([Term(f, x) for x in toks]) if len(toks) > 1 else Term(f, toks[0]) for f in FIELDS])


def versions():
    from importlib import metadata
    out = {}
    for dist in ("Whoosh-Reloaded", "whoosh3", "Whoosh", "whoosh-ng", "jieba", "rjieba"):
        try:
            out[dist] = metadata.version(dist)
        except metadata.PackageNotFoundError:
            pass
    return out
'''

# Fresh-process snippets (argv: index dir, analyzer name, query).
LOAD_SNIPPET = "import cmp_helpers, sys; list(cmp_helpers.analyzer(sys.argv[1])('单位产品综合能耗 GB/T 36132'))"
COLD_SNIPPET = textwrap.dedent("""\
    import sys
    from whoosh import index
    import cmp_helpers
    ix = index.open_dir(sys.argv[1], indexname="catalogue")
    with ix.searcher() as s:
        print([h["id"] for h in s.search(cmp_helpers.make_query(sys.argv[2], sys.argv[3], ix.schema), limit=10)])
    """)
WARN_SNIPPET = textwrap.dedent("""\
    import json, sys, tempfile
    from whoosh import index
    import cmp_helpers
    name = sys.argv[1]
    with open(sys.argv[2], encoding="utf-8") as f:
        docs = json.load(f)
    d = tempfile.mkdtemp()
    ix = index.create_in(d, cmp_helpers.schema(name), indexname="catalogue")
    w = ix.writer()
    for doc in docs:
        w.add_document(**whoosh_doc(doc, ix.schema))
    w.commit()
    ix = index.open_dir(d, indexname="catalogue")
    with ix.searcher() as s:
        for q in sys.argv[3:]:
            r = s.search(cmp_helpers.make_query(name, q, ix.schema), limit=None)
            [h["id"] for h in r]
            r[0].highlights("body") if len(r) else None
    ix.close()
    import shutil; shutil.rmtree(d)
    print("ok")
    """)


def fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text)


def pct(values, p):
    values = sorted(values)
    k = (len(values) - 1) * p
    lo, hi = int(k), min(int(k) + 1, len(values) - 1)
    return values[lo] + (values[hi] - values[lo]) * (k - lo)


# ---------------------------------------------------------------- worker (runs in each venv)

def worker(args) -> None:
    sys.path.insert(0, args.work)
    import cmp_helpers as H
    from whoosh import index
    docs = json.loads(Path(args.docs).read_text(encoding="utf-8"))
    name = args.analyzer
    list(H.analyzer(name)("预热 单位产品综合能耗"))     # tokenizer loaded before timing the build
    builds = []
    for i in range(5):
        d = Path(args.work) / f"ix-{args.variant}-{i}"
        shutil.rmtree(d, ignore_errors=True)
        d.mkdir()
        t0 = time.perf_counter()
        ix = index.create_in(str(d), H.schema(name), indexname=INDEXNAME)
        w = ix.writer()
        for doc in docs:
            w.add_document(**H.whoosh_doc(doc, ix.schema))
        w.commit()
        builds.append(time.perf_counter() - t0)
        if i:
            shutil.rmtree(d)
    d0 = Path(args.work) / f"ix-{args.variant}-0"
    size = sum(p.stat().st_size for p in d0.iterdir())
    ix = index.open_dir(str(d0), indexname=INDEXNAME)
    texts = {doc["id"]: fold(doc["title"] + "\n" + doc["body"]) for doc in docs}
    per_query, warm = [], []
    with ix.searcher() as s:
        for q in QUERIES:
            times = []
            for _ in range(5):
                t0 = time.perf_counter()
                r = s.search(H.make_query(name, q, ix.schema), limit=10)
                [h["id"] for h in r]
                times.append(time.perf_counter() - t0)
            warm.append(statistics.median(times))
            got = {h["id"] for h in s.search(H.make_query(name, q, ix.schema), limit=None)}
            truth = {i for i, t in texts.items() if fold(q) in t}
            tp = len(got & truth)
            per_query.append(dict(q=q, truth=len(truth), got=len(got), tp=tp,
                                  recall=tp / len(truth) if truth else None,
                                  precision=tp / len(got) if got else None,
                                  warm_ms=round(warm[-1] * 1000, 2)))
    ix.close()
    tp = sum(x["tp"] for x in per_query)
    out = dict(variant=args.variant, analyzer=name, python=platform.python_version(), versions=H.versions(),
               docs=len(docs), build_s=[round(b, 3) for b in builds], build_median_s=round(statistics.median(builds), 3),
               index_bytes=size, index_dir=str(d0),
               warm_p50_ms=round(pct(warm, 0.5) * 1000, 2), warm_p95_ms=round(pct(warm, 0.95) * 1000, 2),
               warm_max_ms=round(max(warm) * 1000, 2),
               micro_recall=tp / sum(x["truth"] for x in per_query),
               micro_precision=tp / sum(x["got"] for x in per_query),
               queries_full_recall=sum(1 for x in per_query if x["recall"] in (None, 1.0)),
               queries_full_precision=sum(1 for x in per_query if x["precision"] in (None, 1.0)),
               per_query=per_query)
    print(json.dumps(out, ensure_ascii=False))


# ---------------------------------------------------------------- orchestrator (main interpreter)

def fresh_runs(cmd, env, n=7):
    """Wall-clock ms of n fresh processes after 1 discarded run; returns (median, runs, last stdout)."""
    subprocess.run(cmd, env=env, capture_output=True, check=True)
    runs, out = [], ""
    for _ in range(n):
        t0 = time.perf_counter()
        p = subprocess.run(cmd, env=env, capture_output=True, text=True, check=True)
        runs.append((time.perf_counter() - t0) * 1000)
        out = p.stdout
    return round(statistics.median(runs)), [round(r) for r in runs], out.strip()


def warnings_check(py, name, docs, env, work):
    """Import + build + query under -W default (to count) and -W error, each with fresh bytecode."""
    res = {}
    for mode in ("default", "error"):
        cache = tempfile.mkdtemp(prefix="pycache-", dir=work)
        e = dict(env, PYTHONPYCACHEPREFIX=cache)
        e.pop("PYTHONDONTWRITEBYTECODE", None)
        p = subprocess.run([py, "-W", mode, "-c", WARN_SNIPPET, name, docs, *QUERIES], env=e,
                           capture_output=True, text=True)
        lines = [ln.strip() for ln in p.stderr.splitlines() if "Warning" in ln]
        res[mode] = dict(rc=p.returncode, ok=p.returncode == 0 and p.stdout.strip() == "ok", warnings=lines[:12],
                         tail=p.stderr.strip().splitlines()[-1:] if p.returncode else [])
        shutil.rmtree(cache, ignore_errors=True)
    return res


def prepare(docs_path: Path) -> dict:
    sys.path.insert(0, str(ROOT))
    from gmdocs.catalogue import load_catalogue, read_catalogue
    from gmdocs.errors import GmdocsError
    from gmdocs.search.documents import build_documents
    info = {}
    try:
        cat = load_catalogue(ROOT / "standards", use_user_data=False)
        info["catalogue"] = "load_catalogue (valid)"
    except GmdocsError as exc:
        cat = read_catalogue(ROOT / "standards", None, False)
        info["catalogue"] = f"read_catalogue fallback: {len(cat.problems)} validation problem(s)"
        info["problems"] = [str(p) for p in cat.problems][:10]
        info["load_error"] = str(exc).splitlines()[0]
    docs = build_documents(cat)
    docs_path.write_text(json.dumps(docs, ensure_ascii=False), encoding="utf-8")
    from collections import Counter
    info.update(docs=len(docs), by_type=dict(Counter(d["type"] for d in docs)),
                chars=sum(len(d["title"]) + len(d["body"]) for d in docs),
                yaml_files=len(list((ROOT / "standards").rglob("*.y*ml"))))
    return info


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--venv", action="append", default=[], metavar="NAME=PYTHON",
                    help="interpreter for a venv: whoosh3=..., jieba=...")
    ap.add_argument("--only", default="", help="comma-separated variant names")
    ap.add_argument("--out", help="write JSON here")
    ap.add_argument("--keep", action="store_true", help="keep the work directory")
    ap.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--work", help=argparse.SUPPRESS)
    ap.add_argument("--docs", help=argparse.SUPPRESS)
    ap.add_argument("--analyzer", help=argparse.SUPPRESS)
    ap.add_argument("--variant", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.worker:
        worker(args)
        return 0

    venvs = dict(v.split("=", 1) for v in args.venv)
    variants = [("reloaded+bigram", sys.executable, "bigram"),
                ("whoosh3+bigram", venvs.get("whoosh3"), "bigram"),
                # Same distribution as the first row, but in the small venv: separates the cost of the
                # main environment's site-packages from the cost of the Whoosh distribution.
                ("reloaded(venv)+bigram", venvs.get("jieba"), "bigram"),
                ("reloaded+jieba", venvs.get("jieba"), "jieba"),
                ("reloaded+rjieba", venvs.get("jieba"), "rjieba")]
    if args.only:
        keep = set(args.only.split(","))
        variants = [v for v in variants if v[0] in keep]
    work = Path(tempfile.mkdtemp(prefix="gmdocs-cmp-"))
    (work / "cmp_helpers.py").write_text(HELPERS, encoding="utf-8")
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(work), str(ROOT)]))
    env.pop("PYTHONWARNINGS", None)
    docs = work / "docs.json"
    report = dict(date=time.strftime("%Y-%m-%d %H:%M %Z"), machine=dict(
        cpu=_cpu(), cores=os.cpu_count(), kernel=platform.release(), python_main=platform.python_version()),
        corpus=prepare(docs), queries=QUERIES, cold_query=COLD_QUERY, variants=[])
    try:
        for name, py, ana in variants:
            if not py or not Path(py).exists():
                report["variants"].append(dict(variant=name, skipped="interpreter not given"))
                continue
            probe = subprocess.run([py, "-c", f"import cmp_helpers; cmp_helpers.analyzer({ana!r})"], env=env,
                                   capture_output=True, text=True)
            if probe.returncode:
                report["variants"].append(dict(variant=name, skipped=probe.stderr.strip().splitlines()[-1]))
                continue
            print(f"[{name}] build + warm + recall", file=sys.stderr)
            p = subprocess.run([py, __file__, "--worker", "--work", str(work), "--docs", str(docs),
                                "--analyzer", ana, "--variant", name], env=env, capture_output=True, text=True)
            if p.returncode:
                report["variants"].append(dict(variant=name, error=p.stderr.strip().splitlines()[-3:]))
                continue
            r = json.loads(p.stdout.strip().splitlines()[-1])
            print(f"[{name}] fresh-process timings", file=sys.stderr)
            r["python_pass_ms"], _, _ = fresh_runs([py, "-c", "pass"], env)
            r["load_ms"], r["load_runs"], _ = fresh_runs([py, "-c", LOAD_SNIPPET, ana], env)
            r["cold_ms"], r["cold_runs"], r["cold_hits"] = fresh_runs([py, "-c", COLD_SNIPPET, r["index_dir"], ana,
                                                                       COLD_QUERY], env)
            print(f"[{name}] warnings", file=sys.stderr)
            r["warnings"] = warnings_check(py, ana, str(docs), env, work)
            report["variants"].append(r)
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    text = json.dumps(report, ensure_ascii=False, indent=1)
    if args.out:
        Path(args.out).write_text(text + "\n", encoding="utf-8")
    print(text)
    return 0


def _cpu() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor()


if __name__ == "__main__":
    sys.exit(main())
