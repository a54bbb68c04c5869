"""`gmdocs serve`: the local web page (Starlette + Jinja2, served by uvicorn). Every page calls the same
library as the CLI; nothing of the engine is written again here.

Routes (all POSTs need the session's CSRF token):
  /                    首页：三类用户的入口、检索框
  /apply               申报单位：选择类别和年度、上传 YAML/XLSX
  /apply/form          在线填写（字段来自 gmdocs init 的同一张字段表），边填边查
  /api/check           POST 表单 → 检查结果（JSON，每条标出对应的字段）
  /apply/result        计算、评分（含出处）、规则补充、生成申报文件
  /apply/build         POST → 后台生成（LibreOffice 排队，一次一个），/jobs/<id> 查看进度，/download/<id> 下载
  /citecheck           标准查新：上传 DOCX/PDF
  /search              检索（与 gmdocs search 同一排序）
  /evaluator           评价机构：项目台账与上限，机构信息和评价记录（第三方报告）
  /province            省级主管部门：上传多份申报数据或 zip → 推荐汇总表预览和下载
  /end                 结束会话，删除本会话的全部文件
"""
from __future__ import annotations

import datetime as dt
import os
import secrets
import shutil
import zipfile
from contextlib import asynccontextmanager
from pathlib import Path

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.middleware import Middleware
from starlette.middleware.sessions import SessionMiddleware
from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.templating import Jinja2Templates

from ..errors import GmdocsError
from . import applicant
from .jobs import Jobs
from .security import MB, BodyLimit, TooLarge, csrf_ok, csrf_token, too_large_response
from .workspace import Workspaces, clean_name, extract_zip, inside, new_sid, unique

HERE = Path(__file__).parent
MAX_UPLOAD = int(os.environ.get("GMDOCS_WEB_MAX_UPLOAD_MB", "50")) * MB
CATEGORIES = (("factory", "绿色工厂"), ("park", "绿色工业园区"), ("supply-chain", "绿色供应链管理企业"))


class Forbidden(Exception):
    pass


