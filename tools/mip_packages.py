"""The framework's packages for ``mip install``, computed from the source tree.

    python tools/mip_packages.py           # (re)write the package files
    python tools/mip_packages.py --check   # exit 1 if they disagree with the tree

One package for the core (``package.json`` at the repository root, so
``mip install github:OWNER/REPO`` installs it), and one for every other module
of ``microdot_src/microdot/`` (``microdot_src/<name>.json``). An extension's
package lists its own module and every non-core module it imports, directly
or lazily (``session`` brings ``jwt`` and ``hmac``); it does not list the
core, which is installed first. A file that is not a module (``hyper.js``)
goes with the module of the same name.

The same lists drive ``tools/deploy.py --with NAME`` and ``manifest.py``
(freezing), so mip, deploy and freezing copy the same files. URLs are
relative to the package file, which mip resolves against the URL it was
given (``github:OWNER/REPO/microdot_src/sse.json``)."""
import json
import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SRC_ROOT = os.path.join(ROOT, 'microdot_src')
SRC = os.path.join(SRC_ROOT, 'microdot')
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from build_mpy import CORE  # noqa: E402

#: modules that join another module's package instead of having their own
JOINS = {'__main__': 'cli'}

_IMPORT_RES = (
    re.compile(r'^\s*from\s+(?:\.|microdot\.)(\w+)\s+import\b', re.M),
    re.compile(r'^\s*import\s+microdot\.(\w+)', re.M),
    re.compile(r'^[ \t]*from[ \t]+(?:\.|microdot)[ \t]+import[ \t]+'
               r'(\([^)]*\)|[\w \t,]+)', re.M),
)


def tree_files():
    """Every file of the package directory (names relative to it)."""
    return sorted(f for f in os.listdir(SRC)
                  if not f.startswith('.') and f != '__pycache__'
                  and not f.endswith('.pyc'))


def modules():
    return [f[:-3] for f in tree_files() if f.endswith('.py')]


def imports_in(source):
    """The modules of the package that ``source`` (a module of the package,
    or code that uses it) imports anywhere."""
    known = set(modules())
    found = set()
    for regex in _IMPORT_RES:
        for match in regex.finditer(source):
            for name in re.split(r'[\s,()\\]+', match.group(1)):
                if name in known:
                    found.add(name)
    return found


def imports_of(module):
    """The sibling modules ``module`` imports anywhere in its source."""
    with open(os.path.join(SRC, module + '.py')) as f:
        return imports_in(f.read()) - {module}


def closure(names):
    """``names`` and every sibling module they import, transitively."""
    seen = set()
    todo = list(names)
    while todo:
        name = todo.pop()
        if name not in seen:
            seen.add(name)
            todo.extend(imports_of(name))
    return seen


def packages():
    """{package name: sorted file names}; 'core' is the core."""
    core = set(CORE)
    result = {'core': sorted(m + '.py' for m in CORE)}
    stems = {}
    for f in tree_files():
        if not f.endswith('.py'):
            stems.setdefault(f.split('.', 1)[0], []).append(f)
    for module in modules():
        if module in core:
            continue
        name = JOINS.get(module, module)
        mods = closure([module]) - core
        files = set(result.get(name, ()))
        for m in mods:
            files.add(m + '.py')
            files.update(stems.get(m, ()))
        result[name] = sorted(files)
    return result


def package_path(name):
    if name == 'core':
        return os.path.join(ROOT, 'package.json')
    return os.path.join(SRC_ROOT, name + '.json')


def version():
    with open(os.path.join(SRC, '__init__.py')) as f:
        return re.search(r"__version__\s*=\s*'([^']+)'", f.read()).group(1)


def render(name, files):
    prefix = 'microdot_src/microdot/' if name == 'core' else 'microdot/'
    urls = ',\n'.join('    ' + json.dumps(['microdot/' + f, prefix + f])
                       for f in files)
    return '{\n  "urls": [\n%s\n  ],\n  "version": %s\n}\n' % (
        urls, json.dumps(version()))


def problems():
    """What is out of step between the tree and the package files."""
    found = []
    wanted = packages()
    for name, files in sorted(wanted.items()):
        path = package_path(name)
        rel = os.path.relpath(path, ROOT)
        try:
            with open(path) as f:
                text = f.read()
        except OSError:
            found.append('%s is missing' % rel)
            continue
        if text != render(name, files):
            found.append('%s is out of date' % rel)
    for f in os.listdir(SRC_ROOT):
        if f.endswith('.json') and f[:-5] not in wanted:
            found.append('microdot_src/%s has no module any more' % f)
    listed = set(f for files in wanted.values() for f in files)
    for f in tree_files():
        if f not in listed:
            found.append('microdot/%s is in no package (name it after a '
                         'module)' % f)
    return found


def write():
    wanted = packages()
    for name, files in wanted.items():
        with open(package_path(name), 'w') as f:
            f.write(render(name, files))
    for f in os.listdir(SRC_ROOT):
        if f.endswith('.json') and f[:-5] not in wanted:
            os.remove(os.path.join(SRC_ROOT, f))
    return wanted


def main(argv):
    if argv == ['--check']:
        found = problems()
        for problem in found:
            print(problem)
        if found:
            print('run: python tools/mip_packages.py')
        return 1 if found else 0
    if argv:
        print(__doc__)
        return 2
    for name, files in sorted(write().items()):
        print('%-14s %s' % (name, ' '.join(files)))
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
