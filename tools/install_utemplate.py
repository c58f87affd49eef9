#!/usr/bin/env python3
"""Install the ``utemplate`` package (PyPI) into this Python's site-packages.

pip cannot install it: its sdist on PyPI has no setup.py nor pyproject.toml
(it was made for MicroPython's upip), so ``pip install utemplate`` fails.
This script asks pip to resolve the pinned sdist by name (pip finds it, then
refuses to build it and says where it is), fetches that file, checks its
sha256 and copies its ``utemplate/`` package into site-packages. It does nothing when
``utemplate`` is already importable. Run by tools/setup.sh; the tests of
``microdot.utemplate`` on the real package (tests/test_utemplate_real.py)
need it.

    .venv/bin/python tools/install_utemplate.py
"""
import hashlib
import importlib.util
import io
import os
import sysconfig
import tarfile
import subprocess
import sys
import tempfile
import urllib.request

VERSION = '1.4.1'
SHA256 = '43fde7c8b38dda1ff9c82cd829d22ec445f1e9d631455de705873051f83a0b20'


def sdist_url():
    """The sdist's address, as pip's index resolution reports it."""
    out = subprocess.run(
        [sys.executable, '-m', 'pip', 'download', '--no-deps',
         '--no-binary', ':all:', '-d', tempfile.mkdtemp(),
         'utemplate==' + VERSION], capture_output=True, text=True,
        timeout=300)
    for word in (out.stdout + out.stderr).split():
        if word.startswith('http') and \
                ('utemplate-%s.tar.gz' % VERSION) in word:
            return word.split('#')[0]
    raise SystemExit('utemplate: pip did not report the sdist:\n' +
                     out.stdout + out.stderr)


def main():
    if importlib.util.find_spec('utemplate') is not None:
        return
    data = urllib.request.urlopen(sdist_url(), timeout=60).read()
    digest = hashlib.sha256(data).hexdigest()
    if digest != SHA256:
        raise SystemExit('utemplate sdist: sha256 %s, expected %s' %
                         (digest, SHA256))
    dest = os.path.join(sysconfig.get_paths()['purelib'], 'utemplate')
    prefix = 'utemplate-%s/utemplate/' % VERSION
    os.makedirs(dest, exist_ok=True)
    with tarfile.open(fileobj=io.BytesIO(data)) as tar:
        for member in tar.getmembers():
            name = member.name
            if member.isfile() and name.startswith(prefix) and \
                    '/' not in name[len(prefix):]:
                with open(os.path.join(dest, name[len(prefix):]), 'wb') as f:
                    f.write(tar.extractfile(member).read())
    print('installed utemplate %s into %s' % (VERSION, dest))


if __name__ == '__main__':
    main()
