"""``microdot.helpers.wraps``, as Microdot 2.x has it, for decorators that
wrap route handlers: ``functools.wraps`` on CPython, which MicroPython's
firmware lacks (there a function takes no attributes, so the wrapper is
returned as it is)."""
try:
    from functools import wraps
except ImportError:  # MicroPython
    def wraps(wrapped):
        def decorator(wrapper):
            return wrapper
        return decorator
