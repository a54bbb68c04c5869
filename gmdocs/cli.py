"""The `gmdocs` command line: argument parsing and printing only; logic lives in the library."""
from __future__ import annotations

import functools
import json
import os
import sys
from pathlib import Path

import click

from . import __version__
from .errors import EXIT_BAD_INPUT, EXIT_OK, EXIT_PROBLEMS, GmdocsError, said

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


def _echo_json(obj) -> None:
    click.echo(json.dumps(obj, ensure_ascii=False, indent=2, default=str))


def _fail(err: GmdocsError) -> None:
    ctx = click.get_current_context(silent=True)
    if ctx is not None and ctx.params.get("as_json"):        # a script asked for JSON: the error is JSON too
        _echo_json({"error": err.message, "exit_code": err.exit_code,
                    "problems": [{"file": p.file, "line": p.line, "field": p.field, "message": p.message}
                                 for p in err.problems]})
    else:
        click.echo(f"错误：{err}", err=True)
    sys.exit(err.exit_code)


_SIGNALLED: list[int] = []      # signals received while a command ran (a C extension may turn the
                                # KeyboardInterrupt into another error, e.g. ImportError during an import)


def _raise_interrupt(signum, frame):
    _SIGNALLED.append(signum)
    raise KeyboardInterrupt


_AT_FORK = []


def _default_in_child() -> None:
    """A process forked by a command (batch workers) gets the default SIGTERM/SIGHUP back."""
    import signal
    for s in (getattr(signal, "SIGTERM", None), getattr(signal, "SIGHUP", None)):
        try:
            if s is not None and signal.getsignal(s) is _raise_interrupt:
                signal.signal(s, signal.SIG_DFL)
        except (ValueError, OSError, RuntimeError):
            pass


class _Signals:
    """While a command runs, SIGTERM and SIGHUP end it like Ctrl-C: KeyboardInterrupt, so that every `finally`
    runs (staging and working folders removed, LibreOffice ended). Signals the parent set to be ignored (nohup)
    stay ignored; the previous handlers are put back afterwards (the CLI also runs in-process, in tests)."""

    def __enter__(self):
        import signal
        import threading
        self.old = {}
        if threading.current_thread() is not threading.main_thread():
            return self
        if not _AT_FORK and hasattr(os, "register_at_fork"):
            os.register_at_fork(after_in_child=_default_in_child)
            _AT_FORK.append(True)
        _SIGNALLED.clear()
        if signal.getsignal(signal.SIGINT) is not None:
            self.old[signal.SIGINT] = signal.getsignal(signal.SIGINT)     # put back after ignore()
            if self.old[signal.SIGINT] is signal.default_int_handler:
                signal.signal(signal.SIGINT, _raise_interrupt)            # Ctrl-C as before, and remembered
        for s in (getattr(signal, "SIGTERM", None), getattr(signal, "SIGHUP", None)):
            if s is None:
                continue
            try:
                h = signal.getsignal(s)
                if h is not None and h != signal.SIG_IGN:
                    self.old[s] = signal.signal(s, _raise_interrupt)
            except (ValueError, OSError, RuntimeError):
                pass
        return self

    @staticmethod
    def ignore() -> None:
        """On the way out after an interruption: further Ctrl-C/SIGTERM must not cut the clean-up short."""
        import signal
        import threading
        if threading.current_thread() is threading.main_thread():
            for s in (signal.SIGINT, getattr(signal, "SIGTERM", None), getattr(signal, "SIGHUP", None)):
                try:
                    if s is not None and signal.getsignal(s) not in (None, signal.SIG_IGN):
                        signal.signal(s, signal.SIG_IGN)
                except (ValueError, OSError, RuntimeError):
                    pass

    def __exit__(self, *exc):
        import signal
        for s, h in self.old.items():
            try:
                signal.signal(s, h)
            except (ValueError, OSError, RuntimeError, TypeError):
                pass
        return False


def _interrupted() -> None:
    """Ctrl-C or SIGTERM: end the warm LibreOffice (its process group and profile) now, say so, exit 130."""
    _Signals.ignore()
    conv = sys.modules.get("gmdocs.documents.converter")
    if conv is not None:
        try:
            conv.reset()
        except Exception:      # best effort on the way out (signals are ignored by now)  # noqa: BLE001, S110
            pass
    click.echo("已中断。", err=True)
    sys.exit(130)


def _during_interrupt(exc: BaseException) -> bool:
    """Whether `exc` came of Ctrl-C/SIGTERM: a KeyboardInterrupt in its cause or context chain (an extension
    module whose initialisation was interrupted raises ImportError from it), or a signal seen meanwhile."""
    if _SIGNALLED:
        return True
    todo, seen = [exc], set()
    while todo:
        e = todo.pop()
        if e is None or id(e) in seen:
            continue
        if isinstance(e, KeyboardInterrupt):
            return True
        seen.add(id(e))
        todo += [e.__cause__, e.__context__]
    return False


def handles_errors(fn):
    """Turn GmdocsError (and file-system errors) into a Chinese message and its exit code; never a traceback
    for user errors. SIGTERM is handled like Ctrl-C: clean-up runs, "已中断。", exit code 130."""
    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        with _Signals():
            try:
                return fn(*args, **kwargs)
            except GmdocsError as err:
                _fail(err)
            except KeyboardInterrupt:
                _interrupted()
            except OSError as exc:
                if isinstance(exc, BrokenPipeError):
                    raise
                if _during_interrupt(exc):         # a clean-up that failed because Ctrl-C/SIGTERM cut a tool short
                    _interrupted()
                from .fsutil import os_error
                _fail(os_error(exc, action="访问"))
            except Exception as exc:
                if _during_interrupt(exc):         # e.g. Ctrl-C while matplotlib's C part was being imported
                    _interrupted()
                raise
    return wrapper


def _catalogue(ctx: click.Context):
    from .catalogue import load_catalogue
    obj = ctx.find_root().obj
    if "catalogue" not in obj:
        obj["catalogue"] = load_catalogue(data_dir=obj.get("data_dir"))
    return obj["catalogue"]


# ---------------------------------------------------------------- click's own errors, in Chinese
def _param_name(param) -> str:
    """--year for an option (its long name), FILE for an argument."""
    if param is None:
        return ""
    if isinstance(param, click.Option):
        longs = [o for o in param.opts if o.startswith("--")]
        return (longs or param.opts or [param.name or ""])[0]
    return param.human_readable_name


def _date_formats(fmts) -> str:
    return " 或 ".join(f.replace("%Y", "YYYY").replace("%m", "MM").replace("%d", "DD").replace("%H", "HH")
                      .replace("%M", "mm").replace("%S", "ss") for f in fmts)


