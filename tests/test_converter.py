"""The warm LibreOffice converter: same PDF as one-shot, one soffice for many conversions, crash fallback,
a hang is an error, close() leaves nothing behind."""
import os
import shutil
import signal
import sys
import time
from pathlib import Path

import pytest
from docx import Document
from pypdf import PdfReader

from gmdocs.documents import converter, pdf
from gmdocs.documents.converter import WarmConverter
from gmdocs.errors import GmdocsError

SOFFICE = shutil.which("soffice")
UNO_PYTHON = converter.find_uno_python(SOFFICE) if SOFFICE else None
needs_lo = pytest.mark.skipif(SOFFICE is None, reason="LibreOffice not installed (CI installs it)")
needs_warm = pytest.mark.skipif(SOFFICE is None or UNO_PYTHON is None,
                                reason="LibreOffice or a Python with the uno module (python3-uno) not installed")

PAGES = ["第一页：绿色工厂能源管理体系", "第二页：单位产品综合能耗", "第三页：清洁生产审核结论"]


def make_docx(path: Path, pages=PAGES) -> Path:
    doc = Document()
    for i, text in enumerate(pages):
        doc.add_paragraph(text)
        if i < len(pages) - 1:
            doc.add_page_break()
    doc.save(str(path))
    return path


def text_of(p: Path) -> list[str]:
    return [(page.extract_text() or "").replace(" ", "") for page in PdfReader(str(p)).pages]


