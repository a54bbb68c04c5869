"""Writing output files safely: to a temporary file in the same folder, then renamed into place."""
from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Callable

from .errors import EXIT_BAD_INPUT, GmdocsError


def atomic_write(path: str | os.PathLike, write: Callable[[Path], None], force: bool = False) -> Path:
    """Call `write(tmp_path)` and rename the result to `path`; refuse to overwrite without force."""
    target = Path(path)
    if target.exists() and not force:
        raise GmdocsError(f"输出文件已存在：{target}（如需覆盖请加 --force）", EXIT_BAD_INPUT)
    parent = target.parent if str(target.parent) else Path(".")
    if not parent.is_dir():
        raise GmdocsError(f"输出目录不存在：{parent}", EXIT_BAD_INPUT)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=parent)
    os.close(fd)
    tmp_path = Path(tmp)
    try:
        write(tmp_path)
        os.replace(tmp_path, target)
    except BaseException:
        tmp_path.unlink(missing_ok=True)
        raise
    return target


def require_file(path: str | os.PathLike, what: str) -> Path:
    """The path of an input file, or a Chinese error saying it is missing or not a file."""
    p = Path(path)
    if not p.exists():
        raise GmdocsError(f"{what}不存在：{p}", EXIT_BAD_INPUT)
    if not p.is_file():
        raise GmdocsError(f"不是文件：{p}", EXIT_BAD_INPUT)
    return p