def _bad_value(err: click.BadParameter) -> str:
    """A value click could not take, said in Chinese with the parameter and the value."""
    import re
    msg, param = err.message or "", err.param
    name = _param_name(param) if param is not None else (
        err.param_hint if isinstance(err.param_hint, str) else " / ".join(err.param_hint or []))
    what = f"参数 {name}" if name else "参数"
    ptype = getattr(param, "type", None)
    m = re.fullmatch(r"(.+) is not a valid (integer|float|boolean|UUID)\.", msg)
    if m:
        kind = {"integer": "整数", "float": "数字", "boolean": "是/否（true/false）", "UUID": "UUID"}[m.group(2)]
        return f"{what} 的值 {m.group(1)} 不是{kind}"
    m = re.fullmatch(r"(.+) is not in the range (.+)\.", msg)
    if m:
        lo, hi = getattr(ptype, "min", None), getattr(ptype, "max", None)
        if lo is not None and hi is not None:
            rng = f"应在 {lo} 到 {hi} 之间"
        elif lo is not None:
            rng = f"应不小于 {lo}"
        elif hi is not None:
            rng = f"应不大于 {hi}"
        else:
            rng = f"允许的范围：{m.group(2)}"
        return f"{what} 的值 {m.group(1)} 超出范围：{rng}"
    m = re.fullmatch(r"(.+) is not (?:one of )?(.+)\.", msg)
    if m and isinstance(ptype, click.Choice):
        return f"{what} 的值 {m.group(1)} 不是可选值之一（可选：{'、'.join(map(str, ptype.choices))}）"
    m = re.fullmatch(r"(.+) does not match the formats? (.+)\.", msg)
    if m:
        fmts = getattr(ptype, "formats", None) or []
        return f"{what} 的值 {m.group(1)} 不是有效的日期，应写成 {_date_formats(fmts) or m.group(2)}（如 2024-05-20）"
    m = re.fullmatch(r"(File|Directory|Path) (.+?) (does not exist|is a file|is a directory|is not readable|"
                     r"is not writable|is not executable)\.", msg)
    if m:
        target = m.group(2)
        why = {"does not exist": "不存在", "is a file": "是一个文件，这里需要文件夹",
               "is a directory": "是一个文件夹，这里需要文件", "is not readable": "没有读取权限",
               "is not writable": "没有写入权限", "is not executable": "不可执行"}[m.group(3)]
        return f"{what} 指定的 {target} {why}"
    return f"{what} 的值不合法：{msg}"


def click_error_text(err: click.ClickException, path: str = "gmdocs") -> str:
    """Chinese for every error click itself raises (bad or missing arguments and options, unknown options and
    commands); the command's --help is named for what to do next (`path`: the command when click gives none)."""
    import re
    ctx = getattr(err, "ctx", None)
    path = ctx.command_path if ctx is not None else path
    help_hint = f"（可用 {path} --help 查看）"
    msg = err.message or ""
    if isinstance(err, click.NoSuchOption):
        text = f"没有这个选项 {err.option_name}"
        if err.possibilities:
            text += f"；是不是要用 {'、'.join(sorted(err.possibilities))}？"
        return text + help_hint
    if isinstance(err, click.exceptions.NoSuchCommand):
        text = f"没有这个命令 {said(err.command_name)}"
        if err.possibilities:
            text += f"；是不是要用 {'、'.join(sorted(err.possibilities))}？"
        return text + help_hint
    if isinstance(err, click.MissingParameter):
        name = _param_name(err.param) if err.param is not None else (err.param_hint or "")
        kind = err.param_type or (err.param.param_type_name if err.param is not None else "parameter")
        label = {"argument": "参数", "option": "选项"}.get(kind, "参数")
        extra = ""
        if err.param is not None and isinstance(err.param.type, click.Choice):
            extra = f"（可选：{'、'.join(map(str, err.param.type.choices))}）"
        return f"缺少{label} {name}{extra}" + help_hint
    if isinstance(err, click.BadParameter):
        return _bad_value(err) + help_hint
    if isinstance(err, click.BadOptionUsage):
        m = re.fullmatch(r"Option (.+) requires (?:an argument|(\d+) arguments)\.", msg)
        if m:
            return f"选项 {err.option_name} 后面缺少值" + (f"（需要 {m.group(2)} 个值）" if m.group(2) else "") + help_hint
        if re.fullmatch(r"Option (.+) does not take a value\.", msg):
            return f"选项 {err.option_name} 不接受值" + help_hint
        return f"选项 {err.option_name} 用法不对：{msg}" + help_hint
    if isinstance(err, click.BadArgumentUsage):
        m = re.fullmatch(r"Argument (.+) takes (\d+) values\.", msg)
        if m:
            return f"参数 {m.group(1)} 需要 {m.group(2)} 个值" + help_hint
        return f"参数用法不对：{msg}" + help_hint
    if isinstance(err, click.UsageError):
        m = re.fullmatch(r"Got unexpected extra arguments? \((.*)\)", msg)
        if m:
            return f"多余的参数：{m.group(1)}（有空格的值请加引号）" + help_hint
        if msg == "Missing command.":
            return "缺少子命令" + help_hint
        return f"用法错误：{msg}" + help_hint
    if isinstance(err, click.FileError):
        return f"无法打开文件 {err.ui_filename}：{err.message}"
    return msg


def _internal_error(exc: BaseException, argv: list[str]) -> None:
    """Say in Chinese that gmdocs failed (not the user), write the traceback to a file to attach to a report,
    exit 4. GMDOCS_DEBUG=1 shows the traceback instead."""
    from .errors import EXIT_INTERNAL, write_defect_report
    where = write_defect_report(exc, f"命令：gmdocs {' '.join(argv)}")
    what = f"{type(exc).__name__}: {exc}".strip()
    tail = (f"详细信息已写入 {where}，报告问题时请附上此文件" if where is not None else
            "详细信息无法写入文件；设置环境变量 GMDOCS_DEBUG=1 再运行一次可直接显示")
    click.echo(f"错误：gmdocs 内部错误（程序缺陷，不是您的输入有误）：{what[:300]}。{tail}。", err=True)
    sys.exit(EXIT_INTERNAL)


class ChineseGroup(click.Group):
    """The top-level group: click's own usage errors are printed in Chinese (exit code 2, JSON under --json);
    --help, --version and the commands' own output are unchanged."""

    def main(self, args=None, prog_name=None, complete_var=None, standalone_mode=True, **extra):
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, standalone_mode, **extra)
        argv = list(sys.argv[1:] if args is None else args)
        try:
            rv = super().main(argv, prog_name, complete_var, standalone_mode=False, **extra)
        except click.exceptions.NoArgsIsHelpError as err:          # `gmdocs standard` alone: its help, as before
            err.show()
            sys.exit(err.exit_code)
        except click.ClickException as err:
            text = click_error_text(err, self._command_path(argv, prog_name))
            if "--json" in argv:
                _echo_json({"error": text, "exit_code": err.exit_code, "problems": []})
            click.echo(f"错误：{text}", err=True)
            ctx = getattr(err, "ctx", None)
            if ctx is not None and isinstance(err, click.UsageError):
                click.echo(ctx.get_usage().replace("Usage: ", "用法：", 1), err=True)
            sys.exit(err.exit_code)
        except click.Abort:
            click.echo("已中断。", err=True)
            sys.exit(130)
        except GmdocsError as err:               # outside a command's own handler (e.g. the group's options)
            click.echo(f"错误：{err}", err=True)
            sys.exit(err.exit_code)
        except Exception as exc:                 # a defect of gmdocs: no traceback for the user, a report file
            if os.environ.get("GMDOCS_DEBUG"):
                raise
            _internal_error(exc, argv)
        sys.exit(rv if isinstance(rv, int) else 0)

    def _command_path(self, argv: list[str], prog_name: str | None) -> str:
        """`gmdocs search` for `search a --limit` (click's parser errors carry no context to say so)."""
        words, cmd = [prog_name or "gmdocs"], self
        for token in argv:
            sub = cmd.commands.get(token) if isinstance(cmd, click.Group) else None
            if sub is None:
                continue                 # an option or its value
            words.append(token)
            cmd = sub
        return " ".join(words)


