"""What people do to the XLSX (and YAML) input: renamed sheets, empty tables, year headers written every way,
merged and formula cells, codes Excel turned into numbers, unit spellings, encrypted/old/oversized files, and
PDF attachments that would only fail when the package is put together."""
import io
import json
import time
import zipfile
import zlib

import pytest
import yaml
from openpyxl import load_workbook

from gmdocs.application.read import load_application
from gmdocs.application.spec import UNIT_FACTORS, canonical_unit, raw_unit_factor, unit_key, unit_tables
from gmdocs.errors import GmdocsError

from .conftest import ROOT, as_json
from .pdfmake import write_pdf

EX = ROOT / "examples"
XLSX = EX / "硅铁厂-申报数据.xlsx"
YAML = EX / "硅铁厂-申报数据.yaml"


def example(tmp_path, edit=None, name="申报.xlsx"):
    """The 硅铁厂 example workbook in tmp_path (attachments pointing at the examples), edited by `edit(wb)`."""
    wb = load_workbook(XLSX)
    at = wb["附件"]
    for r in range(2, at.max_row + 1):
        if at.cell(r, 2).value:
            at.cell(r, 2).value = str(EX / at.cell(r, 2).value)
    if edit:
        edit(wb)
    p = tmp_path / name
    wb.save(p)
    return p


def example_yaml(tmp_path, text_edit=None, name="申报.yaml"):
    text = YAML.read_text(encoding="utf-8").replace("文件: 证明材料/", f"文件: {EX.as_posix()}/证明材料/")
    if text_edit:
        text = text_edit(text)
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


def row_of(ws, label):
    return next(r for r in range(1, ws.max_row + 1) if str(ws.cell(r, 1).value or "").rstrip("*").strip() == label)


def by_code(findings, code, severity=None):
    return [f for f in findings if f.code == code and (severity is None or f.severity == severity)]


def check_json(cli, path):
    r = cli("check", str(path), "--json")
    assert "Traceback" not in r.output
    return r, (json.loads(r.stdout)["findings"] if r.stdout.strip().startswith("{") else [])


def test_example_reads_clean(tmp_path):
    app, fs = load_application(example(tmp_path))
    assert not [f for f in fs if f.severity in ("error", "warning")], fs
    assert [e.unit for e in app.energy] == ["万kWh", "t", "t"]


# ------------------------------------------------------------------ sheets
def test_renamed_sheet_is_an_error_naming_file_sheet_and_the_likely_new_name(cli, tmp_path):
    p = example(tmp_path, lambda wb: setattr(wb["能源消费"], "title", "能源消耗"))
    app, fs = load_application(p)
    miss = by_code(fs, "sheet-missing", "error")
    assert len(miss) == 1 and miss[0].field == "能源消费"
    assert miss[0].where.endswith("申报.xlsx") and "“能源消耗”" in miss[0].message and "改回“能源消费”" in miss[0].message
    assert fs[0] is miss[0], "missing sheets come first"
    assert not app.energy
    r, found = check_json(cli, p)
    assert r.exit_code == 1 and "sheet-missing" in {f["code"] for f in found}


def test_missing_attachment_sheet_says_the_package_loses_its_evidence(cli, tmp_path):
    p = example(tmp_path, lambda wb: setattr(wb["附件"], "title", "附件清单"))
    app, fs = load_application(p)
    [miss] = by_code(fs, "sheet-missing")
    assert miss.field == "附件" and "附件清单" in miss.message and "不含任何证明材料" in miss.message
    assert "证据”写了" in miss.message
    assert not app.attachments
    assert cli("check", str(p)).exit_code == 1


def test_deleted_sheet_without_a_lookalike_is_still_an_error(tmp_path):
    def drop(wb):
        del wb["原始数据"]
        del wb["情况说明"]
    _, fs = load_application(example(tmp_path, drop))
    assert {f.field for f in by_code(fs, "sheet-missing", "error")} == {"原始数据", "情况说明"}


