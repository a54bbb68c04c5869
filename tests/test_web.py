"""The web page's routes without a browser (Starlette's test client): sessions, CSRF, live checks mapped to
fields, uploads, limits, isolation between sessions. The browser tests are in test_web_browser.py."""
import io
import re
import shutil
import zipfile
from pathlib import Path

import pytest
import yaml

pytest.importorskip("starlette")
from starlette.testclient import TestClient  # noqa: E402

from gmdocs.application.blank import skeleton  # noqa: E402
from gmdocs.application.formdata import data_from_form, field_of, form_sections, yaml_with_lines  # noqa: E402
from gmdocs.application.read import load_application  # noqa: E402
from gmdocs.application.spec import LABEL_TO_CATEGORY  # noqa: E402
from gmdocs.catalogue import load_catalogue  # noqa: E402
from gmdocs.errors import GmdocsError  # noqa: E402
from gmdocs.evaluate.checks import check_and_score  # noqa: E402
from gmdocs.web.app import create_app  # noqa: E402
from gmdocs.web.workspace import Workspaces, clean_name, inside  # noqa: E402

from .conftest import ROOT  # noqa: E402

EX = ROOT / "examples"
WRONG_USCC = "91150300MA0N7Q2X1B"       # check digit should be A
RIGHT_USCC = "91150300MA0N7Q2X1A"


@pytest.fixture(scope="module")
def cat():
    return load_catalogue(use_user_data=False)


@pytest.fixture
def app(tmp_path):
    return create_app(workspace_root=tmp_path / "ws")


def token(client, path="/apply") -> str:
    r = client.get(path)
    assert r.status_code == 200
    return re.search(r'name="csrf-token" content="([^"]+)"', r.text).group(1)


def form_values(sections) -> dict:
    out = {}
    for s in sections:
        out.update({f.name: f.value for f in s.fields})
        if s.table:
            out.update({f.name: f.value for row in s.table.rows for f in row})
    return out


# ---------------------------------------------------------------- the form is the init field table
@pytest.mark.parametrize("name", ["硅铁厂", "水泥厂", "绿色园区", "汽车链主"])
def test_form_round_trip_gives_the_same_findings_and_scores_as_the_file(cat, tmp_path, name):
    src = EX / f"{name}-申报数据.yaml"
    data = yaml.safe_load(src.read_text(encoding="utf-8"))
    sk = skeleton(cat, LABEL_TO_CATEGORY[data["类别"]], data["年度"])
    atts = [{"名称": a["名称"], "文件": str((src.parent / a["文件"]).resolve())} for a in data.get("附件", [])]
    text, where = yaml_with_lines(data_from_form(sk, form_values(form_sections(sk, data)), atts))
    out = tmp_path / "申报数据.yaml"
    out.write_text(text, encoding="utf-8")
    a1, f1 = load_application(src)
    a2, f2 = load_application(out)
    r1, e1 = check_and_score(a1, cat, None, f1)
    r2, e2 = check_and_score(a2, cat, None, f2)
    assert {(f.code, f.message) for f in r1.findings} == {(f.code, f.message) for f in r2.findings}
    assert (e1.self_total, e1.total, e1.veto) == (e2.self_total, e2.total, e2.veto)
    # every line that holds a value names the form field it came from
    lines = text.splitlines()
    n = next(i for i, ln in enumerate(lines, 1) if ln.strip().startswith("统一社会信用代码:"))
    assert field_of(f"申报数据.yaml:{n}", "申报数据.yaml", where) == "info.统一社会信用代码"


def test_form_fields_carry_units_choices_and_help_from_the_spec(cat):
    sk = skeleton(cat, "factory", 2026)
    secs = {s.key: s for s in form_sections(sk)}
    nature = next(f for f in secs["info"].fields if f.label == "单位性质")
    assert nature.type == "choice" and "民营" in nature.choices
    years = secs["years"].table
    assert years.columns[:3] == ["年份", "工业总产值", "工业增加值"]
    energy = next(f for f in years.rows[0] if f.label == "综合能耗")
    assert energy.unit == "tce" and "GB/T 2589" in energy.help
    assert "电力" in secs["energy"].table.rows[0][0].choices            # GB/T 2589 carriers
    assert any(f.help for row in secs["indicators"].table.rows for f in row)