def group_processes(pgid: int) -> list[str]:
    """Live (not zombie) processes in the process group, as 'pid cmd'."""
    found = []
    for d in Path("/proc").iterdir():
        if not d.name.isdigit():
            continue
        try:
            fields = (d / "stat").read_text().rsplit(")", 1)[-1].split()
            cmd = (d / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        if fields[2] == str(pgid) and fields[0] != "Z":
            found.append(f"{d.name} {cmd}")
    return found


def processes_naming(word: str) -> list[str]:
    found = []
    for d in Path("/proc").iterdir():
        if not d.name.isdigit() or d.name == str(os.getpid()):
            continue
        try:
            state = (d / "stat").read_text().rsplit(")", 1)[-1].split()[0]
            cmd = (d / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        if word in cmd and state != "Z":
            found.append(f"{d.name} {cmd}")
    return found


@pytest.fixture(scope="module")
def warm():
    if SOFFICE is None or UNO_PYTHON is None:
        pytest.skip("LibreOffice or a Python with the uno module (python3-uno) not installed")
    conv = WarmConverter(SOFFICE).start()
    yield conv
    conv.close()


@pytest.fixture
def global_reset():
    converter.reset()
    yield
    converter.reset()


@needs_warm
def test_warm_pdf_has_the_text_and_the_page_count_of_one_shot(warm, tmp_path):
    src = make_docx(tmp_path / "三页.docx")
    (tmp_path / "w").mkdir()
    out = warm.convert(src, tmp_path / "w")
    assert out == tmp_path / "w" / "三页.pdf" and out.exists()
    got = text_of(out)
    assert len(got) == 3
    for page, text in zip(got, PAGES):
        assert text in page
    (tmp_path / "o").mkdir()
    one = pdf._to_pdf_oneshot(src, tmp_path / "o")
    assert len(PdfReader(str(one)).pages) == len(got)
    assert text_of(one) == got


@needs_warm
def test_many_conversions_reuse_one_soffice(warm, tmp_path):
    pid = warm.pid
    for i in range(3):
        src = make_docx(tmp_path / f"文档{i}.docx", [f"第{i}份文档", "续页"])
        out = warm.convert(src, tmp_path)
        assert text_of(out)[0].startswith(f"第{i}份文档")
        assert warm.pid == pid
    live = group_processes(pid)
    assert sum("soffice.bin" in p for p in live) == 1, live
    assert not warm.dead


@needs_warm
def test_to_pdf_uses_the_warm_converter_and_falls_back_to_one_shot_after_a_crash(tmp_path, monkeypatch, global_reset):
    monkeypatch.setenv("GMDOCS_CONVERTER", "warm")
    oneshots = []
    real = pdf._to_pdf_oneshot
    monkeypatch.setattr(pdf, "_to_pdf_oneshot", lambda *a: oneshots.append(a[0]) or real(*a))
    first = pdf.to_pdf(make_docx(tmp_path / "甲.docx"), tmp_path)
    conv = converter.get_converter()
    assert conv is not None and conv.started and oneshots == []
    assert first == tmp_path / "甲.pdf" and len(text_of(first)) == 3
    os.killpg(conv.pid, signal.SIGKILL)                 # LibreOffice crashes
    time.sleep(0.2)
    second = pdf.to_pdf(make_docx(tmp_path / "乙.docx", ["崩溃之后仍能转换"]), tmp_path)
    assert second == tmp_path / "乙.pdf" and "崩溃之后仍能转换" in text_of(second)[0]
    assert [p.name for p in oneshots] == ["乙.docx"]
    assert conv.dead and converter.get_converter() is None      # the warm converter is no longer used
    assert not conv.profile_dir.exists()


@needs_lo
def test_a_hang_is_an_error_not_a_hang(tmp_path):
    never_answers = [sys.executable, "-c",
                     "import sys, time; print('{\"ready\": true}', flush=True); sys.stdin.readline(); time.sleep(600)"]
    conv = WarmConverter(SOFFICE, worker_cmd=never_answers, timeout=1.5)
    conv.start()
    pid = conv.pid
    t0 = time.perf_counter()
    with pytest.raises(GmdocsError) as err:
        conv.convert(make_docx(tmp_path / "卡住.docx"), tmp_path)
    assert time.perf_counter() - t0 < 10
    assert err.value.exit_code == pdf.EXIT_TOOL
    assert "超时" in err.value.message and "1.5 秒" in err.value.message and "卡住.docx" in err.value.message
    assert conv.dead and group_processes(pid) == [] and not conv.profile_dir.exists()
    conv.close()


@needs_warm
def test_close_leaves_no_process_and_no_profile(tmp_path):
    conv = WarmConverter(SOFFICE)
    conv.convert(make_docx(tmp_path / "a.docx"), tmp_path)           # starts lazily
    assert conv.started and conv.profile_dir.is_dir()
    assert any("soffice.bin" in p for p in processes_naming(conv.pipe))
    pid, profile = conv.pid, conv.profile_dir
    conv.close()
    assert processes_naming(conv.pipe) == [] and group_processes(pid) == []
    assert not profile.exists()
    conv.close()                                                      # idempotent
    with pytest.raises(converter.ConverterCrashed):
        conv.convert(tmp_path / "a.docx", tmp_path)


@needs_lo
def test_converter_mode_from_the_environment(monkeypatch, global_reset):
    monkeypatch.setenv("GMDOCS_CONVERTER", "oneshot")
    assert converter.get_converter() is None
    monkeypatch.setenv("GMDOCS_CONVERTER", "warm")
    monkeypatch.setenv("GMDOCS_UNO_PYTHON", "/nonexistent/python3")
    with pytest.raises(GmdocsError) as err:
        converter.get_converter()
    assert err.value.exit_code == pdf.EXIT_TOOL and "uno" in err.value.message
    converter.reset()
    monkeypatch.setenv("GMDOCS_CONVERTER", "auto")
    assert converter.get_converter() is None                           # silently one-shot
    monkeypatch.setenv("GMDOCS_CONVERTER", "sometimes")
    with pytest.raises(GmdocsError):
        converter.get_converter()


def make_headed_docx(path: Path) -> Path:
    """Heading 1 on pages 1 and 3, Heading 2 on page 2, body text between."""
    doc = Document()
    doc.add_heading("一、工厂基本情况", level=1)
    doc.add_paragraph("正文")
    doc.add_page_break()
    doc.add_heading("（一）申报条件核查", level=2)
    doc.add_page_break()
    doc.add_heading("二、能源消费与能效对标", level=1)
    doc.save(str(path))
    return path


@needs_warm
def test_layout_gives_page_count_and_heading_pages_that_the_pdf_has(warm, tmp_path):
    src = make_headed_docx(tmp_path / "标题.docx")
    n, heads = warm.layout(src)
    assert n == 3
    assert heads == [("一、工厂基本情况", 1, 1), ("（一）申报条件核查", 2, 2), ("二、能源消费与能效对标", 1, 3)]
    out = warm.convert(src, tmp_path)
    from gmdocs.documents.build import _pdf_heading_pages
    assert _pdf_heading_pages(out, [(t, lv) for t, lv, _ in heads]) == (3, [1, 2, 3])


@needs_lo
def test_background_conversion_runs_while_python_works_and_a_kill_stops_it(tmp_path, monkeypatch, global_reset):
    monkeypatch.setenv("GMDOCS_CONVERTER", "oneshot")
    src = make_docx(tmp_path / "后台.docx")
    bg = pdf.Background()
    fut = bg.submit(src, tmp_path)
    assert not fut.done()                       # submit returns at once
    assert fut.result(timeout=120) == tmp_path / "后台.pdf"
    bg.close()
    # a conversion that is running when the build is interrupted is stopped, not waited for
    bg = pdf.Background()
    slow = bg.submit(make_docx(tmp_path / "中断.docx"), tmp_path)
    time.sleep(0.3)
    t0 = time.perf_counter()
    bg.close(kill=True)
    assert time.perf_counter() - t0 < 5
    assert slow.cancelled() or isinstance(slow.exception(timeout=5), GmdocsError)
    assert not processes_naming("中断.docx")
