"""`gmdocs which` on the mini catalogue: lenient industry names, unknown industry, missing category."""
from gmdocs.catalogue.applicable import industry_score

from .conftest import as_json


def test_industry_names_match_leniently():
    assert industry_score("水泥", "水泥") == 3
    assert industry_score("水泥制造", "水泥") == 3
    assert industry_score("水泥熟料", "水泥") == 2
    assert industry_score("水", "水泥") == 0
    assert industry_score("钢铁", "水泥") == 0


def test_which_gives_benchmark_and_campaign(cli, mini):
    r = cli("which", "--industry", "铁合金", "--product", "硅铁", "--year", "2023", "--json",
            env={"GMDOCS_STANDARDS": str(mini)})
    assert r.exit_code == 0, r.output
    js = as_json(r)
    assert js["general_standards"][0]["number"] == "GB/T 1-2025"
    assert js["benchmarks"][0]["values"]["benchmark"]["value"] == 1770
    assert js["campaign"]["evaluator_cap"]["value"] == 15
    assert js["campaign"]["deadlines"][0]["date"]["value"] == "2023-09-05"


def test_which_unknown_industry_and_missing_row(cli, mini):
    r = cli("which", "--industry", "量子计算", "--product", "水泥熟料", "--year", "2023",
            env={"GMDOCS_STANDARDS": str(mini)})
    assert r.exit_code == 0
    assert "未收录（缺失；应见：测试通知 附件 水泥熟料行）" in r.stdout


def test_which_bad_year_and_missing_category(cli, mini):
    env = {"GMDOCS_STANDARDS": str(mini)}
    r = cli("which", "--industry", "水泥", "--year", "2019", env=env)
    assert r.exit_code == 2 and "年度 2019 未收录" in r.stderr
    r = cli("which", "--industry", "水泥", "--year", "2023", "--category", "park", env=env)
    assert r.exit_code == 1 and "没有“绿色工业园区”类别" in r.stdout