def test_the_form_shows_the_years_conditions_next_to_their_fields(cat):
    help23 = {f.label: f.help for f in form_sections(skeleton(cat, "park", 2023))[0].fields}
    assert "2023年度申报条件：省级及以上工业园区" in help23["园区级别"]
    assert "2023年度申报条件：具备统一管理机构" in help23["管理机构"]
    sk25 = skeleton(cat, "park", 2025)
    help25 = {f.label: f.help for f in form_sections(sk25)[0].fields}
    assert "省级及以上" not in help25["园区级别"]                  # not carried to a year that does not say it
    assert "2025年度申报条件：申报园区须已列入省级绿色制造名单【未核实：单一来源】" in help25["已列入省级绿色制造名单"]
    years = form_sections(sk25)[1].table.rows[0]
    assert "2025年度的门槛未收录" in next(f.help for f in years if f.label == "工业增加值占比")
    assert "gmdocs" not in "".join(help23.values()) + "".join(help25.values())


# ---------------------------------------------------------------- pages, CSRF, live check
def test_pages_answer_in_chinese(app):
    with TestClient(app) as c:
        for path in ("/", "/apply", "/citecheck", "/search", "/evaluator", "/province"):
            r = c.get(path)
            assert r.status_code == 200 and 'lang="zh-CN"' in r.text, path
        assert c.get("/static/app.js").status_code == 200
        r = c.get("/search", params={"q": "绿色工厂评价通则"})
        assert "GB/T 36132" in r.text and "共" in r.text
        first = re.findall(r'class="hit-title">([^<]+)<', r.text)
        assert first[0].startswith("GB/T 36132") and len(first) == 20 and "显示更多" in r.text
        more = re.findall(r'class="hit-title">([^<]+)<', c.get("/search", params={"q": "绿色工厂评价通则", "limit": "40"}).text)
        assert more[:20] == first and len(more) > 20


def test_a_defect_in_a_page_is_a_chinese_page_with_a_report_file(app, monkeypatch, tmp_path):
    import gmdocs.search as search_pkg

    def broken(*a, **k):
        raise RuntimeError("boom in search")
    monkeypatch.setattr(search_pkg, "search", broken)
    monkeypatch.setenv("GMDOCS_CACHE", str(tmp_path / "cache"))
    with TestClient(app, raise_server_exceptions=False) as c:
        r = c.get("/search", params={"q": "绿色工厂"})
    assert r.status_code == 500 and 'lang="zh-CN"' in r.text and "内部错误" in r.text and "RuntimeError" in r.text
    assert "Traceback" not in r.text and "boom" not in r.text
    [report] = (tmp_path / "cache" / "错误报告").glob("gmdocs-*.txt")
    assert "GET /search" in report.read_text(encoding="utf-8") and "boom in search" in report.read_text(encoding="utf-8")
    assert str(report) in r.text                     # on this computer the user can open it
    # served to other computers (with an access token): no server path in the page
    remote = create_app(workspace_root=tmp_path / "ws2", token="t0ken")
    with TestClient(remote, raise_server_exceptions=False) as c:
        r = c.get("/search", params={"q": "绿色工厂", "token": "t0ken"})
    assert r.status_code == 500 and "内部错误" in r.text and str(tmp_path) not in r.text


def test_a_post_without_the_session_token_is_refused(app):
    with TestClient(app) as c:
        token(c)
        r = c.post("/apply/start", data={"mode": "form", "category": "factory", "year": "2026"})
        assert r.status_code == 403 and "CSRF" in r.text
        r = c.post("/api/check", data={"csrf": "forged"})
        assert r.status_code == 403


def test_live_check_puts_a_wrong_uscc_next_to_its_field_and_clears_it_when_fixed(app):
    with TestClient(app) as c:
        tok = token(c)
        r = c.post("/apply/start", data={"csrf": tok, "mode": "form", "category": "factory", "year": "2026"},
                   follow_redirects=False)
        assert r.status_code == 303 and r.headers["location"] == "/apply/form"
        page = c.get("/apply/form").text
        assert 'data-field="info.统一社会信用代码"' in page and "kgce" not in page.split("基本信息")[0]
        got = c.post("/api/check", data={"csrf": tok, "info.名称": "测试厂", "info.统一社会信用代码": WRONG_USCC}).json()
        bad = [f for f in got["findings"] if f["field"] == "info.统一社会信用代码"]
        assert bad and "校验码" in bad[0]["message"] and bad[0]["severity"] == "error"
        missing = {f["field"] for f in got["findings"] if "必填项未填写" in f["message"]}
        assert {"info.通讯地址", "info.法定代表人", "year.0.工业增加值"} <= missing     # the missing fields, each named
        gate = [f for f in got["findings"] if f["field"] == "gate.M1.结论"]
        assert gate and "M1" in gate[0]["message"]                   # a missing 基本要求 row at its own row
        assert any(f["label"] == "2023年工业增加值" for f in got["findings"])   # which year, not only the column
        got = c.post("/api/check", data={"csrf": tok, "info.名称": "测试厂", "info.统一社会信用代码": RIGHT_USCC}).json()
        assert not [f for f in got["findings"] if f["field"] == "info.统一社会信用代码"]
        # what was typed is kept: the form comes back with it
        assert RIGHT_USCC in c.get("/apply/form").text


