"""One temporary folder per browser session: uploads, the application being filled in, build outputs.

A session's folder is removed when the user ends the session, when it has been idle longer than the
timeout, and when the server stops. Nothing a user names reaches the file system: uploaded files are
stored under a cleaned name inside the session's folder, and every path handed out is checked to lie
inside it.
"""
from __future__ import annotations

import re
import secrets
import shutil
import tempfile
import threading
import time
import unicodedata
import zipfile
from pathlib import Path, PurePosixPath, PureWindowsPath

from ..errors import EXIT_BAD_INPUT, GmdocsError

SID_RE = re.compile(r"[0-9a-f]{32}")


def new_sid() -> str:
    return secrets.token_hex(16)


def clean_name(name: str, default: str = "上传文件") -> str:
    """A file name for the session folder from the one the browser sent: no folders, no control
    characters, no leading dots, at most 120 characters; the extension kept."""
    base = PureWindowsPath(PurePosixPath(name or "").name).name       # "a/b\\c.xlsx" → "c.xlsx"
    base = unicodedata.normalize("NFC", base)
    base = "".join(ch for ch in base if unicodedata.category(ch)[0] != "C" and ch not in '<>:"/\\|?*')
    base = base.strip().lstrip(".").strip()
    if not base:
        return default
    stem, dot, ext = base.rpartition(".")
    if dot and len(ext) <= 8:
        return stem[: 120 - len(ext) - 1] + "." + ext if stem else default + "." + ext
    return base[:120]


class Workspaces:
    def __init__(self, root: Path | None = None, idle_seconds: float = 2 * 3600,
                 on_remove=lambda sid: None) -> None:
        self.on_remove = on_remove            # told of every session removed (its jobs are forgotten too)
        self.root = Path(root) if root else Path(tempfile.mkdtemp(prefix="gmdocs-web-"))
        self.root.mkdir(parents=True, exist_ok=True)
        self.idle_seconds = idle_seconds
        self._seen: dict[str, float] = {}
        self._lock = threading.Lock()
        self._last_reap = 0.0

    def path(self, sid: str) -> Path:
        """The session's folder (created at first use); its last use is now."""
        if not SID_RE.fullmatch(sid or ""):
            raise GmdocsError("会话无效，请刷新页面", EXIT_BAD_INPUT)
        with self._lock:
            self._seen[sid] = time.monotonic()
        p = self.root / sid
        p.mkdir(exist_ok=True)
        self.reap()
        return p

    def end(self, sid: str) -> None:
        with self._lock:
            self._seen.pop(sid, None)
        if SID_RE.fullmatch(sid or ""):
            shutil.rmtree(self.root / sid, ignore_errors=True)

    def reap(self, now: float | None = None) -> list[str]:
        """Remove the folders of sessions idle longer than the timeout (at most every 30 s unless `now` is given)."""
        t = time.monotonic() if now is None else now
        if now is None and t - self._last_reap < 30:
            return []
        self._last_reap = t
        with self._lock:
            gone = [sid for sid, seen in self._seen.items() if t - seen > self.idle_seconds]
            for sid in gone:
                del self._seen[sid]
        for sid in gone:
            shutil.rmtree(self.root / sid, ignore_errors=True)
            self.on_remove(sid)
        return gone

    def close(self) -> None:
        shutil.rmtree(self.root, ignore_errors=True)


def inside(base: Path, path: Path) -> Path:
    """`path`, resolved, if it lies inside `base`; else an error (no traversal out of a session folder)."""
    b, p = base.resolve(), path.resolve()
    if p != b and b not in p.parents:
        raise GmdocsError("路径不在本会话的工作目录中，已拒绝", EXIT_BAD_INPUT)
    return p


def unique(folder: Path, name: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    p = folder / name
    stem, suffix = p.stem, p.suffix
    n = 2
    while p.exists():
        p = folder / f"{stem}（{n}）{suffix}"
        n += 1
    return inside(folder, p)


def extract_zip(zpath: Path, dest: Path, keep: tuple[str, ...]) -> list[Path]:
    """The members of an uploaded zip whose extension is in `keep`, written under `dest` by their cleaned
    names (folders flattened). The zip's declared sizes were bounded by limits.check_zip_bounds first;
    a member that inflates beyond its declared size is refused by zipfile itself."""
    from ..limits import check_zip_bounds
    check_zip_bounds(zpath, "上传的压缩包", zpath.name)
    out: list[Path] = []
    with zipfile.ZipFile(zpath) as z:
        for info in z.infolist():
            if info.is_dir():
                continue
            raw = info.filename
            if info.flag_bits & 0x800 == 0:                 # not marked UTF-8: Windows zips use GBK names
                try:
                    raw = raw.encode("cp437").decode("gbk")
                except (UnicodeEncodeError, UnicodeDecodeError):
                    pass
            name = clean_name(raw)
            if not name.lower().endswith(keep) or name.startswith("~$"):
                continue
            target = unique(dest, name)
            with z.open(info) as src, open(target, "wb") as fh:
                shutil.copyfileobj(src, fh, 1024 * 1024)
            out.append(target)
    return out
