"""Smoke runs of the measuring tools, tools/bench.py and tools/memreport.py,
in their smallest modes, so that they cannot rot. They check that the
reports have the expected rows and NEVER look at the figures: no timing or
size is asserted here (docs/benchmarks.md holds the real runs).

Both tools write into a temporary copy of docs/benchmarks.md."""
RUNTIMES = ('cpython',)  # drives wrk and micropython subprocesses

import os
import shutil
import subprocess
import sys

import support

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def _run_tool(script, args, timeout):
    """Run tools/SCRIPT with ARGS writing its section into a temporary
    file; returns that file's text."""
    tmp = support.tmpdir()
    doc = os.path.join(tmp, 'benchmarks.md')
    with open(doc, 'w') as f:
        f.write('# kept\n\n<!-- begin other -->\nkept too\n<!-- end other -->\n')
    proc = subprocess.Popen(
        [sys.executable, os.path.join(ROOT, 'tools', script)] + args +
        ['--doc', doc], cwd=ROOT, stdout=subprocess.PIPE,
        stderr=subprocess.PIPE)
    try:
        out, err = proc.communicate(timeout=timeout)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    assert proc.returncode == 0, err.decode(errors='replace')[-4000:]
    with open(doc) as f:
        text = f.read()
    # the section is added; the rest of the file is kept
    assert text.startswith('# kept\n'), text[:200]
    assert 'kept too' in text
    assert out.decode().strip() in text
    return text


def test_bench_smoke():
    if not shutil.which('wrk'):
        support.skip('wrk is not installed')
    text = _run_tool('bench.py', [
        '--duration', '1', '--repeats', '1', '--connections', '1',
        '--servers', 'this-cpython,bare-cpython', '--routes', '20',
        '--routing-runtimes', 'cpython'], timeout=180)
    assert text.count('<!-- begin bench.py -->') == 1
    for row in ('| server | runtime | keep-alive, 1 conn | close, 1 conn |',
                '| this framework | cpython | keep-alive | 1 |',
                '| this framework | cpython | close | 1 |',
                '| bare asyncio | cpython | keep-alive | 1 |',
                '| bare asyncio | cpython | close | 1 |',
                '| cpython | `/` |', '| cpython | `/last/<int:id>` |'):
        assert row in text, row
    assert 'Not measured' not in text, text
    assert '| this framework | cpython | keep-alive | 1 | n/a' not in text


def test_memreport_smoke():
    if not os.path.exists(os.path.join(ROOT, '.venv', 'bin', 'micropython')) \
            and not shutil.which('micropython'):
        support.skip('micropython is not installed')
    text = _run_tool('memreport.py', [
        '--frameworks', 'this', '--requests', '10', '--repeats', '1',
        '--serve', '20', '--build-dir', support.tmpdir()], timeout=300)
    assert text.count('<!-- begin memreport.py -->') == 1
    for heading in ('### Heap after import', '### Garbage per request',
                    '### Smallest heap that serves 20 requests',
                    '### .mpy size of each module',
                    '**loaded by `import microdot`**',
                    '| heap after `import microdot` (.mpy) |',
                    '| garbage per request (keep-alive) |'):
        assert heading in text, heading
    assert '| this framework | n/a' not in text, text
    assert 'Not measured' not in text, text


def test_profile_stages_smoke():
    if not shutil.which('wrk'):
        support.skip('wrk is not installed')
    text = _run_tool('profile_stages.py', ['--runs', '20',
                                           '--wrk-seconds', '0.5'],
                     timeout=180)
    assert text.count('<!-- begin profile_stages.py -->') == 1
    for row in ('| parse_request_head |', '| dispatch_request |',
                '| whole request |', '(cProfile)'):
        assert row in text, row
