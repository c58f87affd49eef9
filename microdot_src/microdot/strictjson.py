"""JSON text for answers (actions, JSON-RPC) that fails the same way on
both runtimes: MicroPython's ``json.dumps`` writes the ``repr()`` of an
object it does not know, a set as ``{1, 2}`` and NaN as ``nan``, an
answer no client can parse, where CPython's raises. Here both raise."""
import json

from .runtime import IS_MICROPYTHON


def _check(value, depth):
    # what CPython's json.dumps(allow_nan=False) refuses, MicroPython's not
    if value is None or isinstance(value, (str, bool, int)):
        return
    if depth > 100:
        raise ValueError('JSON nested too deeply (a loop?)')
    if isinstance(value, float):
        if value != value or value in (float('inf'), float('-inf')):
            raise ValueError('%r is not valid JSON' % value)
    elif isinstance(value, (list, tuple)):
        for item in value:
            _check(item, depth + 1)
    elif isinstance(value, dict):
        for key in value:
            if not isinstance(key, (str, int)):
                raise TypeError('a JSON key must be str, not %s'
                                % type(key).__name__)
            _check(value[key], depth + 1)
    else:
        raise TypeError('Object of type %s is not JSON serializable'
                        % type(value).__name__)


def dumps(value):
    """``json.dumps(value)``, raising TypeError for a value JSON cannot
    carry (an object, bytes, a set) and ValueError for NaN and infinities
    or a loop, on MicroPython as on CPython."""
    if IS_MICROPYTHON:
        _check(value, 0)
        return json.dumps(value)
    return json.dumps(value, allow_nan=False)
