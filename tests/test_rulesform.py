"""Rule gaps filled from Excel: `gmdocs rules form` / `rules import`, by_industry levels and levels_for."""
import copy

import pytest
from openpyxl import load_workbook

from gmdocs.catalogue import load_catalogue, read_catalogue
from gmdocs.catalogue.levels import levels_for
from gmdocs.catalogue.rulesform import HEADERS, SHEET, form_rows, supplement_name

from .conftest import MINI, as_json, write_tree

RB = "gbt36132-2025-factory"
WATER = f"{RB}/groups/资源高效化/indicators/资源高效化-取水强度"


def _form(cli, tmp_path, *extra, name="补充表.xlsx"):
    out = tmp_path / name
    r = cli("rules", "form", RB, "-o", str(out), *extra)
    assert r.exit_code == 0, r.output
    return out


def _rows(path):
    ws = load_workbook(path)[SHEET]
    return ws, {(ws.cell(r, 9).value, ws.cell(r, 4).value): r for r in range(2, ws.max_row + 1)}


def _fill(path, values: dict, sources: str | None = "GB/T 36132-2025 附录A 表A.1"):
    """values: {(gap, industry): value}; writes 数值 (F) and 出处 (G)."""
    wb = load_workbook(path)
    ws = wb[SHEET]
    rows = {(ws.cell(r, 9).value, ws.cell(r, 4).value): r for r in range(2, ws.max_row + 1)}
    for key, v in values.items():
        r = rows[key]
        ws.cell(r, 6).value = v
        ws.cell(r, 7).value = sources
    wb.save(path)
    return rows


def test_form_has_a_row_per_missing_value(cli, tmp_path):
    out = _form(cli, tmp_path, "--industry", "水泥")
    wb = load_workbook(out)
    assert wb.sheetnames == [SHEET, "说明"]
    ws = wb[SHEET]
    assert [c.value for c in ws[1]] == HEADERS
    assert all(c.font.bold for c in ws[1])
    assert ws.freeze_panes == "A2"
    assert ws.auto_filter.ref == f"A1:I{ws.max_row}"
    gaps = {(ws.cell(r, 9).value, ws.cell(r, 4).value): ws.cell(r, 2).value for r in range(2, ws.max_row + 1)}
    rb = load_catalogue(use_user_data=False).rulebooks[RB]
    assert (f"{RB}/scoring/total", None) in gaps
    assert (f"{RB}/scoring/pass_mark", None) in gaps
    for g in rb.groups:                       # one row per group weight
        assert gaps[(f"{RB}/groups/{g.id}/weight", None)] == f"组“{g.name}”的权重"
    assert gaps[(f"{WATER}/max_points", None)] == "指标“取水强度”的分值"
    assert gaps[(f"{WATER}/baseline", None)] == "指标“取水强度”的基准值"
    assert gaps[(f"{WATER}/baseline", "水泥")] == "指标“取水强度”的基准值（行业：水泥）"
    assert gaps[(f"{WATER}/leading", "水泥")] == "指标“取水强度”的引领值（行业：水泥）"
    # every missing value of the rulebook is on the form, and nothing else
    from gmdocs.catalogue.query import values_of
    assert {v.path for v in values_of(rb) if not v.known} <= {k[0] for k in gaps}
    assert len(gaps) == ws.max_row - 1 == len(form_rows(rb, ["水泥"]))
    assert ws.cell(2, 5).value            # where to find it
    assert ws.cell(2, 6).value is None    # value left empty
    # the value column only takes numbers ≥ 0, with Chinese prompt and error messages
    dvs = ws.data_validations.dataValidation
    assert len(dvs) == 1
    dv = dvs[0]
    assert dv.type == "decimal" and dv.operator == "greaterThanOrEqual" and dv.formula1 == "0"
    assert str(dv.sqref) == f"F2:F{ws.max_row}"
    assert dv.showErrorMessage and dv.showInputMessage and "数字" in dv.error and "出处" in dv.prompt
    help_text = " ".join(str(c.value) for row in wb["说明"].iter_rows() for c in row)
    assert "【用户补充】" in help_text and "gmdocs rules import" in help_text


