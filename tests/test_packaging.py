"""The mip packages (package.json, microdot_src/<name>.json) and manifest.py
(freezing) agree with the source tree: every file they list exists, every
file of microdot_src/microdot/ is in some package, an extension's package
brings the extensions it imports, and the core imports nothing outside the
core. A module added without its package fails here: run
``python tools/mip_packages.py``."""
RUNTIMES = ('cpython',)  # checks host-side packaging files

import json
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, 'tools'))
import build_mpy  # noqa: E402
import mip_packages  # noqa: E402

SRC = os.path.join(ROOT, 'microdot_src', 'microdot')


def _package_files():
    paths = [os.path.join(ROOT, 'package.json')]
    src_root = os.path.join(ROOT, 'microdot_src')
    paths += [os.path.join(src_root, f) for f in sorted(os.listdir(src_root))
              if f.endswith('.json')]
    return paths


def _load(path):
    with open(path) as f:
        return json.load(f)


def test_package_files_are_up_to_date():
    problems = mip_packages.problems()
    assert not problems, 'run: python tools/mip_packages.py\n' + \
        '\n'.join(problems)


def test_every_listed_file_exists_where_mip_resolves_it():
    for path in _package_files():
        data = _load(path)
        assert data['urls'], path
        assert data['version'] == mip_packages.version()
        for target, url in data['urls']:
            # mip joins a relative URL to the directory of the package file
            assert not url.startswith(('http', 'github:', '/')), url
            assert '..' not in url.split('/'), url
            source = os.path.join(os.path.dirname(path), url)
            assert os.path.isfile(source), (path, url)
            assert target == 'microdot/' + os.path.basename(url), target


def test_every_file_of_the_package_is_in_some_package():
    listed = set()
    for path in _package_files():
        listed.update(t for t, _ in _load(path)['urls'])
    in_tree = set('microdot/' + f for f in os.listdir(SRC)
                  if f != '__pycache__' and not f.endswith('.pyc'))
    assert in_tree - listed == set()


def test_core_package_is_the_core_and_imports_only_the_core():
    core = [t for t, _ in _load(os.path.join(ROOT, 'package.json'))['urls']]
    assert sorted(core) == sorted('microdot/%s.py' % m for m in build_mpy.CORE)
    assert mip_packages.closure(build_mpy.CORE) == set(build_mpy.CORE)


def test_extension_packages_bring_what_they_import():
    for name, files in mip_packages.packages().items():
        if name == 'core':
            continue
        mods = set(f[:-3] for f in files if f.endswith('.py'))
        for mod in mods:
            missing = mip_packages.imports_of(mod) - mods - set(build_mpy.CORE)
            assert not missing, (name, mod, missing)
    session = mip_packages.packages()['session']
    assert {'session.py', 'jwt.py', 'hmac.py'} <= set(session)


class _Options:
    """The ``options`` object a MicroPython manifest sees: include()
    keyword arguments, falling back to options.defaults()."""

    def __init__(self, **kwargs):
        self._kwargs = kwargs
        self._defaults = {}

    def defaults(self, **kwargs):
        self._defaults = kwargs

    def __getattr__(self, name):
        return self._kwargs.get(name, self._defaults.get(name))


def _frozen_files(**kwargs):
    """Evaluate manifest.py the way MicroPython's manifestfile does (exec
    with package()/module()/options in its globals, the current directory
    set to the manifest's) and return the target paths it freezes."""
    frozen = []

    def package(name, files=None, base_path='.', opt=None):
        assert files is not None
        for f in files:
            full = os.path.join(base_path, name, f)
            assert os.path.isfile(full), full  # manifestfile: "Cannot stat"
            frozen.append(name + '/' + f)

    def module(path, base_path='.', opt=None):
        assert os.path.isfile(os.path.join(base_path, path))
        frozen.append(path)

    cwd = os.getcwd()
    os.chdir(ROOT)
    try:
        with open('manifest.py') as f:
            exec(f.read(), {'package': package, 'module': module,
                            'options': _Options(**kwargs)})
    finally:
        os.chdir(cwd)
    return sorted(frozen)


def test_manifest_freezes_the_core_and_the_named_extensions():
    packages = mip_packages.packages()
    core = sorted('microdot/' + f for f in packages['core'])
    assert _frozen_files() == core
    want = set(core) | set('microdot/' + f for f in packages['session'])
    assert _frozen_files(extensions='session') == sorted(want)
    everything = set('microdot/' + f for f in os.listdir(SRC)
                     if f.endswith('.py'))
    assert set(_frozen_files(extensions='all')) == everything
