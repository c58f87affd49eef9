"""pytest configuration (CPython only; tools/mp_runner.py never imports this).

A test module may declare, at module level, the runtimes it runs on:

    RUNTIMES = ('micropython',)

Modules whose RUNTIMES does not include 'cpython' are skipped at collection.
The declaration is read from the source without importing the module (so a
MicroPython-only module may import e.g. `machine`); keep it a literal tuple on
one line. tools/mp_runner.py applies the same rule for 'micropython'.
"""

import ast

import pytest


def _declared_runtimes(path):
    """Return the literal module-level RUNTIMES of the file at path, or None."""
    try:
        tree = ast.parse(path.read_bytes(), filename=str(path))
    except (OSError, SyntaxError, ValueError):
        return None  # let the normal import report the problem
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(
                isinstance(t, ast.Name) and t.id == 'RUNTIMES' for t in node.targets):
            try:
                return tuple(ast.literal_eval(node.value))
            except (ValueError, TypeError, SyntaxError):
                return None
    return None


class _RuntimeFilteredModule(pytest.Module):
    def collect(self):
        runtimes = _declared_runtimes(self.path)
        if runtimes is None:
            runtimes = getattr(self.obj, 'RUNTIMES', None)
        if runtimes is not None and 'cpython' not in runtimes:
            pytest.skip('RUNTIMES=%r excludes cpython' % (tuple(runtimes),),
                        allow_module_level=True)
        return super().collect()


def pytest_pycollect_makemodule(module_path, parent):
    return _RuntimeFilteredModule.from_parent(parent, path=module_path)
