"""Search ranking: query units and synonyms, the fallback ranked by coverage, the true count, the record that
IS the named thing first, and the word table shipped as data."""
import configparser

import pytest

from gmdocs.errors import GmdocsError
from gmdocs.search import index as search_index
from gmdocs.search import lexicon
from gmdocs.search.query import build_units, parse_query, run_search
from gmdocs.search.store import Store, prepare

from .conftest import ROOT, as_json, write_tree

LEX = lexicon.read_table()


def units(query: str, fine: bool = False):
    us, hints, current = build_units(parse_query(query), LEX, fine)
    return us, hints, current


def doc(id, name, body="", type="policy", **kw):
    d = dict(id=id, type=type, title=name, name=name, parent=kw.pop("parent", ""), body=body,
             numkeys=kw.pop("numkeys", []), parentkeys=[], status=kw.pop("status", ""), years=kw.pop("years", []),
             edition=kw.pop("edition", []), successor="", confidence="", mark="", ref={})
    d.update(kw)
    return prepare(d)


# ---------------------------------------------------------------- reading the query

def test_extra_everyday_word_is_cut_off_and_expanded():
    us, hints, _ = units("硅铁标杆值")
    assert [u.text for u in us] == ["硅铁", "标杆值"]
    assert "标杆水平" in us[1].variants and not us[1].optional
    assert hints == {"benchmark"}
    us, _, _ = units("水泥熟料能耗上限")
    upper = [u for u in us if u.text == "上限"][0]
    assert {"不得超过", "限额"} <= set(upper.variants)


@pytest.mark.parametrize("query", ["2025年绿色工厂申报条件", "２０２５年绿色工厂申报条件", "2025年度 绿色工厂 申报条件",
                                   "绿色工厂申报条件2025版"])
def test_years_written_with_nian_or_ban(query):
    pq = parse_query(query)
    assert pq.years == [2025] and not pq.numbers
    us, _, _ = units(query)
    cond = [u for u in us if u.text == "申报条件"][0]
    assert {"条件", "不得申报"} <= set(cond.variants)


@pytest.mark.parametrize("query,docno", [
    ("723号文", ("723", None)), ("发改产业〔2023〕723号", ("723", 2023)), ("发改产业[2023]723号", ("723", 2023)),
    ("13号文件", ("13", None)),
])
def test_document_numbers(query, docno):
    assert parse_query(query).docnos == [docno]


def test_spoken_and_type_words_need_not_occur():
    us, hints, current = units("2024年 失信被执行人 能否申报")
    assert {u.text for u in us if u.optional} == {"能否"}
    us, hints, current = units("综合能耗计算通则最新版")
    assert current and {u.text for u in us if u.optional} == {"最新版"}
    us, hints, _ = units("水泥能耗限额标准")
    assert hints == {"standard"} and [u.text for u in us if u.optional] == ["标准"]
    # A query of nothing but such words is still searched.
    us, _, _ = units("标准")
    assert [u.optional for u in us] == [False]


def test_words_split_only_when_the_whole_run_is_not_found():
    assert [u.text for u in units("2025年度绿色工厂名单公布")[0] if u.kind == "han"] == ["绿色工厂名单公布"]
    assert [u.text for u in units("2025年度绿色工厂名单公布", fine=True)[0] if u.kind == "han"] == \
        ["绿色工厂", "名单", "公布"]


# ---------------------------------------------------------------- the word table is data

def test_word_table_is_package_data():
    cfg = configparser.ConfigParser()
    cfg.read(ROOT / "setup.cfg", encoding="utf-8")
    assert "synonyms.yaml" in cfg["options.package_data"]["gmdocs.search"]
    assert lexicon.SYNONYMS_FILE.is_file() and lexicon.SYNONYMS_FILE.parent.name == "search"


def test_word_table_is_checked(tmp_path):
    bad = tmp_path / "synonyms.yaml"
    bad.write_text("same: [[标杆值, 标杆水平]]\nsynonym: []\n", encoding="utf-8")
    with pytest.raises(GmdocsError, match="未知的键 synonym"):
        lexicon.read_table(bad)
    bad.write_text("expand: [上限]\n", encoding="utf-8")
    with pytest.raises(GmdocsError, match="expand"):
        lexicon.read_table(bad)
    bad.write_text("hints: {rule: [规则]}\n", encoding="utf-8")
    with pytest.raises(GmdocsError, match="hints"):
        lexicon.read_table(bad)


def test_word_table_change_changes_the_index_key(tmp_path, monkeypatch):
    table = tmp_path / "synonyms.yaml"
    table.write_text("same: [[标杆值, 标杆水平]]\n", encoding="utf-8")
    monkeypatch.setattr(lexicon, "SYNONYMS_FILE", table)
    before = search_index.content_hash()
    table.write_text("same: [[标杆值, 标杆水平, 先进值]]\n", encoding="utf-8")
    assert search_index.content_hash() != before


# ---------------------------------------------------------------- matching and ranking (prepared documents)

def test_synonym_finds_the_record_and_is_highlighted():
    store = Store([doc("benchmark:t/硅铁", "铁合金冶炼 / 硅铁", "标杆水平 1770；基准水平 1850", type="benchmark"),
                   doc("benchmark:t/锰硅", "铁合金冶炼 / 锰硅合金", "标杆水平 860", type="benchmark")], LEX)
    res = run_search(store, "硅铁标杆值")
    assert [h.id for h in res] == ["benchmark:t/硅铁"] and res.total == 1 and not res.partial
    h = res[0]
    assert "标杆水平" in [h.snippet[s:e] for s, e in h.matches]


