"""Search and `which` on the shipped catalogue."""
import pytest
import yaml

from .conftest import ROOT, as_json

LABELLED = yaml.safe_load((ROOT / "tests" / "search_labelled.yaml").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def env(tmp_path_factory):
    return {"GMDOCS_CACHE": str(tmp_path_factory.mktemp("cache"))}


@pytest.mark.parametrize("case", LABELLED, ids=[c["query"] for c in LABELLED])
def test_labelled_queries_recall(cli, env, case):
    args = ["search", case["query"], "--json", "--limit", str(case.get("limit", 10))]
    if case.get("type"):
        args += ["--type", case["type"]]
    hits = [h["id"] for h in as_json(cli(*args, env=env))["results"]]
    assert set(case["expect"]) <= set(hits), hits


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