@click.group("gmdocs", cls=ChineseGroup, context_settings=CONTEXT)
@click.version_option(__version__, "-V", "--version", prog_name="gmdocs", message="%(prog)s %(version)s")
@click.option("--data-dir", type=click.Path(file_okay=False), default=None,
              help="用户补充数据目录（也可用环境变量 GMDOCS_DATA；默认 ~/.config/gmdocs）。")
@click.pass_context
def main(ctx: click.Context, data_dir):
    """gmdocs：绿色制造名单（绿色工厂、绿色工业园区、绿色供应链管理企业）申报与评价工具。

    \b
    示例：
      gmdocs standard show GB/T36132
      gmdocs benchmark show 硅铁
      gmdocs catalogue gaps

    退出码：0 成功；1 发现问题或查无结果；2 输入错误（参数、文件、补充数据）。
    """
    ctx.ensure_object(dict)
    ctx.obj["data_dir"] = data_dir


# ---------------------------------------------------------------- standard
@main.group(context_settings=CONTEXT)
def standard():
    """标准：查看标准状态、日期、替代关系和出处。"""


@standard.command("show", context_settings=CONTEXT)
@click.argument("number", nargs=-1, required=True)
@click.option("--json", "as_json", is_flag=True, help="输出 JSON。")
@click.pass_context
@handles_errors
def standard_show(ctx, number, as_json):
    """显示标准 NUMBER 的状态、日期、替代链和出处。

    编号写法宽松：GB/T36132、gbt 36132-2018、ＧＢ／Ｔ ３６１３２、36132 都可以。

    \b
    示例：
      gmdocs standard show GB/T 36132-2018
      gmdocs standard show 36132 --json
    """
    from .catalogue.present import standard_json, standard_text
    from .catalogue.query import find_standards
    cat = _catalogue(ctx)
    query = " ".join(number)
    hits = find_standards(cat, query)
    if as_json:
        _echo_json({"query": query, "results": [standard_json(cat, s) for s in hits]})
    else:
        if not hits:
            click.echo(f"未收录：目录中没有与 {said(query)} 匹配的标准。可用 gmdocs standard list 查看已收录的标准。", err=True)
        for i, s in enumerate(hits):
            if i:
                click.echo("")
            click.echo("\n".join(standard_text(cat, s)))
    sys.exit(EXIT_OK if hits else EXIT_PROBLEMS)


@standard.command("list", context_settings=CONTEXT)
@click.option("--status", type=click.Choice(["现行", "废止", "即将实施", "状态未知"]), help="按状态筛选。")
@click.option("--type", "level", help="按类别筛选：国家 / 行业 / 团体 / 地方（或 国家标准 等全称）。")
@click.option("--topic", type=click.Choice(["green-factory", "supply-chain", "park", "energy-quota",
                                            "energy-calc", "code"]), help="按主题筛选。")
@click.option("--json", "as_json", is_flag=True, help="输出 JSON。")
@click.pass_context
@handles_errors
def standard_list(ctx, status, level, topic, as_json):
    """列出目录中的标准。

    \b
    示例：
      gmdocs standard list --status 现行 --type 行业
      gmdocs standard list --topic green-factory --json
    """
    from .catalogue.model import CONFIDENCE_MARK
    from .catalogue.present import standard_json
    from .catalogue.query import list_standards
    cat = _catalogue(ctx)
    rows = list_standards(cat, status, level, topic)
    if as_json:
        _echo_json({"count": len(rows), "results": [standard_json(cat, s) for s in rows]})
        return
    for s in rows:
        click.echo(f"{s.number:<22}{s.status:<6}{s.level:<6}{s.title}{CONFIDENCE_MARK.get(s.confidence, '')}")
    click.echo(f"共 {len(rows)} 项。", err=True)


@standard.command("check", context_settings=CONTEXT)
@click.argument("files", nargs=-1, required=True, type=click.Path())
@click.option("--json", "as_json", is_flag=True, help="输出 JSON。")
@click.option("--xlsx", "xlsx_path", type=click.Path(dir_okay=False), help="另存为 XLSX 查新报告。")
@click.option("--force", is_flag=True, help="覆盖已存在的 XLSX 文件。")
@click.pass_context
@handles_errors
def standard_check(ctx, files, as_json, xlsx_path, force):
    """标准查新：找出文件（.txt .md .docx .pdf）中引用的每个标准编号，逐一给出状态。

    状态：现行 / 废止（已被…代替）/ 即将实施 / 状态未知 / 未收录，并给出文件和位置（行、段、表格单元格、页）。
    有已废止的标准时退出码为 1。

    \b
    示例：
      gmdocs standard check 自评价报告.docx
      gmdocs standard check 报告.pdf 附件.md --xlsx 查新报告.xlsx
    """
    from .catalogue.citecheck import ABOLISHED, check_files, report_rows, REPORT_HEADERS
    cat = _catalogue(ctx)
    result = check_files(cat, files, progress=lambda f: click.echo(f"正在查新：{f}", err=True))
    for w in result.warnings:
        click.echo(f"警告：{w}", err=True)
    if xlsx_path:
        from .documents.xlsx import write_table
        out = write_table(xlsx_path, "查新结果", REPORT_HEADERS, report_rows(result.citations), force,
                          notes=["标准查新报告（gmdocs 生成）", *result.warnings])
        click.echo(f"已写入：{out}", err=True)
    if as_json:
        _echo_json({"files": list(files), "count": len(result.citations),
                    "abolished": sum(1 for c in result.citations if c.status == ABOLISHED),
                    "warnings": result.warnings, "citations": [c.to_json() for c in result.citations]})
    else:
        from .catalogue.present import citation_lines
        click.echo("\n".join(citation_lines(result.citations)))
    sys.exit(EXIT_PROBLEMS if any(c.status == ABOLISHED for c in result.citations) else EXIT_OK)


# ---------------------------------------------------------------- benchmark
@main.group(context_settings=CONTEXT)
def benchmark():
    """标杆/基准水平与能耗限额等级。"""


@benchmark.command("show", context_settings=CONTEXT)
@click.argument("product")
@click.option("--doc", help="只看某份文件，如 723、559、GB 21341。")
@click.option("--json", "as_json", is_flag=True, help="输出 JSON。")
@click.pass_context
@handles_errors
def benchmark_show(ctx, product, doc, as_json):
    """显示产品或领域 PRODUCT 的标杆水平、基准水平（和能耗限额 1/2/3 级）。

    数值未收录时明确写出"未收录"及应查阅的文件，绝不推算。

    \b
    示例：
      gmdocs benchmark show 硅铁
      gmdocs benchmark show 水泥熟料 --doc 723 --json
    """
    from .catalogue.present import benchmark_json, benchmark_text
    from .catalogue.query import find_benchmark_rows
    if not product.strip():
        raise GmdocsError("产品或领域名称不能为空（如 gmdocs benchmark show 硅铁）", EXIT_BAD_INPUT)
    cat = _catalogue(ctx)
    hits = find_benchmark_rows(cat, product, doc)
    if as_json:
        _echo_json({"query": product, "doc": doc, "results": [benchmark_json(h) for h in hits]})
    else:
        if not hits:
            click.echo(f"未收录：没有与 {said(product)}{'（文件 ' + doc + '）' if doc else ''} 匹配的标杆/基准行。", err=True)
        for i, h in enumerate(hits):
            if i:
                click.echo("")
            click.echo("\n".join(benchmark_text(h)))
    sys.exit(EXIT_OK if hits else EXIT_PROBLEMS)


