"""Read YAML while keeping the line number of every mapping key and list item.

The loader rejects, as a problem, a duplicate key inside one mapping (PyYAML
would silently keep the last one).
"""
from __future__ import annotations

import re
from pathlib import Path

import yaml

from ..errors import Problem

_Base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class LDict(dict):
    """A dict that knows the line of each key (1-based) and its own line."""

    line: int = 0
    key_lines: dict
    origin: str | None = None        # set on values spliced in from a supplement file
    override_reason: str | None = None

    def line_of(self, key) -> int:
        return self.key_lines.get(key, self.line)


class LList(list):
    line: int = 0
    item_lines: list


_RESOLVED: dict = {}     # (kind, scalar text, implicit) → tag; the implicit resolvers are pure functions of these


class _Loader(_Base):  # type: ignore[misc, valid-type]
    def __init__(self, stream, filename: str):
        super().__init__(stream)
        self.filename = filename
        self.dup_problems: list[Problem] = []

    def resolve(self, kind, value, implicit):
        if kind is not yaml.ScalarNode or len(_RESOLVED) > 100_000:
            return super().resolve(kind, value, implicit)
        key = (value, implicit)
        tag = _RESOLVED.get(key)
        if tag is None:
            tag = _RESOLVED[key] = super().resolve(kind, value, implicit)
        return tag


def _construct_map(loader: _Loader, node):
    data = LDict()
    data.line = node.start_mark.line + 1
    data.key_lines = {}
    yield data
    loader.flatten_mapping(node)
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if isinstance(key, (list, dict)):
            key = str(key)
        line = key_node.start_mark.line + 1
        if key in data.key_lines:
            loader.dup_problems.append(
                Problem(loader.filename, line, str(key), f"键重复（第 {data.key_lines[key]} 行已有同名键）")
            )
        data[key] = loader.construct_object(value_node, deep=True)
        data.key_lines[key] = line


def _construct_seq(loader: _Loader, node):
    data = LList()
    data.line = node.start_mark.line + 1
    data.item_lines = [n.start_mark.line + 1 for n in node.value]
    yield data
    data.extend(loader.construct_object(n, deep=True) for n in node.value)


_Loader.add_constructor("tag:yaml.org,2002:map", _construct_map)
_Loader.add_constructor("tag:yaml.org,2002:seq", _construct_seq)
# Dates stay text here; gmdocs parses them itself so that a bad date is a problem, not a crash.
_Loader.add_constructor("tag:yaml.org,2002:timestamp", lambda loader, node: loader.construct_scalar(node))


_SCALARS = {
    "tag:yaml.org,2002:str": lambda loader, node: node.value,
    "tag:yaml.org,2002:int": lambda loader, node: loader.construct_yaml_int(node),
    "tag:yaml.org,2002:float": lambda loader, node: loader.construct_yaml_float(node),
    "tag:yaml.org,2002:bool": lambda loader, node: loader.construct_yaml_bool(node),
    "tag:yaml.org,2002:null": lambda loader, node: None,
    "tag:yaml.org,2002:timestamp": lambda loader, node: node.value,
}


def _convert(loader: _Loader, node):
    """Nodes → LDict/LList/scalars directly (the same result as the constructors above, without PyYAML's
    generic construct_object machinery, which dominated the time of reading an application)."""
    if isinstance(node, yaml.ScalarNode):
        fn = _SCALARS.get(node.tag)
        return fn(loader, node) if fn else loader.construct_object(node, deep=True)
    if isinstance(node, yaml.SequenceNode) and node.tag == "tag:yaml.org,2002:seq":
        data = LList(_convert(loader, n) for n in node.value)
        data.line = node.start_mark.line + 1
        data.item_lines = [n.start_mark.line + 1 for n in node.value]
        return data
    if isinstance(node, yaml.MappingNode) and node.tag == "tag:yaml.org,2002:map":
        data = LDict()
        data.line = node.start_mark.line + 1
        data.key_lines = {}
        loader.flatten_mapping(node)
        for key_node, value_node in node.value:
            key = _convert(loader, key_node)
            if isinstance(key, (list, dict)):
                key = str(key)
            line = key_node.start_mark.line + 1
            if key in data.key_lines:
                loader.dup_problems.append(
                    Problem(loader.filename, line, str(key), f"键重复（第 {data.key_lines[key]} 行已有同名键）"))
            data[key] = _convert(loader, value_node)
            data.key_lines[key] = line
        return data
    return loader.construct_object(node, deep=True)


def display_path(path: Path) -> str:
    """A path as shown to the user: relative to the working directory when below it."""
    import os
    try:
        rel = os.path.relpath(path)
    except ValueError:
        return str(path)
    return str(path) if rel.startswith("..") else rel


