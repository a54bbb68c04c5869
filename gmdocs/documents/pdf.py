"""PDF: DOCX → PDF with LibreOffice (headless, own temporary profile, timeout), and the one-file
submission package with pypdf (目录 page, a bookmark per document and attachment, page labels)."""
from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path

from ..errors import GmdocsError

EXIT_TOOL = 3
CONVERT_TIMEOUT_S = int(os.environ.get("GMDOCS_SOFFICE_TIMEOUT", "180"))

# LibreOffice font replacement: the government fonts the templates name → installed CJK fonts.
_FONT_TABLE = (("仿宋", "Noto Serif CJK SC"), ("仿宋_GB2312", "Noto Serif CJK SC"), ("FangSong", "Noto Serif CJK SC"),
               ("宋体", "Noto Serif CJK SC"), ("SimSun", "Noto Serif CJK SC"), ("楷体", "Noto Serif CJK SC"),
               ("黑体", "Noto Sans CJK SC"), ("SimHei", "Noto Sans CJK SC"),
               ("Times New Roman", "Liberation Serif"))


def find_soffice() -> str:
    env = os.environ.get("GMDOCS_SOFFICE")
    if env:
        if Path(env).exists() or shutil.which(env):
            return env
        raise GmdocsError(f"环境变量 GMDOCS_SOFFICE 指向的 LibreOffice 不存在：{env}", EXIT_TOOL)
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return found
    raise GmdocsError("未找到 LibreOffice（soffice），无法转换 PDF。请安装 LibreOffice（Debian/Ubuntu："
                      "apt-get install libreoffice-writer-nogui fonts-noto-cjk），或加 --no-pdf 只生成 DOCX。", EXIT_TOOL)


def _profile(base: Path) -> str:
    """A private LibreOffice profile with the CJK font replacement table."""
    user = base / "user"
    user.mkdir(parents=True, exist_ok=True)
    items = ['<item oor:path="/org.openoffice.Office.Common/Font/Substitution">'
             '<prop oor:name="Replacement" oor:op="fuse"><value>true</value></prop></item>']
    for i, (src, dst) in enumerate(_FONT_TABLE):
        items.append(
            f'<item oor:path="/org.openoffice.Office.Common/Font/Substitution/FontPairs">'
            f'<node oor:name="_{i}" oor:op="replace">'
            f'<prop oor:name="Always" oor:op="fuse"><value>true</value></prop>'
            f'<prop oor:name="OnScreenOnly" oor:op="fuse"><value>false</value></prop>'
            f'<prop oor:name="ReplaceFont" oor:op="fuse"><value>{src}</value></prop>'
            f'<prop oor:name="SubstituteFont" oor:op="fuse"><value>{dst}</value></prop></node></item>')
    (user / "registrymodifications.xcu").write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n<oor:items xmlns:oor="http://openoffice.org/2001/registry" '
        'xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
        + "".join(items) + "</oor:items>\n", encoding="utf-8")
    return base.resolve().as_uri()


def to_pdf(docx: Path, outdir: Path, cancelled: threading.Event | None = None) -> Path:
    """DOCX → `outdir / (docx.stem + ".pdf")`: with the process-wide warm LibreOffice (converter.py) when it
    can run, else with a one-shot soffice. A warm instance that crashed, or could not convert this document,
    is answered by redoing the conversion one-shot (same output, same error messages) — unless `cancelled`
    is set: then the conversion was stopped on purpose (see Background) and nothing is redone."""
    soffice = find_soffice()
    from .converter import ConversionFailed, ConverterCrashed, get_converter
    conv = get_converter(soffice)
    if conv is not None:
        try:
            return conv.convert(docx, outdir)
        except (ConverterCrashed, ConversionFailed):
            pass              # a crashed converter is dead: get_converter() will not hand it out again
    if cancelled is not None and cancelled.is_set():
        raise GmdocsError(f"PDF 转换已取消：{docx.name}", EXIT_TOOL)
    return _to_pdf_oneshot(docx, outdir, soffice, cancelled)


