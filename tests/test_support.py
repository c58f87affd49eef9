"""Tests of tests/support.py, run on both CPython (pytest) and MicroPython."""

import os
import asyncio

import support


def test_runtime_flags():
    assert support.RUNTIME in ('cpython', 'micropython')
    assert support.IS_MICROPYTHON == (support.RUNTIME == 'micropython')


def test_run_returns_value():
    async def add(a, b):
        await asyncio.sleep(0)
        return a + b

    assert support.run(add(2, 3)) == 5


def test_run_can_be_called_again():
    async def value(x):
        await asyncio.sleep(0.001)
        return x

    assert support.run(value('a')) == 'a'
    assert support.run(value('b')) == 'b'


def test_run_leftover_task_does_not_leak():
    state = []

    async def forever():
        while True:
            state.append(1)
            await asyncio.sleep(0)

    async def start():
        asyncio.create_task(forever())
        await asyncio.sleep(0)
        return 'started'

    async def quiet():
        n = len(state)
        for _ in range(3):
            await asyncio.sleep(0)
        return len(state) - n

    assert support.run(start()) == 'started'
    # the task left behind by the first run must not run in the second
    assert support.run(quiet()) == 0


def test_run_propagates_exception():
    async def boom():
        await asyncio.sleep(0)
        raise KeyError('x')

    exc = support.raises(KeyError, support.run, boom())
    assert isinstance(exc, KeyError)


def test_raises_returns_exception():
    def fail(value, extra=None):
        raise ValueError(value, extra)

    exc = support.raises(ValueError, fail, 'bad', extra=1)
    assert exc.args == ('bad', 1)


def test_raises_accepts_base_class():
    exc = support.raises(LookupError, {}.__getitem__, 'missing')
    assert isinstance(exc, KeyError)


def test_raises_fails_when_nothing_raised():
    try:
        support.raises(ValueError, int, '12')
    except AssertionError as exc:
        assert 'ValueError' in str(exc)
    else:
        raise RuntimeError('raises() did not fail')


def test_raises_lets_other_exceptions_through():
    def fail():
        raise TypeError('other')

    exc = support.raises(TypeError, support.raises, ValueError, fail)
    assert exc.args == ('other',)


class _BoardOS:
    """The os module of a board's firmware: no getenv, no /tmp; the rest
    is the host's."""

    def stat(self, path):
        if path == '/tmp':
            raise OSError(2)
        return os.stat(path)

    def mkdir(self, path):
        os.mkdir(path)


def test_tmpdir_on_a_board_is_made_in_the_current_directory():
    here = os.getcwd()
    work = support.tmpdir()
    os.chdir(work)
    try:
        board = _BoardOS()
        assert support.tmp_base(board) == 'tmp' and os.listdir('tmp') == []
        path = support._mp_tmpdir(board)
        assert path.startswith('tmp/mdtest-') and os.listdir(path) == []
        assert support._mp_tmpdir(board) != path  # 'tmp' is there already
        assert support.tmp_base(os) != 'tmp'  # the host has /tmp
    finally:
        os.chdir(here)
    for name in os.listdir(work + '/tmp'):
        os.rmdir(work + '/tmp/' + name)
    os.rmdir(work + '/tmp')
    os.rmdir(work)


def test_tmpdir_is_fresh_and_writable():
    a = support.tmpdir()
    b = support.tmpdir()
    assert a != b
    assert os.listdir(a) == []
    name = a + '/file.txt'
    with open(name, 'w') as f:
        f.write('hello')
    with open(name) as f:
        assert f.read() == 'hello'
    os.remove(name)
    os.rmdir(a)
    os.rmdir(b)


def test_skip_raises_a_skip():
    # On MicroPython skip() raises support.SkipTest; on CPython pytest's own
    # Skipped exception (a BaseException), so catch broadly and check the name.
    try:
        support.skip('because')
    except BaseException as exc:  # noqa: B902
        if support.IS_MICROPYTHON:
            assert isinstance(exc, support.SkipTest)
        else:
            assert type(exc).__name__ == 'Skipped'
    else:
        raise AssertionError('skip() returned')


class TestHooks:
    log = []

    def setup_method(self, method):
        self.ready = True
        TestHooks.log.append('setup')

    def teardown_method(self, method):
        TestHooks.log.append('teardown')

    def test_setup_ran(self):
        assert self.ready

    def test_fresh_instance_per_test(self):
        assert not hasattr(self, 'touched')
        self.touched = True

    def test_teardown_ran_for_earlier_tests(self):
        assert TestHooks.log.count('setup') == TestHooks.log.count('teardown') + 1


def test_skipped_on_purpose():
    support.skip('shows that skips are counted')
