"""A warm LibreOffice converter: one headless soffice per gmdocs process, reused for every DOCX → PDF.

A one-shot `soffice --convert-to pdf` costs ~1.6–2.6 s (most of it LibreOffice starting), and one build
converts 4–6 documents. Here soffice is started once (lazily, at the first conversion) with a private
temporary profile (`pdf._profile`, the same CJK font replacement table as the one-shot path) and a
unique UNO pipe, and a small worker script (`uno_worker.py`) run under a Python that has the `uno`
module (Debian: python3-uno for /usr/bin/python3; gmdocs' own Python usually cannot import it) loads
each document hidden and read-only and stores it with writer_pdf_Export. gmdocs talks to the worker
over its stdin/stdout, one JSON line per request, with a timeout.

Alternatives measured and rejected (LibreOffice 7.4, Debian 12):
- forwarding `soffice --convert-to` to a running instance through LibreOffice's single-instance IPC
  works once, then the running instance exits — unusable;
- the `unoserver` package (3.1) works, but its server start has a hard-coded `time.sleep(10)` and fixed
  TCP ports 2002/2003: ~12 s to start per CLI build (worse than one-shot for one build) and port clashes
  between gmdocs processes running in parallel.

Failure handling: a hang (no answer within GMDOCS_SOFFICE_TIMEOUT, default 180 s) kills the worker and
the soffice process group and is a GmdocsError (exit code 3); a crash (worker or soffice gone, broken
pipe) marks the converter dead and raises `ConverterCrashed`, which `pdf.to_pdf` answers by redoing that
conversion one-shot and no longer using a warm converter in this process; a document the warm instance
could not convert raises `ConversionFailed`, redone one-shot too (so the user gets the one-shot error
message). Without a uno-capable Python, or when the warm start fails, conversions are one-shot.

Environment:
  GMDOCS_CONVERTER   auto (default): warm when possible, else one-shot; warm: a failure to start the warm
                     converter is an error; oneshot: always one-shot.
  GMDOCS_UNO_PYTHON  the Python to run the worker with (default: the first of /usr/bin/python3, python3
                     on PATH and LibreOffice's own program/python that can `import uno`).
"""
from __future__ import annotations

import atexit
import json
import os
import secrets
import selectors
import shutil
import signal
import subprocess
import tempfile
import threading
import time
from pathlib import Path

from ..errors import EXIT_BAD_INPUT, GmdocsError
from ..fsutil import signals_deferred
from . import pdf

WORKER = Path(__file__).with_name("uno_worker.py")
START_TIMEOUT_S = 60.0
TERM_GRACE_S = 3.0
CLOSE_WAIT_S = 5.0        # close(): how long to wait for a start or close under way in another thread


class ConverterCrashed(Exception):
    """The warm converter's worker or soffice is gone; the conversion should be redone one-shot."""


class ConversionFailed(Exception):
    """The warm LibreOffice could not convert this document (it is still running)."""


_UNO_OK: dict[str, bool] = {}          # python executable → can it `import uno` (tested once per process)


def _can_import_uno(python: str) -> bool:
    if python not in _UNO_OK:
        try:
            ok = subprocess.run([python, "-c", "import uno"], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL, timeout=30).returncode == 0
        except (OSError, subprocess.SubprocessError):
            ok = False
        _UNO_OK[python] = ok
    return _UNO_OK[python]


def find_uno_python(soffice: str | None = None) -> str | None:
    """A Python that can `import uno`, or None."""
    env = os.environ.get("GMDOCS_UNO_PYTHON")
    if env:
        return env if _can_import_uno(env) else None
    cands = ["/usr/bin/python3", shutil.which("python3")]
    if soffice:
        exe = shutil.which(soffice) or soffice
        try:
            prog = Path(exe).resolve().parent
            cands += [str(prog / "python"), str(prog / "python.exe")]
        except OSError:
            pass
    seen = set()
    for c in cands:
        if not c or c in seen or not os.path.isfile(c):
            continue
        seen.add(c)
        if _can_import_uno(c):
            return c
    return None


