# tests/conformance/az/sitecustomize.py — test-only workaround for Debian's
# azure-cli 2.45, whose `az network ...` crashes because python3-azure lacks
# azure.mgmt.network.v2022_01_01 (the API profile az 2.45 asks for). Put this
# directory on PYTHONPATH of the az process only; it makes that module name
# an alias of the closest shipped version, v2022_07_01 (same models, a newer
# api-version on the SDK-based calls). Nothing is imported until az asks.
import importlib
import importlib.abc
import importlib.util
import sys

_OLD = "azure.mgmt.network.v2022_01_01"
_NEW = "azure.mgmt.network.v2022_07_01"


class _NetworkAlias(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """Serves _OLD and its submodules as the modules of _NEW."""

    def find_spec(self, fullname, path, target=None):
        if fullname != _OLD and not fullname.startswith(_OLD + "."):
            return None
        if importlib.util.find_spec(_NEW) is None:
            return None
        try:
            # A real _OLD (a fixed package) wins over the alias.
            sys.meta_path.remove(self)
            real = importlib.util.find_spec(fullname)
        except (ImportError, ValueError):
            real = None
        finally:
            sys.meta_path.insert(0, self)
        if real is not None:
            return real
        return importlib.util.spec_from_loader(fullname, self, is_package=True)

    def create_module(self, spec):
        return importlib.import_module(_NEW + spec.name[len(_OLD):])

    def exec_module(self, module):
        pass


sys.meta_path.insert(0, _NetworkAlias())