def test_renamed_basic_sheet_exits_2_with_the_guess(cli, tmp_path):
    p = example(tmp_path, lambda wb: setattr(wb["基本信息"], "title", "基本信息 "))
    r = cli("check", str(p))
    assert r.exit_code == 2 and "缺少工作表“基本信息”" in r.stderr and "“基本信息 ”" in r.stderr
    assert "Traceback" not in r.output


def test_park_and_supply_chain_need_no_product_sheet():
    for name in ("绿色园区", "汽车链主"):
        _, fs = load_application(EX / f"{name}-申报数据.xlsx")
        assert not by_code(fs, "sheet-missing")


def test_empty_energy_table_is_an_error_at_row_2(cli, tmp_path):
    def empty(wb):
        wb["能源消费"].delete_rows(2, 10)
    p = example(tmp_path, empty)
    _, fs = load_application(p)
    [e] = [f for f in fs if f.field == "能源消费" and f.severity == "error"]
    assert e.where.endswith("能源消费!A2") and "能源消费没有填写" in e.message
    assert cli("check", str(p)).exit_code == 1


def test_empty_energy_in_yaml_is_an_error_for_a_factory(tmp_path):
    def drop(text):
        head, rest = text.split("能源消费:", 1)
        return head + "能源消费: []\n" + rest.split("\n\n", 1)[1]
    _, fs = load_application(example_yaml(tmp_path, drop))
    assert any(f.field == "能源消费" and f.severity == "error" and "能源消费没有填写" in f.message for f in fs)


def test_empty_year_table_is_an_error_at_row_2(tmp_path):
    _, fs = load_application(example(tmp_path, lambda wb: wb["经济与能源汇总"].delete_rows(2, 10)))
    assert any(f.where.endswith("经济与能源汇总!A2") and "经济与能源汇总是空的" in f.message for f in fs)


# ------------------------------------------------------------------ year headers
@pytest.mark.parametrize("headers", [
    (2023, 2024, 2025), ("2023年", "2024年", "2025年"), ("'2023", "'2024", "'2025"), (2023.0, 2024.0, 2025.0),
    ("2023.0", "2024.0", "2025.0"), ("２０２３", "２０２４年", "２０２５"), ("二〇二三年", "二〇二四年", "二〇二五年"),
    ("二零二三年", "二零二四年", "二零二五年"), ("2023 年", " 2024 年 ", "2025年度"), ("二O二三年", "2024", "2025年")])
def test_year_header_variants(tmp_path, headers):
    def edit(wb):
        for i, h in enumerate(headers):
            wb["能源消费"].cell(1, 3 + i).value = h
            wb["原始数据"].cell(1, 4 + i).value = h
    app, fs = load_application(example(tmp_path, edit))
    assert not by_code(fs, "year-header"), fs
    ref, _ = load_application(XLSX)
    assert [e.amounts for e in app.energy] == [e.amounts for e in ref.energy]
    assert sorted(app.energy[0].amounts) == [2023, 2024, 2025]
    assert [r.amounts for r in app.raw] == [r.amounts for r in ref.raw]


def test_product_headers_in_chinese_numerals(tmp_path):
    def edit(wb):
        wb["产品"]["C1"] = "二〇二三年产量"
        wb["产品"]["F1"] = "二零二三年单位产品综合能耗"
    app, fs = load_application(example(tmp_path, edit))
    assert app.products[0].output[2023] == 31800 and app.products[0].unit_energy[2023] == 1668.1
    assert not by_code(fs, "year-header")


@pytest.mark.parametrize("bad", ["上年", "2023-2024", "20230", "年", "1985年"])
def test_bad_year_header_names_the_cell(tmp_path, bad):
    _, fs = load_application(example(tmp_path, lambda wb: wb["能源消费"].cell(1, 4, bad)))
    [e] = by_code(fs, "year-header")
    assert e.severity == "error" and e.where.endswith("能源消费!D1") and f"“{bad}”" in e.message


def test_numbers_under_an_empty_header_are_said(tmp_path):
    _, fs = load_application(example(tmp_path, lambda wb: setattr(wb["能源消费"]["E1"], "value", None)))
    [e] = by_code(fs, "year-header")
    assert e.where.endswith("能源消费!E1") and "没有年份" in e.message


