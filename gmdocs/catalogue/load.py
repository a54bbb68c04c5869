"""Load the catalogue: shipped YAML (+ user supplements) → typed, validated records."""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import EXIT_BAD_INPUT, GmdocsError, Problem
from .model import (BenchmarkTable, Campaign, CodeRule, ConversionTable, EmissionFactors, FormulaSet, Policy, Record,
                    Rulebook, Standard)
from .records import build_record
from ..paths import default_root, user_data_dir
from .supplement import load_supplements
from .validate import check_all
from .yamlsrc import LDict, display_path, read_yaml


@dataclass
class Catalogue:
    root: Path
    standards: dict[str, Standard] = field(default_factory=dict)
    policies: dict[str, Policy] = field(default_factory=dict)
    rulebooks: dict[str, Rulebook] = field(default_factory=dict)
    benchmark_tables: dict[str, BenchmarkTable] = field(default_factory=dict)
    conversions: dict[str, ConversionTable] = field(default_factory=dict)
    code_rules: dict[str, CodeRule] = field(default_factory=dict)
    formula_sets: dict[str, FormulaSet] = field(default_factory=dict)
    emission_factors: dict[str, EmissionFactors] = field(default_factory=dict)
    campaign_list: list[Campaign] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    data_dir: Path | None = None
    supplements: list[dict] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    def records(self):
        yield from self.standards.values()
        yield from self.policies.values()
        yield from self.rulebooks.values()
        yield from self.benchmark_tables.values()
        yield from self.conversions.values()
        yield from self.code_rules.values()
        yield from self.formula_sets.values()
        yield from self.emission_factors.values()
        yield from self.campaign_list

    @property
    def campaigns(self) -> dict[int, Campaign]:
        return {c.year: c for c in self.campaign_list}

    def add(self, rec: Record, problems: list[Problem]) -> None:
        table = {
            "standard": self.standards, "policy": self.policies, "rulebook": self.rulebooks,
            "benchmark_table": self.benchmark_tables, "conversion_table": self.conversions,
            "code_rule": self.code_rules, "formula_set": self.formula_sets,
            "emission_factors": self.emission_factors,
        }.get(rec.kind)
        if rec.kind == "campaign":
            self.campaign_list.append(rec)  # duplicates of year are reported by validate
            return
        ident = rec.ident
        if ident in table:
            other = table[ident]
            problems.append(Problem(rec.file, rec.line, "key" if rec.kind == "standard" else "id",
                                    f"编号 {ident!r} 重复（{other.file}:{other.line} 已有）"))
            return
        table[ident] = rec


def read_catalogue(root: Path | None = None, data_dir: str | os.PathLike | None = None,
                   use_user_data: bool = True) -> Catalogue:
    """Load everything and collect every problem (does not raise on data problems)."""
    root = Path(root) if root else default_root()
    cat = Catalogue(root=root)
    problems = cat.problems
    if not root.is_dir():
        problems.append(Problem(display_path(root), None, "", "数据目录不存在或不是文件夹"))
        return cat
    raw: list[tuple[LDict, str]] = []
    for path in sorted(root.rglob("*.y*ml")):
        disp = display_path(path)
        cat.files.append(disp)
        data, probs = read_yaml(path, disp)
        problems.extend(probs)
        if data is None:
            continue
        if not isinstance(data, LDict):
            problems.append(Problem(disp, 1, "", "文件顶层应为映射（kind: …）"))
            continue
        raw.append((data, disp))
    if use_user_data:
        cat.data_dir = user_data_dir(data_dir)
        if cat.data_dir is not None:
            by_ident = {}
            for data, _ in raw:
                ident = data.get("key") if data.get("kind") == "standard" else data.get("id")
                if isinstance(ident, str):
                    by_ident.setdefault(ident, data)
            cat.supplements = load_supplements(cat.data_dir, by_ident, problems)
    for data, disp in raw:
        rec = build_record(data, disp, problems)
        if rec is not None:
            cat.add(rec, problems)
    check_all(cat, problems)
    return cat


def load_catalogue(root: Path | None = None, data_dir: str | os.PathLike | None = None,
                   use_user_data: bool = True) -> Catalogue:
    """Load the catalogue; raise GmdocsError listing every problem if any is found."""
    cat = read_catalogue(root, data_dir, use_user_data)
    if cat.problems:
        user = cat.data_dir is not None and any(_under(p.file, cat.data_dir) for p in cat.problems)
        msg = ("用户补充数据有误，已停止（共 {} 处）：".format(len(cat.problems)) if user
               else "数据目录校验不通过（共 {} 处），请运行 gmdocs catalogue validate：".format(len(cat.problems)))
        raise GmdocsError(msg, EXIT_BAD_INPUT, list(cat.problems))
    return cat


def _under(file: str, root: Path) -> bool:
    try:
        Path(file).resolve().relative_to(root.resolve())
        return True
    except ValueError:
        return False


def read_data_directory(directory, data_dir: str | os.PathLike | None = None) -> Catalogue:
    """read_catalogue for a folder a user named (None: the shipped standards/); a folder holding no gmdocs record
    is refused (GmdocsError, exit 2) rather than read as one with thousands of problems."""
    from ..errors import EXIT_BAD_INPUT, GmdocsError
    cat = read_catalogue(directory, data_dir=data_dir)
    if directory is not None and next(cat.records(), None) is None:
        raise GmdocsError(f"{directory} 不是 gmdocs 数据目录：其中没有 kind 为 standard、policy、rulebook、campaign 等的"
                          "记录（随附的数据目录是项目中的 standards/）", EXIT_BAD_INPUT)
    return cat
