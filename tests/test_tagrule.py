"""The tag rule (standards/README.md 可信度与标记规则): derived values, independent sources, stats."""
import pytest

from gmdocs.catalogue import read_catalogue
from gmdocs.catalogue.model import CONFIDENCE_MARK, Source, Value
from gmdocs.catalogue.present import value_text
from gmdocs.catalogue.tagrule import confirmed_problem, publisher

from .conftest import as_json


def problems_of(root):
    return read_catalogue(root, use_user_data=False).problems


def messages(root):
    return [str(p) for p in problems_of(root)]


def set_published(mini, sources_yaml: str) -> None:
    """Give GB/T 1-2018 a published date with its own sources (a flow-style YAML list)."""
    p = mini / "standard" / "gbt1-2018.yaml"
    text = p.read_text(encoding="utf-8").replace(
        "published: 2018-01-01", f"published: {{value: 2018-01-01, sources: {sources_yaml}}}")
    p.write_text(text, encoding="utf-8")


# -- derived ------------------------------------------------------------------

def test_derived_needs_its_derivation(mini):
    set_published(mini, "[{ref: 测试公告, confidence: derived}]")
    probs = problems_of(mini)
    hit = [p for p in probs if "derivation" in p.message]
    assert hit and "必须写 derivation" in hit[0].message
    assert hit[0].file.endswith("gbt1-2018.yaml") and hit[0].line == 7


def test_derivation_only_with_derived_and_never_official(mini):
    set_published(mini, "[{ref: 测试公告, url: 'https://a.gov.cn/x', confidence: single-source, derivation: 1 + 1}]")
    assert any("derivation 只用于可信度 derived" in m for m in messages(mini))


def test_derived_value_is_shown_as_推算_and_never_lifts_a_value(mini, cli):
    set_published(mini, "[{derivation: 公告日期 2018-01-01 取为发布日期, confidence: derived}]")
    assert problems_of(mini) == []
    cat = read_catalogue(mini, use_user_data=False)
    v = cat.standards["GBT1-2018"].published
    assert v.confidence == "derived" and v.sources[0].derivation.startswith("公告日期")
    assert CONFIDENCE_MARK["derived"] == "【推算】"
    assert value_text(v) == "2018-01-01【推算】"
    r = cli("standard", "show", "GB/T 1-2018", env={"GMDOCS_STANDARDS": str(mini)})
    assert "发布日期：2018-01-01【推算】" in r.stdout
    js = as_json(cli("standard", "show", "GB/T 1-2018", "--json", env={"GMDOCS_STANDARDS": str(mini)}))
    src = js["results"][0]["published"]["sources"][0]
    assert js["results"][0]["published"]["confidence"] == "derived" and src["derivation"].startswith("公告日期")
    # A derived source next to a stated one: the stated one decides; derived never makes a value confirmed.
    both = Value(1, (Source("甲", "https://a.com/1", "single-source"), Source(None, None, "derived", derivation="1")),
                 "x", "f", 1)
    assert both.confidence == "single-source"


# -- confirmed needs two publishers or the original text -----------------------

def two(url1, url2=None, conf="confirmed", official=False):
    srcs = [Source("甲", url1, conf, official=official)]
    if url2 is not None:
        srcs.append(Source("乙", url2, conf))
    return tuple(srcs)


@pytest.mark.parametrize("url1,url2", [
    ("https://www.example.com/a", "https://example.com/b"),              # www. is the same publisher
    ("http://ny.zjferroalloy.com/x", "https://zjferroalloy.com/y"),     # a subdomain of the same publisher
    ("https://www.chacewang.com/n1.html", "https://chacewang.com/n2.html"),
    ("https://github.com/acme/app/blob/main/seed.py", "https://github.com/acme/app/blob/main/test_seed.py"),
    ("https://m.example.com.cn/a", "https://www.example.com.cn/b"),
])
def test_confirmed_from_one_publisher_is_refused(url1, url2):
    assert confirmed_problem(two(url1, url2)) is not None


@pytest.mark.parametrize("srcs", [
    two("https://www.example.com/a", "https://other.org/b"),
    two("https://github.com/acme/app", "https://github.com/other/lib"),    # two accounts on a code host
    two("http://www.mengjin.gov.cn/x.html"),                                # a government page is the original text
    two("https://std.samr.gov.cn/gb/x"),
    (Source("工信厅节函〔2023〕202号 三、", None, "confirmed", official=True),),
    two("https://a.com/x", "https://a.com/y", conf="single-source"),        # nothing claims confirmed
])
def test_confirmed_accepted(srcs):
    assert confirmed_problem(srcs) is None


def test_confirmed_without_url_does_not_count():
    srcs = (Source("GitHub 公开代码文件 1（二手）", None, "confirmed"), Source("GitHub 公开代码文件 2（二手）", None, "confirmed"))
    assert "没有网址" in confirmed_problem(srcs)
    srcs = (Source("甲", "https://a.com/1", "confirmed"), Source("GitHub 公开代码文件 2", None, "confirmed"))
    assert "同一发布者 a.com" in confirmed_problem(srcs)