def test_year_column_accepts_the_variants(tmp_path):
    def edit(wb):
        ws = wb["经济与能源汇总"]
        ws["A2"], ws["A3"], ws["A4"] = "2023年", "二〇二四年", "'2025"
    app, fs = load_application(example(tmp_path, edit))
    assert [y.year for y in app.years] == [2023, 2024, 2025]
    assert not [f for f in fs if f.severity == "error"]


# ------------------------------------------------------------------ merged and formula cells
def test_merged_cells_are_named(cli, tmp_path):
    def edit(wb):
        wb["基本信息"].merge_cells("B6:C6")      # 通讯地址 value + its note
        wb["基本信息"].merge_cells("C8:D8")      # note column only: a warning
        wb["能源消费"].merge_cells("C2:D2")      # loses the 2024 figure
    p = example(tmp_path, edit)
    _, fs = load_application(p)
    merged = {f.where.split(" ")[-1]: f for f in by_code(fs, "merged-cell")}
    assert set(merged) == {"基本信息!B6:C6", "基本信息!C8:D8", "能源消费!C2:D2"}
    assert merged["基本信息!B6:C6"].severity == "error" and "合并单元格 B6:C6：请取消合并" in merged["基本信息!B6:C6"].message
    assert merged["能源消费!C2:D2"].severity == "error"
    assert merged["基本信息!C8:D8"].severity == "warning"
    assert cli("check", str(p)).exit_code == 1


def _rewrite(path, fn):
    """Rewrite every member of the workbook's zip with fn(name, data) → data."""
    src = zipfile.ZipFile(path)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as out:
        for info in src.infolist():
            out.writestr(info, fn(info.filename, src.read(info)))
    src.close()
    path.write_bytes(buf.getvalue())


def _set_cached(path, cell: str, value: str):
    """Give a formula cell openpyxl wrote (<f>…</f><v></v>) the cached result Excel would have saved."""
    def fn(name, data):
        head, sep, tail = data.partition(f'<c r="{cell}"'.encode())
        if not sep or b"<f>" not in tail.partition(b"</c>")[0]:
            return data
        body, _, rest = tail.partition(b"</c>")
        return head + sep + body.replace(b"<v></v>", f"<v>{value}</v>".encode()) + b"</c>" + rest
    _rewrite(path, fn)


def test_formula_without_result_is_an_error_and_with_result_is_read(cli, tmp_path):
    def edit(wb):
        wb["能源消费"]["C3"] = "=21000+760"
        wb["能源消费"]["D3"] = "=22000+250"
    p = example(tmp_path, edit)
    _, fs = load_application(p)
    errs = {f.where.split(" ")[-1]: f for f in by_code(fs, "formula", "error")}
    assert set(errs) == {"能源消费!C3", "能源消费!D3"}
    assert "公式单元格 C3 没有计算结果（请在 Excel 中打开保存一次，或改为数值）" in errs["能源消费!C3"].message
    assert cli("check", str(p)).exit_code == 1
    # the same formulas as Excel saves them, with their results
    _set_cached(p, "C3", "21760")
    _set_cached(p, "D3", "22250")
    app, fs = load_application(p)
    assert not by_code(fs, "formula", "error")
    [note] = by_code(fs, "formula", "info")
    assert "2 个公式单元格（C3、D3）" in note.message
    assert app.energy[1].amounts == {2023: 21760, 2024: 22250, 2025: 22730}


# ------------------------------------------------------------------ codes Excel turns into numbers
@pytest.mark.parametrize("value,shown", [(911503001234567890.0, "9.11503E+17"), ("9.11503E+17", "9.11503E+17")])
def test_uscc_mangled_by_excel_is_explained_not_called_a_wrong_check_character(cli, tmp_path, value, shown):
    def edit(wb):
        wb["基本信息"].cell(row_of(wb["基本信息"], "统一社会信用代码"), 2).value = value
    p = example(tmp_path, edit)
    app, fs = load_application(p)
    [e] = by_code(fs, "uscc-number")
    assert e.severity == "error" and e.where.endswith("基本信息!B5")
    assert shown in e.message and "15 位有效数字" in e.message and "文本" in e.message
    assert app.info["uscc"].value is None
    r, found = check_json(cli, p)
    assert r.exit_code == 1
    codes = [f["code"] for f in found]
    assert "uscc-number" in codes and "uscc" not in codes and "required" not in codes


