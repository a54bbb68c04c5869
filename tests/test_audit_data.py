"""Issue 13, item 1: values the audit found unsupported are gaps, statuses follow their sources, and the park
share threshold comes from campaign data."""
import pytest

from gmdocs.catalogue import read_catalogue
from gmdocs.catalogue.applicable import status_on, which
from gmdocs.catalogue.query import gaps

from .conftest import ROOT, SHIPPED, as_json


@pytest.fixture(scope="module")
def cat():
    c = read_catalogue(SHIPPED, use_user_data=False)
    assert c.problems == [], "\n".join(str(p) for p in c.problems)
    return c


DEMO_ROWS = {"高炉工序-能耗": (361, 435), "转炉工序-能耗": (-30, -10), "捣固焦炉-能耗": (110, 140)}


@pytest.mark.parametrize("row_id", sorted(DEMO_ROWS))
def test_723_rows_seen_only_in_a_demo_dashboard_have_no_value(cat, row_id):
    row = next(r for r in cat.benchmark_tables["fagai-chanye-2023-723"].rows if r.id == row_id)
    assert not row.known and not row.values and not row.sources
    assert "723号 附件" in row.missing                      # where the value is to be found
    assert "unverified demo values" in row.notes and "不是数值" in row.notes
    assert f"fagai-chanye-2023-723/rows/{row_id}" in {g.path for g in gaps(cat)}


def test_723_blast_furnace_is_shown_as_missing_never_as_a_number(cli):
    r = cli("benchmark", "show", "高炉", "--doc", "723")
    assert r.exit_code == 0, r.output
    assert "未收录" in r.stdout and "723号 附件" in r.stdout
    assert "361" not in r.stdout and "435" not in r.stdout
    hits = as_json(cli("benchmark", "show", "高炉", "--doc", "723", "--json"))["results"]
    row = next(h for h in hits if h["row"] == "高炉工序-能耗")
    assert not row.get("values") and "723号 附件" in row["missing"]


def test_steel_which_gives_no_723_number_for_blast_furnace(cat):
    res = which(cat, "炼铁", 2026)
    for h in res.benchmarks:
        if h.table.id == "fagai-chanye-2023-723":
            assert not h.row.known, h.row.id


def test_gbt43902_is_not_listed_without_a_real_source(cat):
    assert "GBT43902-2024" not in cat.standards


def test_gb29449_2012_is_replaced_by_2024_for_the_2026_round(cat):
    old, new = cat.standards["GB29449-2012"], cat.standards["GB29449-2024"]
    assert old.replaced_by == "GB29449-2024" and "GB29449-2012" in new.replaces
    assert str(new.effective.value) == "2025-05-01" and new.effective.sources[0].url
    assert str(old.abolished.value) == "2025-05-01" and old.abolished.confidence == "derived"
    res = which(cat, "轮胎", 2026)
    keys = [s.key for s in res.quota_standards]
    assert "GB29449-2024" in keys and "GB29449-2012" not in keys
    assert status_on(old, res.as_of) == "废止" and status_on(new, res.as_of) == "现行"
    # before 2025-05-01 the 2012 edition was the one in force
    assert status_on(old, "2023-09-05") == "现行" and status_on(new, "2023-09-05") == "即将实施"


def test_chinese_title_of_gb29449_2024_is_not_invented(cat):
    assert cat.standards["GB29449-2024"].title.startswith("（中文名称未核实）")


def test_hj274_recorded_as_under_revision_with_sources(cat):
    s = cat.standards["HJ274-2015"]
    assert s.status == "现行" and "修订中" in s.notes and "征求意见稿" in s.notes
    assert any("jsnewbee" in (x.url or "") for x in s.sources)


def test_one_off_notices_are_not_current_indefinitely(cat):
    for pid in ("miit-2023-202", "miit-2025-390"):
        assert cat.policies[pid].status == "已执行完毕", pid
    assert cat.policies["miit-2024-13"].status == "现行"      # the standing 办法


