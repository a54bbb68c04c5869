"""Writing output files safely.

Every output is written under a temporary name in its own folder and renamed into place in one step, under a
lock on that folder (`.gmdocs.lock`, kept there), so that two gmdocs processes never interleave and a file is
never seen half-written. A set of files (a build's outputs) is staged in a hidden folder inside the output
folder and moved in together: the old files are moved aside into the staging folder first and moved back if
anything fails, so the folder always holds either the complete old set or the complete new set.

A file-system failure (no permission, a read-only file system, a full disk, a folder where a file goes…) is a
`GmdocsError` with a Chinese message naming the file or folder and what to do, never a traceback: exit code 2
(`EXIT_BAD_INPUT`) for an unusable output location, 3 (`EXIT_ENV`) when the machine failed (full disk, I/O
error). Outputs get the permissions of any new file (0666 minus the umask), not mkstemp's 0600.
"""
from __future__ import annotations

import contextlib
import errno
import os
import shutil
import signal
import tempfile
import threading
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

from .errors import EXIT_BAD_INPUT, GmdocsError

EXIT_ENV = 3                  # same as documents.pdf.EXIT_TOOL: the machine or an external tool failed, not the input
LOCK_NAME = ".gmdocs.lock"    # the lock on an output folder when gmdocs' cache folder cannot be written
STAGE_PREFIX = ".gmdocs-build-"
BACKUP_NAME = ".old"          # inside a staging folder: the files a commit replaces, until it has succeeded
LOCK_TIMEOUT_S = 10.0         # how long to wait for another gmdocs writing into the same folder (GMDOCS_LOCK_TIMEOUT)
LOW_SPACE = 32 * 2**20        # below this much free space, a failed write or conversion is put down to a full disk

# errno → (the reason, what to do, exit code)
_PERM = ("没有权限", "请检查该文件或文件夹的权限，或换一个有权限的位置", EXIT_BAD_INPUT)
_REASONS: dict[int, tuple[str, str, int]] = {
    errno.EACCES: _PERM,
    errno.EPERM: _PERM,
    errno.EROFS: ("所在的文件系统是只读的", "只读挂载的磁盘、光盘或写保护的 U 盘不能写入；请换一个可写的位置", EXIT_BAD_INPUT),
    errno.ENOSPC: ("磁盘空间不足", "请清理磁盘空间，或换一个空间足够的位置后重试", EXIT_ENV),
    errno.EISDIR: ("该位置是一个文件夹", "请删除或改名这个文件夹，或换一个输出位置", EXIT_BAD_INPUT),
    errno.ENOTDIR: ("路径中有一段不是文件夹", "请检查路径", EXIT_BAD_INPUT),
    errno.ENOENT: ("不存在（或所在的文件夹不存在）", "请检查路径", EXIT_BAD_INPUT),
    errno.ENAMETOOLONG: ("文件名或路径过长", "请换一个较短的文件名或路径", EXIT_BAD_INPUT),
    errno.EIO: ("读写出错（磁盘故障，或 U 盘、网络盘已断开）", "请检查磁盘后重试", EXIT_ENV),
    errno.EBUSY: ("正被占用", "请关闭正在使用它的程序后重试", EXIT_BAD_INPUT),
    errno.EMFILE: ("打开的文件过多", "请稍后重试", EXIT_ENV),
    errno.ENFILE: ("打开的文件过多", "请稍后重试", EXIT_ENV),
}
for _name, _reason in (("EDQUOT", ("超出磁盘配额", "请清理空间，或请管理员提高配额后重试", EXIT_ENV)),
                       ("ETXTBSY", _REASONS[errno.EBUSY])):
    if hasattr(errno, _name):
        _REASONS[getattr(errno, _name)] = _reason
FULL = {errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)}


# ------------------------------------------------------------------ error translation
def human_size(n: int) -> str:
    for unit in ("B", "KB", "MB", "GB"):
        if n < 1024 or unit == "GB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024
    return f"{n} B"


def free_space(path: str | os.PathLike) -> int | None:
    """Free bytes on the file system holding `path` (or its nearest existing parent); None when unknown."""
    p = Path(os.path.abspath(path))
    while True:
        try:
            return shutil.disk_usage(p).free
        except FileNotFoundError:
            if p.parent == p:
                return None
            p = p.parent
        except OSError:
            return None


