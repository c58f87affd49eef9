"""The command line: ``python -m microdot run module:app`` on CPython and
``micropython -m microdot run module:app`` on the unix port (the same code:
MicroPython has no argparse, so the arguments are read by hand)."""
import sys

USAGE = '''usage: microdot run TARGET [--host HOST] [--port PORT] [--debug]
                   [--max-connections N] [--action-security]
                   [--action-origins ORIGIN,...] [--action-csrf]
       microdot actions-client TARGET -o OUT.js (CPython: see --help there)

TARGET is module:attribute (e.g. myapp:app) or a path to a .py file whose
global "app" is served. The default address is 127.0.0.1:5000.
The --action-... flags set the security presets of microdot.actions.'''

# options that take no value
_FLAGS = ('debug', 'action-security', 'action-csrf',
          'action-allow-missing-origin', 'action-permissions', 'no-dts')


class UsageError(Exception):
    """Bad command line arguments."""


def parse_args(argv):
    """Split ``argv`` (without the program name) into the command, its
    positional arguments and a dict of ``--options``."""
    if not argv or argv[0] in ('-h', '--help'):
        raise UsageError(USAGE)
    command = argv[0]
    positional = []
    options = {}
    i = 1
    while i < len(argv):
        arg = argv[i]
        if arg.startswith('--'):
            name = arg[2:]
            value = True
            if '=' in name:
                name, value = name.split('=', 1)
            elif i + 1 < len(argv) and not argv[i + 1].startswith('--') and \
                    name not in _FLAGS:
                value = argv[i + 1]
                i += 1
            options[name.replace('-', '_')] = value
        else:
            positional.append(arg)
        i += 1
    return command, positional, options


def load_app(target):
    """Import ``module:attr`` or ``path/to/file.py`` and return the app."""
    attr = 'app'
    if target.endswith('.py'):
        slash = target.rfind('/')
        folder = target[:slash] if slash >= 0 else '.'
        module_name = target[slash + 1:-3]
        if folder not in sys.path:
            sys.path.insert(0, folder)
    else:
        module_name, sep, name = target.partition(':')
        if sep:
            attr = name
        if '' not in sys.path and '.' not in sys.path:
            sys.path.insert(0, '')
    try:
        module = __import__(module_name)
    except ImportError as exc:
        raise UsageError('cannot import "{}": {}'.format(target, exc))
    for part in module_name.split('.')[1:]:
        module = getattr(module, part)
    try:
        return getattr(module, attr)
    except AttributeError:
        raise UsageError('"{}" has no attribute "{}"'.format(module_name,
                                                              attr))


def _int_option(options, name, default):
    value = options.pop(name, default)
    try:
        return int(value)
    except (TypeError, ValueError):
        raise UsageError('--{} needs a number'.format(name.replace('_', '-')))


def use_cpython_shims():
    """On CPython, put ``cpython_shims/`` (next to ``microdot_src/``, or an
    importable ``cpython_shims``) first on ``sys.path`` and fill the
    ``time``/``asyncio`` gaps, so device code (``machine``, ``network``,
    ``time.ticks_ms``) runs on a desktop. Returns the folder, or None."""
    if sys.implementation.name == 'micropython':
        return None
    import os
    path = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(
        os.path.abspath(__file__)))), 'cpython_shims')
    if not os.path.isdir(path):
        try:
            import cpython_shims
            path = list(cpython_shims.__path__)[0]
        except (ImportError, AttributeError, IndexError):
            return None
    if path not in sys.path:
        sys.path.insert(0, path)
    try:
        __import__('mp_gaps')
    except ImportError:
        pass
    return path


def cmd_run(positional, options):
    if len(positional) != 1:
        raise UsageError(USAGE)
    host = options.pop('host', '127.0.0.1')
    port = _int_option(options, 'port', 5000)
    debug = bool(options.pop('debug', False))
    server_options = {}
    if 'max_connections' in options:
        server_options['max_connections'] = _int_option(
            options, 'max_connections', 0)
    presets = {}
    for name in list(options):
        if name.startswith('action_'):
            presets[name] = options.pop(name)
    if options:
        raise UsageError('unknown option --' +
                         list(options)[0].replace('_', '-'))
    if presets:  # before the app is imported: its actions module reads them
        # (by name: microdot.actions comes with the app, not with the CLI)
        actions = __import__('microdot.actions', None, None, ['x'])
        try:
            actions.configure_from_flags(presets)
        except ValueError as exc:
            raise UsageError(str(exc))
    use_cpython_shims()
    app = load_app(positional[0])
    app.run(host=host, port=port, debug=debug, announce=True,
            **server_options)


def cmd_actions_client(positional, options):
    # CPython only, loaded by name when asked (not part of the CLI package)
    __import__('microdot.actions_client', None, None, ['x']).main(
        positional, options)


COMMANDS = {'run': cmd_run, 'actions-client': cmd_actions_client}


def main(argv=None):
    """Run a command; returns the exit status."""
    if argv is None:
        argv = sys.argv[1:]
    try:
        command, positional, options = parse_args(argv)
        if command not in COMMANDS:
            raise UsageError('unknown command "{}"\n{}'.format(command,
                                                               USAGE))
        COMMANDS[command](positional, options)
    except UsageError as exc:
        print(exc.args[0])
        return 2
    except KeyboardInterrupt:
        pass
    return 0