def test_gb21252_has_every_transcribed_row_including_sanitary_ware_above_0_3(cat):
    rows = {r.id: r for r in cat.benchmark_tables["gb21252-2023-levels"].rows}
    hi = rows["卫生陶瓷-吸水率>0.3%"]
    assert [hi.values[k].value for k in ("grade_1", "grade_2", "grade_3")] == [300, 460, 610]
    assert hi.values["grade_1"].confidence == "single-source"
    for rid in ("陶瓷板", "干挂空心陶瓷板、陶瓷瓦（挤压）", "耐磨氧化铝球-90系列"):
        assert rid in rows and rows[rid].known
    note = next(r for r in cat.benchmark_tables["fagai-chanye-2021-1609"].rows if r.id == "卫生陶瓷-综合能耗").notes
    assert "任一等级都不一致" not in note and "1级相同" in note


def test_1609_mnsi_note_says_what_the_source_says(cat):
    row = next(r for r in cat.benchmark_tables["fagai-chanye-2021-1609"].rows if r.id == "锰硅合金-综合能耗")
    assert "未标注" not in row.notes and "未变" in row.notes
    assert row.values["benchmark"].confidence == "derived"


def test_supply_chain_quantitative_indicators_have_no_unsourced_direction(cat):
    rb = cat.rulebooks["gscm-general"]
    for ind in rb.indicators():
        if ind.id in ("X26", "X41", "X42"):
            assert ind.direction is None, ind.id


def test_lng_coefficient_is_a_gap_until_two_sources_are_found(cat):
    coefs = {c.id: c for c in cat.conversions["gbt2589-2020"].coefficients}
    lng = coefs["液化天然气"]
    assert not lng.coefficient.known and "附录A" in lng.coefficient.missing
    assert "gbt2589-2020/coefficients/液化天然气/coefficient" in {g.path for g in gaps(cat)}
    assert "二手汇总表" in cat.conversions["gbt2589-2020"].notes


def test_park_share_threshold_comes_from_campaign_data_with_its_source(cat):
    v = cat.campaigns[2023].categories["park"].value_added_share_over
    assert v.value == 50 and v.confidence == "confirmed" and any(s.official for s in v.sources)
    for year in (2024, 2025):
        gap = cat.campaigns[year].categories["park"].value_added_share_over
        assert not gap.known and gap.missing


def test_park_category_without_a_threshold_is_a_data_error(cli, shipped_copy):
    f = shipped_copy / "campaign" / "2023.yaml"
    text = f.read_text(encoding="utf-8")
    start = text.index("    value_added_share_over:")
    end = text.index("    notes: >-", start)
    f.write_text(text[:start] + text[end:], encoding="utf-8")
    r = cli("catalogue", "validate", str(shipped_copy))
    assert r.exit_code == 1 and "value_added_share_over" in r.stdout


def test_park_check_uses_the_threshold_in_the_data(shipped_copy, tmp_path):
    f = shipped_copy / "campaign" / "2023.yaml"
    f.write_text(f.read_text(encoding="utf-8").replace("      value: 50\n", "      value: 70\n", 1), encoding="utf-8")
    src = (ROOT / "examples" / "绿色园区-申报数据.yaml").read_text(encoding="utf-8")
    app = tmp_path / "park.yaml"
    app.write_text(src.replace("年度: 2025", "年度: 2023", 1), encoding="utf-8")
    from gmdocs.application.read import load_application
    from gmdocs.evaluate.checks import check
    c = read_catalogue(shipped_copy, use_user_data=False)
    assert c.problems == [], c.problems
    application, _ = load_application(app)
    rep = check(application, c, 2023)
    msgs = [f.message for f in rep.findings if f.code == "park-share"]
    assert msgs and all("须超过 70%" in m for m in msgs)        # the example's 69.0 % etc. fail the data's 70, not 50