def test_uploaded_yaml_fills_the_form_and_the_result_shows_scores_with_provenance(app):
    with TestClient(app) as c:
        tok = token(c)
        src = EX / "硅铁厂-申报数据.yaml"
        r = c.post("/apply/start", data={"csrf": tok, "mode": "upload"}, files={"file": (src.name, src.read_bytes())},
                   follow_redirects=False)
        assert r.headers["location"] == "/apply/form"
        assert "北辰硅铁合金有限公司" in c.get("/apply/form").text
        page = c.get("/apply/result").text
        assert re.search(r'id="self-total">78\.0<', page)
        assert "单位产品综合能耗" in page and "达到标杆水平" in page and "【未核实" in page
        assert "gmdocs rules" not in page            # the CLI's advice is said as the page's own buttons
        form = c.get("/rules/form")
        assert form.status_code == 200 and form.content[:2] == b"PK"


def test_uploaded_xlsx_is_checked_with_cell_references(app, tmp_path):
    from openpyxl import load_workbook
    src = EX / "水泥厂-申报数据.xlsx"
    wb = load_workbook(src)
    ws = wb["基本信息"]
    cell = next(r[1] for r in ws.iter_rows() if str(r[0].value or "").startswith("统一社会信用代码"))
    cell.value = "91110000MA00000001"
    bad = tmp_path / "水泥厂.xlsx"
    wb.save(bad)
    with TestClient(app) as c:
        tok = token(c)
        r = c.post("/apply/start", data={"csrf": tok, "mode": "upload"}, files={"file": (bad.name, bad.read_bytes())},
                   follow_redirects=False)
        assert r.headers["location"] == "/apply/result"
        page = c.get("/apply/result").text
        assert f"基本信息!{cell.coordinate}" in page and "统一社会信用代码" in page


def test_sessions_do_not_see_each_others_data(app):
    with TestClient(app) as a, TestClient(app) as b:
        tok = token(a)
        src = EX / "硅铁厂-申报数据.yaml"
        a.post("/apply/start", data={"csrf": tok, "mode": "upload"}, files={"file": (src.name, src.read_bytes())})
        assert "北辰硅铁合金有限公司" in a.get("/apply/form").text
        assert b.get("/apply/form", follow_redirects=False).headers["location"] == "/apply"
        assert "北辰硅铁合金有限公司" not in b.get("/apply/result", follow_redirects=True).text
        assert b.get("/jobs/0123456789abcdef").status_code == 404


def test_ending_the_session_removes_its_files(app, tmp_path):
    with TestClient(app) as c:
        tok = token(c)
        src = EX / "硅铁厂-申报数据.yaml"
        c.post("/apply/start", data={"csrf": tok, "mode": "upload"}, files={"file": (src.name, src.read_bytes())})
        folders = [p for p in (tmp_path / "ws").iterdir() if p.is_dir()]
        assert len(folders) == 1 and any(folders[0].rglob("*.yaml"))
        c.post("/end", data={"csrf": tok})
        assert not folders[0].exists()


def test_idle_workspaces_are_removed(tmp_path):
    ws = Workspaces(tmp_path / "w", idle_seconds=10)
    p = ws.path("0" * 32)
    (p / "x").write_text("1")
    assert ws.reap(now=0) == []                      # not idle yet
    import time
    assert ws.reap(now=time.monotonic() + 11) == ["0" * 32] and not p.exists()