def test_publisher_normalises_hosts():
    assert publisher("https://www.Example.COM/x") == "example.com"
    assert publisher("http://std.samr.gov.cn/a") == publisher("https://openstd.samr.gov.cn/b") == "samr.gov.cn"
    assert publisher("http://www.mengjin.gov.cn/a") != publisher("http://www.js.gov.cn/b")
    assert publisher("https://raw.githubusercontent.com/Acme/x/main/f") == publisher("https://github.com/acme/y")
    assert publisher(None) == ""


def test_validate_refuses_confirmed_with_two_urls_of_one_host(mini, cli):
    set_published(mini, "[{ref: 条目甲, url: 'https://www.example.com/a', confidence: confirmed},"
                        " {ref: 条目乙, url: 'https://example.com/b', confidence: confirmed}]")
    probs = problems_of(mini)
    hit = [p for p in probs if "confirmed 需要两个不同发布者" in p.message]
    assert len(hit) == 1 and "example.com" in hit[0].message
    assert hit[0].file.endswith("gbt1-2018.yaml") and hit[0].line == 7
    r = cli("catalogue", "validate", str(mini))
    assert r.exit_code == 1 and "gbt1-2018.yaml:7" in r.stdout
    # A second publisher makes it acceptable.
    set_published_again = (mini / "standard" / "gbt1-2018.yaml")
    set_published_again.write_text(set_published_again.read_text(encoding="utf-8").replace(
        "https://example.com/b", "https://another.org/b"), encoding="utf-8")
    assert problems_of(mini) == []


def test_demo_material_is_not_a_source(mini):
    set_published(mini, "[{ref: GitHub 演示看板数据, url: 'https://a.gov.cn/x', confidence: uncertain}]")
    assert any("不是出处" in m for m in messages(mini))


# -- sums are not checked against values derived from them ---------------------

def test_groups_sum_to_total_skips_a_derived_total(mini):
    p = mini / "rulebook" / "r1.yaml"
    base = p.read_text(encoding="utf-8")
    p.write_text(base.replace("total: 100", "total: 90"), encoding="utf-8")
    assert any("与满分 90 不一致" in m for m in messages(mini))
    p.write_text(base.replace("total: 100", "total: {value: 90, sources: [{derivation: 各组之和, confidence: derived}]}"),
                 encoding="utf-8")
    assert problems_of(mini) == []


def test_indicators_sum_to_group_skips_a_derived_weight(mini):
    p = mini / "rulebook" / "r1.yaml"
    base = p.read_text(encoding="utf-8").replace(
        "total: 100", "total: {value: 110, sources: [{derivation: 各组之和, confidence: derived}]}")
    p.write_text(base.replace("weight: 60", "weight: 70"), encoding="utf-8")
    assert any("组内指标分值之和为 60" in m for m in messages(mini))
    p.write_text(base.replace("weight: 60", "weight: {value: 70, sources: [{derivation: 指标分值之和, confidence: derived}]}"),
                 encoding="utf-8")
    assert problems_of(mini) == []


# -- counts -------------------------------------------------------------------

def test_stats_counts_values_per_tag_by_kind(mini, cli):
    env = {"GMDOCS_STANDARDS": str(mini)}
    js = as_json(cli("catalogue", "stats", str(mini), "--json", env=env))
    before = js["values"]
    # GB/T 1-2018 published (confirmed); GB/T 1-2025 effective (missing)
    assert before["standard"]["confirmed"] == 1 and before["standard"]["missing"] == 1
    # t1: two values of the 硅铁 row (confirmed) and the whole 水泥熟料 row (missing)
    assert before["benchmark_table"]["confirmed"] == 2 and before["benchmark_table"]["missing"] == 1
    assert before["total"]["derived"] == 0
    set_published(mini, "[{derivation: 公告日期, confidence: derived}]")
    after = as_json(cli("catalogue", "stats", str(mini), "--json", env=env))["values"]
    assert after["standard"]["derived"] == 1 and after["standard"]["confirmed"] == 0
    assert after["total"]["derived"] == 1
    text = cli("catalogue", "stats", str(mini), env=env).stdout
    assert "derived" in text and "standard" in text and "推算" in text


def test_score_and_check_print_marks_not_english_tags(cli):
    from .conftest import ROOT
    ex = ROOT / "examples" / "汽车链主-申报数据.yaml"
    js = as_json(cli("score", str(ex), "--json"))
    assert "满分 100：可信度【推算】" in js["unverified"]       # gscm-general: total summed from the item points
    tags = ("single-source", "uncertain", "derived", "confirmed", "user-supplied")
    assert not [u for u in js["unverified"] if any(t in u for t in tags)]
    for cmd in ("score", "check"):
        out = cli(cmd, str(ex)).stdout
        assert not [t for t in tags if t in out], cmd


def test_derived_cannot_be_official(mini):
    set_published(mini, "[{derivation: 1 + 1, confidence: derived, official: true}]")
    assert any("推算值不是原文" in m for m in messages(mini))


@pytest.mark.parametrize("src,ok", [
    ("{ref: GitHub 公开代码文件 1（二手）, confidence: confirmed}", False),
    ("{ref: GitHub 公开代码文件 1（二手）, confidence: single-source}", True),
    ("{ref: 测试公告原文, confidence: confirmed, official: true}", True),
])
def test_a_source_without_url_is_at_most_single_source(mini, src, ok):
    set_published(mini, f"[{src}]")
    msgs = messages(mini)
    assert (msgs == []) if ok else any("没有网址的出处" in m for m in msgs)
