"""File system and signals: every failure of an output location is a Chinese message with its exit code, never a
traceback or a half-written set; concurrent builds never interleave; SIGTERM cleans up like Ctrl-C; outputs get
the umask's permissions.

As root, permission bits are ignored: permission failures are injected (monkeypatch); read-only and full file
systems are real tmpfs mounts when this process may mount (else those tests are skipped)."""
import contextlib
import errno
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from types import SimpleNamespace

import pytest
from docx import Document
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gmdocs import fsutil
from gmdocs.errors import GmdocsError

from .conftest import ROOT

EX = ROOT / "examples"
FESI = EX / "硅铁厂-申报数据.yaml"
REPORT = "绿色工厂自评价报告"
NO_PDF_SET = {f"{REPORT}.docx", "评价结果.json", "标准查新报告.xlsx", "评价说明（内部）.xlsx"}
PDF_SET = NO_PDF_SET | {f"{REPORT}.pdf", "申报材料汇编.pdf"}
HAS_SOFFICE = shutil.which("soffice") is not None


def files(folder: Path) -> set[str]:
    """The visible files of a folder (the hidden lock file is expected; any other hidden entry is a leftover)."""
    return {p.name for p in folder.iterdir() if p.name != fsutil.LOCK_NAME}


def assert_clean(folder: Path) -> None:
    """No staging folder and no temporary file left behind."""
    if folder.is_dir():
        left = [p.name for p in folder.iterdir() if p.name.startswith(".") and p.name != fsutil.LOCK_NAME]
        assert not left, left


# ---------------------------------------------------------------- tmpfs mounts
_MOUNT_OK: list[bool] = []


def can_mount() -> bool:
    if not _MOUNT_OK:
        d = tempfile.mkdtemp(prefix="gmdocs-mnt-probe-")
        ok = False
        if hasattr(os, "geteuid") and os.geteuid() == 0 and shutil.which("mount"):
            ok = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", d],
                                capture_output=True).returncode == 0
            if ok:
                subprocess.run(["umount", d], capture_output=True)
        os.rmdir(d)
        _MOUNT_OK.append(ok)
    return _MOUNT_OK[0]


@contextlib.contextmanager
def tmpfs(where: Path, size: str, ro: bool = False):
    if not can_mount():
        pytest.skip("mounting a tmpfs is not allowed here (needs root / CAP_SYS_ADMIN)")
    where.mkdir(parents=True, exist_ok=True)
    opts = f"size={size}" + (",ro" if ro else "")
    subprocess.run(["mount", "-t", "tmpfs", "-o", opts, "tmpfs", str(where)], check=True)
    try:
        yield where
    finally:
        subprocess.run(["umount", "-l", str(where)], check=False)


def build(cli, out, *extra):
    return cli("build", str(FESI), "-o", str(out), "--no-pdf", *extra)


def no_traceback(r):
    assert "Traceback" not in r.output and r.stderr.startswith(("错误：", "检查")), r.output


# ---------------------------------------------------------------- read-only, no permission
def test_read_only_mount_output_folder_parent_and_single_files(cli, tmp_path):
    with tmpfs(tmp_path / "ro", "64k", ro=True) as ro:
        r = build(cli, ro)                                  # the output folder itself is read-only
        assert r.exit_code == 2, r.output
        assert "只读" in r.stderr and str(ro) in r.stderr and "请换一个可写的位置" in r.stderr
        no_traceback(r)
        r = build(cli, ro / "新文件夹")                       # a read-only parent
        assert r.exit_code == 2 and "无法创建输出文件夹" in r.stderr and str(ro / "新文件夹") in r.stderr
        r = cli("init", "factory", "-o", str(ro / "申报数据.xlsx"))
        assert r.exit_code == 2 and "只读" in r.stderr and "申报数据.xlsx" in r.stderr
        doc = tmp_path / "a.md"
        doc.write_text("依据 GB/T 36132-2018。", encoding="utf-8")
        r = cli("standard", "check", str(doc), "--xlsx", str(ro / "查新.xlsx"))
        assert r.exit_code == 2 and "只读" in r.stderr and "查新.xlsx" in r.stderr
        assert list(ro.iterdir()) == []


