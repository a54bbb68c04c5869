"""Bounds on the files users hand in, checked before a parser sees them.

An XLSX or DOCX is a zip: a 1 MB file can declare a member of a gigabyte of zeros (a "zip bomb"), and
openpyxl, python-docx or docxtpl would inflate it. `check_zip_bounds` looks at the file size and at the
zip's central directory (the sizes every member declares) first, and refuses with a Chinese message.
Python's zipfile never inflates a member beyond the size its directory entry declares, so bounding the
declared sizes bounds what the parsers read.

A Microsoft compound file (OLE/CFB, starts D0 CF 11 E0) named .xlsx or .docx is either a password-protected
workbook/document (Office encrypts the whole zip into a compound file) or the old binary format (.xls/.doc):
both are said as such instead of "not a zip file".

PDF attachments are bounded by size only (`MAX_PDF_BYTES`); pypdf bounds each decompressed stream itself
(documents/pdf.py reads every page's content the way the package will and reports pypdf's limits).
"""
from __future__ import annotations

import zipfile
from pathlib import Path

from .errors import EXIT_BAD_INPUT, GmdocsError

MB = 1024 * 1024
MAX_FILE_BYTES = 20 * MB              # an application workbook or a DOCX template
MAX_UNCOMPRESSED_BYTES = 100 * MB     # the sum of the sizes the zip's members declare
MAX_MEMBERS = 10_000
MAX_RATIO = 200                       # inflated / compressed, for a member over RATIO_FLOOR once inflated
RATIO_FLOOR = 5 * MB
MAX_PDF_BYTES = 200 * MB              # a PDF attachment (scans are large; pypdf bounds each stream)

CFB_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTED = "EncryptedPackage".encode("utf-16-le")        # the stream an encrypted OOXML file keeps the zip in
_XLS_STREAMS = ("Workbook".encode("utf-16-le"), "Book".encode("utf-16-le"))
_DOC_STREAM = "WordDocument".encode("utf-16-le")

_OFFICE = {".xlsx": ("Excel", ".xlsx", ".xls", "Excel 97-2003 工作簿"),
           ".xlsm": ("Excel", ".xlsx", ".xls", "Excel 97-2003 工作簿"),
           ".docx": ("Word", ".docx", ".doc", "Word 97-2003 文档")}


def _mb(n: int) -> str:
    return f"{n / MB:,.1f} MB"


def _compound(path: Path, what: str, disp: str, head: bytes) -> GmdocsError:
    """The error for a compound file where a zip was expected: encrypted, or the old binary format."""
    app, ext, old_ext, old_name = _OFFICE.get(path.suffix.lower(), ("Office", path.suffix.lower() or ".xlsx", "",
                                                                    "旧版 Office 文件"))
    try:
        data = path.read_bytes()          # at most MAX_FILE_BYTES: the size was checked first
    except OSError:
        data = head
    if _ENCRYPTED in data:
        return GmdocsError(f"{what}已加密（设置了打开密码），无法读取：{disp}。请在 {app} 中打开，去掉密码"
                           f"（文件 → 信息 → 保护 → 用密码进行加密，清空密码）后另存为 {ext}", EXIT_BAD_INPUT)
    if old_ext and (any(s in data for s in _XLS_STREAMS) if old_ext == ".xls" else _DOC_STREAM in data):
        return GmdocsError(f"{what}是旧版的 {old_name}（{old_ext} 格式，只是扩展名改成了 {ext}）：{disp}。"
                           f"请在 {app} 中打开，另存为 {ext} 格式", EXIT_BAD_INPUT)
    return GmdocsError(f"{what}是 Office 复合文档（OLE），不是 {ext} 格式：{disp}。请在 {app} 中打开，"
                       f"另存为 {ext} 格式（如果设置了打开密码，请先去掉）", EXIT_BAD_INPUT)


