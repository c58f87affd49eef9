"""``microdot.helpers.wraps``, as Microdot 2.x has it, for decorators that
wrap route handlers: ``functools.wraps`` on CPython, which MicroPython's
firmware lacks (there a function takes no attributes, so the wrapper is
returned as it is); and ``iscoroutine`` (``microdot.iscoroutine``), which
the core itself does not use."""
try:
    from functools import wraps
except ImportError:  # MicroPython
    def wraps(wrapped):
        def decorator(wrapper):
            return wrapper
        return decorator


def iscoroutine(obj):
    """True if ``obj`` is a coroutine object. On MicroPython coroutines are
    generator objects, so a generator counts as one there."""
    return type(obj).__name__ in ('coroutine', 'generator')
