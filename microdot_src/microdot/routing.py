"""URL patterns (``/users/<int:id>``) and the route table that finds the handler
for a request.

Static routes are found with one dict lookup; patterns are kept in buckets by
their first path segment, so a request is only tried against the patterns that
can match it, however many routes the app has. Whole-segment placeholders are
matched segment by segment with no regular expression; compiling and
matching a pattern (and the regex some need) lives in ``routing_re``, loaded
by the first route with a placeholder or the first 404/405: an app of static
routes never loads it. Routes keep Microdot's precedence: the first registered
match wins.
"""


class URLPattern:
    """A URL rule such as ``/users/<int:id>/<path:rest>``.

    Placeholders are ``<name>`` (one segment), ``<int:name>``, ``<path:name>``
    (the rest of the path, slashes included), ``<re:REGEX:name>``, or any type
    added with :meth:`register_type`. :meth:`match` returns the dict of
    arguments or ``None``."""

    # (routing_re._DEFAULT_PATTERNS repeats these three: it tells a type the
    # app re-registered)
    segment_patterns = {'string': '[^/]+', 'int': '-?[0-9]+', 'path': '.+'}
    #: the parsers of the types added with :meth:`register_type` (whole
    #: ``int`` segments are parsed by ``routing_re``)
    segment_parsers = {}
    #: for a pattern with placeholders, the function that matches it
    #: (set by ``routing_re``, which holds the matching code)
    matcher = None

    def __init__(self, url_pattern):
        self.url_pattern = url_pattern
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
        return self.matcher(self, path)


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
        if best is None:  # (the methods the path takes, for a 405)
            if path in self.static or self.anywhere or \
                    _first_segment(path) in self.buckets:
                from .routing_re import allowed_methods
                return None, allowed_methods(self, path)
            return None, []  # a 404 that loads no module (/favicon.ico)
        return best, best_args