def test_fallback_when_nothing_has_every_word_ranked_by_coverage():
    empty = {"variants": {}, "words": [], "optional": [], "hints": {}, "prefer": {}, "current": []}
    store = Store([doc("policy:short", "其他", "开展节能效果评估"),
                   doc("policy:long", "其他", "开展节能效果评估报告审查"),
                   doc("policy:weak", "其他", "编写报告")], empty)
    res = run_search(store, "节能效果评估报告编制")
    assert res.partial and [h.id for h in res] == ["policy:long", "policy:short"]
    assert res.total == 2 and all(h.reason == "partial" for h in res)
    # When a record has the whole query there is no fallback.
    res = run_search(store, "节能效果评估报告")
    assert not res.partial and [h.id for h in res] == ["policy:long"]


def test_one_wrong_character_still_finds_the_title():
    store = Store([doc("standard:A", "绿色工厂评价通则", type="standard"),
                   doc("standard:B", "机械行业绿色工厂评价导则", type="standard"),
                   doc("policy:C", "通知", "绿色工厂名单")], LEX)
    res = run_search(store, "绿色工厂评价通侧")
    assert res.partial and res[0].id == "standard:A"


def test_named_thing_ranks_above_records_that_mention_it():
    store = Store(
        [doc(f"indicator:r/{i}", f"指标{i}", "", type="indicator", parent="绿色工厂评价指标体系（GB/T 1-2018 绿色工厂评价通则）")
         for i in range(25)]
        + [doc("policy:n", "通知", "按《绿色工厂评价通则》评价"),
           doc("standard:GBT1-2018", "绿色工厂评价通则", type="standard", status="废止", edition=[2018]),
           doc("standard:GBT1-2025", "绿色工厂评价通则", type="standard", status="现行", edition=[2025])], LEX)
    res = run_search(store, "绿色工厂评价通则")
    assert [h.id for h in res[:2]] == ["standard:GBT1-2025", "standard:GBT1-2018"]
    assert res[2].id == "policy:n"                      # the body mention before the 25 parent-title mentions
    assert res.total == 28 and len(res) == 10


def test_edition_year_picks_the_edition():
    store = Store([doc("standard:GBT1-2018", "绿色工厂评价通则", "首次制定", type="standard", edition=[2018]),
                   doc("standard:GBT1-2025", "绿色工厂评价通则", "对 GB/T 1-2018 的修订", type="standard",
                       edition=[2025])], LEX)
    assert run_search(store, "2018版绿色工厂评价通则")[0].id == "standard:GBT1-2018"
    assert run_search(store, "绿色工厂评价通则2025年版")[0].id == "standard:GBT1-2025"


def test_true_count_with_limit():
    store = Store([doc(f"benchmark:t/{i}", f"产品{i} / 单位产品综合能耗", type="benchmark") for i in range(63)], LEX)
    res = run_search(store, "综合能耗", limit=10)
    assert len(res) == 10 and res.total == 63


# ---------------------------------------------------------------- through the CLI (small catalogue)

ROWS = {"benchmark/t2.yaml": "kind: benchmark_table\nid: t2\ntitle: 测试等级表\ndocument: {policy: p1}\n"
        "levels: [benchmark, baseline]\nrows:\n" + "".join(
            f"  - {{id: r{i}, area: 测试领域, product: 测试品{i}, indicator: 单位产品综合能耗, unit: kgce/t, better: lower, "
            f"values: {{benchmark: {100 + i}, baseline: {200 + i}}}, "
            f"sources: [{{ref: 测试通知 附件, confidence: confirmed, official: true}}]}}\n" for i in range(12))
        + "sources:\n  - {ref: 测试通知, confidence: confirmed, official: true}\n"}


@pytest.fixture
def env(mini, tmp_path):
    write_tree(mini, ROWS)
    return {"GMDOCS_STANDARDS": str(mini), "GMDOCS_CACHE": str(tmp_path / "cache")}


def test_cli_count_is_the_true_total(cli, env):
    r = cli("search", "测试品", "--limit", "3", env=env)
    assert r.exit_code == 0, r.output
    assert r.stdout.count("[标杆/基准]") == 3
    assert "共 12 条，显示前 3 条" in r.stderr
    js = as_json(cli("search", "测试品", "--limit", "3", "--json", env=env))
    assert js["count"] == 12 and js["shown"] == 3 and len(js["results"]) == 3 and js["partial"] is False


def test_cli_everyday_queries(cli, env):
    assert as_json(cli("search", "硅铁标杆值", "--json", env=env))["results"][0]["id"] == "benchmark:t1/硅铁-综合能耗"
    assert as_json(cli("search", "2023年 硅铁", "--json", env=env))["results"][0]["id"] == "benchmark:t1/硅铁-综合能耗"
    assert as_json(cli("search", "1号文", "--json", env=env))["results"][0]["id"] == "policy:p1"
    assert as_json(cli("search", "测试标准乙", "--json", env=env))["results"][0]["id"] == "standard:GBT1-2025"


def test_cli_no_internal_paths_without_verbose(cli, env):
    r = cli("search", "测试品1", env=env)
    assert r.exit_code == 0 and "测试品1" in r.stdout
    assert "出处记录" not in r.stdout and "t2/rows" not in r.stdout and "t2.yaml" not in r.stdout
    r = cli("search", "测试品1", "-v", env=env)
    assert "出处记录：t2/rows/r1（" in r.stdout
