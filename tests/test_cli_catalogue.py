"""`gmdocs standard`, `gmdocs benchmark`, `--version`: spellings, exit codes, JSON shape."""
import subprocess
import sys

import pytest

from gmdocs import __version__
from gmdocs.catalogue.numbers import normalise, parse

from .conftest import ROOT, as_json


@pytest.mark.parametrize("spelling", ["GB/T 1-2018", "gbt 1-2018", "GBT1-2018", "ＧＢ／Ｔ １－２０１８", "GB/T 1—2018"])
def test_number_spellings_normalise(spelling):
    assert normalise(spelling) == "GBT1-2018"


def test_parse_number_forms():
    assert parse("DB15/T 1892-2020").prefix == "DB15T"
    assert parse("T/CESA 1080-2020").base == "TCESA1080"
    assert parse("36132").prefix == "" and parse("36132").year is None


@pytest.mark.parametrize("query", ["GB/T1", "gbt 1", "ＧＢ／Ｔ １", "1", "GB 1"])
def test_standard_show_finds_all_editions_newest_first(mini, cli, query):
    r = cli("standard", "show", query, "--json", env={"GMDOCS_STANDARDS": str(mini)})
    assert r.exit_code == 0, r.output
    js = as_json(r)
    assert [x["number"] for x in js["results"]] == ["GB/T 1-2025", "GB/T 1-2018"]


def test_standard_show_abolished_shows_replacement_and_unverified_mark(mini, cli):
    r = cli("standard", "show", "GB/T 1-2018", env={"GMDOCS_STANDARDS": str(mini)})
    assert r.exit_code == 0
    assert "状态：废止" in r.stdout
    assert "替代关系：GB/T 1-2018（废止） → GB/T 1-2025（现行）" in r.stdout
    assert "已被 GB/T 1-2025《测试标准乙》代替" in r.stdout
    r2 = cli("standard", "show", "GB/T 1-2025", env={"GMDOCS_STANDARDS": str(mini)})
    assert "【未核实：单一来源】" in r2.stdout
    assert "实施日期：未收录（缺失；应见：测试公告 第1条）" in r2.stdout
    js = as_json(cli("standard", "show", "GB/T 1-2018", "--json", env={"GMDOCS_STANDARDS": str(mini)}))
    s = js["results"][0]
    assert s["current_successor"] == "GB/T 1-2025" and s["chain"] == ["GB/T 1-2018", "GB/T 1-2025"]
    assert s["unverified"] is False and s["published"]["value"] == "2018-01-01"


def test_standard_show_unknown_exits_1(mini, cli):
    r = cli("standard", "show", "GB/T 99999", env={"GMDOCS_STANDARDS": str(mini)})
    assert r.exit_code == 1 and "未收录" in r.stderr
    r = cli("standard", "show", "不是编号", "--json", env={"GMDOCS_STANDARDS": str(mini)})
    assert r.exit_code == 1 and as_json(r)["results"] == []


def test_standard_list_filters(mini, cli):
    env = {"GMDOCS_STANDARDS": str(mini)}
    js = as_json(cli("standard", "list", "--status", "废止", "--json", env=env))
    assert [x["number"] for x in js["results"]] == ["GB/T 1-2018"]
    js = as_json(cli("standard", "list", "--type", "行业", "--json", env=env))
    assert js["count"] == 0
    r = cli("standard", "list", "--type", "企业", env=env)
    assert r.exit_code == 2 and "--type 的取值" in r.stderr


def test_benchmark_show_values_and_doc_filter(mini, cli):
    env = {"GMDOCS_STANDARDS": str(mini)}
    r = cli("benchmark", "show", "硅铁", env=env)
    assert r.exit_code == 0
    assert "标杆水平：1770 kgce/t" in r.stdout and "基准水平：1850 kgce/t" in r.stdout
    js = as_json(cli("benchmark", "show", "硅铁", "--doc", "测试〔2023〕1号", "--json", env=env))
    assert js["results"][0]["values"]["baseline"]["value"] == 1850
    r = cli("benchmark", "show", "硅铁", "--doc", "559", env=env)
    assert r.exit_code == 1 and "未收录" in r.stderr


def test_broken_shipped_data_is_a_clear_error_not_a_traceback(mini, cli):
    (mini / "policy" / "p1.yaml").write_text("kind: policy\nid: p1\n", encoding="utf-8")
    r = cli("benchmark", "show", "硅铁", env={"GMDOCS_STANDARDS": str(mini)})
    assert r.exit_code == 2
    assert "数据目录校验不通过" in r.stderr and "缺少必填字段" in r.stderr


def test_version_and_module_entry():
    out = subprocess.run([sys.executable, "-m", "gmdocs", "--version"], capture_output=True, text=True, cwd=ROOT)
    assert out.returncode == 0 and out.stdout.strip() == f"gmdocs {__version__}"
    out = subprocess.run([sys.executable, "-m", "gmdocs", "standard", "show"], capture_output=True, text=True, cwd=ROOT)
    assert out.returncode == 2 and "Traceback" not in out.stderr


def test_every_command_has_help_with_example(cli):
    for cmd in (["standard", "show"], ["standard", "list"], ["benchmark", "show"],
                ["catalogue", "validate"], ["catalogue", "gaps"]):
        r = cli(*cmd, "--help")
        assert r.exit_code == 0 and "示例" in r.stdout, cmd


def test_stats_of_a_folder_that_is_not_a_data_directory_is_refused(cli, tmp_path):
    (tmp_path / "别的.yaml").write_text("名称: 不是数据记录\n", encoding="utf-8")
    r = cli("catalogue", "stats", str(tmp_path))
    assert r.exit_code == 2 and "不是 gmdocs 数据目录" in r.stderr


def test_benchmark_show_needs_a_product(cli):
    r = cli("benchmark", "show", "  ")
    assert r.exit_code == 2 and "不能为空" in r.stderr