def _deny_under(base: Path, exc_type=PermissionError, code=errno.EACCES):
    """os.mkdir raising for anything under `base` (what a 0555 folder does to a non-root user)."""
    real = os.mkdir

    def mkdir(path, *a, **k):
        if str(os.path.abspath(path)).startswith(str(base)):
            raise exc_type(code, os.strerror(code), str(path))
        return real(path, *a, **k)
    return mkdir


def test_no_permission_on_the_output_folder_or_its_parent(cli, tmp_path, monkeypatch):
    locked = tmp_path / "只读"
    locked.mkdir()
    monkeypatch.setattr(os, "mkdir", _deny_under(locked))
    r = build(cli, locked)
    assert r.exit_code == 2 and "没有权限" in r.stderr and str(locked) in r.stderr and "权限" in r.stderr
    no_traceback(r)
    r = build(cli, locked / "输出")
    assert r.exit_code == 2 and "无法创建输出文件夹" in r.stderr and "没有权限" in r.stderr
    assert list(locked.iterdir()) == []
    real = tempfile.mkstemp

    def mkstemp(*a, dir=None, **k):
        if dir is not None and str(dir).startswith(str(locked)):
            raise PermissionError(errno.EACCES, "Permission denied", str(dir))
        return real(*a, dir=dir, **k)
    monkeypatch.setattr(tempfile, "mkstemp", mkstemp)
    r = cli("init", "factory", "-o", str(locked / "申报数据.yaml"))
    assert r.exit_code == 2 and "没有权限" in r.stderr and "申报数据.yaml" in r.stderr


@pytest.mark.parametrize("code,exit_code,words", [(errno.EROFS, 2, "只读"), (errno.ENOSPC, 3, "磁盘空间不足")])
def test_a_failing_rename_is_translated_and_leaves_the_old_set(cli, tmp_path, monkeypatch, code, exit_code, words):
    out = tmp_path / "out"
    out.mkdir()
    for n in NO_PDF_SET:
        (out / n).write_text("old " + n, encoding="utf-8")
    real, moved_in = os.replace, []

    def replace(src, dst, *a, **k):
        if Path(dst).parent == out and Path(src).parent.name.startswith(fsutil.STAGE_PREFIX):
            moved_in.append(dst)
            if len(moved_in) == 2:                          # half-way through moving the new files in
                raise OSError(code, os.strerror(code), str(src), None, str(dst))
        return real(src, dst, *a, **k)
    monkeypatch.setattr(os, "replace", replace)
    r = build(cli, out, "--force")
    assert r.exit_code == exit_code, r.output
    assert words in r.stderr and str(out) in r.stderr and ".gmdocs-build-" not in r.stderr
    no_traceback(r)
    assert {n: (out / n).read_text(encoding="utf-8") for n in files(out)} == {n: "old " + n for n in NO_PDF_SET}
    assert_clean(out)


@pytest.mark.parametrize("code,exit_code,words", [
    (errno.EACCES, 2, "没有权限"), (errno.EPERM, 2, "没有权限"), (errno.EROFS, 2, "只读"), (errno.ENOSPC, 3, "磁盘空间不足"),
    (errno.EDQUOT, 3, "配额"), (errno.EISDIR, 2, "文件夹"), (errno.ENOTDIR, 2, "不是文件夹"), (errno.EIO, 3, "读写出错"),
    (errno.ENAMETOOLONG, 2, "过长"), (errno.ELOOP, 2, "无法写入")])
def test_every_os_error_reads_in_chinese_with_its_exit_code(tmp_path, code, exit_code, words):
    err = fsutil.os_error(OSError(code, os.strerror(code), "ignored"), tmp_path / "表.xlsx")
    assert err.exit_code == exit_code and words in err.message and str(tmp_path / "表.xlsx") in err.message
    assert err.message.startswith("无法写入 ")


def test_an_os_error_anywhere_in_a_command_is_a_message_not_a_traceback(cli, tmp_path, monkeypatch):
    doc = tmp_path / "a.md"
    doc.write_text("依据 GB/T 36132-2018。", encoding="utf-8")
    from gmdocs.catalogue import citecheck

    def broken(*a, **k):
        raise OSError(errno.EIO, "Input/output error", str(doc))
    monkeypatch.setattr(citecheck, "check_files", broken)
    r = cli("standard", "check", str(doc))
    assert r.exit_code == 3 and r.stderr.startswith("错误：无法访问 ") and "读写出错" in r.stderr