def test_park_conditions_come_from_the_years_data(shipped_copy, tmp_path):
    from gmdocs.application.read import load_application
    from gmdocs.evaluate.checks import check
    f = shipped_copy / "campaign" / "2023.yaml"
    text = f.read_text(encoding="utf-8")
    old = "{field: park_level, one_of: [国家级, 省级], text: 省级及以上工业园区}"
    assert old in text
    f.write_text(text.replace(old, "{field: park_level, one_of: [国家级], text: 国家级工业园区}"), encoding="utf-8")
    c = read_catalogue(shipped_copy, use_user_data=False)
    assert c.problems == [], c.problems
    app = tmp_path / "park.yaml"
    app.write_text((ROOT / "examples" / "绿色园区-申报数据.yaml").read_text(encoding="utf-8")
                   .replace("年度: 2025", "年度: 2023", 1), encoding="utf-8")
    application, _ = load_application(app)
    msgs = [x.message for x in check(application, c, 2023).findings if x.code == "eligibility"]
    assert msgs == ["园区级别为“省级”：不满足 2023 年度申报条件“国家级工业园区”"], msgs


@pytest.mark.parametrize("item,says", [
    ("{field: park_levl, one_of: [国家级], text: x}", "park_levl"),
    ("{field: [park_level], one_of: [国家级], text: x}", "不是park申报数据"),
    ("{field: park_level, one_of: [特级], text: x}", "可选值"),
    ("{field: park_type, is: true, text: x}", "是/否字段"),
    ("{field: park_level, text: x}", "中的一项"),
    ("{field: park_level, one_of: [国家级], text: x, level: 市级}", "level"),
])
def test_a_wrong_eligibility_rule_is_refused_at_its_line(shipped_copy, item, says):
    f = shipped_copy / "campaign" / "2023.yaml"
    text = f.read_text(encoding="utf-8")
    old = "{field: has_boundary, is: true, text: 具有法定边界和范围}"
    line = next(i for i, ln in enumerate(text.splitlines(), 1) if old in ln)
    f.write_text(text.replace(old, item), encoding="utf-8")
    c = read_catalogue(shipped_copy, use_user_data=False)
    assert any(says in p.message and p.line == line and p.file.endswith("2023.yaml") for p in c.problems), c.problems


def test_2024_list_notice_has_its_real_title_number_and_date(cat):
    p = cat.policies["miit-2025-33"]
    assert p.title == "工业和信息化部办公厅关于公布2024年度绿色制造名单的通知"
    assert "原标题未见" not in p.title
    assert p.number.value == "工信厅节函〔2025〕33号" and p.number.confidence == "single-source"   # one reprint only
    assert str(p.date.value) == "2025-01-22" and p.date.confidence == "confirmed"
    assert len({s.url.split("/")[2] for s in p.date.sources}) >= 2                          # two publishers
    assert p.attachments == ["绿色工厂名单", "绿色工业园区名单", "绿色供应链管理企业名单"]
    assert all(s.url for s in p.sources)            # the demo dashboard file is no longer cited


def test_2024_list_notice_is_found_by_its_title(cli):
    hits = as_json(cli("search", "关于公布2024年度绿色制造名单的通知", "--json"))["results"]
    assert hits[0]["id"] == "policy:miit-2025-33"


def test_910_lists_its_four_attachments_and_the_issue_date(cat):
    p = cat.policies["ndrc-2025-910"]
    assert p.number.value == "发改环资〔2025〕910号" and p.number.confidence == "confirmed"
    assert p.issuer == "国家发展改革委、工业和信息化部、国家能源局"
    titles = ["零碳园区建设基本条件", "国家级零碳园区申报书大纲", "国家级零碳园区建设指标体系（试行）",
              "零碳园区碳排放核算方法（试行）"]
    assert len(p.attachments) == 4
    for got, want in zip(p.attachments, titles):
        assert got.startswith(want), (got, want)
    assert "题名存疑" in p.attachments[1]                 # sources word attachment 2 differently
    assert not any(a.startswith("园区碳排放核算方法") for a in p.attachments)
    # dated 2025-06-30 by one publisher; 2025-07 was the month it was made public
    assert str(p.date.value) == "2025-06-30" and p.date.confidence == "single-source"
    assert "2025-07-08" in p.date.sources[0].note
