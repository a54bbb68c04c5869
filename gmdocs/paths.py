"""Where gmdocs finds its data, the user's supplements and its cache (no heavy imports here)."""
from __future__ import annotations

import os
import sys
import sysconfig
from pathlib import Path


def _shipped(folder: str, env_var: str) -> Path:
    """A shipped data folder: $ENV_VAR, the source tree (editable install), or the installed copy."""
    env = os.environ.get(env_var)
    if env:
        return Path(env)
    here = Path(__file__).resolve().parent.parent / folder
    if here.is_dir():
        return here
    installed = Path(sysconfig.get_paths()["data"]) / "share" / "gmdocs" / folder
    if installed.is_dir():
        return installed
    return Path(sys.prefix) / "share" / "gmdocs" / folder


def default_root() -> Path:
    """The shipped `standards/` folder."""
    return _shipped("standards", "GMDOCS_STANDARDS")


def user_data_dir(explicit: str | os.PathLike | None = None) -> Path | None:
    """--data-dir, then GMDOCS_DATA, then the user config directory (if it exists)."""
    if explicit:
        return Path(explicit)
    env = os.environ.get("GMDOCS_DATA")
    if env:
        return Path(env)
    from platformdirs import user_config_dir
    default = Path(user_config_dir("gmdocs", appauthor=False))
    return default if default.is_dir() else None


def writable_data_dir(explicit: str | os.PathLike | None = None) -> Path:
    """Where to write a supplement: --data-dir, then GMDOCS_DATA, then the user config directory (created)."""
    if explicit:
        return Path(explicit)
    env = os.environ.get("GMDOCS_DATA")
    if env:
        return Path(env)
    from platformdirs import user_config_dir
    default = Path(user_config_dir("gmdocs", appauthor=False))
    default.mkdir(parents=True, exist_ok=True)
    return default


def cache_dir() -> Path:
    """$GMDOCS_CACHE, else the user cache directory (platformdirs / XDG)."""
    env = os.environ.get("GMDOCS_CACHE")
    if env:
        return Path(env)
    from platformdirs import user_cache_dir
    return Path(user_cache_dir("gmdocs", appauthor=False))


def templates_dir() -> Path:
    """The shipped DOCX templates."""
    return _shipped("templates", "GMDOCS_TEMPLATES")