def read_yaml(path: Path, display: str) -> tuple[object, list[Problem]]:
    """Parse one YAML file. Returns (data, problems); data is None when unreadable."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        return None, [Problem(display, None, "", f"无法读取文件：{exc.strerror or exc}")]
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return None, [Problem(display, None, "", f"文件不是 UTF-8 编码（第 {exc.start} 字节处）")]
    bad = control_characters(text)
    if bad:
        return None, [Problem(display, bad[0][0], "", control_message(bad))]
    loader = _Loader(text, display)
    try:
        node = loader.get_single_node()
        data = None if node is None else _convert(loader, node)
    except yaml.YAMLError as exc:
        line, what = explain_yaml_error(exc, text)
        return None, [Problem(display, line, "", f"YAML 语法错误：{what}")]
    finally:
        loader.dispose()
    return data, loader.dup_problems


# ---------------------------------------------------------------- YAML errors in Chinese

# What PyYAML's reader refuses (yaml.reader.Reader.NON_PRINTABLE): found here first, with line and column.
_NON_PRINTABLE = re.compile("[^\x09\x0A\x0D\x20-\x7E\x85\xA0-\uD7FF\uE000-\uFFFD\U00010000-\U0010FFFF]")
_CHAR_NAMES = {"\x00": "空字符 NUL", "\x0c": "换页符", "\x0b": "垂直制表符", "\x08": "退格符", "\x07": "响铃符",
               "\x1b": "ESC", "\x7f": "DEL"}


def control_characters(text: str) -> list[tuple[int, int, str]]:
    """(line, column, character) of every character a YAML file may not hold; lines and columns 1-based."""
    out = []
    for m in _NON_PRINTABLE.finditer(text):
        start = text.rfind("\n", 0, m.start()) + 1
        out.append((text.count("\n", 0, m.start()) + 1, m.start() - start + 1, m.group(0)))
    return out


def control_message(bad: list[tuple[int, int, str]]) -> str:
    line, col, ch = bad[0]
    name = _CHAR_NAMES.get(ch, "控制字符")
    msg = (f"第 {line} 行第 {col} 列有不可见的控制字符（U+{ord(ch):04X}，{name}），YAML 文件中不允许：请删除它"
           "（常见于从 PDF、网页或 Word 复制的文字）")
    if len(bad) > 1:
        more = list(dict.fromkeys(str(b[0]) for b in bad[1:]))
        msg += f"；全文共 {len(bad)} 处，另见第 {'、'.join(more[:10])}{'…' if len(more) > 10 else ''} 行"
    return f"YAML 语法错误：{msg}"


_VALUE_START = re.compile(r"(^|[:\[{,?-])\s*$")


def _quoted_end(text: str, i: int) -> int:
    """Index of the quote closing the scalar opened at text[i], or -1."""
    q = text[i]
    j = i + 1
    while j < len(text):
        c = text[j]
        if q == '"' and c == "\\":
            j += 2
            continue
        if c == q:
            if q == "'" and text[j + 1:j + 2] == "'":
                j += 2
                continue
            return j
        j += 1
    return -1


def unclosed_quote(text: str, before_line: int | None = None) -> tuple[int, str, int | None] | None:
    """The quote that broke the file: a quoted value opened at the start of a value whose closing quote is
    never found or is followed by more text on its line. (line it opened, quote, line it ended or None)."""
    i, n, line, start = 0, len(text), 1, 0          # start: index where the current line begins
    while i < n:
        c = text[i]
        if c == "\n":
            line, start = line + 1, i + 1
            if before_line is not None and line > before_line:
                return None
        elif c == "#" and (i == 0 or text[i - 1] in " \t"):
            nl = text.find("\n", i)
            i = n if nl < 0 else nl
            continue
        elif c in "\"'" and _VALUE_START.search(text[start:i]):
            end = _quoted_end(text, i)
            if end < 0:
                return line, c, None
            nl = text.find("\n", end)
            rest = text[end + 1:(n if nl < 0 else nl)].strip()
            end_line = line + text.count("\n", i, end)
            if rest and rest[0] not in "#,}]:":
                return line, c, end_line
            if end_line != line:
                line, start = end_line, text.rfind("\n", 0, end) + 1
            i = end + 1
            continue
        i += 1
    return None


_QUOTE_NAMES = {'"': "双引号", "'": "单引号"}


def explain_yaml_error(exc: Exception, text: str) -> tuple[int | None, str]:
    """(line, Chinese explanation) of a PyYAML error: the line where the broken construct started (the opening
    quote, the key without a colon, the bracket never closed), and where the parser noticed it."""
    problem = (getattr(exc, "problem", None) or "").strip()
    context = (getattr(exc, "context", None) or "").strip()
    pm, cm = getattr(exc, "problem_mark", None), getattr(exc, "context_mark", None)
    pline, pcol = (pm.line + 1, pm.column + 1) if pm is not None else (None, None)
    cline = cm.line + 1 if cm is not None else None
    if pm is None and isinstance(exc, yaml.reader.ReaderError):
        head = text[:exc.position]
        pline, pcol = head.count("\n") + 1, exc.position - (head.rfind("\n") + 1) + 1
        return pline, f"第 {pline} 行第 {pcol} 列有 YAML 文件中不允许的字符，请删除它"
    at = f"第 {pline} 行第 {pcol} 列" if pline else "文件中"
    ch = text[pm.index] if pm is not None and 0 <= pm.index < len(text) else ""
    noticed = f"（在{at}发现）" if pline else ""

    if "quoted scalar" in context and "end of stream" in problem and cm is not None:
        q = text[cm.index] if 0 <= cm.index < len(text) else '"'
        return cline, (f"第 {cline} 行开始的{_QUOTE_NAMES.get(q, '引号')} {q} 没有闭合：直到文件末尾都没有找到对应的结束引号。"
                       f"请在这个值的末尾补上 {q}")
    if "unknown escape" in problem:
        k = text.rfind("\\", 0, pm.index + 1) if pm is not None else -1
        esc = text[k:k + 2] if k >= 0 else "\\"
        return pline, (f"{at}：双引号中的“{esc}”不是合法的转义。含反斜杠的文字（如 Windows 路径）请改用单引号 '…'，"
                       "或把 \\ 写成 \\\\，或用正斜杠 /")
    quote_related = ("did not find expected key" in problem or "could not find expected ':'" in problem
                     or "expected <block end>" in problem or "mapping values are not allowed" in problem
                     or "expected ',' or" in problem or "quoted scalar" in context)
    if quote_related:
        found = unclosed_quote(text, pline)
        if found is not None:
            line, q, end = found
            where = f"到第 {end} 行才遇到下一个 {q}，之后的内容都被当成了这个值" if end else "直到文件末尾都没有找到对应的结束引号"
            return line, (f"第 {line} 行的{_QUOTE_NAMES[q]} {q} 没有闭合（{where}）：请在这个值的末尾补上 {q}，"
                          f"或去掉开头的 {q}{noticed}")
    if "tab" in problem.lower() or (ch == "\t" and "cannot start any token" in problem):
        return pline, f"{at}有 Tab 字符：YAML 只能用空格缩进，请把 Tab 换成空格"
    if "cannot start any token" in problem:
        return pline, (f"{at}的字符“{ch}”不能作为值的开头（@ 和 ` 是 YAML 的保留字符）：请给整个值加引号，"
                       f"如 \"{ch}…\"")
    if "could not find expected ':'" in problem:
        line = cline or pline
        return line, (f"第 {line} 行缺少冒号“:”：键和值之间要写“: ”（英文冒号加空格）；如果这一行是上一行内容的延续，"
                      f"请检查缩进，或给上一行的值加引号{noticed}")
    if "mapping values are not allowed" in problem:
        return pline, (f"{at}的冒号“:”不能出现在这里：值中含有“: ”时请给整个值加引号（如 说明: \"比例: 50%\"），"
                       "或检查这一行的缩进")
    if "expected ',' or ']'" in problem or "flow sequence" in context:
        line = cline or pline
        return line, f"第 {line} 行开始的方括号“[”没有闭合，或元素之间缺少英文逗号“,”{noticed}"
    if "expected ',' or '}'" in problem or "flow mapping" in context:
        line = cline or pline
        return line, f"第 {line} 行开始的花括号“{{”没有闭合，或元素之间缺少英文逗号“,”{noticed}"
    here = text.splitlines()[pline - 1].strip() if pline and pline <= len(text.splitlines()) else ""
    if "expected '-' indicator" in problem or ("block collection" in context and "expected <block end>" in problem) \
            or "block sequence" in context or here == "-" or here.startswith("- "):
        start = f"（这个列表从第 {cline} 行开始）" if cline else ""
        return pline, f"第 {pline} 行的缩进与上面的列表项不对齐：同一列表的每一项都以“- ”开头并左对齐{start}"
    if "did not find expected key" in problem or "expected <block end>" in problem or "block mapping" in context:
        start = f"（这一层从第 {cline} 行开始）" if cline else ""
        return pline, (f"第 {pline} 行的缩进与上文不对齐：同一层的键必须左对齐（只用空格缩进），"
                       f"每个键后面写“: ”{start}")
    if "undefined alias" in problem or ("alias" in context or "anchor" in context):
        return pline, f"{at}：以“*”或“&”开头的值会被当作 YAML 引用，请给整个值加引号"
    if "another document" in problem:
        return pline, f"第 {pline} 行的“---”开始了第二份 YAML 文档：一个文件只能有一份数据，请删除这一行"
    if "node content" in problem:
        return pline, f"{at}缺少内容（可能多写了“-”“:”或逗号）"
    if "end of stream" in problem:
        start = f"第 {cline} 行开始的内容" if cline else "内容"
        return cline or pline, f"{start}没有结束，文件就结束了"
    detail = problem or str(exc).splitlines()[0]
    return cline if "quoted" in context and cline else pline, f"{at}：{detail}" + (f"（{context}，第 {cline} 行）" if context and cline else "")
