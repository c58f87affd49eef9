# Test runner that runs INSIDE MicroPython (the unix port, or a board):
#
#     micropython tools/mp_runner.py [-v] [-k SUBSTRING] tests/test_foo.py ...
#
# It runs the same test files pytest runs on CPython: module-level callables
# named test_* and test_* methods of classes named Test*, with bare asserts.
# Supported hooks (pytest style): setup_module(module)/teardown_module(module),
# setup_class(cls)/teardown_class(cls), setup_method(self, method)/
# teardown_method(self, method). Fixtures and parametrize are not supported.
# A module whose module-level RUNTIMES tuple lacks 'micropython' is skipped
# without being imported (keep that tuple a literal on one line).
# support.SkipTest (raised by support.skip()) counts as a skip.
#
# The last line printed is machine-readable:
#     RESULT passed=N failed=N skipped=N failures=ID,ID,...
# Exit status is 1 if any test failed, else 0.
#
# Written for MicroPython: no os.path, inspect, functools, typing, re.

import sys
import os
import gc

try:
    from time import ticks_ms, ticks_diff
except ImportError:  # CPython, handy for checking the runner itself
    import time as _time

    def ticks_ms():
        return int(_time.monotonic() * 1000)

    def ticks_diff(a, b):
        return a - b


def _normpath(path):
    absolute = path.startswith('/')
    parts = []
    for part in path.split('/'):
        if part == '' or part == '.':
            continue
        if part == '..' and parts and parts[-1] != '..':
            parts.pop()
        elif part == '..' and absolute:
            continue
        else:
            parts.append(part)
    out = '/'.join(parts)
    if absolute:
        return '/' + out
    return out or '.'


def _abspath(path):
    if not path.startswith('/'):
        path = os.getcwd() + '/' + path
    return _normpath(path)


def _dirname(path):
    i = path.rfind('/')
    if i < 0:
        return ''
    if i == 0:
        return '/'
    return path[:i]


def _basename(path):
    return path[path.rfind('/') + 1:]


def _exists(path):
    try:
        os.stat(path)
        return True
    except OSError:
        return False


def _find_root():
    script = globals().get('__file__') or (sys.argv[0] if sys.argv else '')
    if script:
        root = _dirname(_dirname(_abspath(script)))
        if _exists(root + '/tests'):
            return root
    cwd = _abspath('.')
    return cwd


ROOT = _find_root()
for _p in (ROOT + '/tests', ROOT + '/microdot_src'):
    if _p not in sys.path:
        sys.path.insert(0, _p)

import support  # noqa: E402  (tests/support.py, after sys.path is set)

SkipTest = support.SkipTest


def _print_exception(exc):
    try:
        if hasattr(sys, 'print_exception'):
            sys.print_exception(exc)
        else:
            import traceback
            traceback.print_exception(type(exc), exc, exc.__traceback__)
    except Exception:
        print('    (could not print the traceback of %r)' % (exc,))


def _call_hook(fn, arg):
    """Call a pytest-style hook with its argument, or without if it takes none."""
    try:
        return fn(arg)
    except TypeError as exc:
        msg = str(exc)
        if 'positional argument' in msg and 'given' in msg:
            return fn()
        raise


class Results:
    def __init__(self, verbose=False, keyword=None):
        self.passed = 0
        self.failed = 0
        self.skipped = 0
        self.failures = []
        self.verbose = verbose
        self.keyword = keyword

    def selected(self, test_id):
        return self.keyword is None or self.keyword in test_id

    def ok(self, test_id, ms):
        self.passed += 1
        if self.verbose:
            print('PASS %s (%d ms)' % (test_id, ms))

    def skip(self, test_id, reason):
        self.skipped += 1
        if self.verbose:
            print('SKIP %s: %s' % (test_id, reason))

    def fail(self, test_id, exc=None, message=None):
        self.failed += 1
        self.failures.append(test_id)
        print('FAIL %s' % test_id)
        if message:
            print('    ' + message)
        if exc is not None:
            _print_exception(exc)

    def summary(self):
        for test_id in self.failures:
            print('FAILED ' + test_id)
        print('RESULT passed=%d failed=%d skipped=%d failures=%s' % (
            self.passed, self.failed, self.skipped, ','.join(self.failures)))