# ---------------------------------------------------------------- limits, traversal, access
def test_an_oversized_upload_is_refused_with_a_chinese_message(tmp_path):
    app = create_app(workspace_root=tmp_path / "ws", max_upload=200_000)
    with TestClient(app) as c:
        tok = token(c)
        r = c.post("/apply/start", data={"csrf": tok, "mode": "upload"},
                   files={"file": ("大.yaml", b"x" * 300_000)})
        assert r.status_code == 413 and "上限" in r.text


def test_a_zip_bomb_is_refused_before_it_is_inflated(app, tmp_path):
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as z:
        with z.open("申报数据.xlsx", "w", force_zip64=True) as fh:
            chunk = b"\0" * (1 << 20)
            for _ in range(300):                      # declares 300 MB, compresses to ~300 KB
                fh.write(chunk)
    with TestClient(app) as c:
        tok = token(c, "/province")
        r = c.post("/province/run", data={"csrf": tok}, files={"files": ("申报.zip", bomb.getvalue())})
        assert r.status_code == 400 and "压缩包" in r.text and ("MB" in r.text or "上限" in r.text)
        assert not any((tmp_path / "ws").rglob("申报数据.xlsx"))


def test_uploaded_names_never_leave_the_session_folder(tmp_path):
    assert clean_name("../../etc/passwd") == "passwd"
    assert clean_name("..\\..\\Windows\\win.ini") == "win.ini"
    assert clean_name("C:\\x\\申报\x00数据.xlsx") == "申报数据.xlsx"
    assert clean_name("...") == "上传文件"
    base = tmp_path / "s"
    base.mkdir()
    with pytest.raises(GmdocsError):
        inside(base, base / ".." / "other")
    app = create_app(workspace_root=tmp_path / "ws")
    with TestClient(app) as c:
        tok = token(c)
        src = EX / "硅铁厂-申报数据.yaml"
        c.post("/apply/start", data={"csrf": tok, "mode": "upload"},
               files={"file": ("../../../../tmp/evil.yaml", src.read_bytes())})
        stored = list((tmp_path / "ws").rglob("evil.yaml"))
        assert stored and all((tmp_path / "ws") in p.parents for p in stored)
        assert not Path("/tmp/evil.yaml").exists()


def test_beyond_loopback_the_page_needs_the_access_token(tmp_path):
    app = create_app(workspace_root=tmp_path / "ws", token="s3cret")
    with TestClient(app) as c:
        r = c.get("/apply")
        assert r.status_code == 403 and "访问令牌" in r.text
        assert c.get("/?token=wrong").status_code == 403
        assert c.get("/?token=s3cret").status_code == 200
        assert c.get("/apply").status_code == 200         # the session carries it


def test_serve_refuses_a_remote_host_without_the_flag_and_a_taken_port():
    from gmdocs.web.serve import bind, serve
    with pytest.raises(GmdocsError) as err:
        serve("0.0.0.0", 0, open_browser=False)
    assert "--allow-remote" in err.value.message
    sock = bind("127.0.0.1", 0)
    try:
        with pytest.raises(GmdocsError) as err:
            bind("127.0.0.1", sock.getsockname()[1])
        assert "已被占用" in err.value.message
    finally:
        sock.close()


# ---------------------------------------------------------------- evaluator, province, 查新
def test_province_batch_preview_and_download(app):
    with TestClient(app) as c:
        tok = token(c, "/province")
        files = [("files", (p.name, p.read_bytes())) for p in sorted(EX.glob("*-申报数据.xlsx"))]
        r = c.post("/province/run", data={"csrf": tok}, files=files)
        assert r.status_code == 200
        rows = re.findall(r"<tr>(.*?)</tr>", r.text.split('id="summary"')[1], re.S)
        assert len(rows) == 1 + len(files)                 # header + one row per application
        assert "北辰硅铁合金有限公司" in r.text
        x = c.get("/province/report")
        assert x.status_code == 200 and x.content[:2] == b"PK"
        from openpyxl import load_workbook
        wb = load_workbook(io.BytesIO(x.content), read_only=True)
        cells = [str(v) for ws in wb.worksheets for row in ws.iter_rows(values_only=True) for v in row if v]
        assert any("硅铁厂-申报数据.xlsx" in v for v in cells)             # the names the user uploaded …
        assert not [v for v in cells if "/tmp/" in v or "申报数据/" in v]   # … not the server's folders


