"""URL patterns (``/users/<int:id>``) and the route table that finds the handler
for a request.

Static routes are found with one dict lookup and whole-segment placeholders are
matched segment by segment, so the common cases need no regular expression;
only custom types, ``re:`` segments and placeholders inside a segment compile
one. Routes keep Microdot's precedence: the first registered match wins.
"""


def _parse_int(value):
    # int() alone would also take '+5', ' 5' and '1_000'
    digits = value[1:] if value[:1] == '-' else value
    if not digits:
        raise ValueError('not an integer')
    for c in digits:
        if c not in '0123456789':
            raise ValueError('not an integer')
    return int(value)


class URLPattern:
    """A URL rule such as ``/users/<int:id>/<path:rest>``.

    Placeholders are ``<name>`` (one segment), ``<int:name>``, ``<path:name>``
    (the rest of the path, slashes included), ``<re:REGEX:name>``, or any type
    added with :meth:`register_type`. :meth:`match` returns the dict of
    arguments or ``None``."""

    segment_patterns = {'string': '[^/]+', 'int': '-?[0-9]+', 'path': '.+'}
    segment_parsers = {'int': _parse_int}

    def __init__(self, url_pattern):
        self.url_pattern = url_pattern
        self.segments = None  # [(name or None, type or literal)]
        self.regex = None
        self.args = None  # [(name, parser, group)] for the regex form
        self.is_static = '<' not in url_pattern
        if not self.is_static:
            self.compile()

    @classmethod
    def register_type(cls, type_name, pattern='[^/]+', parser=None):
        """Add a placeholder type: ``pattern`` is the regex one value matches
        and ``parser`` converts the matched text (it may raise ValueError or
        return None to reject the match)."""
        cls.segment_patterns[type_name] = pattern
        if parser is not None:
            cls.segment_parsers[type_name] = parser
        elif type_name in cls.segment_parsers:
            del cls.segment_parsers[type_name]

    def compile(self):
        """Prepare the matcher; called once, when the route is added."""
        parts = self.url_pattern.split('/')
        segments = []
        simple = True
        for i, part in enumerate(parts):
            if '<' not in part:
                segments.append((None, part))
                continue
            if not (part.startswith('<') and part.endswith('>')) or \
                    part.count('<') != 1:
                simple = False
                break
            name, type_ = self._placeholder(part[1:-1])
            if type_ not in ('string', 'int', 'path') or \
                    (type_ == 'path' and i != len(parts) - 1) or \
                    self.segment_patterns[type_] != \
                    URLPattern.segment_patterns_default[type_]:
                simple = False
                break
            segments.append((name, type_))
        if simple:
            self.segments = segments
        else:
            from .routing_re import compile_regex
            compile_regex(self)

    def _placeholder(self, spec):
        if spec.startswith('re:'):
            regex, _, name = spec[3:].rpartition(':')
            if not regex or not name:
                raise ValueError('invalid URL placeholder <' + spec + '>')
            return name, 're:' + regex
        type_, sep, name = spec.partition(':')
        if not sep:
            return type_, 'string'
        if type_ not in self.segment_patterns:
            raise ValueError('unknown URL type "' + type_ + '" in ' +
                             self.url_pattern)
        return name, type_

    def match(self, path):
        """Return the URL arguments as a dict if ``path`` matches, else None.
        Values are percent-decoded after matching, so ``%2F`` stays inside
        its segment."""
        if self.is_static:
            return {} if path == self.url_pattern else None
        if self.segments is None:
            from .routing_re import match_regex
            return match_regex(self, path)
        parts = path.split('/')
        segments = self.segments
        n = len(segments)
        last_is_path = segments[-1][1] == 'path' and segments[-1][0]
        if len(parts) != n and not (last_is_path and len(parts) > n):
            return None
        args = {}
        for i in range(n):
            name, kind = segments[i]
            if name is None:
                if parts[i] != kind:
                    return None
                continue
            if kind == 'path':
                value = '/'.join(parts[i:])
                if not value:
                    return None
                args[name] = urldecode_path(value)
                break
            value = parts[i]
            if not value:
                return None
            if kind == 'int':
                try:
                    args[name] = _parse_int(value)
                except ValueError:
                    return None
            else:
                args[name] = urldecode_path(value)
        return args

    def __repr__(self):  # pragma: no cover
        return 'URLPattern(' + repr(self.url_pattern) + ')'


URLPattern.segment_patterns_default = dict(URLPattern.segment_patterns)


def urldecode_path(value):
    """Percent-decode a path argument (``+`` is kept: it means '+' in a path)."""
    if '%' not in value:
        return value
    from .urlencoding import urldecode_str
    return urldecode_str(value.replace('+', '%2B'))


class Route:
    """One entry of the route table."""

    def __init__(self, index, methods, pattern, handler, url_prefix='',
                 subapp=None):
        self.index = index
        self.methods = methods
        self.pattern = pattern
        self.handler = handler
        self.url_prefix = url_prefix
        self.subapp = subapp

    def allows(self, method):
        m = self.methods
        return method in m or (method == 'HEAD' and 'GET' in m)


class Router:
    """The route table: a dict for static paths, a list for patterns."""

    def __init__(self):
        self.static = {}
        self.dynamic = []
        self.count = 0

    def add(self, methods, pattern, handler, url_prefix='', subapp=None):
        route = Route(self.count, methods, pattern, handler, url_prefix,
                      subapp)
        self.count += 1
        if pattern.is_static:
            self.static.setdefault(pattern.url_pattern, []).append(route)
        else:
            self.dynamic.append(route)
        return route

    def find(self, method, path):
        """Return ``(route, args)`` for the first route that matches the
        path and method, ``(None, allowed_methods)`` when the path matches
        but the method does not (an empty list: no route at all)."""
        best = None
        best_args = None
        for route in self.static.get(path, ()):
            if route.allows(method):
                best = route
                best_args = {}
                break
        for route in self.dynamic:
            if best is not None and route.index > best.index:
                break
            if route.allows(method):
                args = route.pattern.match(path)
                if args is not None:
                    best = route
                    best_args = args
                    break
        if best is not None:
            return best, best_args
        return None, self.allowed_methods(path)

    def allowed_methods(self, path):
        """Every method some route accepts for this path (with HEAD where GET
        is accepted), in a stable order."""
        allowed = []
        for route in self.static.get(path, ()):
            _merge(allowed, route.methods)
        for route in self.dynamic:
            if route.pattern.match(path) is not None:
                _merge(allowed, route.methods)
        if 'GET' in allowed and 'HEAD' not in allowed:
            allowed.append('HEAD')
        return allowed


def _merge(into, methods):
    for m in methods:
        if m not in into:
            into.append(m)