def _skip_reason(exc):
    return exc.args[0] if exc.args else ''


def _guarded(results, ids, message, fn, *args):
    """Call fn(*args) outside any test; return True if it returned normally.

    A skip or an error is recorded against every test id in ids.
    """
    try:
        fn(*args)
        return True
    except SkipTest as exc:
        for test_id in ids:
            results.skip(test_id, _skip_reason(exc))
    except KeyboardInterrupt:
        raise
    except BaseException as exc:  # noqa: B902
        for test_id in ids:
            results.fail(test_id, exc, message)
    return False


def _source_order(path):
    """Scan the source for test definitions; return (names, {class: methods})."""
    names = []
    methods = {}
    current = None
    try:
        f = open(path)
    except OSError:
        return names, methods
    try:
        for line in f:
            stripped = line.lstrip()
            indented = len(stripped) < len(line)
            if stripped.startswith('async '):
                stripped = stripped[6:].lstrip()
            if stripped.startswith('def ') or stripped.startswith('class '):
                kind, _, rest = stripped.partition(' ')
                name = rest.lstrip()
                end = 0
                while end < len(name) and (name[end].isalpha() or name[end].isdigit()
                                           or name[end] == '_'):
                    end += 1
                name = name[:end]
                if not indented:
                    current = None
                    if kind == 'class' and name.startswith('Test'):
                        current = name
                        methods[name] = []
                        names.append(name)
                    elif kind == 'def' and name.startswith('test_'):
                        names.append(name)
                elif current is not None and kind == 'def' and name.startswith('test_'):
                    if name not in methods[current]:
                        methods[current].append(name)
            elif stripped and not indented and not stripped.startswith('#'):
                current = None
    finally:
        f.close()
    return names, methods


def _ordered(found, preferred):
    """Names in found, in the order of preferred first, the rest sorted."""
    out = [n for n in preferred if n in found]
    rest = [n for n in found if n not in out]
    rest.sort()
    return out + rest


def _declared_runtimes(path):
    """Read a one-line literal `RUNTIMES = (...)` from the source, or None."""
    try:
        f = open(path)
    except OSError:
        return None
    try:
        for line in f:
            if line.startswith('RUNTIMES') and '=' in line:
                lhs, _, rhs = line.partition('=')
                if lhs.strip() != 'RUNTIMES':
                    continue
                try:
                    return tuple(eval(rhs.split('#')[0].strip(), {}))
                except Exception:
                    return None
    finally:
        f.close()
    return None


def _is_async_result(value):
    return type(value).__name__ in ('generator', 'coroutine')


def _run_test(results, test_id, fn, setup=None, teardown=None):
    gc.collect()
    start = ticks_ms()
    try:
        if setup is not None:
            setup()
        try:
            value = fn()
            if _is_async_result(value):
                if hasattr(value, 'close'):
                    value.close()
                results.fail(test_id, message='test returned a %s: async tests must '
                             'wrap their body with support.run()' % type(value).__name__)
                return
        finally:
            if teardown is not None:
                teardown()
    except SkipTest as exc:
        results.skip(test_id, _skip_reason(exc))
        return
    except KeyboardInterrupt:
        raise
    except BaseException as exc:  # noqa: B902 - CancelledError, SystemExit: failures too
        results.fail(test_id, exc)
        return
    results.ok(test_id, ticks_diff(ticks_ms(), start))


