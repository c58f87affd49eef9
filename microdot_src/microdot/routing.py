"""URL patterns (``/users/<int:id>``) and the route table that finds the handler
for a request.

Static routes are found with one dict lookup; patterns are kept in buckets by
their first path segment, so a request is only tried against the patterns that
can match it, however many routes the app has. Whole-segment placeholders are
matched segment by segment with no regular expression; compiling a pattern
(and the regex some need) lives in ``routing_re``, loaded by the first route
with a placeholder. Routes keep Microdot's precedence: the first registered
match wins.
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
        #: [(name or None, type or literal)] for the segment matcher; a
        #: pattern that needs a regex has ``regex`` and ``args`` instead
        self.segments = None
        self.is_static = '<' not in url_pattern
        if not self.is_static:
            from .routing_re import compile_pattern
            compile_pattern(self)

    @classmethod
    def register_type(cls, type_name, pattern='[^/]+', parser=None):
        """Add a placeholder type: ``pattern`` is the regex one value matches
        and ``parser`` converts the matched text (it may raise ValueError or
        return None to reject the match)."""
        cls.segment_patterns[type_name] = pattern
        cls.segment_parsers.pop(type_name, None)
        if parser is not None:
            cls.segment_parsers[type_name] = parser

    def match(self, path):
        """Return the URL arguments as a dict if ``path`` matches, else None.
        Values are percent-decoded after matching, so ``%2F`` stays inside
        its segment."""
        if self.is_static:
            return {} if path == self.url_pattern else None
        segments = self.segments
        if segments is None:
            from .routing_re import match_regex
            return match_regex(self, path)
        parts = path.split('/')
        n = len(segments)
        if len(parts) != n and not (len(parts) > n and segments[-1][0] and
                                    segments[-1][1] == 'path'):
            return None
        args = {}
        for i in range(n):
            name, kind = segments[i]
            value = parts[i]
            if name is None:
                if value != kind:
                    return None
                continue
            if kind == 'path':
                value = '/'.join(parts[i:])
            if not value:
                return None
            if kind == 'int':
                try:
                    value = _parse_int(value)
                except ValueError:
                    return None
            elif '%' in value:
                value = urldecode_path(value)
            args[name] = value
        return args


URLPattern.segment_patterns_default = dict(URLPattern.segment_patterns)


def urldecode_path(value):
    """Percent-decode a path argument (``+`` is kept: it means '+' in a path)."""
    from .urlencoding import urldecode_str
    return urldecode_str(value.replace('+', '%2B'))


def _first_segment(path):
    # the bucket key: '/users/3' -> 'users'
    end = path.find('/', 1)
    return path[1:end] if end > 0 else path[1:]


class Router:
    """The route table. Each route is the tuple ``(methods, pattern, handler,
    url_prefix, subapp, index)``, the index keeping the order of
    registration that decides between several matches."""

    def __init__(self):
        self.static = {}  # path -> [route]
        self.buckets = {}  # first segment -> [route with a pattern]
        self.anywhere = []  # patterns whose first segment is not literal
        self.count = 0

    def add(self, methods, pattern, handler, url_prefix='', subapp=None):
        route = (methods, pattern, handler, url_prefix, subapp, self.count)
        self.count += 1
        url = pattern.url_pattern
        if pattern.is_static:
            table, key = self.static, url
        else:
            key = _first_segment(url)
            if '<' in key:
                self.anywhere.append(route)
                return route
            table = self.buckets
        if key in table:
            table[key].append(route)
        else:
            table[key] = [route]
        return route

    def candidates(self, path):
        """The routes that may match ``path``, each list in the order of
        registration."""
        return (self.static.get(path, ()),
                self.buckets.get(_first_segment(path), ()) if self.buckets
                else (), self.anywhere)

    def find(self, method, path):
        """Return ``(route, args)`` for the first registered route that
        matches the path and method, ``(None, allowed_methods)`` when the
        path matches but the method does not (an empty list: no route at
        all)."""
        best = None
        best_args = None
        # a static route's path is its key: no pattern to match
        for route in self.static.get(path, ()):
            if method in route[0] or method == 'HEAD' and 'GET' in route[0]:
                best = route
                best_args = {}
                break
        for routes in (self.buckets.get(_first_segment(path), ())
                       if self.buckets else (), self.anywhere):
            for route in routes:
                if best is not None and route[5] > best[5]:
                    break  # (registered after the match found)
                m = route[0]
                if method in m or method == 'HEAD' and 'GET' in m:
                    args = route[1].match(path)
                    if args is not None:
                        best = route
                        best_args = args
                        break
        if best is None:
            return None, self.allowed_methods(path)
        return best, best_args

    def allowed_methods(self, path):
        """Every method some route accepts for this path (with HEAD where GET
        is accepted), in a stable order."""
        allowed = []
        for routes in self.candidates(path):
            for route in routes:
                if route[1].match(path) is not None:
                    for m in route[0]:
                        if m not in allowed:
                            allowed.append(m)
        if 'GET' in allowed and 'HEAD' not in allowed:
            allowed.append('HEAD')
        return allowed
