"""Long jobs of the web page (builds with LibreOffice, batches): one at a time per server process, in the
order submitted, so the warm LibreOffice converter serves one build after another. The page polls a job
for its progress lines; a job belongs to the session that started it and nobody else can see it."""
from __future__ import annotations

import secrets
import threading
import traceback
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from ..errors import GmdocsError


@dataclass
class Job:
    id: str
    sid: str
    title: str
    state: str = "queued"               # queued / running / done / failed
    messages: list[str] = field(default_factory=list)
    error: str = ""
    problems: list[str] = field(default_factory=list)
    download: Path | None = None
    download_name: str = ""
    result: dict = field(default_factory=dict)

    def to_json(self) -> dict:
        return {"id": self.id, "title": self.title, "state": self.state, "messages": self.messages[-30:],
                "error": self.error, "problems": self.problems[:50], "download": bool(self.download),
                "result": self.result}


class Jobs:
    def __init__(self) -> None:
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="gmdocs-web-job")
        self._jobs: dict[str, Job] = {}
        self._lock = threading.Lock()

    def submit(self, sid: str, title: str, work: Callable[[Job], None]) -> Job:
        job = Job(secrets.token_hex(8), sid, title)
        with self._lock:
            self._jobs[job.id] = job
        ahead = sum(1 for j in self._jobs.values() if j.state in ("queued", "running") and j is not job)
        job.messages.append(f"排队中（前面还有 {ahead} 项）…" if ahead else "开始…")

        def run():
            job.state = "running"
            try:
                work(job)
                job.state = "done"
            except GmdocsError as err:
                job.error = err.message
                job.problems = [str(p) for p in err.problems]
                job.state = "failed"
            except OSError as exc:
                job.error = f"文件读写失败：{exc.strerror or exc}"
                job.state = "failed"
            except Exception:                      # a bug: said in Chinese, the trace to the server log
                traceback.print_exc()
                job.error = "内部错误，未能完成；请把服务器窗口中的错误信息报告给我们"
                job.state = "failed"
        self._pool.submit(run)
        return job

    def get(self, sid: str, job_id: str) -> Job | None:
        job = self._jobs.get(job_id)
        return job if job is not None and secrets.compare_digest(job.sid, sid) else None

    def forget(self, sid: str) -> None:
        with self._lock:
            for k in [k for k, j in self._jobs.items() if j.sid == sid]:
                del self._jobs[k]

    def close(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)