def test_round_trip_with_industry_levels(cli, tmp_path):
    out = _form(cli, tmp_path, "--industry", "水泥")
    first_group = load_catalogue(use_user_data=False).rulebooks[RB].groups[0]
    weight = f"{RB}/groups/{first_group.id}/weight"
    _fill(out, {(weight, None): 20, (f"{WATER}/max_points", None): 5.5,
                (f"{WATER}/baseline", "水泥"): 0.8, (f"{WATER}/leading", "水泥"): 0.3})
    data = tmp_path / "data"
    r = cli("--data-dir", str(data), "rules", "import", str(out), "--json")
    assert r.exit_code == 0, r.output
    res = as_json(r)
    assert res["filled"] == 4 and res["added"] == 4
    assert res["still_missing"] == len(_rows(out)[1]) - 4
    written = data / supplement_name(RB)
    assert res["file"] == str(written) and written.is_file()
    assert not [p for p in data.iterdir() if p.name.endswith(".tmp")]

    cat = load_catalogue(data_dir=data)
    rb = cat.rulebooks[RB]
    g = next(x for x in rb.groups if x.id == first_group.id)
    assert g.weight.known and g.weight.value == 20 and g.weight.user_supplied
    assert g.weight.mark == "【用户补充】"
    assert g.weight.sources[0].ref == "GB/T 36132-2025 附录A 表A.1"
    water = next(i for i in rb.indicators() if i.id == "资源高效化-取水强度")
    assert water.max_points.value == 5.5 and water.max_points.user_supplied
    assert not water.baseline.known and not water.leading.known      # the general gap stays a gap
    base, lead = levels_for(water, "水泥")
    assert (base.value, lead.value) == (0.8, 0.3) and base.user_supplied and lead.user_supplied
    assert levels_for(water, "水泥熟料")[0].value == 0.8                # industry_score 2
    assert levels_for(water, "铁合金冶炼") == (water.baseline, water.leading)
    assert levels_for(water, None) == (water.baseline, water.leading)

    # a fresh form no longer lists what was filled; importing the same values again changes nothing
    again = tmp_path / "again.xlsx"
    r = cli("--data-dir", str(data), "rules", "form", RB, "-o", str(again), "--industry", "水泥")
    assert r.exit_code == 0, r.output
    keys = _rows(again)[1]
    assert (weight, None) not in keys and (f"{WATER}/baseline", "水泥") not in keys
    r = cli("--data-dir", str(data), "rules", "import", str(out))
    assert r.exit_code == 0, r.output
    assert "未变 4" in r.stdout


def test_missing_source_names_the_cell(cli, tmp_path):
    out = _form(cli, tmp_path)
    rows = _fill(out, {(f"{RB}/scoring/total", None): 100}, sources=None)
    data = tmp_path / "data"
    r = cli("--data-dir", str(data), "rules", "import", str(out))
    assert r.exit_code == 2
    assert f"补充表!G{rows[(f'{RB}/scoring/total', None)]}" in r.stderr and "出处" in r.stderr
    assert "Traceback" not in r.output
    assert not (data / supplement_name(RB)).exists()


@pytest.mark.parametrize("text", ["20分", "约20"])
def test_text_in_number_cell_names_the_cell(cli, tmp_path, text):
    out = _form(cli, tmp_path)
    rows = _fill(out, {(f"{RB}/scoring/pass_mark", None): text})
    r = cli("--data-dir", str(tmp_path / "data"), "rules", "import", str(out))
    assert r.exit_code == 2
    assert f"补充表!F{rows[(f'{RB}/scoring/pass_mark', None)]}" in r.stderr and text in r.stderr


def test_edited_gap_path_names_the_cell(cli, tmp_path):
    out = _form(cli, tmp_path)
    wb = load_workbook(out)
    ws = wb[SHEET]
    ws["I3"] = f"{RB}/groups/不存在/weight"
    ws["F3"], ws["G3"] = 1, "某处"
    wb.save(out)
    r = cli("--data-dir", str(tmp_path / "data"), "rules", "import", str(out))
    assert r.exit_code == 2 and "补充表!I3" in r.stderr


def test_reimport_with_other_value_needs_force(cli, tmp_path):
    out = _form(cli, tmp_path)
    total = (f"{RB}/scoring/total", None)
    rows = _fill(out, {total: 100})
    data = tmp_path / "data"
    assert cli("--data-dir", str(data), "rules", "import", str(out)).exit_code == 0
    _fill(out, {total: 120})
    r = cli("--data-dir", str(data), "rules", "import", str(out))
    assert r.exit_code == 2
    assert f"补充表!F{rows[total]}" in r.stderr and "100" in r.stderr and "120" in r.stderr and "--force" in r.stderr
    assert load_catalogue(data_dir=data).rulebooks[RB].scoring.total.value == 100
    r = cli("--data-dir", str(data), "rules", "import", str(out), "--force")
    assert r.exit_code == 0, r.output
    assert "替换 1" in r.stdout
    assert load_catalogue(data_dir=data).rulebooks[RB].scoring.total.value == 120


def test_existing_form_is_not_overwritten_without_force(cli, tmp_path):
    out = _form(cli, tmp_path)
    before = out.read_bytes()
    r = cli("rules", "form", RB, "-o", str(out))
    assert r.exit_code == 2 and "--force" in r.stderr
    assert out.read_bytes() == before
    assert cli("rules", "form", RB, "-o", str(out), "--force").exit_code == 0


def test_unknown_rulebook_lists_known_ids(cli, tmp_path):
    r = cli("rules", "form", "没有这个", "-o", str(tmp_path / "x.xlsx"))
    assert r.exit_code == 2 and RB in r.stderr and "gscm-general" in r.stderr


