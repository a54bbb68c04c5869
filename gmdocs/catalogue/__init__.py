"""The catalogue: standards, policy documents, rulebooks, benchmark tables, campaigns.

Imported lazily so that `gmdocs.catalogue.numbers` (used on the search path) does not load YAML.
"""
__all__ = ["Catalogue", "default_root", "load_catalogue", "read_catalogue"]


def __getattr__(name):
    if name == "default_root":
        from ..paths import default_root
        return default_root
    if name in __all__:
        from . import load
        return getattr(load, name)
    raise AttributeError(name)
