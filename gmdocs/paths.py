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


def _data_dir_choice(explicit: str | os.PathLike | None) -> tuple[Path, bool]:
    """(folder, is_the_default_config_folder): --data-dir, then GMDOCS_DATA, then the user config directory."""
    if explicit:
        return Path(explicit), False
    env = os.environ.get("GMDOCS_DATA")
    if env:
        return Path(env), False
    from platformdirs import user_config_dir
    return Path(user_config_dir("gmdocs", appauthor=False)), True


def user_data_dir(explicit: str | os.PathLike | None = None) -> Path | None:
    """--data-dir, then GMDOCS_DATA, then the user config directory (if it exists)."""
    path, default = _data_dir_choice(explicit)
    return None if default and not path.is_dir() else path


def writable_data_dir(explicit: str | os.PathLike | None = None) -> Path:
    """Where to write a supplement: as user_data_dir, also when the folder does not exist yet (the caller creates it)."""
    return _data_dir_choice(explicit)[0]


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