# ---------------------------------------------------------------- full disk
def test_full_disk_real_tmpfs(cli, tmp_path):
    with tmpfs(tmp_path / "full", "64k") as full:
        r = build(cli, full / "out")
        assert r.exit_code == 3, r.output
        assert "磁盘空间不足" in r.stderr and str(full / "out") in r.stderr and "清理磁盘空间" in r.stderr
        no_traceback(r)
        assert list(full.iterdir()) == [], "nothing half-written, no staging folder, no empty output folder"
        with open(full / "填满", "wb", buffering=0) as fh:      # fill it up, then a single-file output
            with contextlib.suppress(OSError):
                while True:
                    fh.write(b"\0" * 4096)
        r = cli("init", "factory", "-o", str(full / "申报数据.xlsx"))
        assert r.exit_code == 3 and "磁盘空间不足" in r.stderr and "申报数据.xlsx" in r.stderr
        assert sorted(p.name for p in full.iterdir()) == ["填满"]


def test_full_disk_during_conversion_is_not_a_libreoffice_error(cli, tmp_path, monkeypatch):
    from gmdocs.documents import pdf

    def fail(docx, outdir, *a, **k):
        raise GmdocsError(f"LibreOffice 未能把 {Path(docx).name} 转换为 PDF（退出码 1）：Error: source file could not "
                          "be loaded", pdf.EXIT_TOOL)
    monkeypatch.setattr(pdf, "to_pdf", fail)
    monkeypatch.setattr(shutil, "disk_usage", lambda p: SimpleNamespace(total=10**9, used=10**9 - 4096, free=4096))
    out = tmp_path / "out"
    r = cli("build", str(FESI), "-o", str(out))
    assert r.exit_code == 3, r.output
    assert "磁盘空间不足" in r.stderr and "LibreOffice 无法写出 PDF" in r.stderr and "source file" not in r.stderr
    assert not out.exists()
    monkeypatch.setattr(shutil, "disk_usage", lambda p: SimpleNamespace(total=10**12, used=10**11, free=9 * 10**11))
    r = cli("build", str(FESI), "-o", str(out))
    assert r.exit_code == 3 and "source file could not be loaded" in r.stderr      # plenty of space: LibreOffice's own


@pytest.mark.skipif(not HAS_SOFFICE, reason="LibreOffice not installed")
def test_full_disk_during_real_conversion(cli, tmp_path):
    with tmpfs(tmp_path / "full", "400k") as full:         # DOCX, JSON and XLSX fit; the report PDF does not
        r = cli("build", str(FESI), "-o", str(full / "out"))
        assert r.exit_code == 3, r.output
        assert "磁盘空间不足" in r.stderr and str(full / "out") in r.stderr
        no_traceback(r)
        assert list(full.iterdir()) == []


# ---------------------------------------------------------------- a folder where a file goes
def test_folder_standing_where_an_output_file_goes(cli, tmp_path):
    out = tmp_path / "out"
    assert build(cli, out).exit_code == 0
    before = {n: (out / n).read_bytes() for n in files(out)}
    (out / "评价结果.json").unlink()
    (out / "评价结果.json").mkdir()
    before.pop("评价结果.json")
    r = build(cli, out, "--force")
    assert r.exit_code == 2 and "同名文件夹" in r.stderr and "评价结果.json" in r.stderr
    no_traceback(r)
    assert {n: (out / n).read_bytes() for n in files(out) if n != "评价结果.json"} == before
    assert (out / "评价结果.json").is_dir()
    with pytest.raises(GmdocsError) as e:                  # one file (init -o, --xlsx, rules form, batch)
        fsutil.atomic_write(out / "评价结果.json", lambda tmp: tmp.write_text("x"), force=True)
    assert e.value.exit_code == 2 and "是一个文件夹" in e.value.message
    assert_clean(out)