# ---------------------------------------------------------------- catalogue
@main.group(context_settings=CONTEXT)
def catalogue():
    """数据目录：校验数据、列出缺失值。"""


@catalogue.command("validate", context_settings=CONTEXT)
@click.argument("directory", required=False, type=click.Path())
@click.option("--json", "as_json", is_flag=True, help="输出 JSON。")
@click.pass_context
@handles_errors
def catalogue_validate(ctx, directory, as_json):
    """校验数据目录 DIRECTORY（默认为随附的 standards/），一次列出全部问题。

    同时校验用户补充数据（--data-dir / GMDOCS_DATA）。有任何问题时退出码为 1。

    \b
    示例：
      gmdocs catalogue validate
      gmdocs --data-dir 我的补充 catalogue validate standards/
    """
    from .catalogue import read_catalogue
    from .catalogue.present import counts_text
    from .catalogue.query import catalogue_counts, confidence_counts
    cat = read_catalogue(directory, data_dir=ctx.find_root().obj.get("data_dir"))
    counts = catalogue_counts(cat)
    conf = confidence_counts(cat)
    if as_json:
        _echo_json({"ok": not cat.problems, "root": str(cat.root), "files": len(cat.files),
                    "counts": counts, "confidence": conf, "supplements": cat.supplements,
                    "problems": [p.to_json() for p in cat.problems]})
    else:
        for p in cat.problems:
            click.echo(str(p))
        if cat.problems:
            click.echo(f"校验不通过：共 {len(cat.problems)} 处问题（{len(cat.files)} 个文件）。", err=True)
        else:
            click.echo(f"校验通过：{len(cat.files)} 个文件。", err=True)
            click.echo(counts_text(counts, conf, cat))
    sys.exit(EXIT_PROBLEMS if cat.problems else EXIT_OK)


@catalogue.command("stats", context_settings=CONTEXT)
@click.argument("directory", required=False, type=click.Path())
@click.option("--json", "as_json", is_flag=True, help="输出 JSON。")
@click.pass_context
@handles_errors
def catalogue_stats(ctx, directory, as_json):
    """按可信度统计数据目录 DIRECTORY（默认为随附的 standards/）中的值，按记录类型分列。

    可信度：confirmed（已核实）、single-source（单一来源）、derived（推算）、uncertain（存疑）、
    user-supplied（用户补充）、missing（缺失）。数据有校验问题时照样统计，问题数打印在最后。

    \b
    示例：
      gmdocs catalogue stats
      gmdocs catalogue stats --json
    """
    from .catalogue.stats import stats_text, tag_counts
    from .catalogue.load import read_data_directory
    cat = read_data_directory(directory, data_dir=ctx.find_root().obj.get("data_dir"))
    counts = tag_counts(cat)
    if as_json:
        _echo_json({"root": str(cat.root), "files": len(cat.files), "problems": len(cat.problems), **counts})
    else:
        click.echo("\n".join(stats_text(counts)))
        if cat.problems:
            click.echo(f"注意：数据有 {len(cat.problems)} 处校验问题（gmdocs catalogue validate 查看），统计可能不全。",
                       err=True)


@catalogue.command("gaps", context_settings=CONTEXT)
@click.option("--json", "as_json", is_flag=True, help="输出 JSON。")
@click.option("--kind", help="只看某类记录：standard / policy / rulebook / benchmark_table / benchmark_row / campaign …")
@click.pass_context
@handles_errors
def catalogue_gaps(ctx, as_json, kind):
    """列出所有缺失值（缺口编号、所在记录、应查阅的文件和条款）。

    拿到原文的用户可在自己的数据目录中按缺口编号补充，见 examples/supplement/。

    \b
    示例：
      gmdocs catalogue gaps
      gmdocs catalogue gaps --kind benchmark_row --json
    """
    from .catalogue.present import gap_text
    from .catalogue.query import gaps
    cat = _catalogue(ctx)
    found = [g for g in gaps(cat) if not kind or g.kind == kind]
    if as_json:
        _echo_json({"count": len(found), "gaps": [g.to_json() for g in found]})
    else:
        for g in found:
            click.echo(gap_text(g))
        click.echo(f"共 {len(found)} 处缺失值。", err=True)


# ---------------------------------------------------------------- search
SEARCH_TYPES = ("standard", "indicator", "benchmark", "policy")


@main.command("search", context_settings=CONTEXT)
@click.argument("query", nargs=-1, required=True)
@click.option("--type", "type_", type=click.Choice(SEARCH_TYPES),
              help="只看一类：标准、指标（含指标体系）、标杆行、政策/年度规则。")
@click.option("--status", type=click.Choice(["现行", "废止", "即将实施", "状态未知", "已被替代", "已执行完毕"]),
              help="按状态筛选。")
@click.option("--year", type=int, help="只看某年度推荐工作适用的记录。")
@click.option("--limit", type=click.IntRange(1, 1000), default=10, show_default=True, help="最多显示几条。")
@click.option("--json", "as_json", is_flag=True, help="输出 JSON。")
@click.option("--verbose", "-v", is_flag=True, help="同时显示每条结果的数据记录位置（文件和行号）。")
@click.pass_context
@handles_errors
def search_cmd(ctx, query, type_, status, year, limit, as_json, verbose):
    """中文全文检索：标准、指标、标杆/基准行、政策文件和年度规则。

    标准编号按编号精确匹配（GB/T36132、gbt 36132-2018、ＧＢ／Ｔ３６１３２、36132 均可），
    已废止的版本会同时给出代替它的新版本。可以像平时说话一样写：年份（2025年）、文号（723号文）、
    同义词（标杆值/标杆水平）都能识别；找不到包含全部检索词的记录时，按覆盖检索词的多少给出部分匹配。
    “共 N 条”是全部匹配数，显示前 --limit 条。索引在首次使用时建立，数据变化时自动重建。

    \b
    示例：
      gmdocs search 能效
      gmdocs search 硅铁标杆值
      gmdocs search 2025年绿色工厂申报条件
      gmdocs search 单位产品综合能耗 --type indicator --year 2023
      gmdocs search GB/T 36132-2018 --json
    """
    from .search import search
    text = " ".join(query)
    hits = search(text, type_, status, year, limit, data_dir=ctx.find_root().obj.get("data_dir"))
    if as_json:
        from .search.present import to_json
        _echo_json(to_json(text, hits))
    else:
        _print_hits(hits, verbose)
    sys.exit(EXIT_OK if hits else EXIT_PROBLEMS)