def open_zip_checked(path: str | Path, what: str, disp: str | None = None, *, max_bytes: int | None = None,
                     max_uncompressed: int | None = None) -> zipfile.ZipFile:
    """The zip at `path`, opened after its bounds were checked; the caller closes it. `what` names the file
    in the messages (“申报数据 Excel 文件”, “模板”). Raises GmdocsError (exit 2) for a file too large, a
    zip that inflates too much, an encrypted or old-format Office file, or a file that is not a zip."""
    path = Path(path)
    disp = disp or str(path)
    ext = path.suffix.lower() or ".zip"
    max_bytes = MAX_FILE_BYTES if max_bytes is None else max_bytes
    max_uncompressed = MAX_UNCOMPRESSED_BYTES if max_uncompressed is None else max_uncompressed
    try:
        size = path.stat().st_size
        with open(path, "rb") as fh:
            head = fh.read(8)
    except OSError as exc:
        raise GmdocsError(f"无法读取{what}：{disp}（{exc.strerror or exc}）", EXIT_BAD_INPUT) from exc
    if size > max_bytes:
        raise GmdocsError(f"{what}太大：{disp} 有 {_mb(size)}（上限 {_mb(max_bytes)}）。请删去多余的工作表、图片或"
                          "格式后另存为新文件", EXIT_BAD_INPUT)
    if head == CFB_MAGIC:
        raise _compound(path, what, disp, head)
    try:
        zf = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        sep = " " if what[:1].isascii() else ""
        raise GmdocsError(f"无法打开{sep}{what}（不是有效的 {ext}）：{disp}（{exc}）", EXIT_BAD_INPUT) from exc
    try:
        infos = zf.infolist()
        if len(infos) > MAX_MEMBERS:
            raise GmdocsError(f"{what}内部有 {len(infos):,} 个文件（上限 {MAX_MEMBERS:,}）：{disp} 可能已损坏或是"
                              "恶意构造的文件", EXIT_BAD_INPUT)
        total = 0
        for info in infos:
            total += info.file_size
            ratio = info.file_size / max(info.compress_size, 1)
            if info.file_size > RATIO_FLOOR and ratio > MAX_RATIO:
                raise GmdocsError(f"{what}的内部文件 {info.filename} 压缩比异常（{_mb(info.compress_size)} 解压后为 "
                                  f"{_mb(info.file_size)}，{ratio:,.0f} 倍，上限 {MAX_RATIO} 倍）：{disp} 可能是“压缩炸弹”"
                                  "或已损坏，已拒绝读取。请在 Office 中打开并另存为新文件", EXIT_BAD_INPUT)
        if total > max_uncompressed:
            raise GmdocsError(f"{what}解压后过大：{disp} 解压后共 {_mb(total)}（上限 {_mb(max_uncompressed)}），"
                              "可能是“压缩炸弹”或含有大量空白格式，已拒绝读取。请删去多余内容后另存为新文件",
                              EXIT_BAD_INPUT)
    except BaseException:
        zf.close()
        raise
    return zf


def check_zip_bounds(path: str | Path, what: str, disp: str | None = None, **bounds) -> None:
    """`open_zip_checked` for a caller that opens the file itself afterwards (openpyxl, python-docx, docxtpl)."""
    open_zip_checked(path, what, disp, **bounds).close()


def check_pdf_size(path: str | Path, what: str, max_bytes: int | None = None) -> None:
    """A PDF larger than `max_bytes` (MAX_PDF_BYTES) is refused before pypdf reads it."""
    max_bytes = MAX_PDF_BYTES if max_bytes is None else max_bytes
    try:
        size = Path(path).stat().st_size
    except OSError:
        return                      # the caller says that the file is missing
    if size > max_bytes:
        raise GmdocsError(f"{what}太大：{path} 有 {_mb(size)}（上限 {_mb(max_bytes)}）。请压缩（降低扫描分辨率）"
                          "或拆分后再附", EXIT_BAD_INPUT)