def test_folder_appearing_during_the_build_is_caught_under_the_lock(tmp_path):
    """The early check passes; a folder created at an output name while the build runs must not produce a mixed
    set: the whole set is refused under the lock and the old files stay."""
    from gmdocs.catalogue import read_catalogue
    from gmdocs.documents.build import build as build_lib
    from .conftest import SHIPPED
    cat = read_catalogue(SHIPPED, use_user_data=False)
    out = tmp_path / "out"
    build_lib(FESI, out, cat, pdf=False)
    before = {n: (out / n).read_bytes() for n in files(out)}

    def progress(msg):
        if msg.startswith("交叉核对"):
            (out / "评价说明（内部）.xlsx").unlink()
            (out / "评价说明（内部）.xlsx").mkdir()
    with pytest.raises(GmdocsError) as e:
        build_lib(FESI, out, cat, pdf=False, force=True, progress=progress)
    assert e.value.exit_code == 2 and "同名文件夹" in e.value.message
    before.pop("评价说明（内部）.xlsx")
    assert {n: (out / n).read_bytes() for n in files(out) if (out / n).is_file()} == before
    assert_clean(out)


def test_no_pdf_over_a_pdf_build_counts_the_old_pdfs(cli, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / f"{REPORT}.pdf").write_bytes(b"%PDF-old")
    r = build(cli, out)
    assert r.exit_code == 2 and "已存在" in r.stderr and f"{REPORT}.pdf" in r.stderr
    r = build(cli, out, "--force")
    assert r.exit_code == 0, r.output
    assert files(out) == NO_PDF_SET and "已删除上次生成的" in r.stderr


# ---------------------------------------------------------------- permissions
@pytest.mark.parametrize("umask,mode", [(0o022, 0o644), (0o027, 0o640)])
def test_outputs_respect_the_umask(cli, tmp_path, umask, mode):
    old = os.umask(umask)
    try:
        assert fsutil.current_umask() == umask
        out = tmp_path / "out"
        assert build(cli, out).exit_code == 0
        r = cli("init", "factory", "-o", str(tmp_path / "申报数据.xlsx"))
        assert r.exit_code == 0
    finally:
        os.umask(old)
    got = {n: oct((out / n).stat().st_mode & 0o777) for n in files(out)}
    assert got == {n: oct(mode) for n in NO_PDF_SET}
    assert oct((tmp_path / "申报数据.xlsx").stat().st_mode & 0o777) == oct(mode)


# ---------------------------------------------------------------- concurrency
def _env(tmp: Path | None = None) -> dict:
    env = dict(os.environ, PYTHONPATH=str(ROOT), XDG_CONFIG_HOME=str(ROOT / "no-such-config"))
    env.pop("GMDOCS_DATA", None)
    if tmp is not None:
        env["TMPDIR"] = str(tmp)
    return env


def test_two_builds_into_one_folder_exactly_one_wins(tmp_path):
    out = tmp_path / "out"
    dates = ["2026-03-01", "2026-03-02"]
    procs = [subprocess.Popen([sys.executable, "-m", "gmdocs", "build", str(FESI), "-o", str(out), "--no-pdf",
                               "--date", d], cwd=ROOT, env=_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              text=True) for d in dates]
    results = []
    for p in procs:
        _, err = p.communicate(timeout=120)
        results.append((p.returncode, err))
    codes = sorted(rc for rc, _ in results)
    assert codes == [0, 2], results
    loser = next(err for rc, err in results if rc == 2)
    assert "已存在" in loser and "Traceback" not in loser
    winner = dates[next(i for i, (rc, _) in enumerate(results) if rc == 0)]
    assert files(out) == NO_PDF_SET
    assert_clean(out)
    created = Document(str(out / f"{REPORT}.docx")).core_properties.created
    assert created.date().isoformat() == winner          # the DOCX (and so the set) is the winner's


def _stage(out: Path, tag: str, names) -> Path:
    stage, _ = fsutil.make_stage(out)
    for n in names:
        (stage / n).write_text(f"{tag}:{n}", encoding="utf-8")
    return stage