def _print_hits(hits, verbose: bool = False) -> None:
    from .search.present import hit_lines, summary_line
    color = sys.stdout.isatty() and not os.environ.get("NO_COLOR")
    if not hits:
        click.echo("没有找到匹配的记录。", err=True)
    for i, h in enumerate(hits, 1):
        click.echo("\n".join(hit_lines(i, h, color, verbose)))
    if hits:
        click.echo(summary_line(hits), err=True)


@main.group(context_settings=CONTEXT)
def index():
    """检索索引缓存。"""


@index.command("rebuild", context_settings=CONTEXT)
@click.pass_context
@handles_errors
def index_rebuild(ctx):
    """强制重建检索索引（数据变化时 gmdocs 会自动重建，一般不需要手动执行）。

    \b
    示例：
      gmdocs index rebuild
    """
    from .search import rebuild
    click.echo("正在重建索引…", err=True)
    path = rebuild(ctx.find_root().obj.get("data_dir"))
    click.echo(f"索引已重建：{path}")


# ---------------------------------------------------------------- which
@main.command("which", context_settings=CONTEXT)
@click.option("--industry", required=True, help="行业名称，如 水泥、铁合金、汽车（写法宽松：水泥 / 水泥制造 / 水泥熟料）。")
@click.option("--product", help="产品，如 硅铁、水泥熟料（用于查标杆/基准行）。")
@click.option("--year", type=int, required=True, help="推荐工作年度，如 2023。")
@click.option("--category", type=click.Choice(["factory", "park", "supply-chain"]), default="factory",
              show_default=True, help="类别：绿色工厂 / 绿色工业园区 / 绿色供应链管理企业。")
@click.option("--json", "as_json", is_flag=True, help="输出 JSON。")
@click.pass_context
@handles_errors
def which_cmd(ctx, industry, product, year, category, as_json):
    """我适用哪个标准、哪条标杆值、哪些年度规则？

    行业有绿色工厂评价行业标准的给出行业标准，否则给出该年度选用的通则版本；
    给出产品的标杆/基准值（未收录的明确写"未收录"）和该年度的类别、排除情形、条件和截止日期。

    \b
    示例：
      gmdocs which --industry 铁合金 --product 硅铁 --year 2023
      gmdocs which --industry 汽车 --year 2023 --category supply-chain --json
    """
    from .catalogue.applicable import which
    from .catalogue.present import which_json, which_text
    cat = _catalogue(ctx)
    res = which(cat, industry, year, category, product)
    if as_json:
        _echo_json(which_json(res))
    else:
        click.echo("\n".join(which_text(cat, res)))
    sys.exit(EXIT_OK if res.category_available else EXIT_PROBLEMS)


# ---------------------------------------------------------------- applications
def _load_app(path):
    from .application.read import load_application
    return load_application(path)


def _app_files(paths) -> list:
    """The application files named, folders searched at any depth."""
    from .batch.run import find_files
    skipped: list = []
    files = find_files(list(paths), skipped=skipped)
    for path, kind in skipped:
        click.echo(f"已跳过 {path}：这是 gmdocs 生成的{kind}，不是申报数据", err=True)
    if not files:
        raise GmdocsError("没有找到申报数据文件（.yaml 或 .xlsx）：" + "、".join(str(p) for p in paths), EXIT_BAD_INPUT)
    return files


@main.command("check", context_settings=CONTEXT)
@click.argument("files", nargs=-1, required=True, type=click.Path())
@click.option("--year", type=int, help="推荐工作年度（默认取文件中的“年度”）。")
@click.option("--json", "as_json", is_flag=True, help="输出 JSON（出错时也是 JSON 对象）。")
@click.pass_context
@handles_errors
def check_cmd(ctx, files, year, as_json):
    """检查申报数据 FILES（.yaml 或 .xlsx，可以是多个文件或文件夹），一次列出全部问题及位置。

    退出码：0 无错误（可能有警告）；1 有错误；2 文件无法读取（多个文件时取最严重的）。

    \b
    示例：
      gmdocs check examples/硅铁厂-申报数据.yaml
      gmdocs check 申报数据.xlsx --year 2023 --json
      gmdocs check 申报材料/ 另一份.yaml
    """
    from .evaluate.checks import check
    from .evaluate.present import check_json, check_text
    def work(path):
        app, found = _load_app(path)
        rep = check(app, _catalogue(ctx), year, found)
        return check_json(rep), "\n".join(check_text(rep)), (EXIT_OK if rep.ok else EXIT_PROBLEMS)
    _each_file(files, as_json, work)


def _each_file(files, as_json: bool, work) -> None:
    """Run `work(path) -> (json, text, exit code)` for one file (its own output) or for several files and
    folders (a list; a file that cannot be read is an entry with its error); exit with the worst code."""
    many = len(files) > 1 or Path(files[0]).is_dir()         # a folder gets the list form, however many it holds
    if not many:
        js, text, code = work(Path(files[0]))
        if as_json:
            _echo_json(js)
        else:
            click.echo(text)
        sys.exit(code)
    worst, out = EXIT_OK, []
    for path in _app_files(files):
        try:
            js, text, code = work(path)
        except GmdocsError as err:
            worst = max(worst, err.exit_code)
            out.append({"file": str(path), "error": err.message, "exit_code": err.exit_code,
                        "problems": [str(p) for p in err.problems]})
            if not as_json:
                click.echo(f"== {path}\n错误：{err}\n")
            continue
        worst = max(worst, code)
        out.append({"file": str(path), **js})
        if not as_json:
            click.echo(f"== {path}\n{text}\n")
    if as_json:
        _echo_json({"files": out, "count": len(out)})
    sys.exit(worst)


def _grid(text):
    from .calculate.carbon import GridChoice
    from .errors import EXIT_BAD_INPUT
    try:
        return GridChoice.parse(text)
    except ValueError as exc:
        raise GmdocsError(str(exc), EXIT_BAD_INPUT) from None


GRID_HELP = ("外购电力排放因子口径：national-average（默认）、national-excl-market、national-fossil、"
             "regional:区域、provincial:省份、carbon-market。")


def _application_options(fn, many: bool = False):
    """FILE (or FILES…), --year, --grid and --json, shared by `calc` and `score`."""
    arg = click.argument("files", nargs=-1, required=True, type=click.Path()) if many else \
        click.argument("file", type=click.Path())
    for deco in reversed((arg,
                          click.option("--year", type=int, help="推荐工作年度（默认取文件中的“年度”，没有则取该类别的最新年度）。"),
                          click.option("--grid", "grid", default=None, metavar="口径", help=GRID_HELP),
                          click.option("--json", "as_json", is_flag=True, help="输出 JSON。"),
                          click.pass_context, handles_errors)):
        fn = deco(fn)
    return fn


