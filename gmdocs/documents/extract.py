"""Text of a user's document, in located chunks: .txt/.md lines, .docx paragraphs and cells, .pdf pages."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import EXIT_BAD_INPUT, GmdocsError
from ..fsutil import require_file

SUPPORTED = (".txt", ".md", ".docx", ".pdf")


@dataclass
class Chunk:
    location: str       # 第3行 / 第12段 / 表格1 第2行第3列 / 第4页
    text: str


@dataclass
class Extracted:
    file: str
    chunks: list[Chunk] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def extract(path: str | Path) -> Extracted:
    p = require_file(path, "文件")
    ext = p.suffix.lower()
    if ext not in SUPPORTED:
        raise GmdocsError(f"不支持的文件类型 {ext or '（无扩展名）'}：{p}（支持 {'、'.join(SUPPORTED)}）", EXIT_BAD_INPUT)
    if ext in (".txt", ".md"):
        return _text(p)
    if ext == ".docx":
        return _docx(p)
    return _pdf(p)


def _text(p: Path) -> Extracted:
    raw = p.read_bytes()
    for enc in ("utf-8-sig", "gb18030"):
        try:
            text = raw.decode(enc)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise GmdocsError(f"无法识别文件编码（既不是 UTF-8 也不是 GBK/GB18030）：{p}", EXIT_BAD_INPUT)
    out = Extracted(str(p))
    out.chunks = [Chunk(f"第{i}行", line) for i, line in enumerate(text.splitlines(), 1) if line.strip()]
    return out


def _docx(p: Path) -> Extracted:
    import zipfile

    from lxml import etree

    from .docxml import read_docx
    try:
        paras = read_docx(p)
    except (zipfile.BadZipFile, KeyError, OSError, etree.XMLSyntaxError) as exc:
        raise GmdocsError(f"无法打开 Word 文件（不是有效的 .docx）：{p}（{exc}）", EXIT_BAD_INPUT) from exc
    out = Extracted(str(p))
    out.chunks = [Chunk(para.where, para.text) for para in paras if para.text.strip()]
    return out


_GARBLE = re.compile(r"[\ufffd\ue000-\uf8ff]|\(cid:\d+\)")


def _pdf(p: Path) -> Extracted:
    import logging

    from pypdf import PdfReader
    from pypdf.errors import PdfReadError
    logging.getLogger("pypdf").setLevel(logging.ERROR)   # its English warnings would reach the user
    out = Extracted(str(p))
    from ..limits import check_pdf_size
    check_pdf_size(p, "PDF 文件")
    try:
        reader = PdfReader(str(p))
        if reader.is_encrypted:
            try:
                ok = reader.decrypt("")
            except Exception as exc:      # pypdf raises several types for unsupported encryption
                raise GmdocsError(f"PDF 已加密，无法读取：{p}（{exc}）", EXIT_BAD_INPUT) from exc
            if not ok:
                raise GmdocsError(f"PDF 已加密（需要密码），无法读取：{p}", EXIT_BAD_INPUT)
        pages = list(reader.pages)
    except GmdocsError:
        raise
    except (PdfReadError, OSError, ValueError, KeyError) as exc:
        raise GmdocsError(f"无法读取 PDF（文件损坏或不是 PDF）：{p}（{exc}）", EXIT_BAD_INPUT) from exc
    total_chars = garbled = 0
    for i, page in enumerate(pages, 1):
        try:
            text = page.extract_text() or ""
        except Exception as exc:          # a broken content stream on one page
            out.warnings.append(f"第{i}页文字提取失败：{exc}")
            continue
        total_chars += len(text.strip())
        garbled += len(_GARBLE.findall(text))
        if text.strip():
            out.chunks.append(Chunk(f"第{i}页", text))
    if total_chars == 0:
        out.warnings.append(f"PDF 共 {len(pages)} 页，没有可提取的文字（可能是扫描件或图片），无法查新；请提供可复制文字的 PDF 或 Word 文件。")
    elif garbled > max(5, total_chars // 20):
        out.warnings.append("PDF 提取出的文字有较多乱码（字体未嵌入编码表），查新结果可能不完整。")
    return out
