"""Compiling and matching URL patterns with placeholders, and listing the
methods a path takes (for 405 and OPTIONS): the routing code a request for a
static route never needs, loaded by the first route with a placeholder or the
first 404/405. Whole-segment ``string``, ``int`` and ``path`` placeholders
become a segment list matched without a regex; custom types, ``re:``
placeholders and placeholders inside a segment need a regular expression,
and only then is ``re`` imported."""
from .routing import URLPattern, _first_segment


def _parse_int(value):
    # int() alone would also take '+5', ' 5' and '1_000'
    digits = value[1:] if value[:1] == '-' else value
    if not digits:
        raise ValueError('not an integer')
    for c in digits:
        if c not in '0123456789':
            raise ValueError('not an integer')
    return int(value)


# the built-in placeholder types (URLPattern.segment_patterns as it starts):
# a type the app re-registered needs the regex matcher
_DEFAULT_PATTERNS = {'string': '[^/]+', 'int': '-?[0-9]+', 'path': '.+'}

# the parser of <int:...> inside a segment, unless the app re-registered
# the type before this module loaded
if URLPattern.segment_patterns['int'] == _DEFAULT_PATTERNS['int']:
    URLPattern.segment_parsers.setdefault('int', _parse_int)


def urldecode_path(value):
    """Percent-decode a path argument (``+`` is kept: it means '+' in a
    path)."""
    from .urlencoding import urldecode_str
    return urldecode_str(value.replace('+', '%2B'))


def compile_pattern(self):
    """Prepare a URLPattern's matcher; called once, when the route is
    added."""
    parts = self.url_pattern.split('/')
    segments = []
    for i, part in enumerate(parts):
        if '<' not in part:
            segments.append((None, part))
            continue
        if not (part.startswith('<') and part.endswith('>')) or \
                part.count('<') != 1:
            return compile_regex(self)
        name, type_ = _placeholder(self, part[1:-1])
        if type_ not in ('string', 'int', 'path') or \
                (type_ == 'path' and i != len(parts) - 1) or \
                self.segment_patterns[type_] != \
                _DEFAULT_PATTERNS[type_]:
            return compile_regex(self)
        segments.append((name, type_))
    self.segments = segments
    self.matcher = match_segments


def match_segments(self, path):
    """URLPattern.match for a pattern of whole-segment placeholders:
    ``segments`` is [(name or None, type or literal)]."""
    segments = self.segments
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


def _placeholder(self, spec):
    # '<int:id>' -> ('id', 'int'); '<re:[a-z]+:w>' -> ('w', 're:[a-z]+')
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


def compile_regex(self):
    """Compile a URLPattern that the segment matcher cannot take into one
    regular expression (sets ``regex`` and ``args``)."""
    import re
    regex = ''
    args = []
    group = 1
    rest = self.url_pattern
    while rest:
        start = rest.find('<')
        if start < 0:
            regex += _escape(rest)
            break
        end = rest.find('>', start)
        if end < 0:
            raise ValueError('unclosed "<" in URL ' + self.url_pattern)
        # a re: placeholder may itself contain '>' (see _find_re_end)
        if rest.startswith('<re:', start):
            end = _find_re_end(rest, start)
            if end < 0:
                raise ValueError('invalid URL placeholder in ' +
                                 self.url_pattern)
        regex += _escape(rest[:start])
        name, type_ = _placeholder(self, rest[start + 1:end])
        if type_.startswith('re:'):
            sub, parser = type_[3:], None
        else:
            sub = self.segment_patterns[type_]
            parser = self.segment_parsers.get(type_)
        regex += '(' + sub + ')'
        args.append((name, parser, group))
        # groups inside the placeholder's own regex shift the next ones
        group += 1 + _scan_regex(sub)[0]
        rest = rest[end + 1:]
    self.regex = re.compile('^' + regex + '$')
    self.args = args
    self.matcher = match_regex


def match_regex(self, path):
    """URLPattern.match for a pattern compiled by compile_regex."""
    m = self.regex.match(path)
    if m is None:
        return None
    args = {}
    for name, parser, group in self.args:
        value = m.group(group)
        if '%' in value:
            value = urldecode_path(value)
        if parser is None:
            args[name] = value
            continue
        try:
            value = parser(value)
        except (ValueError, TypeError):
            return None
        if value is None:
            return None
        args[name] = value
    return args


_REGEX_SPECIAL = '.^$*+?{}[]\\|()'


def _escape(s):
    out = ''
    for c in s:
        out += '\\' + c if c in _REGEX_SPECIAL else c
    return out


def _scan_regex(regex):
    """(capturing groups, balanced) for a regex: counts '(' not followed by
    '?', outside character classes and escapes."""
    groups = depth = 0
    in_class = False
    i = 0
    n = len(regex)
    while i < n:
        c = regex[i]
        if c == '\\':
            i += 1
        elif in_class:
            in_class = c != ']'
        elif c == '[':
            in_class = True
            if regex[i + 1:i + 2] == '^':
                i += 1
            if regex[i + 1:i + 2] == ']':  # a leading ']' is literal
                i += 1
        elif c == '(':
            depth += 1
            if regex[i + 1:i + 2] != '?':
                groups += 1
        elif c == ')':
            depth -= 1
        i += 1
    return groups, depth == 0 and not in_class


def _find_re_end(s, start):
    # the placeholder <re:REGEX:name> ends at the first '>' that closes a
    # balanced REGEX followed by ':name' (the regex may hold '>' and ':');
    # -1 if there is none
    i = s.find('>', start)
    while i >= 0:
        regex, _, name = s[start + 4:i].rpartition(':')
        if regex and _is_name(name) and _scan_regex(regex)[1]:
            return i
        i = s.find('>', i + 1)
    return -1


def _is_name(s):
    if not s or s[0] in '0123456789':
        return False
    for c in s:
        if not (c.isalpha() or c in '0123456789_'):
            return False
    return True


def allowed_methods(router, path):
    """Every method some route of ``router`` accepts for this path (with HEAD
    where GET is accepted), in a stable order."""
    allowed = []
    for routes in (router.static.get(path, ()),
                   router.buckets.get(_first_segment(path), ()),
                   router.anywhere):
        for route in routes:
            if route[1].match(path) is not None:
                for m in route[0]:
                    if m not in allowed:
                        allowed.append(m)
    if 'GET' in allowed and 'HEAD' not in allowed:
        allowed.append('HEAD')
    return allowed
