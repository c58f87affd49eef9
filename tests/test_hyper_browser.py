"""The todo example (board_examples/todo_hyper) in headless Chromium, served
under CPython and under MicroPython: add, toggle and delete with hyper.js,
the streamed job's progress, the same page without JavaScript (forms with
_action and the hidden csrf_token field), and the refusal of a call whose
CSRF token is missing. A screenshot of the page is kept in
build/test-artifacts/."""
RUNTIMES = ('cpython',)  # drives Chromium and server subprocesses

import browser_helpers as bh
from browser_helpers import each_runtime, page

setup_module = bh.setup
teardown_module = bh.teardown


def _row(p, title):
    return p.locator('#list li', has_text=title)


def test_add_toggle_delete_with_javascript():
    def check(runtime):
        p = page(runtime, '/')
        title = 'Buy <milk> on ' + runtime
        p.fill('#title', title)
        p.press('#title', 'Enter')
        row = _row(p, title)
        row.wait_for()
        assert row.locator('.title').inner_text() == title  # escaped
        assert p.locator('#title').input_value() == ''  # Signal('title', '')
        p.wait_for_selector('.hyper-toast.success:has-text("Added")')
        total = p.locator('#list li').count()
        assert p.inner_text('#stats').endswith('of %d left' % total)
        assert p.evaluate('location.pathname') == '/'  # no page load

        row.locator('.check').click()
        p.wait_for_selector('#list li.done:has-text("%s")' % title[:8])
        row.locator('.del').click()
        row.wait_for(state='detached')
        p.wait_for_selector('.hyper-toast:has-text("Deleted")')
        p.wait_for_function('document.querySelectorAll("#list li").length'
                            ' == %d' % (total - 1))
        p.context.close()
    each_runtime(check)


def test_the_job_streams_its_progress():
    def check(runtime):
        p = page(runtime, '/')
        # every value the bar takes, and the toast's arrival, in order
        p.evaluate('''() => {
            window.steps = []
            window.times = []
            new MutationObserver(() => {
                const bar = document.querySelector('#job progress')
                if (bar) steps.push(+bar.value), times.push(performance.now())
            }).observe(document.getElementById('job'), {childList: true})
            document.addEventListener('hyper:toast',
                e => steps.push(e.detail.message))
        }''')
        p.click('#run')
        p.wait_for_function('steps.length > 0')
        assert p.evaluate('steps[0]') == 1  # seen while the job runs
        p.wait_for_function('steps.includes("Job done")')
        assert p.evaluate('steps') == list(range(1, 11)) + ['Job done']
        # the server sleeps 0.2 s between steps: applied as they came
        assert p.evaluate('times[9] - times[0]') > 1000
        assert p.inner_text('#job .pct') == '100 %'
        p.context.close()
    each_runtime(check)


def test_screenshot_of_the_example():
    p = page('micropython', '/')
    p.click('#run')
    p.wait_for_selector('.hyper-toast:has-text("Job done")')
    path = bh.screenshot(p, 'hyper_todo')
    p.context.close()
    with open(path, 'rb') as f:
        assert f.read(8) == b'\x89PNG\r\n\x1a\n'


def test_the_page_works_without_javascript():
    def check(runtime):
        p = page(runtime, '/', js=False)
        title = 'No script ' + runtime
        token = p.get_attribute('#add input[name=csrf_token]', 'value')
        cookies = p.context.cookies()
        assert [c['value'] for c in cookies if c['name'] == 'csrf_token'] \
            == [token]
        p.fill('#title', title)
        with p.expect_navigation():
            p.click('#add button')
        row = _row(p, title)
        assert row.count() == 1
        with p.expect_navigation():
            row.locator('.check').click()
        assert _row(p, title).get_attribute('class') == 'done'
        with p.expect_navigation():
            _row(p, title).locator('.del').click()
        assert _row(p, title).count() == 0
        p.context.close()
    each_runtime(check)


def test_a_call_without_the_csrf_token_is_refused():
    def check(runtime):
        p = page(runtime, '/')
        before = p.locator('#list li').count()
        p.context.clear_cookies()
        p.evaluate('window.errors = []; document.addEventListener('
                   '"hyper:error", e => errors.push(e.detail))')
        p.fill('#title', 'forged')
        p.press('#title', 'Enter')
        p.wait_for_function('errors.length == 1')
        assert p.evaluate('errors[0].status') == 403
        assert 'CSRF' in p.evaluate('errors[0].message')
        p.wait_for_selector('.hyper-toast.error')
        assert p.locator('#list li').count() == before
        p.context.close()
    each_runtime(check)