def os_error(exc: OSError, path: str | os.PathLike | None = None, action: str = "写入") -> GmdocsError:
    """A Chinese GmdocsError for an OSError: `无法{action} {path}：{reason}（{what to do}）`."""
    where = path if path is not None else (exc.filename if exc.filename is not None else "")
    reason, advice, code = _REASONS.get(exc.errno or -1, (exc.strerror or str(exc), "", EXIT_BAD_INPUT))
    if exc.errno in FULL and where:
        free = free_space(where)
        if free is not None:
            advice = f"剩余 {human_size(free)}；{advice}"
    target = f" {where}" if where else ""
    return GmdocsError(f"无法{action}{target}：{reason}" + (f"（{advice}）" if advice else ""), code)


def low_space(paths: Sequence[str | os.PathLike], below: int = LOW_SPACE) -> list[tuple[str, int]]:
    """The paths (with their free bytes) whose file system has less than `below` bytes free."""
    out, seen = [], set()
    for p in paths:
        free = free_space(p)
        if free is not None and free < below and str(p) not in seen:
            seen.add(str(p))
            out.append((str(p), free))
    return out


# ------------------------------------------------------------------ permissions
_UMASK_LOCK = threading.Lock()


def current_umask() -> int:
    """The process umask, read without changing it where the system allows (Linux: /proc/self/status)."""
    try:
        with open("/proc/self/status", encoding="ascii", errors="replace") as fh:
            for line in fh:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    with _UMASK_LOCK:                   # set-and-restore: the only portable way to read it
        mask = os.umask(0o022)
        os.umask(mask)
    return mask


def file_mode() -> int:
    """The permissions a new file gets from open(): 0666 minus the umask."""
    return 0o666 & ~current_umask()


# ------------------------------------------------------------------ signals and locks
@contextlib.contextmanager
def signals_deferred(sigs: Sequence[int] = (signal.SIGINT, signal.SIGTERM)) -> Iterator[None]:
    """Hold Ctrl-C and SIGTERM while the block runs (a rename sequence, a clean-up), then deliver them.

    Only in the main thread (signal handlers can only be set there); elsewhere the block just runs."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    held: list[int] = []
    old: dict[int, object] = {}

    def hold(signum, frame):
        held.append(signum)
    for s in sigs:
        try:
            h = signal.getsignal(s)
            if h is None or h == signal.SIG_IGN:
                continue
            old[s] = signal.signal(s, hold)
        except (ValueError, OSError, RuntimeError):
            pass
    try:
        yield
    finally:
        for s, h in old.items():
            try:
                signal.signal(s, h)
            except (ValueError, OSError, RuntimeError, TypeError):
                pass
        if held:
            signal.raise_signal(held[0])      # as if it arrived now: KeyboardInterrupt, or the default action


def lock_timeout() -> float:
    try:
        return max(0.0, float(os.environ.get("GMDOCS_LOCK_TIMEOUT", LOCK_TIMEOUT_S)))
    except ValueError:
        return LOCK_TIMEOUT_S


def lock_file_for(place: str | os.PathLike, beside: str | os.PathLike) -> Path:
    """The lock file for `place` (an output folder, a ledger): in gmdocs' cache folder (`locks/`), named by the
    place's real path, so that the user's folders hold nothing of gmdocs; `beside` when the cache folder cannot
    be written. (The lock keeps gmdocs processes on this computer apart; file locks on network drives are not
    reliable across computers in any case.)"""
    import hashlib

    from .paths import cache_dir
    key = hashlib.sha256(os.path.normcase(os.path.realpath(place)).encode("utf-8", "surrogatepass")).hexdigest()[:32]
    try:
        folder = cache_dir() / "locks"
        folder.mkdir(parents=True, exist_ok=True)
        return folder / f"{key}.lock"
    except OSError:
        return Path(beside)


@contextlib.contextmanager
def folder_lock(folder: str | os.PathLike, timeout: float | None = None) -> Iterator[None]:
    """Exclusive use of an output folder against other gmdocs processes (and threads): a lock file in gmdocs'
    cache folder (see lock_file_for; `<folder>/.gmdocs.lock` when the cache cannot be written).

    Waits up to `timeout` seconds (GMDOCS_LOCK_TIMEOUT, default 10), then refuses with a GmdocsError (exit 2).
    An OSError creating the lock file is raised as is (the caller names what it was writing)."""
    from filelock import FileLock, Timeout
    wait = lock_timeout() if timeout is None else timeout
    path = lock_file_for(folder, Path(folder) / LOCK_NAME)
    lock = FileLock(str(path), timeout=wait)
    try:
        lock.acquire()
    except Timeout:
        raise GmdocsError(f"文件夹 {folder} 正被另一个 gmdocs 进程写入，等待 {wait:g} 秒后仍未结束"
                          f"（请等它完成后重试；锁文件 {path}）", EXIT_BAD_INPUT) from None
    try:
        yield
    finally:
        lock.release()


# ------------------------------------------------------------------ one file
def _check_target(target: Path, force: bool) -> None:
    if target.is_dir():
        raise GmdocsError(f"无法写入 {target}：该位置是一个文件夹（请删除或改名这个文件夹，或换一个输出文件名）", EXIT_BAD_INPUT)
    if os.path.lexists(target) and not force:
        raise GmdocsError(f"输出文件已存在：{target}（如需覆盖请加 --force）", EXIT_BAD_INPUT)


def atomic_write(path: str | os.PathLike, write: Callable[[Path], None], force: bool = False) -> Path:
    """Call `write(tmp_path)` and rename the result to `path`; refuse to overwrite without force.

    The temporary file is in the target's folder; the existence check and the rename happen under the folder's
    lock, so of two processes writing the same new file without --force exactly one succeeds. The file gets
    the umask's permissions. File-system failures are Chinese GmdocsErrors (see `os_error`)."""
    target = Path(path)
    parent = target.parent
    _check_target(target, force)
    if not parent.is_dir():
        if parent.exists():
            raise GmdocsError(f"输出位置 {parent} 不是文件夹（{target}）", EXIT_BAD_INPUT)
        raise GmdocsError(f"输出目录不存在：{parent}", EXIT_BAD_INPUT)
    tmp_path: Path | None = None
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name[:80]}.", suffix=".tmp", dir=parent)
        tmp_path = Path(tmp)
        os.close(fd)
        write(tmp_path)
        os.chmod(tmp_path, file_mode())
        with folder_lock(parent), signals_deferred():
            _check_target(target, force)
            os.replace(tmp_path, target)
            tmp_path = None
    except OSError as exc:
        raise os_error(exc, target) from exc
    finally:
        if tmp_path is not None:
            with contextlib.suppress(OSError):
                tmp_path.unlink()
    return target


