"""The on-disk index cache: built on first use, rebuilt when the catalogue changes.

The index is one JSON file: the search documents (documents.py) with their text already folded for
matching, and the word table (lexicon.py). At a few hundred documents a scan of prepared text takes a
few milliseconds, and reading JSON costs far less start-up than importing a search engine: with Whoosh
imported on the query path a cold `gmdocs search` took twice as long (benchmarks/search.py, same machine,
same load), and its import alone exceeded the 150 ms budget of a cold search on the benchmark machine.

The cache key is a SHA-256 over every catalogue file, every user-supplement file, the word table
(synonyms.yaml), the code that shapes the index (documents.py, store.py, lexicon.py) and the index
format version. A build writes into a private temporary folder and renames it into place, under a file
lock: a second process waits for the lock and then opens the finished index; nobody ever opens a
half-written one.
"""
from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

from ..errors import EXIT_BAD_INPUT, GmdocsError
from ..paths import cache_dir, default_root, user_data_dir

INDEX_FORMAT = "5"          # bump when the documents, the prepared text or the word table format change
INDEX_FILE = "catalogue.json"
LOCK_TIMEOUT_S = 120


def _yaml_files(base: Path) -> list[tuple[str, str]]:
    """(relative posix path, path) of every *.yaml / *.yml under base, sorted (os.walk: a cold search
    runs this on every start, and it is several times faster than Path.rglob)."""
    out = []
    for folder, dirs, files in os.walk(base):
        dirs.sort()
        rel = os.path.relpath(folder, base).replace(os.sep, "/")
        for f in files:
            if f.endswith((".yaml", ".yml")):
                out.append((f if rel == "." else f"{rel}/{f}", os.path.join(folder, f)))
    out.sort()
    return out


def _data_files(root: Path, data_dir: Path | None) -> list[tuple[str, str]]:
    files = [(f"std:{rel}", p) for rel, p in _yaml_files(root)]
    if data_dir is not None and data_dir.is_dir():
        files += [(f"user:{rel}", p) for rel, p in _yaml_files(data_dir)]
    return files


def content_hash(root: Path | None = None, data_dir: Path | None = None) -> str:
    """SHA-256 over the contents of every file the index depends on. A cold search would read them all on
    every start; instead the digest is remembered under a fingerprint of their names, sizes and
    modification times (nanoseconds) — any edit changes the fingerprint and the contents are hashed again."""
    from .. import __version__
    root = root or default_root()
    from .lexicon import SYNONYMS_FILE
    here = Path(__file__).parent
    shaping = [(f"search:{f}", here / f) for f in ("documents.py", "store.py", "lexicon.py")]
    files = [("search:synonyms.yaml", SYNONYMS_FILE), *shaping, *_data_files(root, data_dir)]
    head = f"gmdocs-index {INDEX_FORMAT} {__version__}\n"
    parts = [head]
    for name, path in files:
        st = os.stat(path)
        parts.append(f"{name}\0{st.st_size}\0{st.st_mtime_ns}\0")
    import zlib                            # not hashlib: loading OpenSSL costs a cold search 4-5 ms
    raw = "".join(parts).encode("utf-8")
    stamp = cache_dir() / f"stamp-{zlib.crc32(raw):08x}{zlib.adler32(raw):08x}"
    try:
        known = stamp.read_text(encoding="ascii").strip()
        if len(known) == 64:
            return known
    except (OSError, UnicodeDecodeError):
        pass
    import hashlib
    h = hashlib.sha256(head.encode())
    for name, path in files:
        h.update(name.encode("utf-8") + b"\0")
        with open(path, "rb") as f:
            h.update(f.read())
        h.update(b"\0")
    digest = h.hexdigest()
    try:                                   # remembered for the next start; a read-only cache just hashes again
        stamp.parent.mkdir(parents=True, exist_ok=True)
        tmp = stamp.with_name(f"{stamp.name}.tmp-{os.getpid()}")
        tmp.write_text(digest, encoding="ascii")
        os.replace(tmp, stamp)
        for old in stamp.parent.glob("stamp-*"):
            if old != stamp and ".tmp-" not in old.name and time.time() - old.stat().st_mtime > 7 * 86400:
                old.unlink(missing_ok=True)
    except OSError:
        pass
    return digest


def _build(target: Path, root: Path, data_dir: Path | None) -> None:
    import json

    from ..catalogue import load_catalogue
    from .documents import build_documents
    from .lexicon import build_lexicon
    from .store import prepare
    cat = load_catalogue(root, data_dir=data_dir, use_user_data=data_dir is not None)
    data = {"format": INDEX_FORMAT, "lexicon": build_lexicon(cat),
            "docs": [prepare(d) for d in build_documents(cat)]}
    tmp = target.parent / f"{target.name}.tmp-{os.getpid()}"
    if tmp.exists():
        shutil.rmtree(tmp)
    tmp.mkdir(parents=True)
    (tmp / INDEX_FILE).write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    import marshal
    (tmp / fast_name()).write_bytes(marshal.dumps(data))      # the same, read in half the time of JSON
    os.replace(tmp, target)


def _prune(base: Path, keep: Path) -> None:
    for p in base.glob("index-*"):
        if p != keep and p.is_dir() and ".tmp-" not in p.name:
            shutil.rmtree(p, ignore_errors=True)


def ensure_index(data_dir: str | os.PathLike | None = None, force: bool = False,
                 root: Path | None = None) -> tuple[Path, bool]:
    """Path of an up-to-date index folder, building it if needed. Returns (path, built)."""
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
    from filelock import FileLock, Timeout
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


def fast_name() -> str:
    """The index in marshal format for this interpreter (marshal's format is tied to the Python version)."""
    import sys
    return f"catalogue.{sys.implementation.cache_tag}.marshal"


def open_index(path: Path):
    """The prepared documents of an index folder (a store.Store): the marshal copy when this Python wrote one,
    else the JSON."""
    from .store import Store
    return Store.load(Path(path) / INDEX_FILE, Path(path) / fast_name())
