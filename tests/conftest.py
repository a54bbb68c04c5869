import json
import shutil
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

from gmdocs.catalogue import default_root
from gmdocs.cli import main

ROOT = Path(__file__).resolve().parent.parent
SHIPPED = default_root()

MINI = {
    "standard/gbt1-2018.yaml": """
        kind: standard
        number: GB/T 1-2018
        key: GBT1-2018
        title: 测试标准甲
        level: 国家标准
        status: 废止
        published: 2018-01-01
        replaced_by: GB/T 1-2025
        sources:
          - {ref: 测试出处甲, confidence: confirmed, official: true}
    """,
    "standard/gbt1-2025.yaml": """
        kind: standard
        number: GB/T 1-2025
        key: GBT1-2025
        title: 测试标准乙
        level: 国家标准
        status: 现行
        replaces: [GB/T 1-2018]
        effective: {missing: 测试公告 第1条}
        sources:
          - {ref: 测试出处乙, confidence: single-source}
    """,
    "policy/p1.yaml": """
        kind: policy
        id: p1
        number: 测试〔2023〕1号
        title: 测试通知
        doc_type: 通知
        status: 现行
        sources:
          - {ref: 测试通知原文, confidence: confirmed, official: true}
    """,
    "rulebook/r1.yaml": """
        kind: rulebook
        id: r1
        title: 测试指标体系
        category: factory
        basis: {standards: [GB/T 1-2025]}
        scoring: {method: points, total: 100, pass_mark: {missing: 测试标准乙 第6章}, groups_sum_to_total: true,
                  indicators_sum_to_group: true}
        gates:
          - {id: G1, text: 依法设立}
        groups:
          - id: A
            name: 甲组
            weight: 60
            indicators:
              - {id: A1, name: 指标一, max_points: 60}
          - id: B
            name: 乙组
            weight: 40
            indicators:
              - {id: B1, name: 指标二, max_points: {missing: 测试标准乙 附录A}}
        sources:
          - {ref: 测试标准乙, confidence: confirmed, official: true}
    """,
    "benchmark/t1.yaml": """
        kind: benchmark_table
        id: t1
        title: 测试标杆表
        document: {policy: p1}
        levels: [benchmark, baseline]
        rows:
          - id: 硅铁-综合能耗
            area: 铁合金冶炼
            product: 硅铁
            indicator: 单位产品综合能耗
            unit: kgce/t
            better: lower
            values: {benchmark: 1770, baseline: 1850}
            sources:
              - {ref: 测试通知 附件, confidence: confirmed, official: true}
          - id: 水泥熟料-综合能耗
            area: 水泥熟料
            product: 水泥熟料
            missing: 测试通知 附件 水泥熟料行
        sources:
          - {ref: 测试通知, confidence: confirmed, official: true}
    """,
    "campaign/2023.yaml": """
        kind: campaign
        id: campaign-2023
        year: 2023
        notice: p1
        evaluation: third-party
        evaluator_cap: 15
        categories:
          factory: {rulebooks: [r1]}
        benchmark_tables: [t1]
        deadlines:
          - {id: d1, what: 省级报送, date: 2023-09-05}
        sources:
          - {ref: 测试通知, confidence: confirmed, official: true}
    """,
}


def write_tree(base: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        p = base / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
    return base


@pytest.fixture
def mini(tmp_path) -> Path:
    return write_tree(tmp_path / "mini", MINI)


@pytest.fixture
def shipped_copy(tmp_path) -> Path:
    dst = tmp_path / "standards"
    shutil.copytree(SHIPPED, dst)
    return dst


@pytest.fixture
def cli(monkeypatch, tmp_path):
    """Run the CLI in-process; no user data unless a test sets it."""
    monkeypatch.delenv("GMDOCS_DATA", raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "no-config"))
    monkeypatch.setenv("GMDOCS_DEBUG", "1")      # a defect raises in tests instead of becoming exit code 4

    def run(*args, env=None):
        runner = CliRunner()
        return runner.invoke(main, list(args), env=env, catch_exceptions=False)
    return run


def as_json(result):
    return json.loads(result.stdout)