# ------------------------------------------------------------------ a set of files
def check_outputs(out_dir: Path, names: Sequence[str], force: bool) -> None:
    """Refuse an output folder that is a file, a folder standing where an output file goes, and (without
    --force) output files that exist."""
    if out_dir.exists() and not out_dir.is_dir():
        raise GmdocsError(f"输出位置不是文件夹：{out_dir}（请换一个输出文件夹）", EXIT_BAD_INPUT)
    dirs = [n for n in names if (out_dir / n).is_dir()]
    if dirs:
        raise GmdocsError(f"输出文件的位置上有同名文件夹：{'、'.join(dirs)}（在 {out_dir}；请删除或改名这些文件夹，"
                          "或换一个输出文件夹）", EXIT_BAD_INPUT)
    existing = [n for n in names if os.path.lexists(out_dir / n)]
    if existing and not force:
        raise GmdocsError(f"输出文件已存在：{'、'.join(existing)}（在 {out_dir}；如需覆盖请加 --force）", EXIT_BAD_INPUT)


def make_stage(out_dir: Path) -> tuple[Path, list[Path]]:
    """Create the output folder (and missing parents) and a hidden staging folder inside it, on the same file
    system so that moving the outputs in is a rename. Returns the staging folder and the folders created."""
    missing, p = [], Path(os.path.abspath(out_dir))
    while not os.path.lexists(p) and p.parent != p:
        missing.append(p)
        p = p.parent
    created: list[Path] = []
    doing, action = out_dir, "写入输出文件夹"
    try:
        for d in reversed(missing):
            doing, action = d, "创建输出文件夹"
            try:
                os.mkdir(d)
                created.append(d)
            except FileExistsError:
                if not d.is_dir():
                    raise
        doing, action = out_dir, "写入输出文件夹"
        stage = Path(tempfile.mkdtemp(prefix=STAGE_PREFIX, dir=out_dir))
    except OSError as exc:
        remove_created(created)
        raise os_error(exc, doing, action) from exc
    return stage, created


def temp_folder() -> str:
    """The temporary folder's name, for messages (TMPDIR when Python finds no usable one)."""
    try:
        return tempfile.gettempdir()
    except OSError:
        return os.environ.get("TMPDIR") or "临时文件夹"


