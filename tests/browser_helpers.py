"""Headless Chromium (Debian's, driven by Playwright; never a downloaded
browser) against tests/apps/hyper_app.py served under CPython and under
MicroPython on 127.0.0.1, for the browser tests of hyper.js. CPython only.

    setup_module = browser_helpers.setup
    teardown_module = browser_helpers.teardown

then ``each_runtime(check)`` calls ``check(runtime)``, and ``page(runtime,
path, js=True)`` opens a page in a fresh browser context (its own cookies).
Every wait is bounded: Playwright's default timeout is set to 10 s."""
import contextlib
import os

from e2e_helpers import ROOT, free_port, interpreter, launch

CHROMIUM = '/usr/bin/chromium'
ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic',
        '--no-first-run', '--disable-background-networking',
        '--disable-component-update', '--disable-sync']
APP = os.path.join(ROOT, 'tests', 'apps', 'hyper_app.py')
ARTIFACTS = os.path.join(ROOT, 'build', 'test-artifacts')
RUNTIMES = ('cpython', 'micropython')
TIMEOUT_MS = 10000
state = {}


def hyper_app(runtime, port):
    """The command line and environment of tests/apps/hyper_app.py."""
    return [interpreter(runtime), APP, str(port)], None


def setup(module=None, app=hyper_app):
    """Start Chromium and ``app`` (a function of the runtime and a port
    that gives the server's command line and environment) under each
    runtime."""
    import support
    if not os.access(CHROMIUM, os.X_OK):
        support.skip('no %s: run tools/setup.sh' % CHROMIUM)
    from playwright.sync_api import sync_playwright
    stack = state['stack'] = contextlib.ExitStack()
    try:
        state['ports'] = {}
        for runtime in RUNTIMES:
            port = free_port()
            cmd, env = app(runtime, port)
            state['ports'][runtime] = stack.enter_context(launch(
                cmd, port, runtime, env=env))
        pw = stack.enter_context(sync_playwright())
        state['browser'] = pw.chromium.launch(executable_path=CHROMIUM,
                                              args=ARGS, timeout=30000)
        stack.callback(state['browser'].close)
    except BaseException:
        stack.close()
        raise


def teardown(module=None):
    stack = state.pop('stack', None)
    if stack is not None:
        stack.close()


def url(runtime, path):
    return 'http://127.0.0.1:%d%s' % (state['ports'][runtime], path)


def page(runtime, path, js=True):
    """A page at ``path`` of the app under ``runtime``, in a new context."""
    context = state['browser'].new_context(java_script_enabled=js)
    context.set_default_timeout(TIMEOUT_MS)
    p = context.new_page()
    p.goto(url(runtime, path))
    return p


def each_runtime(check):
    """Call ``check(runtime)`` for each runtime; a failure names it."""
    for runtime in RUNTIMES:
        try:
            check(runtime)
        except Exception as exc:
            raise AssertionError('[%s] %s: %s' % (
                runtime, type(exc).__name__, exc)) from exc


def screenshot(p, name):
    os.makedirs(ARTIFACTS, exist_ok=True)
    path = os.path.join(ARTIFACTS, name + '.png')
    p.screenshot(path=path, full_page=True)
    return path