class Background:
    """PDF conversions that run while the build goes on: LibreOffice works in its own process, so Python can
    render, check and write the other files meanwhile. One conversion at a time, in the order submitted.

    close(kill=False) waits for what was submitted (each conversion is bounded by its timeout);
    close(kill=True) — Ctrl-C, SIGTERM — stops the conversion that is running and drops the queued ones."""

    def __init__(self) -> None:
        from concurrent.futures import ThreadPoolExecutor
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="gmdocs-pdf")
        self._futures: list = []
        self.cancelled = threading.Event()

    def submit(self, docx: Path, outdir: Path):
        fut = self._pool.submit(to_pdf, docx, outdir, self.cancelled)
        self._futures.append(fut)
        return fut

    def call(self, fn, *args):
        """Run `fn(*args)` in the conversion thread (it may convert or lay out with LibreOffice)."""
        fut = self._pool.submit(fn, *args)
        self._futures.append(fut)
        return fut

    def close(self, kill: bool = False) -> None:
        if kill and any(not f.done() for f in self._futures):
            self.cancelled.set()
            for f in self._futures:
                f.cancel()
            _stop_running()
        self._pool.shutdown(wait=True)


_RUNNING: set = set()                     # one-shot soffice processes now converting (for Background.close)
_RUNNING_LOCK = threading.Lock()


def _stop_running() -> None:
    import signal
    from .converter import busy_converter
    conv = busy_converter()
    if conv is not None:
        conv._kill()                      # its convert() raises at once; a new one starts when next needed
    with _RUNNING_LOCK:
        procs = list(_RUNNING)
    for proc in procs:
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass


def _to_pdf_oneshot(docx: Path, outdir: Path, soffice: str | None = None,
                    cancelled: threading.Event | None = None) -> Path:
    """One soffice process for one file, in its own process group: on a timeout or an interruption the whole
    group (soffice.bin included) is ended and its private profile removed."""
    import signal
    soffice = soffice or find_soffice()
    prof = tempfile.mkdtemp(prefix="gmdocs-lo-")
    proc = None
    try:
        cmd = [soffice, "--headless", "--norestore", "--nolockcheck", f"-env:UserInstallation={_profile(Path(prof))}",
               "--convert-to", "pdf", "--outdir", str(outdir), str(docx)]
        try:
            tmp = Path(prof) / "tmp"                      # LibreOffice's own lu*.tmp files go with the profile
            tmp.mkdir()
            proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                    start_new_session=True, env={**os.environ, "TMPDIR": str(tmp)})
            with _RUNNING_LOCK:
                _RUNNING.add(proc)
            if cancelled is not None and cancelled.is_set():     # stopped while it was starting
                os.killpg(proc.pid, signal.SIGKILL)
            try:
                stdout, stderr = proc.communicate(timeout=CONVERT_TIMEOUT_S)
            finally:
                with _RUNNING_LOCK:
                    _RUNNING.discard(proc)
            if cancelled is not None and cancelled.is_set():
                raise GmdocsError(f"PDF 转换已取消：{docx.name}", EXIT_TOOL)
        except subprocess.TimeoutExpired as exc:
            raise GmdocsError(f"LibreOffice 转换 PDF 超时（{CONVERT_TIMEOUT_S} 秒）：{docx.name}", EXIT_TOOL) from exc
        except OSError as exc:
            raise GmdocsError(f"无法运行 LibreOffice（{soffice}）：{exc}", EXIT_TOOL) from exc
    finally:
        if proc is not None and proc.poll() is None:        # timeout or Ctrl-C/SIGTERM: end soffice and its children
            for sig in (signal.SIGTERM, signal.SIGKILL):
                try:
                    os.killpg(proc.pid, sig)
                    proc.wait(timeout=3)
                    break
                except (ProcessLookupError, PermissionError):
                    break
                except subprocess.TimeoutExpired:
                    continue
        shutil.rmtree(prof, ignore_errors=True)
    out = outdir / (docx.stem + ".pdf")
    if proc.returncode != 0 or not out.exists():
        detail = (stderr or stdout or "").strip().splitlines()[-1:] or ["无输出"]
        raise GmdocsError(f"LibreOffice 未能把 {docx.name} 转换为 PDF（退出码 {proc.returncode}）：{detail[0]}", EXIT_TOOL)
    return out