def test_rules_list(cli):
    r = cli("rules", "list", "--json")
    assert r.exit_code == 0
    found = {x["id"]: x for x in as_json(r)["rulebooks"]}
    assert found[RB]["gaps"] > 0 and found[RB]["title"]
    text = cli("rules", "list").stdout
    assert RB in text and "缺失" in text


def test_rulebook_without_gaps_says_so(cli, tmp_path):
    files = copy.deepcopy(MINI)
    files["rulebook/r1.yaml"] = files["rulebook/r1.yaml"].replace(
        "pass_mark: {missing: 测试标准乙 第6章}", "pass_mark: 60").replace(
        "max_points: {missing: 测试标准乙 附录A}", "max_points: 40")
    mini = write_tree(tmp_path / "mini", files)
    r = cli("rules", "form", "r1", "-o", str(tmp_path / "x.xlsx"), env={"GMDOCS_STANDARDS": str(mini)})
    assert r.exit_code == 1 and "没有缺失值" in r.stderr
    assert not (tmp_path / "x.xlsx").exists()


# ---------------------------------------------------------------- by_industry in YAML and supplements
BY_INDUSTRY = """
              - id: B2
                name: 取水
                kind: quantitative
                direction: lower
                max_points: 0
                baseline: {missing: 测试标准乙 附录B}
                leading: 2
                by_industry:
                  水泥: {baseline: 9, leading: 3}
                  铁合金冶炼: {baseline: {missing: 铁合金行业要求 表1}}
"""


def _mini_with_levels(tmp_path):
    files = copy.deepcopy(MINI)
    files["rulebook/r1.yaml"] = files["rulebook/r1.yaml"].replace(
        "              - {id: B1, name: 指标二, max_points: {missing: 测试标准乙 附录A}}\n",
        "              - {id: B1, name: 指标二, max_points: {missing: 测试标准乙 附录A}}\n" + BY_INDUSTRY.lstrip("\n"))
    return write_tree(tmp_path / "mini", files)


def test_by_industry_read_from_yaml(tmp_path):
    cat = read_catalogue(_mini_with_levels(tmp_path), use_user_data=False)
    assert not cat.problems, cat.problems
    b2 = next(i for i in cat.rulebooks["r1"].indicators() if i.id == "B2")
    assert set(b2.by_industry) == {"水泥", "铁合金冶炼"}
    base, lead = levels_for(b2, "水泥制造")
    assert (base.value, lead.value) == (9, 3)
    base, lead = levels_for(b2, "铁合金冶炼")
    assert not base.known and lead.value == 2                 # missing level falls back per level
    assert levels_for(b2, "汽车") == (b2.baseline, b2.leading)
    gap = "r1/groups/B/indicators/B2/by_industry/铁合金冶炼/baseline"
    assert base.path == gap
    rows = {(r.gap, r.industry) for r in form_rows(cat.rulebooks["r1"])}
    assert ("r1/groups/B/indicators/B2/baseline", "铁合金冶炼") in rows
    assert ("r1/groups/B/indicators/B2/baseline", "水泥") not in rows


def test_supplement_industry_fill(tmp_path):
    mini = _mini_with_levels(tmp_path)
    data = write_tree(tmp_path / "data", {"x.yaml": """
        kind: supplement
        fills:
          - gap: r1/groups/B/indicators/B2/baseline
            industry: 铁合金冶炼
            value: 7
            sources: [{ref: 铁合金行业要求 表1}]
          - gap: r1/groups/B/indicators/B2/leading
            industry: 硅铁
            value: 1.5
            sources: [{ref: 硅铁要求 表2}]
    """})
    cat = load_catalogue(mini, data_dir=data)
    b2 = next(i for i in cat.rulebooks["r1"].indicators() if i.id == "B2")
    assert not b2.baseline.known
    assert b2.by_industry["铁合金冶炼"]["baseline"].value == 7
    assert b2.by_industry["铁合金冶炼"]["baseline"].user_supplied
    assert b2.by_industry["硅铁"]["leading"].value == 1.5
    assert levels_for(b2, "铁合金冶炼")[0].value == 7


@pytest.mark.parametrize("fill, message", [
    ("gap: r1/groups/B/indicators/B2/baseline\n    industry: 水泥", "不是缺口"),
    ("gap: r1/groups/B/weight\n    industry: 水泥", "只能用于指标的基准值或引领值"),
    ("gap: r1/groups/B/indicators/B1/baseline\n    industry: 水泥", "找不到"),
])
def test_supplement_industry_fill_errors(tmp_path, fill, message):
    mini = _mini_with_levels(tmp_path)
    data = tmp_path / "data"
    data.mkdir()
    (data / "x.yaml").write_text(f"kind: supplement\nfills:\n  - {fill}\n    value: 1\n"
                                 "    sources: [{ref: 某处}]\n", encoding="utf-8")
    cat = read_catalogue(mini, data_dir=data)
    assert any(message in p.message for p in cat.problems), cat.problems