def test_concurrent_commits_never_interleave(tmp_path):
    names = ["a.docx", "b.json", "c.xlsx", "d.pdf"]
    out = tmp_path / "out"
    out.mkdir()
    outcome: dict[str, object] = {}

    def run(tag, force):
        stage = _stage(out, tag, names)
        try:
            fsutil.commit(stage, out, names, force)
            outcome[tag] = "ok"
        except GmdocsError as err:
            outcome[tag] = err
        finally:
            fsutil.discard_stage(stage)
    threads = [threading.Thread(target=run, args=(f"t{i}", False)) for i in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    won = [t for t, v in outcome.items() if v == "ok"]
    assert len(won) == 1 and all("已存在" in v.message for v in outcome.values() if v != "ok")
    assert {(out / n).read_text(encoding="utf-8") for n in names} == {f"{won[0]}:{n}" for n in names}
    outcome.clear()
    threads = [threading.Thread(target=run, args=(f"f{i}", True)) for i in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert set(outcome.values()) == {"ok"}
    tags = {(out / n).read_text(encoding="utf-8").split(":")[0] for n in names}
    assert len(tags) == 1, "one consistent set"
    assert files(out) == set(names)
    assert_clean(out)


def test_a_busy_folder_is_refused_after_a_short_wait(tmp_path, monkeypatch):
    from filelock import FileLock
    monkeypatch.setenv("GMDOCS_LOCK_TIMEOUT", "0.3")
    out = tmp_path / "out"
    out.mkdir()
    held = FileLock(str(fsutil.lock_file_for(out, out / fsutil.LOCK_NAME)))
    held.acquire()
    try:
        result: list = []
        t = threading.Thread(target=lambda: result.append(_try_commit(out)))
        t.start()
        t.join(10)
    finally:
        held.release()
    err = result[0]
    assert isinstance(err, GmdocsError) and err.exit_code == 2 and "正被另一个 gmdocs 进程写入" in err.message
    assert files(out) == set()
    assert_clean(out)


def test_locks_leave_nothing_in_the_users_folders(tmp_path, monkeypatch):
    monkeypatch.setenv("GMDOCS_CACHE", str(tmp_path / "cache"))
    out = tmp_path / "输出"
    out.mkdir()
    assert _try_commit(out) is None
    assert sorted(p.name for p in out.iterdir()) == ["a"]                  # no .gmdocs.lock beside the output
    locks = list((tmp_path / "cache" / "locks").iterdir())
    assert len(locks) == 1 and fsutil.lock_file_for(out, out / fsutil.LOCK_NAME) == locks[0]
    assert fsutil.lock_file_for(tmp_path / "别的", "x") != locks[0]        # one lock per folder
    # a cache that cannot be written: the lock goes beside the output, as before
    (tmp_path / "not-a-folder").write_text("x")
    monkeypatch.setenv("GMDOCS_CACHE", str(tmp_path / "not-a-folder"))
    assert fsutil.lock_file_for(out, out / fsutil.LOCK_NAME) == out / fsutil.LOCK_NAME


def _try_commit(out):
    stage = _stage(out, "x", ["a"])
    try:
        fsutil.commit(stage, out, ["a"], False)
    except GmdocsError as err:
        return err
    finally:
        fsutil.discard_stage(stage)
    return None


# ---------------------------------------------------------------- signals
def _processes_mentioning(text: str) -> list[int]:
    pids = []
    for d in Path("/proc").iterdir():
        if not d.name.isdigit() or int(d.name) == os.getpid():
            continue
        try:
            cmd = (d / "cmdline").read_bytes().replace(b"\0", b" ").decode("utf-8", "replace")
            state = (d / "stat").read_text().rsplit(")", 1)[-1].split()[0]
        except OSError:
            continue
        if text in cmd and state != "Z":
            pids.append(int(d.name))
    return pids


def _wait_for(stream, text: str, timeout: float) -> str:
    seen, deadline = "", time.monotonic() + timeout
    while time.monotonic() < deadline:
        line = stream.readline()
        if not line:
            break
        seen += line
        if text in line:
            break
    return seen


@pytest.mark.skipif(not HAS_SOFFICE or not Path("/proc").is_dir(), reason="needs LibreOffice and /proc")
@pytest.mark.parametrize("when,converter", [("rendering", "auto"), ("libreoffice", "auto"), ("libreoffice", "oneshot")])
def test_sigterm_during_a_build_cleans_up_like_ctrl_c(tmp_path, when, converter):
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    out = tmp_path / "输出"
    env = {**_env(tmp), "GMDOCS_CONVERTER": converter}      # the one-shot soffice too: its process group ends
    p = subprocess.Popen([sys.executable, "-m", "gmdocs", "build", str(FESI), "-o", str(out)], cwd=ROOT,
                         env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        if when == "rendering":
            seen = _wait_for(p.stderr, "生成 DOCX", 60)
        else:
            seen = _wait_for(p.stderr, "LibreOffice 排版", 60)
            deadline = time.monotonic() + 20                 # until the warm soffice is running
            while time.monotonic() < deadline and not _processes_mentioning(str(tmp)):
                time.sleep(0.05)
            time.sleep(0.3)
        assert p.poll() is None, seen
        p.send_signal(signal.SIGTERM)
        rc = p.wait(30)
        rest = p.stderr.read()
    finally:
        if p.poll() is None:
            p.kill()
        p.stderr.close()
    assert rc == 130, seen + rest
    assert "已中断。" in rest and "Traceback" not in rest
    assert not list(tmp_path.glob(".gmdocs-build-*"))
    assert not out.exists() or not [q for q in out.iterdir() if q.name != fsutil.LOCK_NAME]
    left = [q.name for q in tmp.iterdir()]         # gmdocs-work-*, gmdocs-lo-*, and LibreOffice's own lu*.tmp
    assert not left, left
    time.sleep(1.0)
    assert not _processes_mentioning(str(tmp)), "no soffice left from that build"
    assert not _processes_mentioning(f"gmdocs-{p.pid}-"), "no UNO worker left from that build"


def _interrupted_inside_an_extension():
    """What CPython does when Ctrl-C/SIGTERM lands while a C extension initialises (matplotlib's ft2font in
    CI): the KeyboardInterrupt becomes the cause of an ImportError."""
    try:
        raise KeyboardInterrupt
    except KeyboardInterrupt as ki:
        raise ImportError("initialization failed") from ki


def _signal_then_other_error():
    """A signal whose KeyboardInterrupt a library swallowed, and then failed in its own way."""
    try:
        os.kill(os.getpid(), signal.SIGTERM)
        time.sleep(1)
    except KeyboardInterrupt:
        pass
    raise RuntimeError("a library's own error after the interruption")


@pytest.mark.parametrize("body", [_interrupted_inside_an_extension, _signal_then_other_error])
def test_an_interruption_that_surfaces_as_another_error_still_ends_with_130(body, capsys):
    from gmdocs.cli import handles_errors
    before = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM)}
    with pytest.raises(SystemExit) as ex:
        handles_errors(body)()
    err = capsys.readouterr().err
    assert ex.value.code == 130 and "已中断。" in err and "Traceback" not in err
    assert {s: signal.getsignal(s) for s in before} == before      # the caller's handlers are back


def test_an_ordinary_bug_is_not_taken_for_an_interruption():
    from gmdocs.cli import handles_errors

    def bug():
        raise ImportError("a real import problem")
    with pytest.raises(ImportError):
        handles_errors(bug)()


# ---------------------------------------------------------------- property: all or nothing
NAMES = ["报告.docx", "评价结果.json", "查新.xlsx", "报告.pdf"]
OBSOLETE = ["汇编.pdf"]
ERRNOS = [errno.EACCES, errno.ENOSPC, errno.EROFS, errno.EISDIR, errno.EIO]


class Faults:
    """os.replace / os.mkdir / os.chmod / writes failing at chosen call numbers."""

    def __init__(self, plan: dict[str, set[int]], code: int):
        self.plan, self.code, self.count = plan, code, {k: 0 for k in plan}

    def hit(self, op: str, path) -> None:
        n = self.count[op]
        self.count[op] += 1
        if n in self.plan[op]:
            raise OSError(self.code, os.strerror(self.code), str(path))

    @contextlib.contextmanager
    def active(self):
        real = {op: getattr(os, op) for op in ("replace", "mkdir", "chmod")}

        def wrap(op):
            def f(path, *a, **k):
                self.hit(op, path)
                return real[op](path, *a, **k)
            return f
        try:
            for op in real:
                setattr(os, op, wrap(op))
            yield self
        finally:
            for op, fn in real.items():
                setattr(os, op, fn)


plans = st.fixed_dictionaries({op: st.sets(st.integers(0, 9), max_size=2)
                               for op in ("replace", "mkdir", "chmod", "write")})


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(old=st.sampled_from(["none", "full", "with-obsolete"]), plan=plans, code=st.sampled_from(ERRNOS),
       force=st.booleans())
def test_a_commit_leaves_the_old_set_or_the_new_set(old, plan, code, force):
    with tempfile.TemporaryDirectory() as d:
        out = Path(d) / "out"
        out.mkdir()
        before = {}
        if old != "none":
            for n in NAMES + (OBSOLETE if old == "with-obsolete" else []):
                (out / n).write_text(f"old:{n}", encoding="utf-8")
                before[n] = f"old:{n}"
        stage = _stage(out, "new", NAMES)
        faults = Faults(plan, code)
        ok, message = False, ""
        with faults.active():
            try:
                fsutil.commit(stage, out, NAMES, force, OBSOLETE)
                ok = True
            except GmdocsError as err:
                message = err.message
                assert err.exit_code in (2, 3) and message.startswith(("无法", "输出文件已存在"))
        kept = not fsutil.discard_stage(stage)
        now = {n: (out / n).read_text(encoding="utf-8") for n in files(out) if not (out / n).is_dir()}
        new = {n: f"new:{n}" for n in NAMES}
        if ok:
            assert now == new
        elif kept:                       # the roll-back itself failed: the old files are kept and named
            assert str(stage / fsutil.BACKUP_NAME) in message
            backup = {n: (stage / fsutil.BACKUP_NAME / n).read_text(encoding="utf-8")
                      for n in os.listdir(stage / fsutil.BACKUP_NAME)}
            assert {**now, **backup}.items() >= before.items(), "no old file lost"
            shutil.rmtree(stage)
        else:
            assert now == before, "the complete old set"
        assert_clean(out)


@settings(max_examples=60, deadline=None)
@given(plan=plans, code=st.sampled_from(ERRNOS), exists=st.booleans(), force=st.booleans(),
       cut=st.integers(0, 3000))
def test_atomic_write_leaves_the_old_file_or_the_new_one(plan, code, exists, force, cut):
    with tempfile.TemporaryDirectory() as d:
        target = Path(d) / "表.xlsx"
        if exists:
            target.write_bytes(b"old" * 1000)
        faults = Faults(plan, code)
        new = b"new" * 1000

        def write(tmp: Path):
            with open(tmp, "wb") as fh:
                fh.write(new[:cut])
                faults.hit("write", tmp)                   # a full disk half-way through the file
                fh.write(new[cut:])
        ok = False
        with faults.active():
            try:
                fsutil.atomic_write(target, write, force)
                ok = True
            except GmdocsError as err:
                assert err.exit_code in (2, 3) and str(target) in err.message
        if ok:
            assert target.read_bytes() == new
        elif exists:
            assert target.read_bytes() == b"old" * 1000
        else:
            assert not target.exists()
        assert sorted(p.name for p in Path(d).iterdir() if p.name != fsutil.LOCK_NAME) == (["表.xlsx"] if ok or exists
                                                                                          else [])


# ---------------------------------------------------------------- a defect of gmdocs itself
def test_a_defect_is_said_in_chinese_with_a_report_file_not_a_traceback(monkeypatch, tmp_path):
    from click.testing import CliRunner

    import gmdocs.catalogue as catalogue_pkg
    from gmdocs.cli import main

    def broken(*a, **k):
        raise RuntimeError("boom in the catalogue loader")
    monkeypatch.setattr(catalogue_pkg, "load_catalogue", broken)
    monkeypatch.setenv("GMDOCS_CACHE", str(tmp_path / "cache"))
    monkeypatch.delenv("GMDOCS_DEBUG", raising=False)
    r = CliRunner().invoke(main, ["standard", "show", "GB/T 36132"])
    assert r.exit_code == 4, r.output
    assert "内部错误" in r.stderr and "RuntimeError: boom in the catalogue loader" in r.stderr
    assert "Traceback" not in r.stderr
    [report] = (tmp_path / "cache" / "错误报告").glob("gmdocs-*.txt")
    text = report.read_text(encoding="utf-8")
    assert str(report) in r.stderr and "Traceback" in text and "broken" in text and "standard show GB/T 36132" in text
    # a developer asks for the traceback itself
    monkeypatch.setenv("GMDOCS_DEBUG", "1")
    with pytest.raises(RuntimeError):
        CliRunner().invoke(main, ["standard", "show", "GB/T 36132"], catch_exceptions=False)