def test_evaluator_ledger_caps(app, tmp_path):
    rows = "".join(f"""
  - 年度: 2024
    受评价方名称: 厂{i}
    统一社会信用代码: 91110000MA0000{i:04d}
    类别: 绿色工厂
    层级: 国家级
    评价机构: 甲评价有限公司
    机构统一社会信用代码: 91110108MA01A2B3CF
    法定代表人: 王一
""" for i in range(16))
    ledger = tmp_path / "台账.yaml"
    ledger.write_text("项目:" + rows, encoding="utf-8")
    with TestClient(app) as c:
        tok = token(c, "/evaluator")
        r = c.post("/evaluator/upload", data={"csrf": tok, "year": "2024"},
                   files={"ledger": (ledger.name, ledger.read_bytes())})
        assert r.status_code == 200
        table = r.text.split('id="caps"')[1]
        assert "甲评价有限公司" in table and ">16<" in table and ">15<" in table and "超过上限" in table


def test_citecheck_upload_lists_citations(app, tmp_path):
    from docx import Document
    doc = Document()
    doc.add_paragraph("本报告依据 GB/T 36132-2018《绿色工厂评价通则》和 GB 16780-2021 编制。")
    p = tmp_path / "报告.docx"
    doc.save(str(p))
    with TestClient(app) as c:
        tok = token(c, "/citecheck")
        r = c.post("/citecheck", data={"csrf": tok}, files={"file": (p.name, p.read_bytes())})
        assert r.status_code == 200 and "GB/T 36132-2018" in r.text and "GB/T 36132-2025" in r.text
        assert c.get("/citecheck/report").content[:2] == b"PK"


def test_a_workbooks_attachments_go_where_its_sheet_names_them(app):
    with TestClient(app) as c:
        tok = token(c)
        src = EX / "硅铁厂-申报数据.xlsx"
        c.post("/apply/start", data={"csrf": tok, "mode": "upload"}, files={"file": (src.name, src.read_bytes())})
        before = c.get("/apply/result").text.split('id="score"')[0]
        assert "营业执照（示例）.pdf" in before and "不存在" in before
        assert "/tmp/" not in before and "uploads/" not in before      # no server path shown
        pdfs = sorted((EX / "证明材料").glob("*.pdf"))
        for p in pdfs:
            r = c.post("/apply/attachment", data={"csrf": tok}, files={"file": (p.name, p.read_bytes())},
                       follow_redirects=False)
            assert r.status_code == 303, r.text
        page = c.get("/apply/result").text
        assert "不存在" not in page.split('id="score"')[0]
        r = c.post("/apply/attachment", data={"csrf": tok}, files={"file": ("别的.pdf", pdfs[0].read_bytes())})
        assert r.status_code == 400 and "附件" in r.text


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice not installed (CI installs it)")
def test_build_job_reports_progress_and_only_its_session_downloads_it(app):
    import time
    with TestClient(app) as c, TestClient(app) as other:
        tok = token(c)
        src = EX / "硅铁厂-申报数据.yaml"
        c.post("/apply/start", data={"csrf": tok, "mode": "upload"}, files={"file": (src.name, src.read_bytes())})
        # the third-party report needs the evaluator's files first
        r = c.post("/apply/build", data={"csrf": tok, "report": "third-party", "draft": "on"})
        assert r.status_code == 400 and "评价机构" in r.text
        r = c.post("/apply/build", data={"csrf": tok, "report": "self", "date": "2026-03-31"}, follow_redirects=False)
        job = r.headers["location"].split("/")[2]
        for _ in range(1200):
            j = c.get(f"/jobs/{job}").json()
            if j["state"] in ("done", "failed"):
                break
            time.sleep(0.1)
        assert j["state"] == "done", j
        assert any("LibreOffice" in m for m in j["messages"]) and j["messages"][-1] == "完成"
        assert "/tmp/" not in "".join(j["messages"])
        assert other.get(f"/jobs/{job}").status_code == 404 and other.get(f"/download/{job}").status_code == 404
        z = zipfile.ZipFile(io.BytesIO(c.get(f"/download/{job}").content))
        assert {"申报材料汇编.pdf", "绿色工厂自评价报告.docx", "绿色工厂自评价报告.pdf", "评价说明（内部）.xlsx",
                "标准查新报告.xlsx"} <= set(z.namelist())


