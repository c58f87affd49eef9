"""Every operation of hyper.js in headless Chromium, on the lab page of
tests/apps/hyper_app.py served under CPython and under MicroPython: each
swap mode, a str for the caller's target, CustomEvents, toasts (default and
taken over by a listener), redirect, history push/replace, a module loaded
once, signals (alone and with an Alpine-like store), view transitions,
focus kept across a swap, errors, and an item applied while the action
still waits (released by the test: no timing)."""
RUNTIMES = ('cpython',)  # drives Chromium and server subprocesses

import urllib.request

import browser_helpers as bh
from browser_helpers import each_runtime, page

setup_module = bh.setup
teardown_module = bh.teardown

BOX = 'document.getElementById("box").innerHTML'


def test_every_swap_mode():
    expected = {
        'inner': '<p id="swap-target"><i class="m-inner">inner</i></p>',
        'outer': '<p id="swap-target" class="outer">outer</p>',
        'append': '<p id="swap-target">base<i class="m-append">append</i></p>',
        'prepend': '<p id="swap-target"><i class="m-prepend">prepend</i>base'
                   '</p>',
        'before': '<i class="m-before">before</i><p id="swap-target">base</p>',
        'after': '<p id="swap-target">base</p><i class="m-after">after</i>',
        'delete': '',
        'none': '<p id="swap-target">base</p>',
    }

    def check(runtime):
        p = page(runtime, '/lab')
        for mode, html in expected.items():
            p.evaluate('document.getElementById("box").innerHTML = '
                       '\'<p id="swap-target">base</p>\'')
            p.click('#swap-' + mode)
            p.wait_for_function('!document.getElementById("swap-%s")'
                                '.hasAttribute("aria-busy")' % mode)
            assert p.evaluate(BOX) == html, mode
        p.context.close()
    each_runtime(check)


def test_str_event_toast_and_error():
    def check(runtime):
        p = page(runtime, '/lab')
        p.click('#str')
        p.wait_for_selector('#echo p')
        assert p.inner_html('#echo') == '<p>&lt;b&gt;bold?&lt;/b&gt;</p>'
        p.click('#ping')
        p.wait_for_function('seen.length == 1')
        assert p.evaluate('seen[0]') == ['ping', {'n': 1}, 'box']
        p.click('#toast')  # the default toast, its text not parsed as HTML
        toast = p.wait_for_selector('#hyper-toasts .hyper-toast.success')
        assert toast.inner_text() == 'Hello <toast>'
        p.evaluate('window.ownToasts = true')  # a listener takes over
        p.click('#toast')
        p.wait_for_function('seen.length == 2')
        assert p.evaluate('seen[1]') == ['toast', {'type': 'success',
                                                   'message': 'Hello <toast>'}]
        assert p.locator('.hyper-toast').count() == 1
        p.click('#fail')
        p.wait_for_function('seen.length >= 4')
        assert p.evaluate('seen[3]') == ['error', {
            'status': 500, 'message': 'Internal Server Error'}]
        p.context.close()
    each_runtime(check)


def test_redirect_and_history():
    def check(runtime):
        p = page(runtime, '/lab')
        p.evaluate('window.marker = 1')
        length = p.evaluate('history.length')
        p.click('#push')
        p.wait_for_function('location.search == "?step=pushed"')
        assert p.evaluate('history.length') == length + 1
        p.click('#replace')
        p.wait_for_function('location.search == "?step=replaced"')
        assert p.evaluate('[history.length, window.marker]') == [length + 1, 1]
        with p.expect_navigation():
            p.click('#go')
        assert p.url.endswith('/lab?redirected=1')
        assert p.evaluate('window.marker') is None  # a new page
        p.context.close()
    each_runtime(check)


def test_a_module_is_loaded_once():
    def check(runtime):
        p = page(runtime, '/lab')
        p.click('#load')
        p.wait_for_function('window.modLoads == 1')
        p.click('#load')
        p.wait_for_function('!document.getElementById("load")'
                            '.hasAttribute("aria-busy")')
        assert p.evaluate('document.querySelectorAll('
                          '"script[src=\'/lab/mod.js\']").length') == 1
        assert p.evaluate('window.modLoads') == 1
        p.context.close()
    each_runtime(check)


def test_signals_alone_and_with_alpine():
    def check(runtime):
        p = page(runtime, '/lab')
        p.click('#sig')
        p.wait_for_function('document.getElementById("count")'
                            '.textContent == "5"')
        assert p.evaluate('hyper.signals') == {'count': 5,
                                               '$user': {'name': 'Ada'}}
        p.context.close()
        p = page(runtime, '/lab?alpine=1')
        p.click('#sig')
        p.wait_for_function('Alpine.store("user") !== undefined')
        assert p.evaluate('Alpine.store("user")') == {'name': 'Ada'}
        assert p.evaluate('Alpine.$data(document.getElementById("comp"))') \
            == {'count': 5}
        p.context.close()
    each_runtime(check)


def test_view_transition_when_asked():
    def check(runtime):
        p = page(runtime, '/lab')
        assert p.evaluate('typeof document.startViewTransition') == 'function'
        p.evaluate('''() => {
            window.vt = 0
            const start = document.startViewTransition.bind(document)
            document.startViewTransition = f => (vt++, start(f))
        }''')
        p.click('#vt')
        p.wait_for_function('document.getElementById("vt-target")'
                            '.textContent == "after"')
        assert p.evaluate('vt') == 1
        p.click('#str')  # no transition asked: none made
        p.wait_for_selector('#echo p')
        assert p.evaluate('vt') == 1
        p.context.close()
    each_runtime(check)


def test_focus_is_kept_across_a_swap():
    def check(runtime):
        p = page(runtime, '/lab')
        p.focus('#name')
        p.evaluate('document.getElementById("name").setSelectionRange(1, 2)')
        p.evaluate('hyper.call("focus", {}, document.getElementById("area"))')
        p.wait_for_selector('#name.swapped')
        assert p.evaluate('[document.activeElement.id, document.activeElement'
                          '.className, document.activeElement.selectionStart,'
                          ' document.activeElement.selectionEnd]') == \
            ['name', 'swapped', 1, 2]
        p.click('#focus-other')  # the html op names what gets the focus
        p.wait_for_function('document.getElementById("name").value == "new"')
        assert p.evaluate('document.activeElement.id') == 'other'
        p.context.close()
    each_runtime(check)


def test_an_item_is_applied_while_the_action_still_waits():
    def check(runtime):
        p = page(runtime, '/lab')
        p.click('#gated')
        p.wait_for_function('document.getElementById("gate")'
                            '.textContent == "open"')
        assert p.evaluate('document.getElementById("gated")'
                          '.hasAttribute("aria-busy")')  # not finished
        with urllib.request.urlopen(bh.url(runtime, '/lab/release'),
                                    timeout=10) as res:
            assert res.read() == b'released'
        p.wait_for_function('document.getElementById("gate")'
                            '.textContent == "done"')
        p.wait_for_function('!document.getElementById("gated")'
                            '.hasAttribute("aria-busy")')
        p.context.close()
    each_runtime(check)
