"""The web page in a real browser: `gmdocs serve` started as a subprocess, Debian's Chromium driven by Playwright.

  - applicant: a wrong 统一社会信用代码 typed in the form gets its finding next to the field while typing, and
    loses it when fixed; an uploaded YAML + a PDF attachment are scored (自评得分合计 78), built and the zip
    downloaded and opened (汇编, report DOCX and PDF, internal workbook; the PDF has the company's name);
    another browser session sees neither the job, its download nor the application;
  - province: several workbooks uploaded → the 推荐汇总表 preview (one row per application, sortable), the
    XLSX downloaded and opened;
  - safety: an oversized upload and a zip bomb are refused with a Chinese message;
  - screenshots of the main pages (1280×900); with GMDOCS_SCREENSHOTS=docs/screenshots they refresh the README's
    (GMDOCS_SCREENSHOTS=<folder> saves them elsewhere).

Every page is also checked for JavaScript errors and for requests that leave this computer (no CDN).
The fast tests of the routes without a browser are in test_web.py.
"""
from __future__ import annotations

import io
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import zipfile
from pathlib import Path

import pytest

from .conftest import ROOT

CHROMIUM = os.environ.get("GMDOCS_CHROMIUM", "/usr/bin/chromium")
if not Path(CHROMIUM).is_file():
    pytest.skip(f"没有 Chromium（{CHROMIUM}）：浏览器测试需要 Debian 的 chromium 包（.ci/install-system 安装）",
                allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api", reason="没有安装 Playwright（pip install playwright；"
                               "不需要 playwright install，测试使用系统的 Chromium）")
pytest.importorskip("starlette", reason="没有安装网页依赖（starlette）")
expect = sync_api.expect

EX = ROOT / "examples"
WRONG_USCC = "91150300MA0N7Q2X1B"          # the check digit should be A
RIGHT_USCC = "91150300MA0N7Q2X1A"
USCC = 'info.统一社会信用代码'
COMPANY = "北辰硅铁合金有限公司"
# README screenshots are refreshed on purpose (GMDOCS_SCREENSHOTS=docs/screenshots); a plain test run leaves the
# working tree as it was
SHOTS = Path(os.environ.get("GMDOCS_SCREENSHOTS") or Path(tempfile.gettempdir()) / f"gmdocs-screenshots-{os.getpid()}")
LAUNCH_ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
               "--disable-background-networking", "--disable-component-update", "--disable-sync", "--lang=zh-CN"]
VIEWPORT = {"width": 1280, "height": 900}
BUILD_TIMEOUT_MS = 180_000                  # the first build starts LibreOffice (5-20 s on a 2-core machine)


# ---------------------------------------------------------------- the server and the browser
class Server:
    """`python -m gmdocs serve --port 0 --no-open` in its own process group; the URL read from its stderr."""

    def __init__(self, tmp: Path, env: dict[str, str] | None = None) -> None:
        e = {k: v for k, v in os.environ.items() if k != "GMDOCS_DATA"}
        e.update({"XDG_CONFIG_HOME": str(tmp / "no-config"), "GMDOCS_CACHE": str(tmp / "cache"),
                  "PYTHONUNBUFFERED": "1", "TMPDIR": str(tmp)}, **(env or {}))
        self.log: list[str] = []
        self.url = ""
        self._ready = threading.Event()
        self.proc = subprocess.Popen([sys.executable, "-m", "gmdocs", "serve", "--port", "0", "--no-open"], cwd=ROOT,
                                     env=e, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                     text=True, encoding="utf-8", errors="replace", start_new_session=True)
        threading.Thread(target=self._read, daemon=True).start()
        if not self._ready.wait(60) or not self.url:
            self.stop()
            raise RuntimeError("gmdocs serve 未能启动：\n" + "".join(self.log))

    def _read(self) -> None:
        for line in self.proc.stderr:                       # drained to the end: a full pipe would block the server
            self.log.append(line)
            m = re.search(r"网页已启动：(http://\S+)", line)
            if m and not self.url:
                self.url = m.group(1).rstrip("/")
                self._ready.set()
        self._ready.set()

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)             # as Ctrl-C: the lifespan removes the sessions' folders
            try:
                self.proc.wait(30)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)     # the process group this test started
                self.proc.wait(10)


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    s = Server(tmp_path_factory.mktemp("serve"))
    yield s
    s.stop()


