"""The command line: argument parsing and app loading (both runtimes), and
``python -m microdot run`` / ``micropython -m microdot run`` serving a real
app (driven from CPython)."""
import sys

from microdot.cli import USAGE, UsageError, load_app, main, parse_args
import support


def test_parse_args():
    cmd, pos, opts = parse_args(['run', 'app:app', '--port', '8001',
                                 '--host=127.0.0.1', '--debug'])
    assert cmd == 'run' and pos == ['app:app']
    assert opts == {'port': '8001', 'host': '127.0.0.1', 'debug': True}
    cmd, pos, opts = parse_args(['run', '--max-connections', '4', 'x.py'])
    assert opts == {'max_connections': '4'} and pos == ['x.py']
    assert support.raises(UsageError, parse_args, []).args[0] == USAGE
    assert support.raises(UsageError, parse_args, ['--help'])


def test_main_reports_usage_errors_with_status_2():
    assert main(['frobnicate']) == 2
    assert main(['run']) == 2
    assert main(['run', 'cli_app_for_tests.py', '--port', 'x']) == 2
    assert main(['run', 'cli_app_for_tests.py', '--bogus', '1']) == 2


def test_load_app_from_module_and_file():
    folder = support.tmpdir()
    with open(folder + '/cli_app_for_tests.py', 'w') as f:
        f.write('from microdot import Microdot\napp = Microdot()\n'
                'other = Microdot()\n')
    app = load_app(folder + '/cli_app_for_tests.py')
    assert type(app).__name__ == 'Microdot'
    assert folder in sys.path
    other = load_app('cli_app_for_tests:other')
    assert other is not app
    assert support.raises(UsageError, load_app, 'cli_app_for_tests:nope')


def test_missing_app_module_is_a_usage_error():
    err = support.raises(UsageError, load_app, 'no_such_module_here:app')
    assert 'no_such_module_here' in err.args[0]
    assert main(['run', 'no_such_module_here:app']) == 2
