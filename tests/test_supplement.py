"""User supplements fill gaps, never silently replace sourced values, and are marked everywhere."""
from .conftest import as_json, write_tree

FILL_ROW = """
    kind: supplement
    title: 测试补充
    fills:
      - gap: t1/rows/水泥熟料-综合能耗
        value: {benchmark: 100, baseline: 117}
        unit: kgce/t
        better: lower
        sources:
          - {ref: 测试通知 附件 第12行, confidence: user-supplied}
"""


def env_for(mini, data=None):
    env = {"GMDOCS_STANDARDS": str(mini)}
    if data is not None:
        env["GMDOCS_DATA"] = str(data)
    return env


def test_gaps_lists_missing_values(mini, cli):
    r = cli("catalogue", "gaps", "--json", env=env_for(mini))
    assert r.exit_code == 0
    paths = {g["path"]: g for g in as_json(r)["gaps"]}
    assert set(paths) == {"GBT1-2025/effective", "r1/scoring/pass_mark", "r1/groups/B/indicators/B1/max_points",
                          "t1/rows/水泥熟料-综合能耗"}
    assert paths["t1/rows/水泥熟料-综合能耗"]["where"] == "测试通知 附件 水泥熟料行"


def test_supplement_fills_row_and_changes_benchmark_show(mini, cli, tmp_path):
    before = cli("benchmark", "show", "水泥熟料", env=env_for(mini))
    assert before.exit_code == 0
    assert "未收录" in before.stdout and "117" not in before.stdout
    data = write_tree(tmp_path / "data", {"my.yaml": FILL_ROW})
    after = cli("benchmark", "show", "水泥熟料", env=env_for(mini, data))
    assert after.exit_code == 0, after.output
    assert "标杆水平：100 kgce/t【用户补充】" in after.stdout
    assert "基准水平：117 kgce/t【用户补充】" in after.stdout
    assert "测试通知 附件 第12行" in after.stdout
    js = as_json(cli("benchmark", "show", "水泥熟料", "--json", env=env_for(mini, data)))
    vals = js["results"][0]["values"]
    assert vals["benchmark"]["value"] == 100 and vals["benchmark"]["confidence"] == "user-supplied"
    gaps = as_json(cli("catalogue", "gaps", "--json", env=env_for(mini, data)))["gaps"]
    assert "t1/rows/水泥熟料-综合能耗" not in {g["path"] for g in gaps}


def test_supplement_fills_single_value_via_data_dir_option(mini, cli, tmp_path):
    data = write_tree(tmp_path / "data", {"x.yaml": """
        kind: supplement
        fills:
          - gap: GBT1-2025/effective
            value: 2025-12-31
            sources: [{ref: 测试公告 第1条}]
    """})
    r = cli("--data-dir", str(data), "standard", "show", "GB/T 1-2025", env=env_for(mini))
    assert r.exit_code == 0, r.output
    assert "实施日期：2025-12-31【用户补充】" in r.stdout


def test_supplement_cannot_silently_replace_sourced_value(mini, cli, tmp_path):
    data = write_tree(tmp_path / "data", {"x.yaml": """
        kind: supplement
        fills:
          - gap: t1/rows/硅铁-综合能耗/values/benchmark
            value: 1700
            sources: [{ref: 我的资料}]
    """})
    r = cli("benchmark", "show", "硅铁", env=env_for(mini, data))
    assert r.exit_code == 2
    assert "不是缺口" in r.stderr and "x.yaml:3" in r.stderr
    assert "Traceback" not in r.output


def test_override_with_reason_is_allowed_and_marked(mini, cli, tmp_path):
    data = write_tree(tmp_path / "data", {"x.yaml": """
        kind: supplement
        fills:
          - target: t1/rows/硅铁-综合能耗/values/benchmark
            value: 1700
            override: true
            reason: 按我方取得的原文核对
            sources: [{ref: 测试通知 附件 第3行}]
    """})
    js = as_json(cli("benchmark", "show", "硅铁", "--json", env=env_for(mini, data)))
    v = js["results"][0]["values"]["benchmark"]
    assert v["value"] == 1700 and v["confidence"] == "user-supplied"
    assert v["override_reason"] == "按我方取得的原文核对"


def test_override_without_reason_is_an_error(mini, cli, tmp_path):
    data = write_tree(tmp_path / "data", {"x.yaml": """
        kind: supplement
        fills:
          - target: t1/rows/硅铁-综合能耗/values/benchmark
            value: 1700
            override: true
            sources: [{ref: 我的资料}]
    """})
    r = cli("benchmark", "show", "硅铁", env=env_for(mini, data))
    assert r.exit_code == 2 and "必须写明理由 reason" in r.stderr


def test_supplement_is_validated_with_the_same_rules(mini, cli, tmp_path):
    data = write_tree(tmp_path / "data", {"x.yaml": """
        kind: supplement
        fills:
          - gap: r1/groups/B/indicators/B1/max_points
            value: 四十
            sources: [{ref: 测试标准乙 附录A}]
          - gap: r1/nowhere
            value: 1
            sources: [{ref: 某处}]
          - gap: r1/scoring/pass_mark
            value: 60
            sources: [{ref: 某处, confidence: confirmed}]
          - gap: GBT1-2025/effective
            value: 2025-12-31
    """})
    r = cli("catalogue", "validate", env=env_for(mini, data))
    assert r.exit_code == 1
    out = r.stdout
    assert "x.yaml:4" in out and "应为数字" in out
    assert "在记录 'r1' 中找不到" in out
    assert "可信度必须是 user-supplied" in out
    assert "必须写出处 sources" in out


def test_filled_points_make_sums_checkable(mini, cli, tmp_path):
    data = write_tree(tmp_path / "data", {"x.yaml": """
        kind: supplement
        fills:
          - gap: r1/groups/B/indicators/B1/max_points
            value: 30
            sources: [{ref: 测试标准乙 附录A}]
    """})
    r = cli("catalogue", "validate", env=env_for(mini, data))
    assert r.exit_code == 1
    assert "组内指标分值之和为 30，与该组权重 40 不一致" in r.stdout


def test_missing_data_dir_is_a_clear_error(mini, cli, tmp_path):
    r = cli("--data-dir", str(tmp_path / "nope"), "benchmark", "show", "硅铁", env=env_for(mini))
    assert r.exit_code == 2 and "用户数据目录不存在" in r.stderr
