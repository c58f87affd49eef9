"""board_examples/actions_demo in headless Chromium (Debian's, driven by
Playwright), served by `microdot run` under CPython and MicroPython: the
page's generated client gets a CSRF token and calls actions; a page of
another origin cannot; a signed call from another "device" reaches the
/_device path and shows on the page."""
import asyncio
import contextlib
import os
import threading

import support
from browser_helpers import ARGS, CHROMIUM, screenshot
from e2e_helpers import ROOT, free_port, interpreter, launch

RUNTIMES = ('cpython',)
DEMO = os.path.join(ROOT, 'board_examples', 'actions_demo', 'main.py')
SECRET = 'change-me: 32 random bytes shared with the other devices'
EVIL = '''<!doctype html><script>
const target = '%s/_actions';
const body = JSON.stringify({action: 'Leds.switch', args: ['blue', false]});
Promise.allSettled([
  fetch(target, {method: 'POST', mode: 'no-cors', credentials: 'include',
                 headers: {'Content-Type': 'text/plain'}, body}),
  fetch(target, {method: 'POST', credentials: 'include',
                 headers: {'Content-Type': 'application/json'}, body}),
]).then((r) => { document.title = r.map((x) => x.status).join(','); });
</script>'''


@contextlib.contextmanager
def demo_server(runtime):
    port = free_port()
    env = dict(os.environ)
    if runtime == 'micropython':
        env['MICROPYPATH'] = os.path.join(ROOT, 'microdot_src') + ':.frozen'
    with launch([interpreter(runtime), '-m', 'microdot', 'run', DEMO,
                 '--port', str(port)], port, runtime, env=env):
        yield 'http://127.0.0.1:%d' % port


@contextlib.contextmanager
def evil_server(html):
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    class Page(BaseHTTPRequestHandler):
        def do_GET(self):
            body = html.encode()
            self.send_response(200)
            self.send_header('Content-Type', 'text/html')
            self.send_header('Content-Length', str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass
    server = ThreadingHTTPServer(('127.0.0.1', 0), Page)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield 'http://localhost:%d/' % server.server_address[1]
    finally:
        server.shutdown()
        server.server_close()
        thread.join(10)


def signed_call(base, args, secret=SECRET):
    # in a thread of its own: Playwright's sync API keeps a loop running here
    from microdot.action_signing import call_action
    result = []

    def run():
        try:
            result.append(asyncio.run(call_action(
                base + '/_device', 'Leds.switch', args, secret=secret)))
        except Exception as exc:
            result.append(exc)
    thread = threading.Thread(target=run)
    thread.start()
    thread.join(20)
    return result[0]


def check_page(browser, base, runtime):
    context = browser.new_context()
    context.set_default_timeout(10000)
    page = context.new_page()
    calls = []
    page.on('request', lambda r: calls.append(
        (r.method, r.url[len(base):], r.headers.get('x-csrf-token'))))
    page.goto(base + '/')
    page.wait_for_selector('#led-blue:has-text("blue is off")')
    page.click('#led-blue')
    page.wait_for_selector('#led-blue.on:has-text("blue is on")')
    page.fill('#name', 'browser')
    page.check('#excited')
    page.click('#greet button')
    page.wait_for_selector('#greeting:has-text("Hello, browser!")')
    assert page.text_content('#error') == ''
    token = [c['value'] for c in context.cookies()
             if c['name'] == 'csrf_token'][0]
    posts = [c for c in calls if c[0] == 'POST']
    assert len(posts) == 3 and all(c[1:] == ('/_actions', token)
                                   for c in posts), calls
    assert ('GET', '/_actions/csrf', None) in calls
    screenshot(page, 'actions-demo-' + runtime)

    # a page of another origin, served on this machine (Chromium lets no
    # public page reach 127.0.0.1): a JSON call is stopped by the
    # preflight, a text/plain one is refused by the server (415); blue
    # stays on (see below)
    with evil_server(EVIL % base) as evil:
        page.goto(evil)
        page.wait_for_function('document.title.length > 0')
    assert page.title() == 'fulfilled,rejected'

    # a signed call from another device, then the page shows its effect
    state = signed_call(base, ['red', True])
    assert state == {'blue': True, 'red': True}  # blue: from the page only
    refused = signed_call(base, ['red', False], 'not the secret')
    assert getattr(refused, 'status', None) == 403, refused
    page.goto(base + '/')
    page.wait_for_selector('#led-red.on:has-text("red is on")')
    context.close()


def test_example_page_in_chromium():
    if not os.access(CHROMIUM, os.X_OK):
        support.skip('no %s: run tools/setup.sh' % CHROMIUM)
    from playwright.sync_api import sync_playwright
    asyncio.set_event_loop(None)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS,
                                     timeout=30000)
        try:
            for runtime in ('cpython', 'micropython'):
                with demo_server(runtime) as base:
                    try:
                        check_page(browser, base, runtime)
                    except Exception as exc:
                        raise AssertionError('[%s] %s: %s' % (
                            runtime, type(exc).__name__, exc)) from exc
        finally:
            browser.close()