def page_texts(pdf: Path) -> list[str]:
    """The text of each page. poppler's pdftotext (installed with LibreOffice's fonts and poppler-utils) reads a
    report in about 0.1 s where pypdf takes 0.5 s; pypdf is the fallback when pdftotext is absent or fails."""
    exe = shutil.which("pdftotext")
    if exe:
        try:
            proc = subprocess.run([exe, "-q", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, timeout=60)
        except (OSError, subprocess.SubprocessError):
            proc = None
        if proc is not None and proc.returncode == 0:
            pages = proc.stdout.decode("utf-8", "replace").split("\f")
            if pages and not pages[-1].strip():
                pages.pop()                     # pdftotext ends every page with a form feed
            return pages
    from pypdf import PdfReader
    return [(p.extract_text() or "") for p in PdfReader(str(pdf)).pages]


@dataclass
class Part:
    title: str
    path: Path
    attachment: bool = False


_PAGES: dict[tuple[str, int, int], int] = {}      # (path, mtime_ns, size) → page count of a good PDF


def check_attachment(path: Path, label: str) -> int:
    """Page count of a user's attachment; a clear error for a missing, encrypted or broken PDF.

    A file already found good is not parsed again while its size and modification time are unchanged
    (a batch names the same evidence PDFs many times)."""
    try:
        st = Path(path).stat()
        key = (str(Path(path).resolve()), st.st_mtime_ns, st.st_size)
    except OSError:
        key = None
    if key is not None and key in _PAGES:
        return _PAGES[key]
    n = _check_attachment(path, label)
    if key is not None:
        _PAGES[key] = n
    return n


def _check_attachment(path: Path, label: str) -> int:
    import logging

    from pypdf import PdfReader
    from pypdf.errors import LimitReachedError, PdfReadError, PyPdfError

    from ..limits import check_pdf_size
    logging.getLogger("pypdf").setLevel(logging.ERROR)
    if not path.exists():
        raise GmdocsError(f"附件“{label}”的文件不存在：{path}", 2)
    if path.suffix.lower() != ".pdf":
        raise GmdocsError(f"附件“{label}”不是 PDF 文件：{path}", 2)
    check_pdf_size(path, f"附件“{label}”的 PDF")
    try:
        reader = PdfReader(str(path))
        if reader.is_encrypted:
            raise GmdocsError(f"附件“{label}”是加密的 PDF，无法合并：{path}（请提供未加密的文件）", 2)
        n = len(reader.pages)
        for page in reader.pages:        # what packaging will read: every object of the page, its content decoded
            _read_page(page)
    except GmdocsError:
        raise
    except LimitReachedError as exc:
        raise GmdocsError(f"附件“{label}”的 PDF 含有超出安全上限的数据流（{exc}），无法合并：{path}（可能已损坏或是恶意"
                          "构造的文件；请用 PDF 软件打开后“另存为”或“优化/压缩”一次再附）", 2) from exc
    except (PyPdfError, PdfReadError, OSError, ValueError, KeyError, TypeError, AttributeError, IndexError,
            RecursionError, MemoryError) as exc:
        raise GmdocsError(f"附件“{label}”的 PDF 已损坏或无法读取：{path}（{type(exc).__name__}: {exc}）", 2) from exc
    if n == 0:
        raise GmdocsError(f"附件“{label}”的 PDF 没有页面：{path}", 2)
    return n


def _read_page(page) -> None:
    """Resolve every object a page refers to (its resources, annotations, content), as PdfWriter.append does when
    the package copies it, and decode its content: pypdf's limits (a stream declaring 1 GiB, a decompression bomb)
    are met here, by `check`, rather than in the middle of `build`."""
    from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject
    seen: set[tuple[int, int]] = set()
    stack = [page]
    while stack:
        obj = stack.pop()
        if isinstance(obj, IndirectObject):
            key = (obj.idnum, obj.generation)
            if key in seen:
                continue
            seen.add(key)
            obj = obj.get_object()
        if isinstance(obj, DictionaryObject):        # a stream is a dictionary too: its data was read with it
            stack.extend(v for k, v in obj.items() if k != "/Parent")
        elif isinstance(obj, ArrayObject):
            stack.extend(obj)
    contents = page.get_contents()
    if contents is not None:
        contents.get_data()


def _copy_outline(writer, reader, items, parent, offset: int) -> None:
    """Nest a document's own bookmarks (its headings) under its entry in the package."""
    last = None
    for item in items:
        if isinstance(item, list):
            if last is not None:
                _copy_outline(writer, reader, item, last, offset)
            continue
        try:
            page = reader.get_destination_page_number(item)
        except Exception:      # a bookmark without a page destination: skip it
            continue
        last = writer.add_outline_item(title=item.title, page_number=offset + page, parent=parent)


def toc_entries(parts: list[Part], counts: list[int], toc_pages: int = 1) -> tuple[list[int], list[tuple]]:
    """Where each part starts in the package (1-based, 目录 pages counted) and the 目录 entries
    [(title, printed page, is_attachment)] when the 目录 takes `toc_pages` pages."""
    starts, page = [], toc_pages + 1
    for n in counts:
        starts.append(page)
        page += n
    return starts, [(p.title, st - toc_pages, p.attachment) for p, st in zip(parts, starts)]


def package(parts: list[Part], toc_pdf_maker, out: Path, info: dict[str, str] | None = None) -> dict:
    """Merge documents and attachments behind a 目录 page. `toc_pdf_maker(entries) -> Path` renders the
    目录 page(s) for [(title, first_page, is_attachment)]. Returns a summary (pages, bookmarks). `info` gives
    the document properties a PDF reader shows (title, author, subject; the date is the creation date).

    Attachment pages are made A4 portrait and numbered "— N —" at the bottom, continuing the report's
    page numbers (the page labels); the report's pages keep their own footer, the 目录 has none."""
    from pypdf import PdfReader, PdfWriter

    from .attachments import number_attachment_pages, stamp_font
    counts = [len(PdfReader(str(p.path)).pages) if not p.attachment else check_attachment(p.path, p.title)
              for p in parts]
    toc_pages = 1
    for _ in range(3):   # the 目录 may itself take more than one page
        starts, entries = toc_entries(parts, counts, toc_pages)
        toc_pdf = toc_pdf_maker(entries)
        got = len(PdfReader(str(toc_pdf)).pages)
        if got == toc_pages:
            break
        toc_pages = got
    writer = PdfWriter()
    writer.append(str(toc_pdf), import_outline=False)
    writer.add_outline_item(title="目录", page_number=0)
    attach_parent = font = None
    for p, start, n in zip(parts, starts, counts):
        writer.append(str(p.path), import_outline=False)
        if p.attachment:
            font = font if font is not None else stamp_font(writer)
            number_attachment_pages(writer, start - 1, n, start - toc_pages, p.title, font)
            if attach_parent is None:
                attach_parent = writer.add_outline_item(title="附件", page_number=start - 1)
            writer.add_outline_item(title=p.title, page_number=start - 1, parent=attach_parent)
        else:
            parent = writer.add_outline_item(title=p.title, page_number=start - 1)
            reader = PdfReader(str(p.path))
            _copy_outline(writer, reader, reader.outline, parent, start - 1)
    total = len(writer.pages)
    writer.set_page_label(0, toc_pages - 1, style="/r")
    writer.set_page_label(toc_pages, total - 1, style="/D", start=1)
    writer.page_mode = "/UseOutlines"
    if info:
        keys = {"title": "/Title", "author": "/Author", "subject": "/Subject", "created": "/CreationDate"}
        writer.add_metadata({keys[k]: v for k, v in info.items()})
    with open(out, "wb") as fh:
        writer.write(fh)
    return {"pages": total, "toc_pages": toc_pages, "starts": starts}


DRAFT_WATERMARK = "草　稿"


_WATERMARK: bytes | None = None          # the watermark PDF once made in this process (it never changes)


def draft_watermark(work: Path) -> Path:
    """A one-page PDF with a large light-grey 草稿 in the middle of an A4 page (LibreOffice renders the CJK text;
    made once per process)."""
    global _WATERMARK
    if _WATERMARK is not None:
        out = work / "草稿水印.pdf"
        out.write_bytes(_WATERMARK)
        return out
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn
    from docx.shared import Cm, Pt, RGBColor
    doc = Document()
    sec = doc.sections[0]
    sec.page_width, sec.page_height = Cm(21.0), Cm(29.7)
    sec.top_margin = Cm(12.6)
    p = doc.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = p.add_run(DRAFT_WATERMARK)
    run.font.size = Pt(110)
    run.font.bold = True
    run.font.color.rgb = RGBColor(0xE3, 0xE3, 0xE3)
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), "黑体")
    src = work / "草稿水印.docx"
    doc.save(str(src))
    out = to_pdf(src, work)
    _WATERMARK = out.read_bytes()
    return out


def stamp_draft(pdf: Path, watermark: Path) -> None:
    """Put the 草稿 watermark under the content of every page (contents, report and attachments alike), rotated 45°."""
    from pypdf import PdfReader, PdfWriter, Transformation
    mark = PdfReader(str(watermark)).pages[0]
    reader = PdfReader(str(pdf))
    writer = PdfWriter(clone_from=reader)
    for page in writer.pages:
        w, h = float(page.mediabox.width), float(page.mediabox.height)
        mw, mh = float(mark.mediabox.width), float(mark.mediabox.height)
        scale = min(w / mw, h / mh)
        ctm = (Transformation().translate(-mw / 2, -mh / 2).scale(scale, scale).rotate(45)
               .translate(w / 2 + float(page.mediabox.left), h / 2 + float(page.mediabox.bottom)))
        page.merge_transformed_page(mark, ctm, over=False)
    tmp = pdf.with_suffix(".stamped.pdf")
    with open(tmp, "wb") as fh:
        writer.write(fh)
    os.replace(tmp, pdf)