class WarmConverter:
    """One headless soffice plus a UNO worker; `convert()` one document at a time (thread-safe).

    `worker_cmd` replaces `[python, uno_worker.py]` (the pipe name is appended) — for tests."""

    def __init__(self, soffice: str | None = None, python: str | None = None, worker_cmd: list[str] | None = None,
                 timeout: float | None = None, start_timeout: float = START_TIMEOUT_S):
        self.soffice = soffice or pdf.find_soffice()
        self.python = python
        self.worker_cmd = worker_cmd
        self.timeout = pdf.CONVERT_TIMEOUT_S if timeout is None else timeout
        self.start_timeout = start_timeout
        self.pipe = f"gmdocs-{os.getpid()}-{secrets.token_hex(6)}"
        self.profile_dir: Path | None = None
        self.start_seconds: float | None = None
        self.dead = False
        self.closed = False
        self._proc: subprocess.Popen | None = None
        self._worker: subprocess.Popen | None = None
        self._buf = b""
        self._down = False                     # processes ended and reaped, profile removed
        self._owner = os.getpid()
        self._lock = threading.Lock()          # one conversion at a time
        self._state = threading.Lock()         # start/close bookkeeping

    @property
    def pid(self) -> int | None:
        """Process id of the soffice launcher (also the id of its process group)."""
        return self._proc.pid if self._proc else None

    @property
    def started(self) -> bool:
        return self._worker is not None and not self.dead and not self.closed

    # -- life cycle -------------------------------------------------------------------------------------

    def start(self) -> WarmConverter:
        """Start soffice and the worker and wait until the worker is connected. Raises GmdocsError."""
        with self._state:
            if self.closed or self.dead:
                raise GmdocsError("LibreOffice 常驻转换进程已关闭", pdf.EXIT_TOOL)
            if self._worker is not None:
                return self
            t0 = time.perf_counter()
            cmd = self.worker_cmd
            if cmd is None:
                python = self.python or find_uno_python(self.soffice)
                if python is None:
                    raise GmdocsError("未找到可导入 uno 模块的 Python，无法启动常驻 LibreOffice 转换进程"
                                      "（Debian/Ubuntu：apt-get install python3-uno；或用 GMDOCS_UNO_PYTHON 指定；"
                                      "或设 GMDOCS_CONVERTER=oneshot 每次单独启动 LibreOffice）", pdf.EXIT_TOOL)
                cmd = [python, str(WORKER)]
            try:
                # the profile and the processes are recorded and the clean-up registered in one step that
                # Ctrl-C / SIGTERM cannot split: whatever has been started is ended by close()
                with signals_deferred():
                    atexit.register(self.close)
                    base = Path(tempfile.mkdtemp(prefix="gmdocs-lo-warm-"))
                    self.profile_dir = base
                    uri = pdf._profile(base)
                    env = _utf8_env()
                    env["TMPDIR"] = str(base / "tmp")      # LibreOffice's own temporary files go with the profile
                    (base / "tmp").mkdir()
                    with open(base / "soffice.log", "wb") as slog, open(base / "worker.log", "wb") as wlog:
                        self._proc = subprocess.Popen(
                            [self.soffice, "--headless", "--invisible", "--nocrashreport", "--nodefault", "--nologo",
                             "--norestore", "--nolockcheck", f"-env:UserInstallation={uri}",
                             f"--accept=pipe,name={self.pipe};urp;StarOffice.ComponentContext"],
                            stdin=subprocess.DEVNULL, stdout=slog, stderr=subprocess.STDOUT, start_new_session=True,
                            env=env)
                        self._worker = subprocess.Popen([*cmd, self.pipe], stdin=subprocess.PIPE,
                                                        stdout=subprocess.PIPE, stderr=wlog, start_new_session=True)
                ans = self._answer(self.start_timeout)
            except _Timeout:
                self._fail_start(f"等待 {self.start_timeout:.0f} 秒仍未就绪")
            except (ConverterCrashed, OSError) as exc:
                self._fail_start(str(exc) or type(exc).__name__)
            except BaseException:                  # Ctrl-C / SIGTERM while starting: leave nothing running
                self.dead = True
                self._shutdown(graceful=False)
                raise
            if not ans.get("ready"):
                self._fail_start(f"意外的应答 {ans!r}")
            self.start_seconds = time.perf_counter() - t0
            return self

    def _fail_start(self, why: str):
        logs = ""
        if self.profile_dir is not None:
            for name in ("worker.log", "soffice.log"):
                try:
                    tail = (self.profile_dir / name).read_text(encoding="utf-8", errors="replace").strip().splitlines()
                except OSError:
                    tail = []
                if tail:
                    logs += f"；{name}：{tail[-1]}"
        self.dead = True
        self._shutdown(graceful=False)
        raise GmdocsError(f"无法启动常驻 LibreOffice 转换进程（{self.soffice}）：{why}{logs}", pdf.EXIT_TOOL)

    def close(self) -> None:
        """End the worker and soffice (SIGTERM, then SIGKILL) and remove the profile. Idempotent.

        Safe on the way out after Ctrl-C or SIGTERM (the CLI turns SIGTERM into KeyboardInterrupt): further
        signals are held until the processes are gone, and a start still under way in another thread keeps it
        waiting at most CLOSE_WAIT_S seconds."""
        with signals_deferred():
            got = self._state.acquire(timeout=CLOSE_WAIT_S)
            try:
                if self.closed and self._down:
                    return
                self.closed = True
                self._shutdown(graceful=True)
            finally:
                if got:
                    self._state.release()

    def _shutdown(self, graceful: bool) -> None:
        try:
            atexit.unregister(self.close)
        except Exception:
            pass
        if os.getpid() != self._owner or self._down:   # a forked child must not end its parent's LibreOffice
            return
        with signals_deferred():
            self._end_processes(graceful)
        self._down = True

    def _end_processes(self, graceful: bool) -> None:
        w, self._worker, p = self._worker, None, self._proc
        if p is not None:
            _signal_group(p.pid, signal.SIGTERM if graceful else signal.SIGKILL)
        if w is not None:
            try:
                if w.stdin:
                    w.stdin.close()       # end of input: the worker exits
            except OSError:
                pass
            try:
                w.wait(1.0 if graceful else 0.2)
            except subprocess.TimeoutExpired:
                pass
            if w.poll() is None:
                w.kill()
                w.wait()
            if w.stdout:
                w.stdout.close()
        if p is not None:
            if graceful:
                _wait_group(p, TERM_GRACE_S)
            _signal_group(p.pid, signal.SIGKILL)
            _wait_group(p, 3.0)
        if self.profile_dir is not None:
            shutil.rmtree(self.profile_dir, ignore_errors=True)

    def _kill(self) -> None:
        self.dead = True
        with self._state:
            self._shutdown(graceful=False)

    # -- conversion ---------------------------------------------------------------------------------------

    def convert(self, docx: Path, outdir: Path) -> Path:
        """Convert `docx` to `outdir / (docx.stem + ".pdf")`. Starts the converter at the first call.

        Raises GmdocsError on a timeout, ConverterCrashed when the worker or soffice is gone and
        ConversionFailed when LibreOffice could not convert this document."""
        docx, outdir = Path(docx), Path(outdir)
        with self._lock:
            if self.closed or self.dead:
                raise ConverterCrashed("converter is closed")
            if self._worker is None:
                self.start()
            result = outdir / (docx.stem + ".pdf")
            out = result.resolve()
            try:
                out.unlink()
            except FileNotFoundError:
                pass
            ans = self._request({"in": str(docx.resolve()), "out": str(out)}, docx, "转换 PDF")
            if ans.get("ok") and out.exists():
                return result
            if ans.get("fatal") or self._proc.poll() is not None:
                self._kill()
                raise ConverterCrashed(ans.get("error") or "LibreOffice exited")
            raise ConversionFailed(ans.get("error") or f"no PDF written for {docx.name}")

    def layout(self, docx: Path) -> tuple[int, list[tuple[str, int, int]]]:
        """Lay `docx` out as the PDF export would, without exporting: (page count, [(heading text, level,
        page)]). Same errors as convert()."""
        docx = Path(docx)
        with self._lock:
            if self.closed or self.dead:
                raise ConverterCrashed("converter is closed")
            if self._worker is None:
                self.start()
            ans = self._request({"layout": str(docx.resolve())}, docx, "排版")
            if ans.get("ok"):
                try:
                    return int(ans["pages"]), [(str(t), int(lv), int(pg)) for t, lv, pg in ans["headings"]]
                except (KeyError, TypeError, ValueError) as exc:
                    raise ConversionFailed(f"layout answer {ans!r}") from exc
            if ans.get("fatal") or self._proc.poll() is not None:
                self._kill()
                raise ConverterCrashed(ans.get("error") or "LibreOffice exited")
            raise ConversionFailed(ans.get("error") or f"no layout for {docx.name}")

    def _request(self, req: dict, docx: Path, what: str) -> dict:
        """Send one request and wait for its answer (the caller holds self._lock)."""
        line = json.dumps(req, ensure_ascii=False) + "\n"
        try:
            self._worker.stdin.write(line.encode("utf-8"))
            self._worker.stdin.flush()
        except (OSError, ValueError) as exc:       # BrokenPipeError, closed pipe
            self._kill()
            raise ConverterCrashed(f"worker pipe: {exc}") from exc
        try:
            return self._answer(self.timeout)
        except _Timeout:
            self._kill()
            raise GmdocsError(f"LibreOffice {what}超时（{_secs(self.timeout)} 秒）：{docx.name}", pdf.EXIT_TOOL) from None
        except BaseException:        # crash, or Ctrl-C / SIGTERM mid-request: its answer would come out of turn
            self._kill()
            raise

    def _answer(self, timeout: float) -> dict:
        """The worker's next JSON line. Raises _Timeout, or ConverterCrashed when the worker or soffice is gone."""
        deadline = time.monotonic() + timeout
        fd = self._worker.stdout.fileno()
        with selectors.DefaultSelector() as sel:
            sel.register(fd, selectors.EVENT_READ)
            while b"\n" not in self._buf:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise _Timeout()
                if sel.select(min(left, 0.2)):
                    chunk = os.read(fd, 65536)
                    if not chunk:
                        raise ConverterCrashed(f"worker exited (code {self._worker.wait()})")
                    self._buf += chunk
                    continue
                if self._proc.poll() is not None:
                    raise ConverterCrashed(f"soffice exited (code {self._proc.returncode})")
                if self._worker.poll() is not None:
                    raise ConverterCrashed(f"worker exited (code {self._worker.returncode})")
        line, _, self._buf = self._buf.partition(b"\n")
        try:
            ans = json.loads(line)
        except ValueError as exc:
            raise ConverterCrashed(f"worker said {line[:200]!r}") from exc
        if not isinstance(ans, dict):
            raise ConverterCrashed(f"worker said {line[:200]!r}")
        return ans