@pytest.fixture(scope="module")
def small_server(tmp_path_factory):
    """A server whose uploads are limited to 1 MB."""
    s = Server(tmp_path_factory.mktemp("serve-small"), {"GMDOCS_WEB_MAX_UPLOAD_MB": "1"})
    yield s
    s.stop()


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS, headless=True)
        yield b
        b.close()


class Page:
    """A fresh browser context (its own session cookie) on one server; records script errors and any request
    that leaves the server."""

    def __init__(self, browser, server: Server) -> None:
        self.server = server
        self.ctx = browser.new_context(viewport=VIEWPORT, locale="zh-CN", accept_downloads=True)
        self.ctx.set_default_timeout(30_000)
        self.page = self.ctx.new_page()
        self.errors: list[str] = []
        self.outside: list[str] = []
        self.page.on("pageerror", lambda exc: self.errors.append(str(exc)))
        self.failed: list[str] = []
        self.page.on("console", lambda m: self.errors.append(m.text)
                     if m.type == "error" and not m.text.startswith("Failed to load resource") else None)
        self.page.on("response", lambda r: self.failed.append(f"{r.status} {r.url.removeprefix(server.url)}")
                     if r.status >= 400 else None)
        self.page.on("request", lambda r: None if r.url.startswith((server.url, "data:", "blob:"))
                     else self.outside.append(r.url))

    def go(self, path: str):
        resp = self.page.goto(self.server.url + path)
        assert resp is not None and resp.ok, f"{path}: {resp.status if resp else '无响应'}"
        return resp

    def shot(self, name: str, full_page: bool = True, max_height: int | None = None) -> Path:
        """A screenshot for the README: the whole page, or its top `max_height` pixels."""
        SHOTS.mkdir(parents=True, exist_ok=True)
        out = SHOTS / name
        clip = {"x": 0, "y": 0, "width": VIEWPORT["width"], "height": max_height} if max_height else None
        self.page.screenshot(path=str(out), full_page=full_page, clip=clip)
        assert out.stat().st_size > 10_000
        return out

    def close(self) -> None:
        self.ctx.close()
        assert not self.outside, f"页面请求了本机以外的地址：{self.outside}"

    def assert_clean(self, refused: tuple[str, ...] = ()) -> None:
        """No script error; no failed request but the `refused` ones ("413 /apply/start") and the icon the
        browser asks for by itself."""
        failed = [f for f in self.failed if f not in refused and not f.endswith(" /favicon.ico")]
        assert not self.errors and not failed, \
            f"页面脚本错误：{self.errors}；失败的请求：{failed}\n服务器输出：{''.join(self.server.log[-40:])}"


@pytest.fixture
def page(browser, server):
    p = Page(browser, server)
    yield p
    p.close()


@pytest.fixture
def small_page(browser, small_server):
    p = Page(browser, small_server)
    yield p
    p.close()


def field(pg, name: str):
    return pg.locator(f'[data-field="{name}"]')


def finding(pg, name: str):
    return pg.locator(f'.finding[data-for="{name}"]')


# ---------------------------------------------------------------- home and search
def test_home_page_and_search_rank_the_standard_first(page):
    pg = page.page
    page.go("/")
    expect(pg.locator("h1")).to_have_text("绿色制造名单申报与评价")
    expect(pg.locator(".cards .card")).to_have_count(4)
    assert pg.evaluate("getComputedStyle(document.body).fontFamily").startswith('"Noto Sans CJK SC"')
    page.shot("home.png")
    pg.locator('form.search input[name="q"]').fill("绿色工厂评价通则")
    pg.locator("form.search button").click()
    pg.wait_for_url(re.compile(r"/search\?q="))
    expect(pg.locator("#hit-count")).to_contain_text("共")
    first = pg.locator("ol.hits li .hit-title").first
    expect(first).to_contain_text("绿色工厂评价通则")
    expect(first).to_contain_text("GB/T 36132")
    page.shot("search.png")
    page.assert_clean()


