"""Batch checking into the 推荐汇总表: broken files, duplicates, evaluator caps, the XLSX as officers open it."""
import re
import shutil
import subprocess

import pytest
import yaml
from openpyxl import load_workbook

from .conftest import ROOT, as_json

EX = ROOT / "examples"


def _batch_dir(tmp_path):
    d = tmp_path / "申报材料"
    (d / "工厂").mkdir(parents=True)
    (d / "园区" / "深层").mkdir(parents=True)
    shutil.copytree(EX / "证明材料", d / "工厂" / "证明材料")
    shutil.copy(EX / "硅铁厂-申报数据.yaml", d / "工厂")
    shutil.copy(EX / "水泥厂-申报数据.xlsx", d / "工厂")
    shutil.copy(EX / "绿色园区-申报数据.yaml", d / "园区" / "深层")
    (d / "工厂" / "坏文件.yaml").write_text("类别: 绿色工厂\n基本信息: [未闭合\n", encoding="utf-8")
    (d / "工厂" / "假表格.xlsx").write_bytes(b"not a zip at all")
    (d / "工厂" / "~$硅铁厂-申报数据.xlsx").write_bytes(b"lock")       # Excel's lock file: skipped
    return d


def test_batch_keeps_going_past_broken_files_and_writes_a_filterable_summary(cli, tmp_path):
    d = _batch_dir(tmp_path)
    out = tmp_path / "推荐汇总表.xlsx"
    r = cli("batch", str(d), "-o", str(out), "--jobs", "2", "--json")
    assert r.exit_code == 1, r.output                      # two unreadable files
    js = as_json(r)
    assert js["count"] == 5
    bad = [a for a in js["applications"] if not a["ok"]]
    assert sorted(a["file"].rsplit("/", 1)[1] for a in bad) == ["假表格.xlsx", "坏文件.yaml"]
    assert all(a["error"] for a in bad)
    wb = load_workbook(out)
    assert wb.sheetnames == ["推荐汇总表", "检查发现", "评价机构项目数", "跨申报核对", "说明"]
    ws = wb["推荐汇总表"]
    headers = [c.value for c in ws[1]]
    assert headers[:3] == ["所在省市", "申报单位名称", "统一社会信用代码"] and "是否推荐" in headers
    assert ws.freeze_panes == "A2" and ws.auto_filter.ref.startswith("A1:")
    assert ws.max_row == 6
    names = [ws.cell(row=i, column=2).value for i in range(2, 7)]
    assert "（示例）北辰硅铁合金有限公司" in names and "（示例）江淮新材料产业园管理委员会" in names
    check_col = headers.index("检查结果") + 1
    assert sum(1 for i in range(2, 7) if str(ws.cell(row=i, column=check_col).value).startswith("无法读取")) == 2
    dv = ws.data_validations.dataValidation
    assert any('"是,否"' in (v.formula1 or "") for v in dv)
    total_col = headers.index("评价得分") + 1
    fesi_row = names.index("（示例）北辰硅铁合金有限公司") + 2
    assert ws.cell(row=fesi_row, column=total_col).value == 78
    findings = wb["检查发现"]
    assert findings.auto_filter.ref and findings.freeze_panes == "A2"
    assert any(c.value == "坏文件" for c in findings["B"])
    # what kind of check each finding is, in Chinese (the codes stay in --json)
    assert findings["D1"].value == "检查项"
    kinds = {c.value for c in findings["D"][1:]}
    assert kinds and not any(re.search(r"[A-Za-z]", k) for k in kinds) and "其他检查" not in kinds, kinds
    # two 2026 factories and a 2025 park: the batch says the years differ and which files are off the batch's year
    mixed = next(c for c in js["conflicts"] if c["kind"] == "申报年度不一致")
    assert "2026 年度 2 份、2025 年度 1 份" in mixed["message"] and "汇总按 2026 年度" in mixed["message"]
    assert [f.rsplit("/", 1)[1] for f in mixed["files"]] == ["绿色园区-申报数据.yaml"]
    assert "列未找到" in " ".join(str(c.value) for c in wb["说明"]["A"])


def _copies(folder, n, edit, name=lambda i: f"副本{i}.yaml"):
    """`n` copies of the 硅铁厂 example (with its evidence folder), each changed by `edit(data, i)`."""
    folder.mkdir()
    shutil.copytree(EX / "证明材料", folder / "证明材料")
    data = yaml.safe_load((EX / "硅铁厂-申报数据.yaml").read_text(encoding="utf-8"))
    for i in range(n):
        edit(data, i)
        (folder / name(i)).write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return folder


