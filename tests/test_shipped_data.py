"""The shipped catalogue: valid, every value sourced, known values unchanged, links intact."""
import pytest

from gmdocs.catalogue import read_catalogue
from gmdocs.catalogue.model import BASE_CONFIDENCES
from gmdocs.catalogue.query import find_benchmark_rows, find_standards, gaps, replacement_chain, values_of

from .conftest import SHIPPED, as_json


@pytest.fixture(scope="module")
def cat():
    c = read_catalogue(SHIPPED, use_user_data=False)
    assert c.problems == [], "\n".join(str(p) for p in c.problems)
    return c


def test_every_record_row_and_value_has_a_source_or_a_recorded_gap(cat):
    for rec in cat.records():
        assert rec.sources, rec.file
        for v in values_of(rec):
            assert v.sources or v.missing, f"{v.path} has neither source nor gap"
            for s in v.sources:
                assert s.confidence in BASE_CONFIDENCES, v.path
                assert (s.confidence == "derived") == bool(s.derivation), v.path
        for row in getattr(rec, "rows", []):
            assert row.sources or row.missing, row.path


def test_gbt36132_editions_linked_both_ways(cat):
    old, new = cat.standards["GBT36132-2018"], cat.standards["GBT36132-2025"]
    assert old.status == "废止" and old.replaced_by == "GBT36132-2025"
    assert new.status == "现行" and "GBT36132-2018" in new.replaces
    assert str(new.effective.value) == "2025-12-31"
    assert [s.number for s in replacement_chain(cat, old)] == ["GB/T 36132-2018", "GB/T 36132-2025"]


@pytest.mark.parametrize("q", ["GB/T36132", "gbt 36132-2018", "ＧＢ／Ｔ ３６１３２", "36132"])
def test_number_spellings_find_36132(cat, q):
    keys = [s.key for s in find_standards(cat, q)]
    assert "GBT36132-2018" in keys


def test_ferrosilicon_values_unchanged(cat):
    rows = {h.row.id: h.row for h in find_benchmark_rows(cat, "硅铁", "723")}
    row = rows["硅铁-综合能耗"]
    assert row.values["benchmark"].value == 1770 and row.values["baseline"].value == 1850
    assert row.unit == "kgce/t" and row.better == "lower"
    # One website (the GB 21341-2022 grades agreeing is not a second source): single-source, never confirmed.
    assert row.values["benchmark"].confidence == "single-source"
    mn = cat.benchmark_tables["fagai-chanye-2023-723"].rows
    mnsi = next(r for r in mn if r.id == "锰硅合金-综合能耗")
    assert (mnsi.values["benchmark"].value, mnsi.values["baseline"].value) == (860, 950)


def test_723_lists_36_areas_and_never_fills_cement_from_gb_grades(cat):
    t = cat.benchmark_tables["fagai-chanye-2023-723"]
    assert len(t.areas) == 36
    assert "水泥熟料" in t.areas and "工业硅" in t.areas
    cement = next(r for r in t.rows if r.id == "水泥熟料-综合能耗")
    assert not cement.known and "723" in cement.missing
    areas_with_rows = {r.area for r in t.rows}
    assert set(t.areas) <= areas_with_rows | {"铁合金冶炼"}


def test_coal_benchmark_documents_and_successor(cat):
    old, new = cat.policies["ndrc-2022-559"], cat.policies["ndrc-2025-1499"]
    assert old.replaced_by == "ndrc-2025-1499" and "ndrc-2022-559" in new.replaces
    assert not any(r.known for r in cat.benchmark_tables["fagai-yunxing-2022-559"].rows)


def test_supply_chain_general_requirements_20_indicators_100_points(cat):
    rb = cat.rulebooks["gscm-general"]
    inds = rb.indicators()
    assert len(inds) == 20 and len(rb.groups) == 6
    assert sum(i.max_points.value for i in inds) == 100
    assert rb.scoring.pass_mark is not None and not rb.scoring.pass_mark.known


def test_campaigns(cat):
    c23, c25 = cat.campaigns[2023], cat.campaigns[2025]
    assert set(c23.categories) == {"factory", "park", "supply-chain"}
    assert c23.evaluator_cap.value == 15 and c23.evaluation.value == "third-party"
    dates = {str(d.date.value) for d in c23.deadlines}
    assert {"2023-08-15", "2023-09-05"} <= dates
    assert len(c23.exclusions) == 6
    assert set(c25.categories) == {"factory", "park"} and c25.evaluation.value == "self"
    # the general 通则 rulebook, plus the cement industry standard's system (the 2023 notice: industry standards first)
    assert c23.categories["factory"].rulebooks == ["jct2634-2021-factory", "gbt36132-2018-factory"]
    assert cat.rulebooks["jct2634-2021-factory"].basis_standards == ["JCT2634-2021"]
    assert c23.categories["park"].rulebooks[0] == "park-2023-att2"
    assert cat.rulebooks["gbt36132-2018-factory"].basis_standards == ["GBT36132-2018"]