def test_serve_stops_on_ctrl_c_and_removes_every_session_folder(tmp_path):
    import os
    import signal
    import subprocess
    import sys
    import time
    import urllib.request
    env = {**os.environ, "TMPDIR": str(tmp_path), "XDG_CONFIG_HOME": str(tmp_path / "cfg")}
    env.pop("GMDOCS_DATA", None)
    p = subprocess.Popen([sys.executable, "-m", "gmdocs", "serve", "--port", "0", "--no-open"], cwd=ROOT, env=env,
                         stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        line = p.stderr.readline()
        url = re.search(r"http://\S+", line).group(0)
        with urllib.request.urlopen(url + "apply", timeout=30) as r:
            assert r.status == 200
        assert list(tmp_path.glob("gmdocs-web-*/*"))          # a session folder exists
        p.send_signal(signal.SIGINT)
        rc = p.wait(30)
        rest = p.stderr.read()
    finally:
        if p.poll() is None:
            p.kill()
    assert rc == 130 and "已中断" in rest and "Traceback" not in rest
    time.sleep(0.2)
    assert not list(tmp_path.glob("gmdocs-web-*"))


def test_rule_supplement_downloaded_filled_and_uploaded_counts_for_this_session_only(app, tmp_path):
    from openpyxl import load_workbook
    with TestClient(app) as c, TestClient(app) as other:
        tok = token(c)
        src = EX / "硅铁厂-申报数据.yaml"
        c.post("/apply/start", data={"csrf": tok, "mode": "upload"}, files={"file": (src.name, src.read_bytes())})
        def table(page):
            return page.split('id="indicators"')[1].split("</table>")[0]
        assert "【用户补充】" not in table(c.get("/apply/result").text)
        form = tmp_path / "规则补充表.xlsx"
        form.write_bytes(c.get("/rules/form").content)
        wb = load_workbook(form)
        ws = wb.worksheets[0]
        header = [str(v or "") for v in next(ws.iter_rows(min_row=1, max_row=1, values_only=True))]
        value_col, gap_col = header.index("数值") + 1, header.index("缺口编号") + 1
        source_col = next(i for i, h in enumerate(header, 1) if h.startswith("出处"))
        row = next(r for r in range(2, ws.max_row + 1) if str(ws.cell(r, gap_col).value or "").endswith("/max_points"))
        ws.cell(row, value_col).value = 5
        ws.cell(row, source_col).value = "GB/T 36132-2025 原文（用户持有）"
        wb.save(form)
        r = c.post("/rules/import", data={"csrf": tok}, files={"file": (form.name, form.read_bytes())})
        assert r.status_code == 200, r.text[:500]
        assert "【用户补充】" in table(r.text)
        # another session's catalogue is not touched
        tok2 = token(other)
        other.post("/apply/start", data={"csrf": tok2, "mode": "upload"}, files={"file": (src.name, src.read_bytes())})
        assert "【用户补充】" not in table(other.get("/apply/result").text)


@pytest.mark.parametrize("url,data,files,says", [
    ("/apply/start", {"mode": "form", "category": "foo", "year": "2026"}, None, "类别应为"),
    ("/apply/start", {"mode": "form", "category": "factory", "year": "abc"}, None, "四位数字的年份"),
    ("/apply/start", {"mode": "upload"}, {"file": ("a.yaml", b"\xff\xfe[[[")}, "不是 UTF-8 编码"),
    ("/apply/start", {"mode": "upload"}, {"file": ("a.yaml", "类别: [\n".encode())}, "第 2 行"),
    ("/apply/start", {"mode": "upload"}, {"file": ("a.xlsx", b"not a zip")}, "a.xlsx"),
    ("/apply/attachment", {}, {"file": ("a.pdf", b"%PDF-broken")}, "已损坏"),
    ("/evaluator/upload", {"year": "abc"}, {"ledger": ("l.yaml", "项目: []\n".encode())}, "四位数字的年份"),
    ("/province/run", {"year": "abc"}, {"files": ("a.yaml", "类别: 绿色工厂\n".encode())}, "四位数字的年份"),
])
def test_bad_input_gets_a_chinese_page_without_server_paths(tmp_path, url, data, files, says):
    app = create_app(workspace_root=tmp_path / "ws")
    with TestClient(app, raise_server_exceptions=False) as c:
        tok = token(c)
        r = c.post(url, data={"csrf": tok, **data}, files=files)
        assert r.status_code == 400 and says in r.text, r.text[-800:]
        assert str(tmp_path) not in r.text and "Traceback" not in r.text
