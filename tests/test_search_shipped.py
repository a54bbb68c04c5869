"""Search and `which` on the shipped catalogue."""
import pytest
import yaml

from .conftest import ROOT, as_json

LABELLED = yaml.safe_load((ROOT / "tests" / "search_labelled.yaml").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def env(tmp_path_factory):
    return {"GMDOCS_CACHE": str(tmp_path_factory.mktemp("cache"))}


@pytest.mark.parametrize("case", LABELLED, ids=[f"{c['query']}→{c['id']}" for c in LABELLED])
def test_labelled_queries_top3(cli, env, case):
    """Each labelled query, typed as people type it, has its record among the first 3 hits."""
    hits = as_json(cli("search", case["query"], "--json", "--limit", "3", env=env))["results"]
    top3 = {h["id"]: h["type"] for h in hits[:3]}
    assert case["id"] in top3, [h["id"] for h in hits]
    assert top3[case["id"]] == case["type"]


def test_issue_13_examples(cli, env):
    # The exact title: the standard itself first (both editions), not the 25 indicators whose rulebook names it.
    js = as_json(cli("search", "绿色工厂评价通则", "--json", env=env))
    assert [h["id"] for h in js["results"][:2]] == ["standard:GBT36132-2025", "standard:GBT36132-2018"]
    # One extra everyday word.
    first = lambda q: as_json(cli("search", q, "--json", env=env))["results"][0]["id"]   # noqa: E731
    assert first("硅铁标杆值") == "benchmark:fagai-chanye-2023-723/硅铁-综合能耗"
    assert first("2025年绿色工厂申报条件") == "campaign:2025/factory"
    assert first("水泥熟料能耗上限") == "benchmark:gb16780-2021-levels/熟料-综合能耗"
    # The true count, and no internal record paths unless asked.
    js = as_json(cli("search", "能效", "--json", env=env))
    assert js["shown"] == 10 and js["count"] > 10
    r = cli("search", "能效", env=env)
    assert f"共 {js['count']} 条，显示前 10 条" in r.stderr
    assert "出处记录" not in r.stdout and ".yaml" not in r.stdout


@pytest.mark.parametrize("query,first", [
    ("GB/T36132", "standard:GBT36132-2025"), ("GB/T 36132-2018", "standard:GBT36132-2018"),
    ("gbt36132", "standard:GBT36132-2025"), ("ＧＢ／Ｔ３６１３２", "standard:GBT36132-2025"),
    ("36132", "standard:GBT36132-2025"), ("GB 16780", "standard:GB16780-2021"), ("36132-2018", "standard:GBT36132-2018"),
])
def test_standard_numbers_rank_first(cli, env, query, first):
    hits = as_json(cli("search", query, "--json", env=env))["results"]
    assert hits[0]["id"] == first


def test_abolished_edition_shows_replacement(cli, env):
    r = cli("search", "GB/T 36132-2018", env=env)
    assert "已被 GB/T 36132-2025 代替" in r.stdout
    hits = as_json(cli("search", "GB/T 36132-2018", "--json", env=env))["results"]
    assert [h["id"] for h in hits[:2]] == ["standard:GBT36132-2018", "standard:GBT36132-2025"]


@pytest.mark.parametrize("industry", ["水泥", "水泥制造", "水泥熟料"])
def test_which_cement_lenient(cli, industry):
    js = as_json(cli("which", "--industry", industry, "--product", "水泥熟料", "--year", "2023", "--json"))
    assert [s["number"] for s in js["industry_standards"]] == ["JC/T 2634-2021"]
    assert js["general_standards"][0]["number"] == "GB/T 36132-2018"
    rows = {(b["table"], b["row"]): b for b in js["benchmarks"]}
    cement = rows[("fagai-chanye-2023-723", "水泥熟料-综合能耗")]
    assert cement["values"] is None and "723" in cement["missing"]
    assert ("gb16780-2021-levels", "熟料-综合能耗") in rows


def test_which_year_selects_general_standard_edition(cli):
    js = as_json(cli("which", "--industry", "量子材料", "--year", "2026", "--json"))
    assert js["general_standards"][0]["number"] == "GB/T 36132-2025"
    assert any("按通则" in n for n in js["notes"])
    r = cli("which", "--industry", "量子材料", "--year", "2023")
    assert r.exit_code == 0 and "GB/T 36132-2018" in r.stdout and "2023-09-05" in r.stdout


def test_which_ferrosilicon_and_campaign_rules(cli):
    r = cli("which", "--industry", "铁合金冶炼", "--product", "硅铁", "--year", "2023")
    assert r.exit_code == 0
    assert "标杆水平：1770 kgce/t" in r.stdout and "基准水平：1850 kgce/t" in r.stdout
    assert "15 项" in r.stdout and "失信被执行人" in r.stdout and "2023-08-15" in r.stdout


def test_which_supply_chain(cli):
    js = as_json(cli("which", "--industry", "汽车整车制造", "--year", "2023", "--category", "supply-chain", "--json"))
    # the industry's own system first; the general one follows as the reference while the industry rules are missing
    assert [r["id"] for r in js["rulebooks"]] == ["gscm-automobile", "gscm-general"]
    js = as_json(cli("which", "--industry", "纺织", "--year", "2023", "--category", "supply-chain", "--json"))
    assert [r["id"] for r in js["rulebooks"]] == ["gscm-general"]
    r = cli("which", "--industry", "汽车", "--year", "2025", "--category", "supply-chain")
    assert r.exit_code == 1 and "没有“绿色供应链管理企业”类别" in r.stdout
