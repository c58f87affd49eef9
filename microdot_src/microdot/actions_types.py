"""The parameters and result type of an action, read from its signature and
annotations (CPython only: MicroPython keeps neither). Used by
:mod:`microdot.actions` when ``@action`` declares no ``params``; the types
are written as in Python (``str``, ``list[int]``, ``dict[str, float]``,
``str | None``, ``Literal["a", "b"]``, the name of a TypedDict), which the
schema carries and the client generator turns into TypeScript."""
import inspect
import json
import typing

_KINDS = {inspect.Parameter.POSITIONAL_ONLY: 'positional',
          inspect.Parameter.POSITIONAL_OR_KEYWORD: '',
          inspect.Parameter.KEYWORD_ONLY: 'keyword',
          inspect.Parameter.VAR_POSITIONAL: 'varargs',
          inspect.Parameter.VAR_KEYWORD: 'varkw'}
_ALIASES = {list: 'list', tuple: 'tuple', dict: 'dict', set: 'set',
            frozenset: 'frozenset', type(None): 'None'}


def describe(method, context=False):
    """``(params, returns, types)`` of a bound method: ``params`` a list of
    ``(name, type, required, kind)`` (kind ``''`` for a plain parameter,
    else ``positional``, ``keyword``, ``varargs`` or ``varkw``), ``returns``
    a type string, ``types`` the fields of the TypedDicts named, by name.
    With ``context``, the first parameter (the ActionContext) is left
    out."""
    try:
        sig = inspect.signature(method, eval_str=True)
    except TypeError:  # Python < 3.10
        sig = inspect.signature(method)
    except NameError:  # a string annotation that does not resolve
        sig = inspect.signature(method)
    types = {}
    params = []
    for i, p in enumerate(sig.parameters.values()):
        if context and i == 0:
            continue
        required = p.default is p.empty and p.kind not in (
            p.VAR_POSITIONAL, p.VAR_KEYWORD)
        params.append((p.name, type_name(p.annotation, types), required,
                       _KINDS[p.kind]))
    return params, type_name(sig.return_annotation, types), types


def type_name(t, types):
    """The type string of the annotation ``t``; the fields of the
    TypedDicts met are added to ``types``."""
    if t is inspect.Parameter.empty or t is typing.Any or t is object:
        return 'Any'
    if t is None or t in _ALIASES:
        return _ALIASES.get(t, 'None')
    if isinstance(t, str):  # an annotation left as text
        return t
    origin = typing.get_origin(t)
    args = typing.get_args(t)
    if origin is typing.Union or type(t).__name__ == 'UnionType':
        return ' | '.join(type_name(a, types) for a in args)
    if origin is typing.Literal:
        return 'Literal[%s]' % ', '.join(json.dumps(a) for a in args)
    if origin is not None:
        name = _ALIASES.get(origin) or getattr(origin, '__name__', 'Any')
        if name == 'Sequence' or name == 'Iterable':
            name = 'list'
        elif name == 'Mapping':
            name = 'dict'
        if not args:
            return name
        return '%s[%s]' % (name, ', '.join(
            '...' if a is Ellipsis else type_name(a, types) for a in args))
    if isinstance(t, type):
        if _is_typeddict(t):
            if t.__name__ not in types:
                types[t.__name__] = {}  # first: a type may refer to itself
                hints = typing.get_type_hints(t)
                required = getattr(t, '__required_keys__', hints)
                types[t.__name__] = dict(
                    (k, {'type': type_name(v, types),
                         'required': k in required})
                    for k, v in hints.items())
            return t.__name__
        if t in (str, int, float, bool, bytes):
            return t.__name__
    return 'Any'


def _is_typeddict(t):
    check = getattr(typing, 'is_typeddict', None)
    if check is not None:
        return check(t)
    return issubclass(t, dict) and hasattr(t, '__total__')