def _run_class(results, path, cls, cls_name, method_order):
    ids = []
    for name in _ordered([n for n in dir(cls) if n.startswith('test_')], method_order):
        if callable(getattr(cls, name, None)):
            test_id = '%s::%s::%s' % (path, cls_name, name)
            if results.selected(test_id):
                ids.append((test_id, name))
    if not ids:
        return
    setup_class = getattr(cls, 'setup_class', None)
    if setup_class is not None and not _guarded(
            results, [test_id for test_id, _ in ids], 'setup_class failed', setup_class):
        return
    try:
        for test_id, name in ids:
            try:
                inst = cls()
            except KeyboardInterrupt:
                raise
            except BaseException as exc:
                results.fail(test_id, exc, 'could not instantiate %s' % cls_name)
                continue
            method = getattr(inst, name)
            setup = teardown = None
            if hasattr(inst, 'setup_method'):
                setup = lambda: _call_hook(inst.setup_method, method)  # noqa: E731
            if hasattr(inst, 'teardown_method'):
                teardown = lambda: _call_hook(inst.teardown_method, method)  # noqa: E731
            _run_test(results, test_id, method, setup, teardown)
            inst = method = setup = teardown = None
    finally:
        teardown_class = getattr(cls, 'teardown_class', None)
        if teardown_class is not None:
            _guarded(results, ['%s::%s::teardown_class' % (path, cls_name)], None,
                     teardown_class)


def run_file(results, path):
    runtimes = _declared_runtimes(path)
    if runtimes is not None and 'micropython' not in runtimes:
        results.skip(path, 'RUNTIMES=%r excludes micropython' % (runtimes,))
        return
    full = _abspath(path)
    directory = _dirname(full)
    name = _basename(full)
    if name.endswith('.py'):
        name = name[:-3]
    if directory not in sys.path:
        sys.path.insert(0, directory)
    gc.collect()
    imported = []
    if not _guarded(results, [path], 'import failed',
                    lambda: imported.append(__import__(name))):
        return
    module = imported.pop()
    try:
        _run_module(results, path, module)
    finally:
        if name in sys.modules:
            del sys.modules[name]
        module = None
        gc.collect()


def _run_module(results, path, module):
    runtimes = getattr(module, 'RUNTIMES', None)
    if runtimes is not None and 'micropython' not in runtimes:
        results.skip(path, 'RUNTIMES excludes micropython')
        return
    order, method_order = _source_order(path)
    found = [n for n in dir(module)
             if n.startswith('test_') or n.startswith('Test')]
    tests = []
    for name in _ordered(found, order):
        obj = getattr(module, name)
        if name.startswith('Test'):
            if isinstance(obj, type):
                tests.append((name, obj, True))
        elif callable(obj) and not isinstance(obj, type):
            tests.append((name, obj, False))
    selected = []
    for name, obj, is_class in tests:
        if is_class:
            prefix = '%s::%s::' % (path, name)
            if results.keyword is None or any(
                    results.selected(prefix + m)
                    for m in dir(obj) if m.startswith('test_')):
                selected.append((name, obj, is_class))
        elif results.selected('%s::%s' % (path, name)):
            selected.append((name, obj, is_class))
    if not selected:
        return
    setup_module = getattr(module, 'setup_module', None)
    if setup_module is not None and not _guarded(
            results, [path + '::setup_module'], None, _call_hook, setup_module, module):
        return
    try:
        for name, obj, is_class in selected:
            if is_class:
                _run_class(results, path, obj, name, method_order.get(name, []))
            else:
                _run_test(results, '%s::%s' % (path, name), obj)
    finally:
        teardown_module = getattr(module, 'teardown_module', None)
        if teardown_module is not None:
            _guarded(results, [path + '::teardown_module'], None,
                     _call_hook, teardown_module, module)


def _discover():
    files = []
    try:
        names = os.listdir(ROOT + '/tests')
    except OSError:
        return files
    for name in names:
        if name.startswith('test_') and name.endswith('.py'):
            files.append('tests/' + name)
    files.sort()
    return files


def main(argv):
    verbose = False
    keyword = None
    files = []
    i = 0
    while i < len(argv):
        arg = argv[i]
        if arg == '-k':
            i += 1
            if i >= len(argv):
                print('usage: mp_runner.py [-v] [-k SUBSTRING] [FILE ...]')
                return 2
            keyword = argv[i]
        elif arg.startswith('-k') and len(arg) > 2:
            keyword = arg[2:]
        elif arg == '-v':
            verbose = True
        else:
            files.append(arg)
        i += 1
    if not files:
        files = _discover()
    results = Results(verbose, keyword)
    for path in files:
        run_file(results, path)
    results.summary()
    return 1 if results.failed else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