@main.command("calc", context_settings=CONTEXT)
@_application_options
def calc_cmd(ctx, file, year, grid, as_json):
    """按原始数据计算申报数据 FILE 的全部定量指标和碳排放（逐年），每项给出公式和出处。

    \b
    示例：
      gmdocs calc examples/硅铁厂-申报数据.yaml
      gmdocs calc 申报数据.xlsx --grid provincial:内蒙古 --json
    """
    from .calculate.indicators import calculate
    from .calculate.present import calc_text
    from .evaluate.select import select
    app, _ = _load_app(file)
    cat = _catalogue(ctx)
    sel = select(cat, app, year)
    res = calculate(app, cat, year, _grid(grid), sel)
    click.echo(f"评价年度：{sel.year_reason}", err=True)
    if as_json:
        _echo_json({"name": app.name, "year_reason": sel.year_reason, **res.to_json()})
    else:
        click.echo("\n".join(calc_text(res, app.name, sel.year_reason)))
    sys.exit(EXIT_OK if res.formula_set else EXIT_PROBLEMS)


@main.command("score", context_settings=CONTEXT)
@functools.partial(_application_options, many=True)
def score_cmd(ctx, files, year, grid, as_json):
    """按年度适用的评价指标体系为申报数据 FILES（一个或多个文件、文件夹）评分：逐项、分组、总分和能效对标。

    定量指标按原始数据用收录的公式计算；核对自评得分和核定得分；规则缺失时给出已确定的分数、
    未定的分数和总分可能的范围，并说明如何补齐。

    \b
    示例：
      gmdocs score examples/汽车链主-申报数据.yaml
      gmdocs --data-dir 我的补充 score 申报数据.xlsx --json
    """
    from .evaluate.checks import check_and_score
    from .evaluate.present import score_text
    def work(path):
        app, found = _load_app(path)
        _, ev = check_and_score(app, _catalogue(ctx), year, found, _grid(grid))
        click.echo(f"{path}：评价年度：{ev.year_reason}", err=True)
        return ev.to_json(), "\n".join(score_text(ev)), (EXIT_OK if ev.rulebook else EXIT_PROBLEMS)
    _each_file(files, as_json, work)


@main.command("init", context_settings=CONTEXT)
@click.argument("category", type=click.Choice(["factory", "park", "supply-chain"]))
@click.option("--year", type=int, default=None, help="推荐工作年度（默认：目录中有该类别的最新年度）。")
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False), help="输出文件（.yaml 或 .xlsx）。")
@click.option("--from", "source", type=click.Path(), help="把已填好的 YAML 申报数据转成 XLSX（类别和年度取自该文件）。")
@click.option("--force", is_flag=True, help="覆盖已存在的文件。")
@click.pass_context
@handles_errors
def init_cmd(ctx, category, year, output, source, force):
    """生成空白申报数据文件：字段中文名、单位、可选值（XLSX 带下拉列表和填写说明）。

    列出该年度的排除情形、评价指标体系的基本要求和指标，以及近三年的年份。

    \b
    示例：
      gmdocs init factory --year 2023 -o 申报数据.xlsx
      gmdocs init park -o 园区申报.yaml
      gmdocs init factory --from 申报数据.yaml -o 申报数据.xlsx
    """
    from .application.blank import init_file
    app = _load_app(source)[0] if source else None
    path = init_file(_catalogue(ctx), category, year, output, force, app)
    click.echo(f"已生成：{path}")


# ---------------------------------------------------------------- documents
@main.command("build", context_settings=CONTEXT)
@click.argument("file", type=click.Path())
@click.option("-o", "--output", "out_dir", required=True, type=click.Path(file_okay=False), help="输出文件夹。")
@click.option("--year", type=int, help="推荐工作年度（默认取文件中的“年度”）。")
@click.option("--report", type=click.Choice(["self", "third-party"]), default="self", show_default=True,
              help="自评价报告或第三方评价报告。")
@click.option("--pdf/--no-pdf", default=True, show_default=True, help="是否用 LibreOffice 转 PDF 并合并申报材料。")
@click.option("--draft", is_flag=True, help="数据有错误时仍生成，每页标明“草稿”。")
@click.option("--template", type=click.Path(dir_okay=False), help="使用自己的 DOCX 模板（生成前先检查模板）。")
@click.option("--format", "edition", metavar="版本",
              help="官方格式版本（默认按推荐年度选择；可选版本见 gmdocs template formats），如 2017、2024。")
@click.option("--evaluator", type=click.Path(dir_okay=False), help="评价机构信息（第三方评价报告必需），见 examples/评价机构.yaml。")
@click.option("--engagement", type=click.Path(dir_okay=False),
              help="本次评价的评价记录（第三方评价报告必需；受评价方须与申报数据一致），见 examples/评价记录-硅铁厂.yaml。")
@click.option("--date", "date_", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help="编制日期 YYYY-MM-DD（默认今天；不在该年度推荐工作期间时给出警告）。")
@click.option("--ledger", type=click.Path(dir_okay=False),
              help="评价项目台账（第三方评价报告用）：生成前核对项目上限，超过上限时拒绝生成（--force 仍生成），"
                   "生成后追加本项目，见 gmdocs evaluator init。")
@click.option("--force", is_flag=True, help="覆盖已存在的输出文件；评价机构项目超过上限时仍生成。")
@click.pass_context
@handles_errors
def build_cmd(ctx, file, out_dir, year, report, pdf, draft, template, edition, evaluator, engagement, date_, ledger,
              force):
    """生成申报文件：检查 → 评分 → 填写报告模板 → 交叉核对 → 转 PDF → 合并为一个带书签的申报材料汇编。

    数据有错误时拒绝生成（加 --draft 则生成标明“草稿”的文件）；不加 --force 不覆盖已有文件。

    \b
    示例：
      gmdocs build examples/硅铁厂-申报数据.yaml -o 输出
      gmdocs build 申报数据.xlsx -o 输出 --report third-party --evaluator 评价机构.yaml --engagement 评价记录.yaml
      gmdocs build 申报数据.yaml -o 输出 --no-pdf --template 我的模板.docx
      gmdocs build 申报数据.yaml -o 输出 --format 2017      # 用 2023 年度沿用的 2017 年格式
      gmdocs build 申报数据.yaml -o 输出 --report third-party --evaluator 评价机构.yaml --engagement 评价记录.yaml --ledger 台账.xlsx
    """
    from .documents.build import build
    res = build(file, out_dir, _catalogue(ctx), year, report, pdf, force, draft, template, evaluator,
                date_.date() if date_ else None, progress=lambda s: click.echo(s, err=True), engagement=engagement,
                edition=edition, ledger=ledger)
    for w in res.warnings:
        click.echo(f"警告：{w}", err=True)
    click.echo(f"已交叉核对文档中的 {res.crosschecked} 个数值。", err=True)
    for p in res.written:
        click.echo(f"已写入：{p}")
    click.echo("内部核对用的评价说明（未核实的规则、缺失值、检查结果、计算过程）在“评价说明（内部）.xlsx”，不随申报材料报送。", err=True)
    if res.pages:
        click.echo(f"申报材料汇编共 {res.pages} 页，书签：{'、'.join(res.bookmarks)}", err=True)
    if res.ledger_note:
        click.echo(res.ledger_note, err=True)