def test_uscc_as_an_exact_integer_is_read_with_a_warning(tmp_path):
    # openpyxl writes a big int as a float; another program may write all 18 digits (not lost yet)
    p = example(tmp_path, lambda wb: setattr(wb["基本信息"]["B5"], "value", 911503001234567890))
    _rewrite(p, lambda name, data: data.replace(b"<v>9.115030012345679e+17</v>", b"<v>911503001234567890</v>"))
    app, fs = load_application(p)
    [w] = by_code(fs, "uscc-number")
    assert w.severity == "warning" and app.info["uscc"].value == "911503001234567890"


def test_postcode_that_lost_its_leading_zero(tmp_path):
    def edit(wb):
        ws = wb["基本信息"]
        ws.cell(row_of(ws, "邮编"), 2).value = 16000
        ws.cell(row_of(ws, "行业代码"), 2).value = 3150
    app, fs = load_application(example(tmp_path, edit))
    [w] = by_code(fs, "code-number")
    assert w.field == "邮编" and "016000" in w.message
    assert app.info["postcode"].value == "016000" and app.info["industry_code"].value == "3150"


def test_uscc_float_in_yaml_is_explained(tmp_path):
    p = example_yaml(tmp_path, lambda t: t.replace("统一社会信用代码: 91150300MA0N7Q2X1A", "统一社会信用代码: 9.11503E+17"))
    _, fs = load_application(p)
    assert [f.severity for f in by_code(fs, "uscc-number")] == ["error"]


def test_init_writes_code_cells_as_text_with_a_note(cli, tmp_path):
    out = tmp_path / "blank.xlsx"
    assert cli("init", "factory", "-o", str(out)).exit_code == 0
    ws = load_workbook(out)["基本信息"]
    for label in ("统一社会信用代码", "行业代码", "邮编", "联系电话", "手机", "传真"):
        cell = ws.cell(row_of(ws, label), 2)
        assert cell.number_format == "@", label
        assert cell.comment is not None and "文本" in cell.comment.text, label
    assert "15 位有效数字" in ws.cell(row_of(ws, "统一社会信用代码"), 2).comment.text
    assert ws.cell(row_of(ws, "名称"), 2).number_format == "General"


# ------------------------------------------------------------------ units
def test_unit_table_is_consistent():
    tables = unit_tables()
    import gmdocs.application.spec as spec
    data = yaml.safe_load(spec.UNITS_FILE.read_text(encoding="utf-8"))
    for kind in ("energy", "unit_energy", "raw"):
        keys = [unit_key(row["spelling"]) for row in data[kind]]
        assert len(keys) == len(set(keys)), f"{kind}: a spelling twice"
        assert all(row.get("factor", 1) > 0 for row in data[kind])
    for u in UNIT_FACTORS:
        assert canonical_unit("energy", u) == (u, 1.0)
    # every unit a benchmark table row uses is a canonical 单位产品综合能耗单位
    used = set()
    for f in (ROOT / "standards" / "benchmark").glob("*.yaml"):
        for row in yaml.safe_load(f.read_text(encoding="utf-8")).get("rows") or ():
            if row.get("unit"):
                used.add(row["unit"])
    assert used <= set(data["unit_energy_canonical"]), used - set(data["unit_energy_canonical"])
    assert tables["unit_energy"][unit_key("千克标准煤/吨")] == ("kgce/t", 1.0)


@pytest.mark.parametrize("written,expected", [
    ("千克标准煤/吨", ("kgce/t", 1.0)), ("kgce/吨", ("kgce/t", 1.0)), ("公斤标准煤/吨", ("kgce/t", 1.0)),
    ("ｋｇｃｅ／ｔ", ("kgce/t", 1.0)), ("kgce / t", ("kgce/t", 1.0)), ("tce/t", ("kgce/t", 1000.0)),
    ("kgce/m2", ("kgce/m²", 1.0)), ("千卡/吨", None)])