# ---------------------------------------------------------------- applicant
def test_applicant_sees_a_wrong_uscc_next_to_the_field_while_typing(page):
    pg = page.page
    page.go("/apply")
    pg.locator("#category").select_option(label="绿色工厂")
    pg.locator("#year").select_option("2026")
    pg.locator("#start-form").click()
    pg.wait_for_url(re.compile(r"/apply/form$"))
    expect(pg.locator("h1")).to_contain_text("绿色工厂 · 2026")
    expect(pg.locator("#counts")).to_contain_text("错误")          # the first check (empty form) is back
    expect(finding(pg, USCC)).to_contain_text("必填项未填写")       # empty form: the field is required

    field(pg, "info.名称").fill("（示例）北辰硅铁合金有限公司")
    field(pg, USCC).fill(WRONG_USCC)
    slot = finding(pg, USCC)
    expect(slot).to_contain_text("校验码错误：第 18 位应为 A，实际为 B")
    expect(slot).to_have_class(re.compile(r"\berror\b"))
    expect(field(pg, USCC)).to_have_class(re.compile(r"\bbad\b"))
    expect(pg.locator("#findings li.error", has_text=WRONG_USCC)).to_have_count(1)
    assert pg.url.endswith("/apply/form")                        # checked live, nothing submitted
    field(pg, USCC).blur()                                        # the red border shows, not the focus ring
    page.shot("form-finding.png", full_page=False)

    field(pg, USCC).fill(RIGHT_USCC)
    expect(slot).to_have_text("")
    expect(field(pg, USCC)).not_to_have_class(re.compile(r"\bbad\b"))
    expect(pg.locator("#findings li", has_text="统一社会信用代码 9115")).to_have_count(0)
    page.assert_clean()


def test_applicant_uploads_data_and_an_attachment_scores_builds_and_downloads_the_package(page, browser, tmp_path):
    from pypdf import PdfReader
    if shutil.which("soffice") is None:
        pytest.skip("没有 LibreOffice（soffice）：生成 PDF 需要它（.ci/install-system 安装）")
    pg = page.page
    page.go("/apply")
    pg.locator("#upload-file").set_input_files(str(EX / "硅铁厂-申报数据.yaml"))
    pg.locator("#upload-go").click()
    pg.wait_for_url(re.compile(r"/apply/form$"))
    expect(pg.locator("p.msg")).to_contain_text("已载入 硅铁厂-申报数据.yaml")
    expect(field(pg, USCC)).to_have_value(RIGHT_USCC)
    expect(pg.locator("#counts")).to_contain_text("自评得分合计 78")

    att = pg.locator("#attachments")
    att.locator('input[name="name"]').fill("营业执照")
    att.locator('input[type="file"]').set_input_files(str(EX / "证明材料" / "营业执照（示例）.pdf"))
    att.locator('button[type="submit"]').click()
    pg.wait_for_url(re.compile(r"/apply/form#attachments$"))
    expect(pg.locator("#attachments li")).to_have_text(["营业执照"])

    pg.locator("#to-result").click()
    pg.wait_for_url(re.compile(r"/apply/result$"))
    expect(pg.locator("h1")).to_contain_text(COMPANY)
    expect(pg.locator("#self-total")).to_have_text("78.0")
    expect(pg.locator("#check-counts")).to_have_text("错误 0 处，警告 0 处")
    expect(pg.locator("#indicators tbody tr").first).to_be_visible()
    page.shot("result.png", max_height=1600)                  # 检查, 评分 and the first indicators with their sources

    build = pg.locator("#build-form")
    expect(build.locator('input[name="draft"]')).to_be_checked()
    build.locator("#build-go").click()
    pg.wait_for_url(re.compile(r"/jobs/[0-9a-f]+/page$"))
    expect(pg.locator("#job-state")).to_have_text("已完成", timeout=BUILD_TIMEOUT_MS)
    expect(pg.locator("#job-files li")).to_contain_text(["申报材料汇编.pdf"])
    expect(pg.locator("#job-log li").last).to_have_text("完成")   # the progress lines of the build
    assert pg.locator("#job-log li").count() > 3
    page.shot("job-done.png")

    with pg.expect_download() as info:
        pg.locator("#job-download").click()
    dl = info.value
    assert dl.suggested_filename.endswith(".zip")
    zpath = tmp_path / "申报文件.zip"
    dl.save_as(zpath)
    with zipfile.ZipFile(zpath) as z:
        names = set(z.namelist())
        assert {"申报材料汇编.pdf", "绿色工厂自评价报告.docx", "绿色工厂自评价报告.pdf", "评价说明（内部）.xlsx"} <= names
        assert not any("/" in n or n.startswith(".") for n in names)
        report = PdfReader(io.BytesIO(z.read("绿色工厂自评价报告.pdf")))
        bundle = PdfReader(io.BytesIO(z.read("申报材料汇编.pdf")))
        docx = z.read("绿色工厂自评价报告.docx")
    assert len(report.pages) > 5
    text = "".join(p.extract_text() or "" for p in report.pages[:3])
    assert COMPANY in text.replace(" ", "")
    assert len(bundle.pages) > len(report.pages)                 # the report and the uploaded 营业执照
    assert bundle.outline                                        # bookmarks
    assert COMPANY.encode("utf-8") in zipfile.ZipFile(io.BytesIO(docx)).read("word/document.xml")
    page.assert_clean()

    # another browser (another session) sees neither the job, nor its download, nor the application
    job_url = pg.url
    other = Page(browser, page.server)
    try:
        assert other.page.goto(job_url).status == 404
        expect(other.page.locator("body")).to_contain_text("没有这个任务")
        assert other.page.goto(job_url.replace("/jobs/", "/download/").removesuffix("/page")).status == 404
        other.go("/apply/result")
        assert other.page.url.endswith("/apply")                  # no application in this session
        assert COMPANY not in other.page.content()
    finally:
        other.close()