@main.command("serve", context_settings=CONTEXT)
@click.option("--port", type=click.IntRange(0, 65535), default=8765, show_default=True, help="端口（0：自动选一个空闲端口）。")
@click.option("--host", default="127.0.0.1", show_default=True, help="监听地址；默认只有本机可以访问。")
@click.option("--allow-remote", is_flag=True, help="允许 --host 为本机以外的地址（会打印警告，并要求访问令牌）。")
@click.option("--open/--no-open", "open_browser", default=True, show_default=True, help="启动后打开浏览器。")
@click.pass_context
@handles_errors
def serve_cmd(ctx, port, host, allow_remote, open_browser):
    """启动本地网页：在线填写和检查申报数据、评分、生成申报文件，评价机构和省级主管部门的批量功能。

    \b
    示例：
      gmdocs serve                      # 打开 http://127.0.0.1:8765/
      gmdocs serve --port 9000 --no-open
      gmdocs serve --host 0.0.0.0 --allow-remote   # 局域网访问，需带令牌的网址

    每个浏览器会话有自己的临时目录，结束会话、闲置 2 小时或停止服务时删除。
    """
    from .web.serve import serve
    serve(host, port, open_browser, allow_remote, ctx.find_root().obj.get("data_dir"),
          say=lambda s: click.echo(s, err=True))


@main.command("batch", context_settings=CONTEXT)
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False), help="推荐汇总表 XLSX。")
@click.option("--year", type=int, help="推荐工作年度（默认取各文件中的“年度”）。")
@click.option("--jobs", type=click.IntRange(1, 64), default=2, show_default=True, help="并行进程数。")
@click.option("--json", "as_json", is_flag=True, help="在标准输出打印每份申报的结果（JSON）。")
@click.option("--force", is_flag=True, help="覆盖已存在的汇总表。")
@click.pass_context
@handles_errors
def batch_cmd(ctx, paths, output, year, jobs, as_json, force):
    """批量检查和评分申报数据（文件或文件夹，任意层级的 .yaml/.xlsx），写出推荐汇总表。

    一份文件无法读取不影响其他文件（该行写明原因）。汇总表含：推荐汇总表（每份申报一行，“是否推荐”下拉）、
    检查发现（全部申报的全部检查结果，可筛选）、评价机构项目数（按该年度的上限规则）、跨申报核对
    （统一社会信用代码重复、同一单位申报多个类别、园区绿色工厂数量）、说明（列的来源）。

    退出码：0 全部可评价且无错误；1 有错误、无法读取的文件或冲突；2 参数或输出位置错误。

    \b
    示例：
      gmdocs batch 申报材料/ -o 推荐汇总表.xlsx --jobs 2
      gmdocs batch a.yaml b.xlsx 园区/ -o 汇总.xlsx --year 2026 --json
    """
    from .batch.job import run_job
    with click.progressbar(length=1, label="评价", file=sys.stderr) as bar:
        last = [0]

        def started(total):
            click.echo(f"共 {total} 份申报文件，{jobs} 个进程…", err=True)
            bar.length = total

        def progress(done, total):
            bar.update(done - last[0])
            last[0] = done
        res = run_job(paths, output, _catalogue(ctx), year, jobs, ctx.find_root().obj.get("data_dir"), force,
                      as_json, progress, started)
    c = res.counts
    for path, kind in res.skipped:
        click.echo(f"已跳过 {path}：这是 gmdocs 生成的{kind}，不是申报数据", err=True)
    click.echo(f"已写入：{res.output}", err=as_json)
    click.echo(f"{c['applications']} 份：{c['applications'] - c['unreadable']} 份已评价（其中 {c['with_errors']} 份有错误），"
               f"{c['unreadable']} 份无法读取；检查发现 {c['findings']} 条；跨申报核对 {len(res.conflicts)} 条。", err=True)
    if as_json:
        _echo_json(res.to_json())
    sys.exit(EXIT_OK if res.ok else EXIT_PROBLEMS)


@main.group(context_settings=CONTEXT)
def evaluator():
    """第三方评价机构：评价项目台账与项目上限（同一法人每批次 / 同一法定代表人每年度不超过 15 项）。"""


@evaluator.command("status", context_settings=CONTEXT)
@click.argument("ledger", type=click.Path())
@click.option("--year", type=int, default=None, help="推荐工作年度（默认：台账中最新的年度）。")
@click.option("--json", "as_json", is_flag=True, help="输出 JSON。")
@click.pass_context
@handles_errors
def evaluator_status(ctx, ledger, year, as_json):
    """按年度规则统计评价项目台账 LEDGER（.xlsx 或 .yaml）中各评价机构的项目数，核对项目上限。

    2023 年度按同一法人的评价机构本批次计数（工信厅节函〔2023〕202号 二、（四））；2024 年度起按同一法定代表人
    每年度国家层面项目计数（《绿色工厂梯度培育及管理暂行办法》第二十条），省级项目列出但不计入。
    达到 13 项提示接近上限；超过上限时按报告日期先后列出超出的项目及其在台账中的位置，退出码为 1。

    \b
    示例：
      gmdocs evaluator status 台账.xlsx
      gmdocs evaluator status 台账.xlsx --year 2024 --json
    """
    from .ledger import cap_rule, count_caps, read_ledger
    projects = read_ledger(ledger)
    years = sorted({p.year for p in projects})
    if year is None:
        year = years[-1] if years else None
    cat = _catalogue(ctx)
    statuses = count_caps(projects, cat, year) if year is not None else []
    over = any(s.state == "over" for s in statuses)
    if as_json:
        counts, limit, rule = cap_rule(cat, year) if year is not None else (None, None, None)
        _echo_json({"ledger": ledger, "year": year, "years": years, "counts": counts, "limit": limit, "rule": rule,
                    "projects": sum(1 for p in projects if p.year == year), "over": over,
                    "groups": [s.to_json() for s in statuses]})
        sys.exit(EXIT_PROBLEMS if over else EXIT_OK)
    if year is None:
        click.echo(f"台账中还没有项目：{ledger}", err=True)
        sys.exit(EXIT_OK)
    mine = [p for p in projects if p.year == year]
    national = sum(1 for p in mine if p.national)
    click.echo(f"评价项目台账：{ledger}（{year} 年度 {len(mine)} 项，其中国家级 {national} 项；"
               f"台账中的年度：{'、'.join(str(y) for y in years)}）")
    if not statuses:
        click.echo(f"{year} 年度台账中没有项目。")
    for s in statuses:
        limit = s.limit if s.limit is not None else "?"
        click.echo("")
        click.echo(f"{s.label}  {s.count}/{limit} 项  {s.state_text}")
        click.echo(f"  规则：{s.rule}")
        if s.not_counted:
            click.echo(f"  省级项目 {len(s.not_counted)} 项，列出但不计入上限")
        if s.over:
            click.echo(f"  超出上限的 {len(s.over)} 个项目（按报告日期先后）：")
            for p in s.over:
                click.echo(f"    - {p.describe()}  {p.loc}")
    if over:
        click.echo("有评价机构超过项目上限。", err=True)
    sys.exit(EXIT_PROBLEMS if over else EXIT_OK)


@evaluator.command("init", context_settings=CONTEXT)
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False), help="输出的台账文件（.xlsx，也可 .yaml）。")
@click.option("--force", is_flag=True, help="覆盖已存在的文件。")
@handles_errors
def evaluator_init(output, force):
    """生成空白评价项目台账：表头、下拉列表（类别、层级）、日期格式，以及各年度项目上限规则的填写说明。

    用 gmdocs build --report third-party --ledger 台账.xlsx 生成报告时，gmdocs 先核对项目上限，生成后自动追加一行。

    \b
    示例：
      gmdocs evaluator init -o 台账.xlsx
      gmdocs evaluator status 台账.xlsx
    """
    from .ledger import write_blank_ledger
    path = write_blank_ledger(output, force)
    click.echo(f"已生成：{path}")