def test_unit_energy_spellings(written, expected):
    assert canonical_unit("unit_energy", written) == expected


@pytest.mark.parametrize("written,expected", [
    ("万千瓦时", ("万千瓦时", 1.0)), ("万度", ("万kWh", 1.0)), ("KWH", ("kWh", 1.0)), ("kW·h", ("kWh", 1.0)),
    ("m3", ("m3", 1.0)), ("立方米", ("立方米", 1.0)), ("万 m³", ("万m³", 1.0)), ("万方", ("万m³", 1.0)),
    ("公斤", ("kg", 1.0)), ("千立方米", ("m³", 1000.0)), ("吨标准煤", None)])
def test_energy_spellings(written, expected):
    assert canonical_unit("energy", written) == expected


def test_raw_units_take_the_spellings_too():
    assert raw_unit_factor("mass", "公斤") == 1e-3
    assert raw_unit_factor("electricity", "万度") == 1e4
    assert raw_unit_factor("area", "㎡") == 1.0
    assert raw_unit_factor("co2", "tCO₂") == 1.0
    assert raw_unit_factor("volume", "kg") is None


def _benchmarks(cli, path):
    r = cli("score", str(path), "--json")
    assert r.exit_code in (0, 1), r.output
    return [(b["table"], b["position"], b["value"], b["unit"]) for b in as_json(r)["benchmarks"]]


def test_unit_energy_written_in_chinese_keeps_the_benchmark_comparison(cli, tmp_path):
    ref = _benchmarks(cli, example_yaml(tmp_path, name="ref.yaml"))
    assert ref and all(u == "kgce/t" for *_, u in ref)
    p = example_yaml(tmp_path, lambda t: t.replace("单位产品综合能耗单位: kgce/t", "单位产品综合能耗单位: 千克标准煤/吨"))
    assert _benchmarks(cli, p) == ref
    _, fs = load_application(p)
    assert not by_code(fs, "unit-unknown")
    # tce/t: the values are converted
    p = example_yaml(tmp_path, lambda t: t.replace("单位产品综合能耗单位: kgce/t", "单位产品综合能耗单位: tce/t").replace(
        "单位产品综合能耗: {2023: 1668.1, 2024: 1664.6, 2025: 1659.0}", "单位产品综合能耗: {2023: 1.6681, 2024: 1.6646, 2025: 1.659}"))
    got = _benchmarks(cli, p)
    assert [(t, pos, round(v, 6), u) for t, pos, v, u in got] == ref
    # in the workbook
    x = example(tmp_path, lambda wb: wb["产品"].cell(2, 9, "千克标准煤/吨"))
    app, fs = load_application(x)
    assert app.products[0].unit_energy_unit == "kgce/t" and not by_code(fs, "unit-unknown")


def test_unknown_unit_energy_unit_is_a_warning_naming_the_cell(cli, tmp_path):
    x = example(tmp_path, lambda wb: wb["产品"].cell(2, 9, "千卡/吨"))
    _, fs = load_application(x)
    [w] = by_code(fs, "unit-unknown")
    assert w.severity == "warning" and w.where.endswith("产品!I2") and "不与能效标杆水平/基准水平对标" in w.message
    p = example_yaml(tmp_path, lambda t: t.replace("单位产品综合能耗单位: kgce/t", "单位产品综合能耗单位: 千卡/吨"))
    _, fs = load_application(p)
    [w] = by_code(fs, "unit-unknown")
    line = next(i for i, ln in enumerate(p.read_text(encoding="utf-8").splitlines(), 1) if "千卡/吨" in ln)
    assert w.where.endswith(f"{p.name}:{line}")
    r = cli("check", str(p), "--json")
    assert "unit-unknown" in {f["code"] for f in as_json(r)["findings"]}