def make_temp_dir(prefix: str) -> Path:
    """A private working folder in the temporary folder; a Chinese GmdocsError when it cannot be made."""
    try:
        return Path(tempfile.mkdtemp(prefix=prefix))
    except OSError as exc:
        err = os_error(exc, temp_folder(), "在临时文件夹中写入")
        err.message += "；也可用环境变量 TMPDIR 指定其他临时文件夹"
        err.exit_code = EXIT_ENV
        raise err from exc


def remove_created(created: Sequence[Path]) -> None:
    """Remove the folders make_stage created, deepest first, as far as they are empty."""
    for d in reversed(created):
        try:
            os.rmdir(d)
        except OSError:
            break


def discard_stage(stage: Path | None) -> bool:
    """Remove a staging folder, unless it still holds old files a failed commit could not put back. True
    when removed."""
    if stage is None:
        return True
    backup = stage / BACKUP_NAME
    try:
        if backup.is_dir() and any(backup.iterdir()):
            return False
    except OSError:
        return False
    shutil.rmtree(stage, ignore_errors=True)
    return True


def commit(stage: Path, out_dir: Path, names: Sequence[str], force: bool,
           obsolete: Sequence[str] = ()) -> tuple[list[Path], list[str]]:
    """Move `stage/<name>` for every name into `out_dir`, all or nothing, under the folder lock.

    Existence is checked under the lock (without --force an existing output refuses the whole set). The files
    replaced, and with --force the `obsolete` ones (outputs of an earlier run that this run does not make), are
    first moved aside into the staging folder; if any move fails, the new files are taken out and the old ones
    moved back. Returns the written paths and the obsolete names removed."""
    doing = out_dir
    try:
        with folder_lock(out_dir), signals_deferred():
            check_outputs(out_dir, list(names) + list(obsolete), force)
            replaced = [n for n in names if os.path.lexists(out_dir / n)]
            stale = [n for n in obsolete if os.path.lexists(out_dir / n)]
            mode = file_mode()
            for n in names:
                os.chmod(stage / n, mode)
            backup = stage / BACKUP_NAME
            os.mkdir(backup)
            aside: list[str] = []
            placed: list[str] = []
            try:
                for n in replaced + stale:
                    doing = out_dir / n
                    os.replace(out_dir / n, backup / n)
                    aside.append(n)
                for n in names:
                    doing = out_dir / n
                    os.replace(stage / n, out_dir / n)
                    placed.append(n)
            except BaseException as exc:
                wrong = _roll_back(stage, out_dir, aside, placed)
                if wrong:
                    why = os_error(exc, doing) if isinstance(exc, OSError) else GmdocsError("已中断", 130)
                    old = [n for n in wrong if n in aside]
                    new = [n for n in wrong if n not in aside]
                    todo = ([f"原来的 {'、'.join(old)} 在 {backup}，请手工移回 {out_dir}"] if old else []) + \
                           ([f"本次生成的 {'、'.join(new)} 未能移走，请手工删除"] if new else [])
                    raise GmdocsError(f"{why.message}；移动输出文件中途失败，且未能全部复原（{'；'.join(todo)}）",
                                      why.exit_code) from exc
                raise
        shutil.rmtree(backup, ignore_errors=True)      # done: the replaced files go
        return [out_dir / n for n in names], stale
    except OSError as exc:
        raise os_error(exc, doing) from exc


def _roll_back(stage: Path, out_dir: Path, aside: list[str], placed: list[str]) -> list[str]:
    """Take the new files out and put the old ones back; the names that could not be put right."""
    lost = []
    for n in placed:
        if n in aside:
            continue                       # replaced below by moving the old file back over it
        try:
            os.replace(out_dir / n, stage / n)
        except OSError:
            with contextlib.suppress(OSError):
                os.unlink(out_dir / n)
        if os.path.lexists(out_dir / n):
            lost.append(n)
    for n in aside:
        try:
            os.replace(stage / BACKUP_NAME / n, out_dir / n)
        except OSError:
            lost.append(n)
    return lost


def require_file(path: str | os.PathLike, what: str) -> Path:
    """The path of an input file, or a Chinese error saying it is missing or not a file."""
    p = Path(path)
    if not p.exists():
        raise GmdocsError(f"{what}不存在：{p}", EXIT_BAD_INPUT)
    if not p.is_file():
        raise GmdocsError(f"不是文件：{p}", EXIT_BAD_INPUT)
    return p