def test_duplicate_codes_and_park_factory_counts_are_cross_checked(cli, tmp_path):
    d = _copies(tmp_path / "dup", 3, lambda data, i: data["基本信息"].update(所在园区="（示例）江淮新材料产业园管理委员会"))
    park = yaml.safe_load((EX / "绿色园区-申报数据.yaml").read_text(encoding="utf-8"))
    park["基本信息"]["园区内绿色工厂数量"] = 2
    (d / "园区.yaml").write_text(yaml.safe_dump(park, allow_unicode=True), encoding="utf-8")
    out = tmp_path / "汇总.xlsx"
    r = cli("batch", str(d), "-o", str(out), "--jobs", "1", "--json")
    js = as_json(r)
    kinds = {c["kind"]: c for c in js["conflicts"]}
    assert kinds["重复申报"]["severity"] == "error" and "出现 3 次" in kinds["重复申报"]["message"]
    assert "本批次已有 3 家" in kinds["园区绿色工厂数量"]["message"]
    assert r.exit_code == 1
    rows = [[c.value for c in row] for row in load_workbook(out)["跨申报核对"].iter_rows(min_row=2)]
    assert any(row[1] == "重复申报" and row[0] == "错误" for row in rows)
    r = cli("batch", str(d), "-o", str(out), "--jobs", "1")
    assert r.exit_code == 2 and "已存在" in r.stderr


def test_evaluator_over_the_cap_in_a_batch(cli, tmp_path):
    d = _copies(tmp_path / "cap", 16, lambda data, i: data["基本信息"].update(
        第三方评价机构="（示例）华诚绿色制造评价中心有限公司", 评价机构法定代表人="何立平", 名称=f"（示例）第{i + 1}号工厂"),
        name=lambda i: f"厂{i:02d}.yaml")
    out = tmp_path / "汇总.xlsx"
    r = cli("batch", str(d), "-o", str(out), "--jobs", "2", "--json")
    js = as_json(r)
    cap = [c for c in js["conflicts"] if c["kind"] == "评价机构项目上限"]
    assert cap and "16 项" in cap[0]["message"] and "15" in cap[0]["message"]
    rows = [[c.value for c in row] for row in load_workbook(out)["评价机构项目数"].iter_rows(min_row=2)]
    assert rows[0][1] == 16 and rows[0][2] == 15 and rows[0][3] == "超过上限"


def test_check_and_score_take_several_files_and_json_errors_are_json(cli, tmp_path):
    d = _batch_dir(tmp_path)
    r = cli("check", str(EX / "硅铁厂-申报数据.yaml"), str(d / "工厂" / "坏文件.yaml"), "--json")
    js = as_json(r)
    assert r.exit_code == 2 and js["count"] == 2 and "error" in js["files"][1]
    r = cli("score", str(d / "园区"), "--json")
    assert as_json(r)["count"] == 1
    r = cli("check", str(tmp_path / "没有这个文件.yaml"), "--json")
    js = as_json(r)
    assert r.exit_code == 2 and "error" in js and js["exit_code"] == 2


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice 未安装")
def test_summary_opens_in_libreoffice_calc(cli, tmp_path):
    d = _batch_dir(tmp_path)
    out = tmp_path / "汇总.xlsx"
    cli("batch", str(d), "-o", str(out), "--jobs", "1")
    proc = subprocess.run(["soffice", "--headless", "--norestore", f"-env:UserInstallation={(tmp_path / 'lo').as_uri()}",
                           "--convert-to", "pdf", "--outdir", str(tmp_path), str(out)],
                          capture_output=True, text=True, timeout=180)
    pdf = tmp_path / "汇总.pdf"
    if proc.returncode != 0 or not pdf.exists():
        pytest.fail(f"LibreOffice Calc 无法打开汇总表：{proc.stderr or proc.stdout}")
    from pypdf import PdfReader
    text = "".join(p.extract_text() or "" for p in PdfReader(str(pdf)).pages)
    assert "统一社会信用代码" in text


def test_gmdocs_own_workbooks_in_the_folder_are_skipped_and_said(cli, tmp_path):
    d = tmp_path / "申报"
    d.mkdir()
    shutil.copytree(EX / "证明材料", d / "证明材料")
    shutil.copy(EX / "硅铁厂-申报数据.yaml", d)
    shutil.copy(EX / "水泥厂-申报数据.xlsx", d)
    assert cli("batch", str(d), "-o", str(d / "推荐汇总表.xlsx")).exit_code == 0
    assert cli("build", str(d / "硅铁厂-申报数据.yaml"), "-o", str(d / "输出"), "--no-pdf").exit_code == 0
    # run again over the same folder: last time's summary and the build's workbooks are not applications
    r = cli("batch", str(d), "-o", str(d / "第二次.xlsx"), "--json")
    assert r.exit_code == 0, r.output
    js = as_json(r)
    assert js["count"] == 2
    assert sorted(s["kind"] for s in js["skipped"]) == ["推荐汇总表", "标准查新报告", "评价说明（内部）"]
    assert "已跳过" in r.stderr and "不是申报数据" in r.stderr
    r = cli("check", str(d))
    assert r.exit_code == 0 and r.stderr.count("已跳过") == 4          # the second summary too
    # named on its own, a workbook is read as what the user says it is
    r = cli("check", str(d / "推荐汇总表.xlsx"))
    assert r.exit_code == 2 and "基本信息" in r.stderr
