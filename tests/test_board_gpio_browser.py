"""board_examples/gpio_hyper in headless Chromium, served by ``microdot
run`` under CPython (with the shims) and under the unix port: the LED
button, the dimmer and the inputs' refresh with hyper.js (the blocks are
swapped in, the page stays), and the same page without JavaScript. A
screenshot is kept in build/test-artifacts/."""
RUNTIMES = ('cpython',)  # drives Chromium and server subprocesses

import os

import browser_helpers as bh
from browser_helpers import each_runtime, page
from e2e_helpers import ROOT, interpreter

MAIN = 'board_examples/gpio_hyper/main.py'


def _example(runtime, port):
    path = 'PYTHONPATH' if runtime == 'cpython' else 'MICROPYPATH'
    src = os.path.join(ROOT, 'microdot_src')
    env = dict(os.environ, **{path: src if runtime == 'cpython'
                              else src + ':.frozen'})
    return [interpreter(runtime), '-m', 'microdot', 'run', MAIN,
            '--port', str(port)], env


def setup_module(module):
    bh.setup(app=_example)


teardown_module = bh.teardown


def test_the_controls_with_and_without_javascript():
    def check(runtime):
        p = page(runtime, '/')
        p.evaluate('window.stayed = true')
        p.click('#led button')
        p.wait_for_selector('#led b.on')
        p.fill('#dimmer input[name=duty]', '35')
        p.click('#dimmer button')
        p.wait_for_selector('#dimmer b:has-text("35 %")')
        p.click('#inputs button')
        p.wait_for_selector('#inputs:has-text("Button: released")')
        assert p.evaluate('window.stayed') is True  # no page load
        bh.screenshot(p, 'gpio_hyper-' + runtime)
        p.context.close()

        p = page(runtime, '/', js=False)  # forms, then the page again
        p.click('#led button')
        p.wait_for_selector('#led b.off')
        p.fill('#dimmer input[name=duty]', '80')
        p.click('#dimmer button')
        p.wait_for_selector('#dimmer b:has-text("80 %")')
        p.context.close()
    each_runtime(check)
