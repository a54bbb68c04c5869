"""The loader rejects bad data with a Chinese message naming file, line and field — all at once."""
from pathlib import Path

from gmdocs.catalogue import read_catalogue

from .conftest import MINI, write_tree


def problems_of(root: Path):
    cat = read_catalogue(root, use_user_data=False)
    return cat.problems


def only(problems, needle):
    hits = [p for p in problems if needle in p.message]
    assert hits, f"no problem mentioning {needle!r} in {[str(p) for p in problems]}"
    return hits[0]


def test_mini_catalogue_is_clean(mini):
    assert problems_of(mini) == []


def test_value_without_source(mini):
    p = mini / "standard" / "gbt1-2025.yaml"
    text = p.read_text(encoding="utf-8").replace("sources:\n  - {ref: 测试出处乙, confidence: single-source}\n", "")
    p.write_text(text, encoding="utf-8")
    prob = only(problems_of(mini), "缺少出处")
    assert prob.file.endswith("gbt1-2025.yaml") and prob.line == 1


def test_source_without_confidence_and_bad_confidence(mini):
    p = mini / "policy" / "p1.yaml"
    p.write_text(p.read_text(encoding="utf-8").replace("confidence: confirmed", "confidence: sure"), encoding="utf-8")
    prob = only(problems_of(mini), "可信度 'sure' 不合法")
    assert prob.line == 8 and prob.field.endswith("sources[1]/confidence")


def test_unknown_key_bad_date_duplicate_number_all_in_one_run(mini):
    p = mini / "standard" / "gbt1-2018.yaml"
    p.write_text(p.read_text(encoding="utf-8").replace("published: 2018-01-01", "published: 2018-13-45\ncolour: red"),
                 encoding="utf-8")
    write_tree(mini, {"standard/dup.yaml": MINI["standard/gbt1-2025.yaml"]})
    probs = problems_of(mini)
    unknown = only(probs, "未知的键 'colour'")
    assert unknown.line == 8 and unknown.field == "GBT1-2018/colour"
    bad_date = only(probs, "日期不合法")
    assert bad_date.line == 7 and bad_date.field == "GBT1-2018/published"
    dup = only(probs, "重复")
    assert dup.file.endswith(".yaml")
    assert len(probs) >= 3


def test_replaced_by_missing_and_not_pointing_back(mini):
    p = mini / "standard" / "gbt1-2018.yaml"
    p.write_text(p.read_text(encoding="utf-8").replace("replaced_by: GB/T 1-2025", "replaced_by: GB/T 1-2030"),
                 encoding="utf-8")
    probs = problems_of(mini)
    only(probs, "replaced_by 指向的标准 'GBT1-2030' 不在目录中")
    only(probs, "replaced_by 没有指回 GB/T 1-2025")


def test_weights_must_add_up(mini):
    p = mini / "rulebook" / "r1.yaml"
    p.write_text(p.read_text(encoding="utf-8").replace("weight: 40", "weight: 45"), encoding="utf-8")
    prob = only(problems_of(mini), "各组权重之和为 105")
    assert prob.field == "scoring/total"


def test_indicator_points_must_add_up_to_group(mini):
    p = mini / "rulebook" / "r1.yaml"
    p.write_text(p.read_text(encoding="utf-8").replace("max_points: 60}", "max_points: 50}"), encoding="utf-8")
    only(problems_of(mini), "组内指标分值之和为 50")


def test_campaign_naming_missing_rulebook_and_table(mini):
    p = mini / "campaign" / "2023.yaml"
    text = p.read_text(encoding="utf-8").replace("rulebooks: [r1]", "rulebooks: [r9]").replace("[t1]", "[t9]")
    p.write_text(text, encoding="utf-8")
    probs = problems_of(mini)
    only(probs, "指标体系 'r9' 不存在")
    only(probs, "标杆/基准表 't9' 不存在")


def test_yaml_syntax_error_reports_line(mini):
    write_tree(mini, {"policy/broken.yaml": "kind: policy\nid: [unclosed\n"})
    prob = only(problems_of(mini), "YAML 语法错误")
    assert prob.file.endswith("broken.yaml") and prob.line is not None


def test_key_must_match_number(mini):
    p = mini / "standard" / "gbt1-2025.yaml"
    p.write_text(p.read_text(encoding="utf-8").replace("key: GBT1-2025", "key: GBT2-2025"), encoding="utf-8")
    only(problems_of(mini), "与编号 'GB/T 1-2025' 不一致")


def test_duplicate_yaml_key(mini):
    p = mini / "policy" / "p1.yaml"
    p.write_text(p.read_text(encoding="utf-8") + "title: 另一个标题\n", encoding="utf-8")
    prob = only(problems_of(mini), "键重复")
    assert prob.field == "title"


def test_benchmark_row_with_values_needs_sources_and_every_level(mini):
    p = mini / "benchmark" / "t1.yaml"
    text = p.read_text(encoding="utf-8").replace("values: {benchmark: 1770, baseline: 1850}", "values: {benchmark: 1770}")
    text = text.replace("    sources:\n      - {ref: 测试通知 附件, confidence: confirmed, official: true}\n", "")
    p.write_text(text, encoding="utf-8")
    probs = problems_of(mini)
    only(probs, "缺少等级 baseline")
    only(probs, "缺少出处")


def test_cli_validate_lists_all_problems_and_exits_1(mini, cli):
    p = mini / "rulebook" / "r1.yaml"
    p.write_text(p.read_text(encoding="utf-8").replace("weight: 40", "weight: 45"), encoding="utf-8")
    p = mini / "standard" / "gbt1-2018.yaml"
    p.write_text(p.read_text(encoding="utf-8").replace("published: 2018-01-01", "published: 2018/01/01"),
                 encoding="utf-8")
    r = cli("catalogue", "validate", str(mini))
    assert r.exit_code == 1
    assert "r1.yaml" in r.stdout and "各组权重之和为 105" in r.stdout
    assert "gbt1-2018.yaml:7" in r.stdout and "日期不合法" in r.stdout
    assert "共 2 处问题" in r.stderr
    assert "Traceback" not in r.output


def test_cli_validate_missing_dir(cli, tmp_path):
    r = cli("catalogue", "validate", str(tmp_path / "nope"))
    assert r.exit_code == 1
    assert "数据目录不存在" in r.stdout