def test_energy_unit_spellings_check_clean(cli, tmp_path):
    def edit(wb):
        wb["能源消费"]["B2"] = "万度"
        wb["能源消费"]["B3"] = "吨"
        wb["能源消费"]["B4"] = "公吨"
    p = example(tmp_path, edit)
    app, fs = load_application(p)
    assert [e.unit for e in app.energy] == ["万kWh", "吨", "t"]
    r, found = check_json(cli, p)
    assert r.exit_code == 0 and "energy-carrier" not in {f["code"] for f in found}
    p = example(tmp_path, lambda wb: wb["能源消费"].cell(2, 2, "兆卡"), name="bad-unit.xlsx")
    r, found = check_json(cli, p)
    assert r.exit_code == 1 and any(f["code"] == "energy-carrier" and "兆卡" in f["message"] for f in found)


# ------------------------------------------------------------------ encrypted, old format, oversized
def _cfb(stream_names):
    """Enough of a compound file for the sniffing: the magic and the directory entry names (UTF-16LE)."""
    body = b"".join(n.encode("utf-16-le").ljust(64, b"\0") for n in ["Root Entry", *stream_names])
    return b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504 + body


def test_encrypted_workbook_is_said_as_such(cli, tmp_path):
    p = tmp_path / "加密.xlsx"
    p.write_bytes(_cfb(["EncryptionInfo", "EncryptedPackage"]))
    r = cli("check", str(p))
    assert r.exit_code == 2 and "已加密（设置了打开密码）" in r.stderr and "另存为 .xlsx" in r.stderr
    assert "zip" not in r.stderr and "Traceback" not in r.output


def test_old_xls_renamed_is_said_as_such(cli, tmp_path):
    p = tmp_path / "旧版.xlsx"
    p.write_bytes(_cfb(["Workbook", "\x05SummaryInformation"]))
    r = cli("check", str(p))
    assert r.exit_code == 2 and "旧版的 Excel 97-2003 工作簿" in r.stderr and "另存为 .xlsx" in r.stderr


def test_zip_bomb_is_refused_before_parsing(cli, tmp_path):
    p = tmp_path / "炸弹.xlsx"
    chunk = b"\0" * (1 << 20)
    with zipfile.ZipFile(p, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        with zf.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as fh:
            for _ in range(200):
                fh.write(chunk)
    assert p.stat().st_size < 2 << 20
    t = time.perf_counter()
    r = cli("check", str(p))
    assert time.perf_counter() - t < 2
    assert r.exit_code == 2 and "压缩炸弹" in r.stderr and "Traceback" not in r.output


def test_uncompressed_and_file_size_bounds(cli, tmp_path, monkeypatch):
    import gmdocs.limits as limits
    p = example(tmp_path)
    monkeypatch.setattr(limits, "MAX_UNCOMPRESSED_BYTES", 50_000)
    r = cli("check", str(p))
    assert r.exit_code == 2 and "解压后过大" in r.stderr
    monkeypatch.setattr(limits, "MAX_FILE_BYTES", 10_000)
    r = cli("check", str(p))
    assert r.exit_code == 2 and "太大" in r.stderr and "上限" in r.stderr


def test_not_a_zip_is_still_a_clear_error(cli, tmp_path):
    p = tmp_path / "文本.xlsx"
    p.write_text("名称,值\n", encoding="utf-8")
    r = cli("check", str(p))
    assert r.exit_code == 2 and "无法打开 Excel 文件（不是有效的 .xlsx）" in r.stderr


# ------------------------------------------------------------------ PDF attachments
def _pdf(path, content: bytes, declared=None, flate=False):
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [4 0 R] /Count 1 >>",
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> >> "
            b"/Contents 5 0 R >>",
            b"<< /Length %d%s >>\nstream\n" % (len(content) if declared is None else declared,
                                               b" /Filter /FlateDecode" if flate else b"") + content + b"\nendstream"]
    return write_pdf(path, objs)


def _with_attachment(tmp_path, pdf):
    return example_yaml(tmp_path, lambda t: t.replace(f"{EX.as_posix()}/证明材料/营业执照（示例）.pdf", str(pdf)))


