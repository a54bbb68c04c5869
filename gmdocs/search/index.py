"""The on-disk index cache: built on first use, rebuilt when the catalogue changes.

The cache key is a SHA-256 over every catalogue file, every user-supplement file and
the index format version. A build writes into a private temporary folder and renames
it into place, under a file lock: a second process waits for the lock and then opens
the finished index; nobody ever opens a half-written one.
"""
from __future__ import annotations

import hashlib
import os
import shutil
import time
from pathlib import Path

from ..errors import EXIT_BAD_INPUT, GmdocsError
from ..paths import cache_dir, default_root, user_data_dir

INDEX_FORMAT = "3"          # bump when the schema or analyzer changes
INDEX_NAME = "catalogue"
LOCK_TIMEOUT_S = 120


def schema():
    from whoosh.fields import ID, KEYWORD, STORED, TEXT, Schema
    from .analyzer import BigramAnalyzer
    ana = BigramAnalyzer()
    return Schema(
        id=ID(stored=True, unique=True),
        type=ID(stored=True),
        title=TEXT(analyzer=ana, stored=True, field_boost=2.0),
        body=TEXT(analyzer=ana, stored=True),
        numkeys=KEYWORD(lowercase=True, commas=False, scorable=True),
        status=ID(stored=True),
        years=KEYWORD(stored=True),
        successor=STORED(),
        confidence=STORED(),
        ref=STORED(),
    )


def _data_files(root: Path, data_dir: Path | None) -> list[tuple[str, Path]]:
    files = [(f"std:{p.relative_to(root).as_posix()}", p) for p in sorted(root.rglob("*.y*ml"))]
    if data_dir is not None and data_dir.is_dir():
        files += [(f"user:{p.relative_to(data_dir).as_posix()}", p) for p in sorted(data_dir.rglob("*.y*ml"))]
    return files


def content_hash(root: Path | None = None, data_dir: Path | None = None) -> str:
    from .. import __version__
    root = root or default_root()
    h = hashlib.sha256(f"gmdocs-index {INDEX_FORMAT} {__version__}\n".encode())
    for name, path in _data_files(root, data_dir):
        h.update(name.encode("utf-8") + b"\0")
        h.update(path.read_bytes())
        h.update(b"\0")
    return h.hexdigest()


def _build(target: Path, root: Path, data_dir: Path | None) -> None:
    from whoosh import index

    from ..catalogue import load_catalogue
    from .documents import build_documents
    cat = load_catalogue(root, data_dir=data_dir, use_user_data=data_dir is not None)
    tmp = target.parent / f"{target.name}.tmp-{os.getpid()}"
    if tmp.exists():
        shutil.rmtree(tmp)
    tmp.mkdir(parents=True)
    ix = index.create_in(str(tmp), schema(), indexname=INDEX_NAME)
    writer = ix.writer()
    for doc in build_documents(cat):
        writer.add_document(**doc)
    writer.commit()
    ix.close() if hasattr(ix, "close") else None
    os.replace(tmp, target)


def _prune(base: Path, keep: Path) -> None:
    for p in base.glob("index-*"):
        if p != keep and p.is_dir() and ".tmp-" not in p.name:
            shutil.rmtree(p, ignore_errors=True)


def ensure_index(data_dir: str | os.PathLike | None = None, force: bool = False,
                 root: Path | None = None) -> tuple[Path, bool]:
    """Path of an up-to-date index folder, building it if needed. Returns (path, built)."""
    from filelock import FileLock, Timeout
    root = root or default_root()
    ddir = user_data_dir(data_dir)
    if ddir is not None and not ddir.is_dir():
        raise GmdocsError(f"用户数据目录不存在：{ddir}", EXIT_BAD_INPUT)
    base = cache_dir()
    digest = content_hash(root, ddir)
    target = base / f"index-{digest[:20]}"
    if target.is_dir() and not force:
        return target, False
    try:
        base.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise GmdocsError(f"无法创建索引缓存目录 {base}：{exc.strerror or exc}", EXIT_BAD_INPUT) from exc
    lock = FileLock(str(base / "build.lock"))
    try:
        with lock.acquire(timeout=LOCK_TIMEOUT_S):
            if target.is_dir() and not force:
                return target, False      # another process built it while we waited
            if force and target.is_dir():
                old = target.parent / f"{target.name}.old-{os.getpid()}-{int(time.time())}"
                os.replace(target, old)
                shutil.rmtree(old, ignore_errors=True)
            _build(target, root, ddir)
            _prune(base, target)
    except Timeout as exc:
        raise GmdocsError(f"等待索引锁超时（{LOCK_TIMEOUT_S} 秒）：{base / 'build.lock'}", EXIT_BAD_INPUT) from exc
    return target, True


def open_index(path: Path):
    from whoosh import index
    return index.open_dir(str(path), indexname=INDEX_NAME)
