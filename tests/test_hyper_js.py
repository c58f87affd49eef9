"""The committed build of hyper.js: made from the current source (the hash
in its first line), gzipped, and under 3 KB (3,072 bytes) minified and
gzipped. tools/build_hyper_js.py prints the sizes and rebuilds it."""
RUNTIMES = ('cpython',)  # reads the build with gzip and tools/

import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, 'tools'))
import build_hyper_js  # noqa: E402


def test_hyper_js_min_gz_is_under_3_kb():
    text, size = build_hyper_js.built()
    assert size < 3072, size
    assert 1000 < len(text) < 8000  # minified, yet the whole runtime
    for needle in ('X-Action', 'X-CSRF-Token', 'hyper:toast', 'hyper:error',
                   'startViewTransition', 'text/event-stream'):
        assert needle in text, needle


def test_build_is_made_from_the_current_source():
    text, _ = build_hyper_js.built()
    assert text.startswith(build_hyper_js.banner(
        build_hyper_js.source_hash())), \
        'hyper.min.js.gz is out of date: run python tools/build_hyper_js.py'


def test_the_tool_prints_the_size():
    out = subprocess.run([sys.executable, 'tools/build_hyper_js.py',
                          '--check'], cwd=ROOT, capture_output=True,
                         text=True, timeout=60)
    assert out.returncode == 0, out.stdout + out.stderr
    assert 'minified+gzip' in out.stdout and '(limit 3072)' in out.stdout