class _Timeout(Exception):
    pass


def _utf8_env() -> dict[str, str]:
    """The environment for soffice, with a UTF-8 character type when the locale has none (LANG unset, C,
    POSIX…): soffice turns the worker's file URLs into paths in its locale's encoding, and under an ASCII
    locale it cannot open a file named in Chinese (the one-shot path passes the name as bytes and is
    unaffected). The rest of the locale is left alone."""
    env = dict(os.environ)
    ctype = env.get("LC_ALL") or env.get("LC_CTYPE") or env.get("LANG") or ""
    if "utf-8" not in ctype.lower() and "utf8" not in ctype.lower():
        env["LC_ALL" if env.get("LC_ALL") else "LC_CTYPE"] = "C.UTF-8"
    return env


def _secs(t: float) -> str:
    return f"{t:g}"


def _signal_group(pgid: int, sig: int) -> None:
    try:
        os.killpg(pgid, sig)
    except (ProcessLookupError, PermissionError):
        pass


def _wait_group(leader: subprocess.Popen, timeout: float) -> None:
    """Wait for the process group to be gone (the leader reaped, no member left), up to `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            leader.wait(max(0.0, min(0.05, deadline - time.monotonic())))
        except subprocess.TimeoutExpired:
            pass
        if leader.poll() is not None and not _group_alive(leader.pid):
            return
        if time.monotonic() >= deadline:
            return


def _group_alive(pgid: int) -> bool:
    """Any live (not zombie) process left in the group?"""
    try:
        os.killpg(pgid, 0)
    except (ProcessLookupError, PermissionError):
        return False
    proc = Path("/proc")
    if not proc.is_dir():
        return True
    for d in proc.iterdir():
        if not d.name.isdigit():
            continue
        try:
            stat = (d / "stat").read_text()
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[-1].split()
        if len(fields) > 2 and fields[2] == str(pgid) and fields[0] != "Z":
            return True
    return False


# -- the process-wide converter ---------------------------------------------------------------------------

_GLOBAL = threading.Lock()
_current: WarmConverter | None = None
_given_up: set[str] = set()                # soffice paths whose warm converter failed to start or crashed


def mode() -> str:
    m = (os.environ.get("GMDOCS_CONVERTER") or "auto").strip().lower()
    if m not in ("auto", "warm", "oneshot"):
        raise GmdocsError(f"环境变量 GMDOCS_CONVERTER 的取值 {m!r} 不合法：应为 auto、warm 或 oneshot", EXIT_BAD_INPUT)
    return m


def busy_converter() -> WarmConverter | None:
    """The process-wide converter if it is converting right now (for stopping it on Ctrl-C), else None."""
    conv = _current
    if conv is not None and conv._owner == os.getpid() and conv._lock.locked():
        return conv
    return None


def get_converter(soffice: str | None = None) -> WarmConverter | None:
    """The process-wide started warm converter, or None for one-shot conversion (see the module docstring)."""
    global _current
    m = mode()
    if m == "oneshot":
        return None
    soffice = soffice or pdf.find_soffice()
    with _GLOBAL:
        conv = _current
        if conv is not None and (conv.dead or conv.closed or conv.soffice != soffice
                                 or conv._owner != os.getpid()):
            if conv.dead and conv.soffice == soffice:
                _given_up.add(soffice)
            if conv._owner == os.getpid():
                conv.close()
            _current = conv = None
        if conv is not None:
            return conv
        if soffice in _given_up:
            return None
        conv = WarmConverter(soffice)
        try:
            conv.start()
        except GmdocsError:
            _given_up.add(soffice)
            if m == "warm":
                raise
            return None
        _current = conv
        return conv


def reset() -> None:
    """Close the process-wide converter and forget earlier failures (the next conversion starts a new one)."""
    global _current
    with _GLOBAL:
        conv, _current = _current, None
        _given_up.clear()
    if conv is not None:
        conv.close()
