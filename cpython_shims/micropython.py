"""A CPython stand-in for MicroPython's ``micropython`` module, so device code
that uses it runs on a desktop. Put ``cpython_shims`` on ``sys.path`` (never
on a board: there the real module is built in)."""
import gc as _gc


def const(value):
    """Compile-time constants on MicroPython; the value itself here."""
    return value


def _passthrough(f):
    return f


# code emitters: plain Python on CPython
native = viper = asm_thumb = asm_xtensa = _passthrough


def opt_level(level=None):
    return 0 if level is None else None


def alloc_emergency_exception_buf(size):
    pass


def schedule(func, arg):
    """Run ``func(arg)`` soon; here, at once."""
    func(arg)


def mem_info(verbose=None):
    print('mem: CPython (no MicroPython heap); gc objects:',
          len(_gc.get_objects()))


def qstr_info(verbose=None):
    print('qstr pool: CPython (no qstr pool)')


def heap_lock():
    return 0


def heap_unlock():
    return 0
