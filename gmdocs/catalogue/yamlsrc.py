"""Read YAML while keeping the line number of every mapping key and list item.

The loader rejects, as a problem, a duplicate key inside one mapping (PyYAML
would silently keep the last one).
"""
from __future__ import annotations

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
    loader = _Loader(text, display)
    try:
        node = loader.get_single_node()
        data = None if node is None else _convert(loader, node)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark else None
        what = getattr(exc, "problem", None) or str(exc)
        return None, [Problem(display, line, "", f"YAML 语法错误：{what}")]
    finally:
        loader.dispose()
    return data, loader.dup_problems
