"""Build the browser runtime of microdot.hyper: minify
``microdot_src/hyper_js/hyper.js`` with terser and gzip it (level 9) into
``microdot_src/microdot/hyper.min.js.gz``, the file the framework serves
(and the one copied to a device). Prints the sizes.

    python tools/build_hyper_js.py           # build (installs terser once)
    python tools/build_hyper_js.py --check   # is the committed build current?
    python tools/build_hyper_js.py --size    # print the sizes only

terser comes from the npm registry, installed by this tool into
``build/hyper_js/`` (git ignores ``build/``); it needs ``node`` and ``npm``.
The minified file starts with a comment that holds the SHA-256 of the source
it was made from, so ``--check`` (and the test suite) can tell whether the
committed build is current without node. The gzip header carries no name and
no time, so the same source always gives the same bytes.
"""
import gzip
import hashlib
import io
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SOURCE = os.path.join(ROOT, 'microdot_src', 'hyper_js', 'hyper.js')
OUTPUT = os.path.join(ROOT, 'microdot_src', 'microdot', 'hyper.min.js.gz')
NODE_DIR = os.path.join(ROOT, 'build', 'hyper_js')
TERSER_VERSION = '5.44.0'
#: the most the gzipped runtime may weigh (tests/test_hyper_js.py)
MAX_GZIP_SIZE = 3072


def source_hash():
    """The first 16 hex digits of the SHA-256 of the readable source."""
    with open(SOURCE, 'rb') as f:
        return hashlib.sha256(f.read()).hexdigest()[:16]


def banner(digest):
    return '/*! hyper.js %s (microdot.hyper) */\n' % digest


def built():
    """The committed minified runtime (text) and its gzipped size."""
    with open(OUTPUT, 'rb') as f:
        data = f.read()
    return gzip.decompress(data).decode(), len(data)


def terser():
    """The terser command, installed into build/hyper_js on first use."""
    cli = os.path.join(NODE_DIR, 'node_modules', 'terser', 'bin', 'terser')
    if not os.path.exists(cli):
        os.makedirs(NODE_DIR, exist_ok=True)
        subprocess.run(['npm', 'install', '--prefix', NODE_DIR, '--no-audit',
                        '--no-fund', '--no-save', 'terser@' + TERSER_VERSION],
                       check=True, timeout=600)
    return ['node', cli]


def minify():
    out = subprocess.run(
        terser() + [SOURCE, '--compress', 'passes=3,unsafe_arrows=true',
                    '--mangle', '--ecma', '2020', '--format',
                    'ascii_only=true'],
        check=True, capture_output=True, timeout=300)
    return banner(source_hash()) + out.stdout.decode().strip() + '\n'


def gzip_bytes(text):
    buf = io.BytesIO()
    with gzip.GzipFile(filename='', mode='wb', fileobj=buf, compresslevel=9,
                       mtime=0) as f:
        f.write(text.encode())
    return buf.getvalue()


def report(text, gz_size):
    print('hyper.js: source %d bytes, minified %d bytes, minified+gzip %d '
          'bytes (limit %d)' % (os.path.getsize(SOURCE), len(text), gz_size,
                                MAX_GZIP_SIZE))


def main(argv):
    if argv == ['--check']:
        text, size = built()
        report(text, size)
        if not text.startswith(banner(source_hash())):
            print('%s is out of date: run python tools/build_hyper_js.py'
                  % os.path.relpath(OUTPUT, ROOT))
            return 1
        return 0 if size < MAX_GZIP_SIZE else 1
    if argv == ['--size']:
        report(*built())
        return 0
    if argv:
        print(__doc__)
        return 2
    text = minify()
    data = gzip_bytes(text)
    with open(OUTPUT, 'wb') as f:
        f.write(data)
    with open(os.path.join(NODE_DIR, 'hyper.min.js'), 'w') as f:
        f.write(text)  # for reading; not part of the package
    report(text, len(data))
    return 0 if len(data) < MAX_GZIP_SIZE else 1


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