# ---------------------------------------------------------------- province
def test_province_uploads_several_workbooks_sorts_the_preview_and_downloads_the_summary(page, tmp_path):
    from openpyxl import load_workbook
    pg = page.page
    files = sorted(EX.glob("*-申报数据.xlsx"))
    assert len(files) >= 3
    page.go("/province")
    expect(pg.locator("#summary")).to_have_count(0)
    pg.locator("#batch-files").set_input_files([str(f) for f in files])
    pg.locator("#batch-go").click()
    pg.wait_for_url(re.compile(r"/province$"))
    expect(pg.locator("#batch-counts")).to_contain_text(f"共 {len(files)} 份")
    rows = pg.locator("#summary tbody tr")
    expect(rows).to_have_count(len(files))

    headers = [h.strip() for h in pg.locator("#summary thead th").all_text_contents()]
    col = next(i for i, h in enumerate(headers) if "名称" in h or "单位" in h)
    th = pg.locator("#summary thead th").nth(col)

    def column() -> list[str]:
        return [r.strip() for r in pg.locator(f"#summary tbody tr td:nth-child({col + 1})").all_text_contents()]

    names = column()
    assert len(set(names)) == len(files) and all(names)
    order = pg.evaluate("xs => xs.slice().sort((a, b) => a.localeCompare(b, 'zh-CN'))", names)
    th.click()
    expect(th).to_have_attribute("data-dir", "asc")
    assert column() == order
    th.click()
    expect(th).to_have_attribute("data-dir", "desc")
    assert column() == order[::-1]
    page.shot("province.png")

    with pg.expect_download() as info:
        pg.locator("#batch-download").click()
    out = tmp_path / "推荐汇总表.xlsx"
    info.value.save_as(out)
    wb = load_workbook(out, read_only=True)
    try:
        assert "推荐汇总表" in wb.sheetnames
        cells = {str(v) for r in wb["推荐汇总表"].iter_rows(values_only=True) for v in r if v is not None}
    finally:
        wb.close()
    assert set(names) <= cells
    page.assert_clean()


# ---------------------------------------------------------------- safety
def test_an_oversized_upload_is_refused_with_a_chinese_message(small_page, tmp_path):
    pg = small_page.page
    big = tmp_path / "大文件-申报数据.yaml"
    big.write_bytes(b"# " + b"x" * (2 * 1024 * 1024) + b"\n")
    small_page.go("/apply")
    pg.locator("#upload-file").set_input_files(str(big))
    with pg.expect_response(lambda r: r.url.endswith("/apply/start")) as info:
        pg.locator("#upload-go").click()
    assert info.value.status == 413
    expect(pg.locator("body")).to_contain_text("上限")
    expect(pg.locator("body")).to_contain_text("已拒绝")
    small_page.assert_clean(refused=("413 /apply/start",))


def test_a_zip_bomb_is_refused_with_a_chinese_message(small_page, tmp_path):
    pg = small_page.page
    bomb = tmp_path / "申报材料.zip"
    chunk = b"\0" * (1 << 20)
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as z, z.open("申报数据.xlsx", "w", force_zip64=True) as fh:
        for _ in range(300):                              # declares 300 MB of zeros, ~300 KB compressed
            fh.write(chunk)
    assert bomb.stat().st_size < 1024 * 1024             # under the upload limit: the bomb itself is refused
    small_page.go("/province")
    pg.locator("#batch-files").set_input_files(str(bomb))
    with pg.expect_response(lambda r: r.url.endswith("/province/run")) as info:
        pg.locator("#batch-go").click()
    assert info.value.status == 400
    body = pg.locator("body")
    expect(body).to_contain_text("上传的压缩包")
    expect(body).to_contain_text("压缩炸弹")
    expect(body).to_contain_text("已拒绝")
    small_page.assert_clean(refused=("400 /province/run",))