def test_park_conditions_2023(cat):
    conds = " ".join(cat.campaigns[2023].categories["park"].conditions)
    for word in ("省级及以上", "50%", "法定边界", "统一管理机构"):
        assert word in conds


def test_gbt36132_2018_weights_are_gaps_except_infrastructure(cat):
    rb = cat.rulebooks["gbt36132-2018-factory"]
    weights = {g.name: g.weight for g in rb.groups}
    assert weights["基础设施"].value == 20 and weights["基础设施"].confidence == "single-source"
    assert all(not w.known for n, w in weights.items() if n != "基础设施")
    assert not rb.scoring.pass_mark.known


def test_conversion_coefficients(cat):
    t = cat.conversions["gbt2589-2020"]
    by = {(c.carrier, c.basis): c for c in t.coefficients}
    assert by[("电力", "当量值")].coefficient.value == 0.1229
    assert by[("原煤", "当量值")].coefficient.value == 0.7143
    assert not by[("电力", "等价值")].coefficient.known


def test_uscc_rule_and_vector(cat):
    from gmdocs.evaluate.uscc import explain
    rule = cat.code_rules["gb32100-2015"]
    assert explain("91350100M000100Y43", rule) is None
    assert "校验码错误" in explain("91350100M000100Y44", rule)


def test_gaps_include_the_known_unknowns(cat):
    paths = {g.path for g in gaps(cat)}
    assert "fagai-chanye-2023-723/rows/水泥熟料-综合能耗" in paths
    assert "gbt36132-2018-factory/scoring/pass_mark" in paths


def test_shipped_example_supplement_fills_cement_and_is_marked(cli):
    from .conftest import ROOT
    before = cli("benchmark", "show", "水泥熟料", "--doc", "723")
    assert "未收录" in before.stdout
    after = cli("--data-dir", str(ROOT / "examples" / "supplement"), "benchmark", "show", "水泥熟料", "--doc", "723")
    assert after.exit_code == 0, after.output
    assert "【用户补充】" in after.stdout and "演示格式" in after.stdout
    gaps_after = as_json(cli("--data-dir", str(ROOT / "examples" / "supplement"), "catalogue", "gaps", "--json"))
    assert "fagai-chanye-2023-723/rows/水泥熟料-综合能耗" not in {g["path"] for g in gaps_after["gaps"]}


def test_validate_passes_and_fails_on_a_broken_copy(cli, shipped_copy):
    assert cli("catalogue", "validate", str(shipped_copy)).exit_code == 0
    f = shipped_copy / "benchmark" / "fagai-chanye-2023-723.yaml"
    f.write_text(f.read_text(encoding="utf-8").replace("kind: benchmark_table", "kind: benchmark_table\ncolour: 1"),
                 encoding="utf-8")
    g = shipped_copy / "standard" / "gbt36132-2025.yaml"
    g.write_text(g.read_text(encoding="utf-8").replace("GB/T 36132-2018", "GB/T 36132-2017"), encoding="utf-8")
    r = cli("catalogue", "validate", str(shipped_copy))
    assert r.exit_code == 1
    assert "未知的键 'colour'" in r.stdout and "fagai-chanye-2023-723.yaml:2" in r.stdout
    assert "replaces" in r.stdout


def test_every_data_folder_is_installed_by_a_non_editable_install():
    import configparser
    from pathlib import Path
    root = Path(__file__).resolve().parent.parent
    cfg = configparser.ConfigParser()
    cfg.read(root / "setup.cfg", encoding="utf-8")
    targets = dict(cfg["options.data_files"])
    for folder in sorted(p for p in (root / "standards").iterdir() if p.is_dir()):
        assert f"share/gmdocs/standards/{folder.name}" in targets, folder.name
    assert "formats.yaml" in targets["share/gmdocs/templates"]
    for folder in sorted(p for p in (root / "templates").iterdir() if p.is_dir()):
        assert targets[f"share/gmdocs/templates/{folder.name}"].strip() == f"templates/{folder.name}/*.docx"