def test_pdf_declaring_a_huge_stream_fails_check_not_build(cli, tmp_path):
    pdf = _pdf(tmp_path / "大流.pdf", b"BT /F1 12 Tf 72 760 Td (hi) Tj ET", declared=1 << 30)
    p = _with_attachment(tmp_path, pdf)
    r, found = check_json(cli, p)
    assert r.exit_code == 1
    [e] = [f for f in found if f["code"] == "attachment"]
    assert "超出安全上限" in e["message"] and "营业执照" in e["message"]
    r = cli("check", str(p))
    assert r.exit_code == 1 and "Traceback" not in r.output


def test_pdf_decompression_bomb_is_refused(tmp_path):
    from gmdocs.documents.pdf import check_attachment
    z, chunk = zlib.compressobj(1), b"0" * (1 << 20)
    data = b"".join(z.compress(chunk) for _ in range(80)) + z.flush()      # 80 MB inflated: over pypdf's 75 MB
    pdf = _pdf(tmp_path / "炸弹.pdf", data, flate=True)
    with pytest.raises(GmdocsError) as exc:
        check_attachment(pdf, "能源报表")
    assert "能源报表" in exc.value.message and "超出安全上限" in exc.value.message


def test_pdf_file_size_bound(tmp_path, monkeypatch):
    import gmdocs.limits as limits
    from gmdocs.documents.pdf import check_attachment
    pdf = _pdf(tmp_path / "普通.pdf", b"BT /F1 12 Tf 72 760 Td (hi) Tj ET")
    assert check_attachment(pdf, "营业执照") == 1
    big = _pdf(tmp_path / "大文件.pdf", b"BT /F1 12 Tf 72 760 Td (hello) Tj ET")
    monkeypatch.setattr(limits, "MAX_PDF_BYTES", 100)
    with pytest.raises(GmdocsError) as exc:
        check_attachment(big, "营业执照")
    assert "太大" in exc.value.message and "上限" in exc.value.message


@pytest.mark.parametrize("name", ["硅铁厂", "水泥厂", "绿色园区", "汽车链主"])
def test_the_fast_reader_reads_exactly_what_openpyxl_reads(monkeypatch, name):
    path = ROOT / "examples" / f"{name}-申报数据.xlsx"
    fast = load_application(path)
    monkeypatch.setenv("GMDOCS_XLSX_READER", "openpyxl")
    slow = load_application(path)
    assert fast[0] == slow[0]
    assert [f.to_json() for f in fast[1]] == [f.to_json() for f in slow[1]]


@pytest.mark.parametrize("reader", ["calamine", "openpyxl"])
def test_numbers_in_cells_formatted_as_dates_are_said_in_chinese(tmp_path, monkeypatch, reader):
    import warnings
    if reader == "openpyxl":
        monkeypatch.setenv("GMDOCS_XLSX_READER", "openpyxl")
    wb = load_workbook(XLSX)
    ws = wb["经济与能源汇总"]
    ws["C3"], ws["C3"].number_format = 45000, "yyyy-mm-dd"              # Excel shows 2023-03-15
    ws["B3"], ws["B3"].number_format = 1.0529962260839640e16, "yyyy-mm-dd"  # no date at all: Excel shows ####
    p = tmp_path / "日期格式.xlsx"
    wb.save(p)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        app, fs = load_application(p)
    assert not caught, [str(w.message) for w in caught]          # nothing in English on the user's terminal
    [c3] = [f for f in fs if f.where.endswith("经济与能源汇总!C3")]
    assert c3.severity == "error" and "日期格式（显示为 2023-03-15）" in c3.message and "datetime" not in c3.message
    b3 = [f for f in fs if f.where.endswith("经济与能源汇总!B3")]
    assert b3 and all("#VALUE!" not in f.message for f in b3)
    y = next(y for y in app.years if y.year == int(ws["A3"].value))
    assert y.output_value == 10529962260839640                       # the number the cell holds, not an error
    assert any("不是有效日期" in f.message and f.severity == "warning" for f in b3)
