"""Search: exact standard numbers, bigram recall on 2-character terms, synonyms, the fallback, the true count,
output without internal paths, cache rebuild and locking."""
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import ROOT, as_json, write_tree

EXTRA = {
    "policy/p2.yaml": """
        kind: policy
        id: p2
        title: 节能效果评估说明
        doc_type: 其他
        status: 现行
        summary: [开展节能效果评估，提升用能效率]
        sources:
          - {ref: 测试资料, confidence: confirmed, official: true}
    """,
}


@pytest.fixture
def env(mini, tmp_path):
    write_tree(mini, EXTRA)
    return {"GMDOCS_STANDARDS": str(mini), "GMDOCS_CACHE": str(tmp_path / "cache")}


@pytest.mark.parametrize("query", ["GB/T 1-2018", "GB/T1-2018", "gbt1-2018", "ＧＢ／Ｔ１－２０１８"])
def test_exact_edition_first_then_its_replacement(cli, env, query):
    r = cli("search", query, "--json", env=env)
    assert r.exit_code == 0, r.output
    res = as_json(r)["results"]
    assert res[0]["id"] == "standard:GBT1-2018" and res[0]["reason"] == "number"
    assert res[0]["successor"] == "GB/T 1-2025"
    assert res[1]["id"] == "standard:GBT1-2025" and res[1]["reason"] == "successor"


@pytest.mark.parametrize("query", ["GB/T1", "gbt 1", "ＧＢ／Ｔ１", "GB 1"])
def test_undated_number_finds_all_editions_newest_first(cli, env, query):
    res = as_json(cli("search", query, "--json", env=env))["results"]
    assert [h["id"] for h in res[:2]] == ["standard:GBT1-2025", "standard:GBT1-2018"]


def test_two_character_query_inside_a_longer_word(cli, env):
    # 能效 occurs only inside 节能效果 and 用能效率: a word segmenter would miss it.
    res = as_json(cli("search", "能效", "--json", env=env))["results"]
    assert [h["id"] for h in res] == ["policy:p2"]
    assert res[0]["matches"], "the match must be highlighted"
    s, e = res[0]["matches"][0]
    assert res[0]["snippet"][s:e] == "能效"


def test_phrase_query_is_exact_and_partial_matches_are_marked(cli, env):
    res = as_json(cli("search", "单位产品综合能耗", "--json", env=env))["results"]
    assert [h["type"] for h in res] == ["benchmark"] and res[0]["reason"] == "text"
    # No record contains 综合产品: the fallback gives the row covering most of it, marked as partial.
    js = as_json(cli("search", "综合产品", "--json", env=env))
    assert js["partial"] is True and [h["id"] for h in js["results"]] == ["benchmark:t1/硅铁-综合能耗"]
    assert js["results"][0]["reason"] == "partial"
    r = cli("search", "综合产品", env=env)
    assert r.exit_code == 0 and "没有同时包含全部检索词的记录" in r.stderr


def test_filters_type_status_year(cli, env):
    assert {h["type"] for h in as_json(cli("search", "测试", "--type", "standard", "--json", env=env))["results"]} == {"standard"}
    res = as_json(cli("search", "测试", "--status", "废止", "--json", env=env))["results"]
    assert [h["id"] for h in res] == ["standard:GBT1-2018"]
    res = as_json(cli("search", "硅铁", "--year", "2023", "--json", env=env))["results"]
    assert res and all(2023 in h["years"] for h in res)
    assert as_json(cli("search", "硅铁", "--year", "2019", "--json", env=env))["results"] == []


def test_terminal_output_marks_match_and_shows_record_paths_only_with_verbose(cli, env):
    r = cli("search", "硅铁", env=env)
    assert r.exit_code == 0
    assert "「硅铁」" in r.stdout
    for internal in ("出处记录", "t1/rows/", ".yaml", "benchmark/t1"):
        assert internal not in r.stdout
    r = cli("search", "硅铁", "--verbose", env=env)
    assert "出处记录：t1/rows/硅铁-综合能耗（" in r.stdout and "t1.yaml:" in r.stdout
    js = as_json(cli("search", "硅铁", "--json", env=env))
    assert js["results"][0]["ref"]["path"] == "t1/rows/硅铁-综合能耗"      # JSON keeps the ids


def test_empty_query_and_no_hits(cli, env):
    r = cli("search", " ", env=env)
    assert r.exit_code == 2 and "检索词为空" in r.stderr
    r = cli("search", "不存在的词语组合", env=env)
    assert r.exit_code == 1 and "没有找到" in r.stderr


def test_catalogue_change_triggers_rebuild(cli, env, mini):
    assert as_json(cli("search", "锰硅", "--json", env=env))["results"] == []
    p = mini / "benchmark" / "t1.yaml"
    p.write_text(p.read_text(encoding="utf-8").replace("product: 硅铁", "product: 锰硅合金"), encoding="utf-8")
    res = as_json(cli("search", "锰硅", "--json", env=env))["results"]
    assert res and "锰硅合金" in res[0]["title"]
    indexes = [d for d in Path(env["GMDOCS_CACHE"]).iterdir() if d.name.startswith("index-")]
    assert len(indexes) == 1, "the stale index is removed after a rebuild"


def test_index_rebuild_command(cli, env):
    r = cli("index", "rebuild", env=env)
    assert r.exit_code == 0 and "索引已重建" in r.stdout


def test_concurrent_first_use_from_two_processes(env):
    full = dict(os.environ, **env)
    code = "from gmdocs.search import search; import json; print(json.dumps([h.id for h in search('硅铁')]))"
    procs = [subprocess.Popen([sys.executable, "-c", code], cwd=ROOT, env=full, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True) for _ in range(2)]
    outs = [p.communicate(timeout=120) for p in procs]
    for p, (out, err) in zip(procs, outs):
        assert p.returncode == 0, err
        assert json.loads(out) == ["benchmark:t1/硅铁-综合能耗"]
    cache = Path(env["GMDOCS_CACHE"])
    names = sorted(d.name for d in cache.iterdir() if d.is_dir())
    assert len(names) == 1 and names[0].startswith("index-") and ".tmp-" not in names[0]


def test_search_path_does_not_import_docx_or_pdf(env):
    full = dict(os.environ, **env)
    code = ("import sys; from gmdocs.cli import main\n"
            "try:\n    main(['search', '硅铁'], standalone_mode=False)\nexcept SystemExit: pass\n"
            "print(sorted(m for m in ('docxtpl', 'docx', 'pypdf', 'openpyxl', 'yaml') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=full, capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    # The first call builds the index (needs yaml); later calls do not even load the catalogue.
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=full, capture_output=True, text=True)
    assert out.stdout.strip().splitlines()[-1] == "[]"


def test_index_read_from_json_when_the_fast_copy_is_missing_or_broken(cli, env):
    first = as_json(cli("search", "硅铁", "--json", env=env))["results"]
    assert first
    (index,) = [d for d in Path(env["GMDOCS_CACHE"]).iterdir() if d.name.startswith("index-")]
    fast = next(index.glob("catalogue.*.marshal"))
    fast.write_bytes(b"\x00garbage")                   # e.g. written by another Python version, or damaged
    assert as_json(cli("search", "硅铁", "--json", env=env))["results"] == first
    fast.unlink()
    assert as_json(cli("search", "硅铁", "--json", env=env))["results"] == first