@main.group(context_settings=CONTEXT)
def template():
    """报告模板。"""


@template.command("formats", context_settings=CONTEXT)
@click.option("--json", "as_json", is_flag=True, help="输出 JSON。")
@handles_errors
def template_formats(as_json):
    """列出官方格式版本：适用年度、模板、章节，以及各部分格式的来源。

    gmdocs build 按推荐年度自动选择版本，--format 可指定。

    \b
    示例：
      gmdocs template formats
      gmdocs template formats --json
    """
    from .documents.formats import KIND_NAMES, all_formats, flat_sections
    from .catalogue.model import CATEGORY_NAMES
    fmts = all_formats()
    if as_json:
        _echo_json([{"id": f.id, "category": f.category, "kind": f.kind, "name": f.name, "rounds": [f.first, f.last],
                     "template": f.template.name, "required": list(f.required), "limits": f.limits,
                     "sources": list(f.sources), "sections": flat_sections(f.sections)} for f in fmts])
        return
    for f in fmts:
        click.echo(f"{CATEGORY_NAMES[f.category]}{KIND_NAMES[f.kind]}  --format {f.id}  {f.rounds_text}")
        click.echo(f"  {f.name}")
        heads = []
        for s in flat_sections(f.sections):
            heads.append(("　" if s["level"] > 1 else "") + s["title"] + ("（有基本要求时）" if s.get("when") == "gates" else ""))
        click.echo("  章节：" + " / ".join(heads))
        for src in f.sources:
            click.echo(f"  · {src['part']}：{src['source']}")
        click.echo("")


@template.command("lint", context_settings=CONTEXT)
@click.argument("files", nargs=-1, required=True, type=click.Path())
@click.option("--json", "as_json", is_flag=True, help="输出 JSON。")
@handles_errors
def template_lint(files, as_json):
    """检查 DOCX 模板：未知变量/字段、被拆分的标签、不配对的 {%tr%}/{%p%} 块、标签中的中文引号，一次列出全部问题及位置。

    有问题时退出码为 1。

    \b
    示例：
      gmdocs template lint templates/绿色工厂自评价报告.docx
      gmdocs template lint 我的模板.docx --json
    """
    from .documents.lint import lint_template
    found = []
    for f in files:
        found += lint_template(f)
    if as_json:
        _echo_json({"files": list(files), "count": len(found),
                    "problems": [{"file": p.file, "where": p.where, "message": p.message} for p in found]})
    else:
        for p in found:
            click.echo(str(p))
        click.echo(f"共 {len(found)} 处问题。" if found else "模板检查通过。", err=True)
    sys.exit(EXIT_PROBLEMS if found else EXIT_OK)


# ---------------------------------------------------------------- rules (fill rule gaps from Excel)
@main.group(context_settings=CONTEXT)
def rules():
    """评价指标体系的缺失值：生成规则补充表（Excel），填好后导入用户数据目录。"""


@rules.command("list", context_settings=CONTEXT)
@click.option("--json", "as_json", is_flag=True, help="输出 JSON。")
@click.pass_context
@handles_errors
def rules_list(ctx, as_json):
    """列出评价指标体系：编号、名称和缺失值个数（编号用于 gmdocs rules form）。

    \b
    示例：
      gmdocs rules list
      gmdocs rules list --json
    """
    from .catalogue.rulesform import rulebook_summaries
    found = rulebook_summaries(_catalogue(ctx))
    if as_json:
        _echo_json({"count": len(found), "rulebooks": found})
        return
    for r in found:
        click.echo(f"{r['id']}\t{r['title']}\t缺失 {r['gaps']} 项")
    click.echo(f"共 {len(found)} 个指标体系。生成补充表：gmdocs rules form 编号 -o 补充表.xlsx", err=True)


@rules.command("form", context_settings=CONTEXT)
@click.argument("rulebook")
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False), help="输出的补充表（.xlsx）。")
@click.option("--industry", "industries", multiple=True,
              help="另为该行业列出基准值/引领值（可重复：--industry 水泥 --industry 铁合金冶炼）。")
@click.option("--force", is_flag=True, help="覆盖已存在的文件。")
@click.pass_context
@handles_errors
def rules_form(ctx, rulebook, output, industries, force):
    """为指标体系 RULEBOOK 生成规则补充表（Excel）：每个缺失值一行，对照你手中的原文填数值和出处。

    列出满分、合格线、各组权重、各指标分值，以及定量指标的基准值/引领值（通用，和 --industry 给出的每个行业）。

    已由用户补充过的值不再列出。指标体系编号见 gmdocs rules list。没有缺失值时退出码为 1。

    \b
    示例：
      gmdocs rules form gbt36132-2025-factory -o 补充表.xlsx
      gmdocs rules form gbt36132-2025-factory -o 补充表.xlsx --industry 水泥 --industry 铁合金冶炼
      gmdocs rules import 补充表.xlsx
    """
    from .catalogue.rulesform import form_rows, find_rulebook, write_form
    cat = _catalogue(ctx)
    path = write_form(cat, rulebook, output, list(industries), force)
    n = len(form_rows(find_rulebook(cat, rulebook), list(industries)))
    click.echo(f"共 {n} 项待填。填好后运行：gmdocs rules import {path}", err=True)
    click.echo(f"已生成：{path}")


@rules.command("import", context_settings=CONTEXT)
@click.argument("file", type=click.Path())
@click.option("--force", is_flag=True, help="替换已导入的、数值不同的补充值。")
@click.option("--json", "as_json", is_flag=True, help="输出 JSON。")
@click.pass_context
@handles_errors
def rules_import(ctx, file, force, as_json):
    """导入填好的规则补充表 FILE：写入（或合并到）数据目录中的 补充-<指标体系编号>.yaml。

    数据目录：全局选项 --data-dir，否则环境变量 GMDOCS_DATA，否则用户配置目录（没有时自动创建）。

    有数值的行必须写出处；数值只能是 ≥0 的数字。导入时给数据目录加锁，连同整个数据目录校验通过后才替换文件。

    出错时一次列出全部问题（文件 补充表!单元格），什么都不写，退出码为 2。导入的值在所有输出中标为【用户补充】。

    \b
    示例：
      gmdocs rules import 补充表.xlsx
      gmdocs --data-dir //共享盘/gmdocs数据 rules import 补充表.xlsx --force
      gmdocs rules import 补充表.xlsx --json
    """
    from .catalogue.rulesform import import_form
    from .paths import default_root
    res = import_form(default_root(), file, ctx.find_root().obj.get("data_dir"), force,
                      progress=lambda s: click.echo(s, err=True))
    if as_json:
        _echo_json(res.to_json())
        return
    click.echo(f"已导入 {res.filled} 项（新增 {res.added}，替换 {res.replaced}，未变 {res.unchanged}），"
               f"仍缺 {res.still_missing} 项。")
    click.echo(f"已写入：{res.file}")