def create_app(*, token: str | None = None, workspace_root: Path | None = None, idle_seconds: float = 2 * 3600,
               max_upload: int = MAX_UPLOAD, data_dir: str | None = None) -> Starlette:
    """The web application. `token`: required once per browser (?token=…) — set when the server listens
    beyond this computer. `data_dir`: the user's supplement folder shared by every session (the CLI's
    --data-dir); a session's own imported rules sit in its folder."""
    from jinja2 import Environment, FileSystemLoader
    templates = Jinja2Templates(env=Environment(loader=FileSystemLoader(str(HERE / "templates")), autoescape=True))
    jobs = Jobs()
    workspaces = Workspaces(workspace_root, idle_seconds, on_remove=jobs.forget)
    cats: dict = {}

    def catalogue(ws: Path | None = None):
        """The shared catalogue, or this session's with the rules it imported."""
        from ..catalogue.load import load_catalogue
        own = ws / "data" if ws is not None else None
        if own is not None and own.is_dir() and any(own.iterdir()):
            stamp = max(p.stat().st_mtime_ns for p in own.iterdir())
            key = (str(own), stamp)
            if key not in cats:
                for old in [k for k in cats if isinstance(k, tuple) and k[0] == key[0]]:
                    del cats[old]                       # this session's earlier rules
                while sum(isinstance(k, tuple) for k in cats) >= 16:
                    del cats[next(k for k in cats if isinstance(k, tuple))]     # the oldest session's
                cats[key] = load_catalogue(data_dir=own)
            return cats[key]
        if "shared" not in cats:
            cats["shared"] = load_catalogue(data_dir=data_dir, use_user_data=data_dir is not None)
        return cats["shared"]

    def session_ws(request: Request) -> Path:
        sid = request.session.get("sid")
        if not sid:
            sid = request.session["sid"] = new_sid()
        return workspaces.path(sid)

    def page(request: Request, name: str, status: int = 200, **ctx) -> Response:
        ctx.update(csrf=csrf_token(request.session), nav=request.url.path)
        return templates.TemplateResponse(request, name, ctx, status_code=status)

    def error_page(request: Request, message: str, problems=(), status: int = 400) -> Response:
        sid = request.session.get("sid")
        ws = workspaces.root / sid if sid else None

        def shown(text):                      # the user knows the files by the names they uploaded
            return applicant.hide_paths(str(text), ws) if ws is not None else str(text)
        return page(request, "error.html", status, message=shown(message), problems=[shown(p) for p in problems])

    def year_of(form, field: str = "year") -> int | None:
        """The 年度 a form sent (empty: None); a Chinese error for anything but a year."""
        text = str(form.get(field) or "").strip()
        if not text:
            return None
        if not text.isdigit() or not 1900 < int(text) < 2200:
            raise GmdocsError(f"推荐年度应为四位数字的年份（如 2026），收到：{text}")
        return int(text)

    async def form_of(request: Request):
        form = await request.form(max_files=200, max_fields=5000, max_part_size=2 * MB)
        if not csrf_ok(request.session, form.get("csrf") or request.headers.get("x-csrf-token")):
            raise Forbidden()
        return form

    async def save_uploads(request: Request, form, name: str, folder: Path, keep: tuple[str, ...]) -> list[Path]:
        saved = []
        for up in form.getlist(name):
            if not hasattr(up, "filename") or not up.filename:
                continue
            fname = clean_name(up.filename)
            if not fname.lower().endswith(keep):
                raise GmdocsError(f"文件类型不支持：{fname}（可上传：{'、'.join(keep)}）")
            target = unique(folder, fname)
            with open(target, "wb") as fh:
                while chunk := await up.read(1024 * 1024):
                    fh.write(chunk)
            saved.append(target)
        return saved

    # ------------------------------------------------------------------ pages
    async def home(request: Request):
        return page(request, "home.html")

    async def apply_page(request: Request):
        ws = session_ws(request)
        st = applicant.load_state(ws)
        cat = catalogue(ws)
        years = sorted(cat.campaigns, reverse=True)
        return page(request, "apply.html", st=st, years=years, categories=CATEGORIES)

    async def apply_start(request: Request):
        form = await form_of(request)
        ws = session_ws(request)
        cat = catalogue(ws)
        if form.get("mode") == "upload":
            try:
                saved = await save_uploads(request, form, "file", ws / "uploads", (".yaml", ".yml", ".xlsx"))
                if not saved:
                    return error_page(request, "请选择要上传的申报数据文件（.yaml 或 .xlsx）")
                p = saved[0]
                if p.suffix.lower() == ".xlsx":
                    await run_in_threadpool(applicant.from_xlsx_upload, ws, p)
                    return RedirectResponse("/apply/result", 303)
                await run_in_threadpool(applicant.from_yaml_upload, ws, cat, p)
            except GmdocsError as err:
                return error_page(request, err.message, err.problems)
            return RedirectResponse("/apply/form", 303)
        try:
            category = str(form.get("category") or "")
            if category not in dict(CATEGORIES):
                raise GmdocsError(f"类别应为 {'、'.join(v for _, v in CATEGORIES)} 之一，收到：{category or '（空）'}")
            year = year_of(form)
            if year is None:
                raise GmdocsError("请选择推荐年度")
            await run_in_threadpool(applicant.start, ws, cat, category, year)
        except GmdocsError as err:
            return error_page(request, err.message, err.problems)
        return RedirectResponse("/apply/form", 303)

    async def apply_form(request: Request):
        ws = session_ws(request)
        st = applicant.load_state(ws)
        if not st or st.get("source") != "form":
            return RedirectResponse("/apply", 303)
        from ..application.formdata import form_sections
        cat = catalogue(ws)
        sk = applicant.sk_of(cat, st)
        from ..application.formdata import data_from_form
        sections = form_sections(sk, data_from_form(sk, st.get("form") or {}))
        return page(request, "form.html", st=st, sections=sections, category=dict(CATEGORIES)[st["category"]])

    async def api_check(request: Request):
        form = await form_of(request)
        ws = session_ws(request)
        st = applicant.load_state(ws)
        if not st or st.get("source") != "form":
            return JSONResponse({"error": "请先选择类别和年度"}, 400)
        st["form"] = {k: v for k, v in form.items() if k != "csrf" and isinstance(v, str)}
        applicant.save_state(ws, st)
        result = await run_in_threadpool(applicant.check, ws, st, catalogue(ws))
        return JSONResponse(result)

    async def attachment_add(request: Request):
        form = await form_of(request)
        ws = session_ws(request)
        st = applicant.load_state(ws)
        try:
            saved = await save_uploads(request, form, "file", ws / "证明材料", (".pdf",))
            from ..documents.pdf import check_attachment
            for p in saved:
                await run_in_threadpool(check_attachment, p, p.stem)
            name = str(form.get("name") or "").strip()
            for p in saved:
                await run_in_threadpool(applicant.add_attachment, ws, st, p, name)
        except GmdocsError as err:
            return error_page(request, err.message, err.problems)
        applicant.save_state(ws, st)
        return RedirectResponse("/apply/form#attachments" if st.get("source") == "form" else "/apply/result", 303)

    async def apply_result(request: Request):
        ws = session_ws(request)
        st = applicant.load_state(ws)
        if not st:
            return RedirectResponse("/apply", 303)
        cat = catalogue(ws)
        try:
            app, rep, ev = await run_in_threadpool(applicant.evaluate, ws, st, cat)
        except GmdocsError as err:
            return error_page(request, err.message, err.problems)
        from ..catalogue.model import CONFIDENCE_MARK
        return page(request, "result.html", st=st, app=app, rep=rep, ev=ev.to_json(), marks=CONFIDENCE_MARK,
                    clean=lambda text: applicant.hide_paths(str(text), ws),
                    has_evaluator=bool(st.get("evaluator") and st.get("engagement")),
                    today=dt.date.today().isoformat())

    async def rules_form(request: Request):
        ws = session_ws(request)
        st = applicant.load_state(ws)
        cat = catalogue(ws)
        try:
            _, _, ev = await run_in_threadpool(applicant.evaluate, ws, st, cat)
            from ..catalogue.rulesform import write_form
            out = ws / "规则补充表.xlsx"
            await run_in_threadpool(write_form, cat, ev.rulebook, out, None, True)
        except GmdocsError as err:
            return error_page(request, err.message, err.problems)
        return FileResponse(out, filename="规则补充表.xlsx")

    async def rules_import(request: Request):
        form = await form_of(request)
        ws = session_ws(request)
        try:
            saved = await save_uploads(request, form, "file", ws / "uploads", (".xlsx",))
            if not saved:
                return error_page(request, "请选择填好的规则补充表（.xlsx）")
            from ..catalogue.rulesform import import_form
            await run_in_threadpool(import_form, catalogue(ws), saved[0], ws / "data", True)
        except GmdocsError as err:
            return error_page(request, err.message, err.problems)
        return RedirectResponse("/apply/result", 303)

    async def apply_build(request: Request):
        form = await form_of(request)
        ws = session_ws(request)
        st = applicant.load_state(ws)
        if not st:
            return RedirectResponse("/apply", 303)
        cat = catalogue(ws)
        report = "third-party" if form.get("report") == "third-party" else "self"
        draft = form.get("draft") == "on"
        try:
            when = dt.date.fromisoformat(str(form.get("date"))) if form.get("date") else None
        except ValueError:
            return error_page(request, f"编制日期格式不对：{form.get('date')}（应为 2026-03-31 这样的日期）")
        if report == "third-party" and not (st.get("evaluator") and st.get("engagement")):
            return error_page(request, "生成第三方评价报告需要先在“评价机构”页上传机构信息和本次评价记录")

        def work(job):
            from ..documents.build import build
            path, _ = applicant.current_file(ws, st, cat)
            out = ws / "jobs" / job.id / "申报文件"
            try:
                res = build(path, out, cat, report=report, pdf=True, force=True, draft=draft, today=when,
                            evaluator=st.get("evaluator") if report == "third-party" else None,
                            engagement=st.get("engagement") if report == "third-party" else None,
                            progress=lambda line: job.messages.append(applicant.hide_paths(line, ws)))
            except GmdocsError as err:
                raise GmdocsError(applicant.hide_paths(err.message, ws), err.exit_code,
                                  [applicant.hide_paths(str(p), ws) for p in err.problems]) from err
            zpath = ws / "jobs" / job.id / "申报文件.zip"
            with zipfile.ZipFile(zpath, "w", zipfile.ZIP_DEFLATED) as z:
                for p in sorted(out.iterdir()):
                    if p.is_file() and not p.name.startswith("."):
                        z.write(p, p.name)
            job.download, job.download_name = zpath, f"{dict(CATEGORIES).get(st.get('category'), '')}-申报文件.zip"
            job.result = {"files": [p.name for p in sorted(out.iterdir()) if p.is_file() and not p.name.startswith(".")],
                          "warnings": [applicant.hide_paths(w, ws) for w in res.warnings][:20], "pages": res.pages}
            job.messages.append("完成")
        job = jobs.submit(request.session["sid"], "生成申报文件", work)
        return RedirectResponse(f"/jobs/{job.id}/page", 303)

    async def job_page(request: Request):
        job = jobs.get(request.session.get("sid", ""), request.path_params["job"])
        if job is None:
            return error_page(request, "没有这个任务（任务只在开始它的浏览器会话中可见）", status=404)
        return page(request, "job.html", job=job)

    async def job_status(request: Request):
        job = jobs.get(request.session.get("sid", ""), request.path_params["job"])
        if job is None:
            return JSONResponse({"error": "没有这个任务"}, 404)
        return JSONResponse(job.to_json())

    async def download(request: Request):
        job = jobs.get(request.session.get("sid", ""), request.path_params["job"])
        if job is None or job.download is None:
            return error_page(request, "没有可下载的文件", status=404)
        ws = session_ws(request)
        return FileResponse(inside(ws, job.download), filename=job.download_name or job.download.name)

    # ------------------------------------------------------------------ 标准查新, 检索
    async def citecheck_page(request: Request):
        if request.method == "GET":
            return page(request, "citecheck.html", rows=None)
        form = await form_of(request)
        ws = session_ws(request)
        try:
            saved = await save_uploads(request, form, "file", ws / "查新", (".docx", ".pdf"))
            if not saved:
                return error_page(request, "请选择要查新的 DOCX 或 PDF 文件")
            from ..catalogue.citecheck import REPORT_HEADERS, check_files, report_rows
            from ..documents.xlsx import write_table
            result = await run_in_threadpool(check_files, catalogue(ws), saved)
            rows = report_rows(result.citations)
            for r in rows:
                r[0] = Path(r[0]).name
            out = ws / "查新" / "标准查新报告.xlsx"
            await run_in_threadpool(write_table, out, "查新结果", REPORT_HEADERS, rows, True)
        except GmdocsError as err:
            return error_page(request, err.message, err.problems)
        return page(request, "citecheck.html", headers=REPORT_HEADERS, rows=rows,
                    warnings=[w.replace(str(ws), "") for w in result.warnings])

    async def citecheck_download(request: Request):
        ws = session_ws(request)
        out = ws / "查新" / "标准查新报告.xlsx"
        if not out.is_file():
            return error_page(request, "还没有查新结果", status=404)
        return FileResponse(out, filename="标准查新报告.xlsx")

    async def search_page(request: Request):
        q = (request.query_params.get("q") or "").strip()
        kind = request.query_params.get("type") or None
        try:
            limit = min(max(int(request.query_params.get("limit") or 20), 1), 500)
        except ValueError:
            limit = 20
        hits, err = None, ""
        if q:
            from ..search import search
            try:
                hits = await run_in_threadpool(search, q, kind if kind in ("standard", "indicator", "benchmark", "policy")
                                               else None, None, None, limit, data_dir)
            except GmdocsError as e:
                err = e.message
        return page(request, "search.html", q=q, kind=kind or "", hits=hits, err=err, limit=limit)

    # ------------------------------------------------------------------ 评价机构
    async def evaluator_page(request: Request):
        ws = session_ws(request)
        st = applicant.load_state(ws)
        caps = st.get("caps")
        return page(request, "evaluator.html", st=st, caps=caps, years=sorted(catalogue(ws).campaigns, reverse=True))

    async def evaluator_upload(request: Request):
        form = await form_of(request)
        ws = session_ws(request)
        st = applicant.load_state(ws)
        cat = catalogue(ws)
        try:
            folder = ws / "评价机构"
            firm = await save_uploads(request, form, "firm", folder, (".yaml", ".yml"))
            quals = await save_uploads(request, form, "qualifications", folder, (".pdf",))
            record = await save_uploads(request, form, "engagement", folder, (".yaml", ".yml"))
            ledger = await save_uploads(request, form, "ledger", folder, (".yaml", ".yml", ".xlsx"))
            if firm:
                from ..catalogue.yamlsrc import read_yaml
                from ..documents.build import load_evaluator
                listed = read_yaml(firm[0], firm[0].name)[0] or {}     # its problems: said by load_evaluator
                refs = [str(q.get("文件")) for q in (listed.get("资质材料") or []) if isinstance(q, dict) and q.get("文件")] \
                    if isinstance(listed, dict) else []
                applicant.place_referenced(folder, quals, refs, ws)
                await run_in_threadpool(load_evaluator, firm[0], cat)
                st["evaluator"] = str(firm[0])
            if quals and not firm:
                return error_page(request, "资质文件请与机构信息文件一起上传（机构信息中写明资质文件名）")
            if record:
                st["engagement"] = str(record[0])
            if ledger:
                from ..ledger import count_caps, read_ledger
                projects = await run_in_threadpool(read_ledger, ledger[0])
                year = year_of(form) or max(cat.campaigns)
                caps = count_caps(projects, cat, year)
                st["caps"] = {"year": year, "file": ledger[0].name, "rows": [
                    {"label": c.label, "count": c.count, "limit": c.limit, "state": c.state, "rule": c.rule,
                     "over": [p.applicant for p in c.over], "not_counted": len(c.not_counted)} for c in caps]}
        except GmdocsError as err:
            return error_page(request, err.message, err.problems)
        applicant.save_state(ws, st)
        return RedirectResponse("/evaluator", 303)

    # ------------------------------------------------------------------ 省级：批量
    async def province_page(request: Request):
        ws = session_ws(request)
        st = applicant.load_state(ws)
        return page(request, "province.html", batch=st.get("batch"), years=sorted(catalogue(ws).campaigns, reverse=True))

    async def province_run(request: Request):
        form = await form_of(request)
        ws = session_ws(request)
        cat = catalogue(ws)
        run_id = secrets.token_hex(6)
        folder = ws / "batch" / run_id
        try:
            saved = await save_uploads(request, form, "files", folder / "上传", (".yaml", ".yml", ".xlsx", ".zip", ".pdf"))
            for z in [p for p in saved if p.suffix.lower() == ".zip"]:
                await run_in_threadpool(extract_zip, z, folder / "申报数据", (".yaml", ".yml", ".xlsx", ".pdf"))
                z.unlink()
            for p in (folder / "上传").glob("*"):
                if p.is_file():
                    target = unique(folder / "申报数据", p.name)
                    shutil.move(str(p), target)
            if not (folder / "申报数据").is_dir():
                return error_page(request, "请选择申报数据文件（.yaml/.xlsx）或装有它们的 zip")
            year = year_of(form)
            from ..batch.job import run_job
            out = folder / "推荐汇总表.xlsx"
            res = await run_in_threadpool(lambda: run_job([folder / "申报数据"], out, cat, year, jobs=1, keep_rows=True,
                                                          shown_from=folder / "申报数据"))
        except GmdocsError as err:
            return error_page(request, err.message, err.problems)
        st = applicant.load_state(ws)
        st["batch"] = {"id": run_id, "preview": _summary_preview(out), "counts": res.counts,
                       "conflicts": [{"severity": c.severity, "message": c.message} for c in res.conflicts]}
        applicant.save_state(ws, st)
        return RedirectResponse("/province", 303)

    async def province_download(request: Request):
        ws = session_ws(request)
        st = applicant.load_state(ws)
        b = st.get("batch")
        if not b:
            return error_page(request, "还没有汇总结果", status=404)
        return FileResponse(inside(ws, ws / "batch" / b["id"] / "推荐汇总表.xlsx"), filename="推荐汇总表.xlsx")

    async def end_session(request: Request):
        await form_of(request)
        sid = request.session.get("sid")
        if sid:
            jobs.forget(sid)
            workspaces.end(sid)
        request.session.clear()
        return RedirectResponse("/", 303)

    # ------------------------------------------------------------------ errors, access
    async def on_too_large(request: Request, exc: TooLarge):
        return too_large_response(exc.limit)

    async def on_forbidden(request: Request, exc: Forbidden):
        return error_page(request, "页面已过期或来自别的网站（CSRF 校验未通过）：请刷新页面后重试", status=403)

    async def on_defect(request: Request, exc: Exception):
        from ..errors import write_defect_report
        where = write_defect_report(exc, f"网页：{request.method} {request.url.path}")
        if where is None:
            tail = "详细信息无法写入文件"
        elif token is None:             # on this computer: the user can open the file
            tail = f"详细信息已写入 {where}，报告问题时请附上此文件"
        else:                           # served to other computers: no server path in the page
            tail = "详细信息已写入服务器上 gmdocs 缓存目录中的“错误报告”文件夹"
        message = f"gmdocs 内部错误（程序缺陷，不是您的输入有误）：{type(exc).__name__}。{tail}。可返回上一页重试"
        try:
            return error_page(request, message, status=500)
        except Exception:       # the failure was before the session or the templates: a plain page  # noqa: BLE001
            from html import escape
            return HTMLResponse(f"<!doctype html><meta charset=utf-8><title>内部错误</title><p>{escape(message)}</p>",
                                status_code=500)

    class TokenGate:
        """With an access token: a browser must open the page once with ?token=… (then its session carries it)."""

        def __init__(self, app):
            self.app = app

        async def __call__(self, scope, receive, send):
            if scope["type"] != "http" or token is None or scope["path"].startswith("/static/"):
                return await self.app(scope, receive, send)
            request = Request(scope, receive)
            if request.session.get("auth") != "ok":
                given = request.query_params.get("token")
                if given and secrets.compare_digest(given, token):
                    request.session["auth"] = "ok"
                else:
                    resp = Response("需要访问令牌：请使用启动 gmdocs serve 时打印的完整网址（含 ?token=…）打开本页",
                                    status_code=403, media_type="text/plain; charset=utf-8")
                    return await resp(scope, receive, send)
            return await self.app(scope, receive, send)

    @asynccontextmanager
    async def lifespan(app):
        yield
        jobs.close()
        workspaces.close()
        from ..documents.converter import reset
        reset()

    routes = [
        Route("/", home), Route("/apply", apply_page), Route("/apply/start", apply_start, methods=["POST"]),
        Route("/apply/form", apply_form), Route("/api/check", api_check, methods=["POST"]),
        Route("/apply/attachment", attachment_add, methods=["POST"]), Route("/apply/result", apply_result),
        Route("/rules/form", rules_form), Route("/rules/import", rules_import, methods=["POST"]),
        Route("/apply/build", apply_build, methods=["POST"]), Route("/jobs/{job}/page", job_page),
        Route("/jobs/{job}", job_status), Route("/download/{job}", download),
        Route("/citecheck", citecheck_page, methods=["GET", "POST"]), Route("/citecheck/report", citecheck_download),
        Route("/search", search_page), Route("/evaluator", evaluator_page),
        Route("/evaluator/upload", evaluator_upload, methods=["POST"]), Route("/province", province_page),
        Route("/province/run", province_run, methods=["POST"]), Route("/province/report", province_download),
        Route("/end", end_session, methods=["POST"]),
        Mount("/static", StaticFiles(directory=str(HERE / "static")), name="static"),
    ]
    middleware = [Middleware(BodyLimit, max_bytes=max_upload),
                  Middleware(SessionMiddleware, secret_key=secrets.token_urlsafe(32), session_cookie="gmdocs_session",
                             same_site="strict", https_only=False),
                  Middleware(TokenGate)]
    app = Starlette(routes=routes, middleware=middleware, lifespan=lifespan,
                    exception_handlers={TooLarge: on_too_large, Forbidden: on_forbidden, 500: on_defect})
    app.state.workspaces, app.state.jobs = workspaces, jobs
    return app


def _summary_preview(xlsx: Path, limit: int = 500) -> dict:
    """The 推荐汇总表 sheet as header + rows (for the sortable table on the page)."""
    from openpyxl import load_workbook
    wb = load_workbook(xlsx, read_only=True)
    try:
        ws = wb["推荐汇总表"]
        rows = [["" if v is None else str(v) for v in r] for r in ws.iter_rows(values_only=True)]
    finally:
        wb.close()
    head = next((i for i, r in enumerate(rows) if r and r[0] in ("序号",)), 0)
    return {"header": rows[head] if rows else [], "rows": [r for r in rows[head + 1:head + 1 + limit] if any(r)]}
