"""Case-insensitive headers, the one data type every request needs. Kept
socket-free so it tests in isolation; query strings and forms (MultiDict,
urlencode...) live in ``urlencoding``, loaded when a request first reads
them."""


from .runtime import IS_MICROPYTHON

_lowered = {}


def _lower(key):
    # on MicroPython key.lower() makes a new string on every call, and the
    # same few header names are looked up many times per request: their
    # lowercase forms are kept, at most 16 (a client sending made-up names
    # cannot grow this)
    low = _lowered.get(key)
    if low is None:
        if len(_lowered) >= 16:
            _lowered.clear()
        low = _lowered[key] = key.lower()
    return low


if not IS_MICROPYTHON:
    _lower = str.lower  # noqa: F811 (CPython: the C method is faster)


class NoCaseDict(dict):
    """A dictionary with case-insensitive string keys, used for HTTP headers.

    The key is stored with the case it was first given (so responses keep the
    header names the application wrote); lookups, ``in`` and deletion ignore
    case."""

    def __init__(self, initial_dict=None):
        super().__init__()
        self.keymap = {}
        if initial_dict:
            self.update(initial_dict)

    def __setitem__(self, key, value):
        # the spelling first written stays (as in Microdot): setting
        # 'content-type' after 'Content-Type' replaces the value only
        super().__setitem__(self.keymap.setdefault(_lower(key), key), value)

    def __getitem__(self, key):
        return super().__getitem__(self.keymap.get(_lower(key), key))

    def __delitem__(self, key):
        k = self.keymap.pop(_lower(key), key)
        super().__delitem__(k)

    def __contains__(self, key):
        return _lower(key) in self.keymap

    def get(self, key, default=None):
        k = self.keymap.get(_lower(key))
        if k is None:
            return default
        return super().__getitem__(k)

    def pop(self, key, *default):
        k = self.keymap.pop(_lower(key), None)
        if k is None:
            if default:
                return default[0]
            raise KeyError(key)
        return super().pop(k)

    def popitem(self):
        key, value = super().popitem()
        del self.keymap[_lower(key)]
        return key, value

    def setdefault(self, key, default=None):
        if key not in self:
            self[key] = default
        return self[key]

    def update(self, other_dict=None, **kwargs):
        if other_dict:
            for key in other_dict:
                self[key] = other_dict[key]
        for key in kwargs:
            self[key] = kwargs[key]

    def clear(self):
        super().clear()
        self.keymap.clear()

    def copy(self):
        return NoCaseDict(self)
