"""Compiling URL patterns with placeholders, loaded by the first such route.
Whole-segment ``string``, ``int`` and ``path`` placeholders become a segment
list for the matcher in ``routing``; custom types, ``re:`` placeholders and
placeholders inside a segment need a regular expression, and only then is
``re`` imported."""
from .routing import urldecode_path


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
                self.segment_patterns_default[type_]:
            return compile_regex(self)
        segments.append((name, type_))
    self.segments = segments


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
