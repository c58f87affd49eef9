"""The compiler of the built-in template engine (``microdot.template``):
translates a template into Python source and compiles it. Loaded at the
first compile only: rendering a compiled template does not need it.

A template becomes one generator function ``_r(_a, _k)`` for the page and
one ``_b_<name>(_a, _k)`` per ``{% block %}`` (the page calls its blocks
where they stand), called with the positional arguments and the keyword
context. Each function starts by binding what it reads: the ``{% args %}``
through ``_A`` (a function with the declared signature) and every other
name through ``_v`` (from the context, else builtins), so a render needs no
globals of its own and concurrent renders never share state."""
from .template import TemplateSyntaxError

try:
    compile
    _HAS_COMPILE = True
except NameError:  # pragma: no cover (a port built without compile())
    _HAS_COMPILE = False

# words that are never names to look up (one string: little RAM)
_RESERVED = ' and as assert async await break class continue def del elif ' \
    'else except finally for from global if import in is lambda nonlocal ' \
    'not or pass raise return try while with yield None True False _a _k ' \
    '_c _e _i _v _A '


def compile_template(source, name='<string>'):
    """Compile a template's text; returns ``(code, block_names)``. Raises
    TemplateSyntaxError with the template's name and line."""
    c = _Compiler(name, False)
    src = c.translate(source)
    if not _HAS_COMPILE:  # pragma: no cover
        return src, c.blocks
    try:
        return compile(src, name, 'exec'), c.blocks
    except SyntaxError as exc:
        src = None
        # find the tag at fault: translate again, compiling each tag alone
        _Compiler(name, True).translate(source)
        raise TemplateSyntaxError(str(exc), name)


class _Compiler:
    """Translates a template into Python source. With ``check`` every tag's
    code is compiled on its own, so the first that is not valid Python is
    reported with its line."""

    def __init__(self, name, check):
        self.name = name
        self.check = check
        self.out = {'_r': []}     # function name -> its lines
        self.names = {'_r': []}   # function name -> the names it reads
        self.fn = '_r'            # the function being written
        self.yields = []          # functions that yield something
        self.includes = []        # functions that include a template
        self.stack = []           # open tags: (kind, line, fn, depth)
        self.depth = 1
        self.empty = False        # the open compound statement has no body
        self.sig = None
        self.line = 1
        self.tag = ''

    def error(self, message, line=None):
        return TemplateSyntaxError(message, self.name, line or self.line)

    def emit(self, code, yields=False, user=None):
        """Add a line of code to the current function; ``user`` is the
        template's own Python in it, whose names are to be bound."""
        if self.check:
            body = code + ' pass' if code[-1] == ':' else code
            if body[:4] in ('elif', 'else'):
                body = 'if 1:pass\n ' + body
            try:
                compile('def _():\n ' + body, self.name, 'exec')
            except SyntaxError as exc:
                raise self.error('%s: %s' % (self.tag, exc.args[0]))
        self.out[self.fn].append(' ' * self.depth + code)
        self.empty = False
        if yields and self.fn not in self.yields:
            self.yields.append(self.fn)
        if user:
            _find_names(user, self.names[self.fn])

    def translate(self, src):
        n = len(src)
        lit = pos = counted = 0
        while True:
            i = src.find('{', pos)
            if i < 0 or i + 1 >= n:
                break
            c = src[i + 1]
            if c != '{' and c != '%' and c != '#':
                pos = i + 1
                continue
            self.line += src.count('\n', counted, i)
            counted = i
            j = src.find('}}' if c == '{' else c + '}', i + 2)
            if j < 0:
                raise self.error('"{%s" is never closed' % c)
            k = j + 2
            self.tag = src[i:k]
            end = i
            if c != '{':
                # a tag alone on its line takes the whole line; any other
                # statement or comment takes the newline right after it
                ls = src.rfind('\n', 0, i) + 1
                if (k == n or src[k] == '\n') and not src[ls:i].strip():
                    end = ls
                if k < n and src[k] == '\n':
                    k += 1
            if end > lit:
                self.emit('yield ' + repr(src[lit:end]), True)
            inner = src[i + 2:j].strip().replace('\n', ' ')
            if c == '{':
                self.expression(inner)
            elif c == '%':
                self.statement(inner)
            lit = pos = k
        if lit < n:
            self.emit('yield ' + repr(src[lit:]), True)
        if self.stack:
            kind, line = self.stack[-1][:2]
            raise self.error('{%% %s %%} is never closed' % kind, line)
        return self.assemble()

    def expression(self, e):
        if not e:
            raise self.error('empty {{ }}')
        if e[-4:] == 'safe':
            head = e[:-4].rstrip()
            if head[-1:] == '|':
                self.emit('yield str(%s)' % head[:-1], True, head[:-1])
                return
        self.emit('yield _e(%s)' % e, True, e)

    def statement(self, stmt):
        parts = stmt.split(None, 1)
        word = parts[0] if parts else ''
        rest = parts[1] if len(parts) > 1 else ''
        stack = self.stack
        if word in ('if', 'for', 'while'):
            self.emit(stmt + ':', False, rest)
            stack.append((word, self.line))
            self.depth += 1
            self.empty = True
        elif word in ('elif', 'else', 'endif', 'endfor', 'endwhile'):
            kind = 'if' if word[0] == 'e' and word[1] == 'l' else word[3:]
            if not stack or stack[-1][0] != kind:
                raise self.error('{%% %s %%} without {%% %s %%}' %
                                 (word, kind))
            if word[1] == 'l' and len(stack[-1]) > 2:
                raise self.error('{%% %s %%} after {%% else %%}' % word)
            if self.empty:
                self.emit('pass')
            self.depth -= 1
            if kind == word[3:]:
                stack.pop()
            else:
                if word == 'else':
                    if rest:
                        raise self.error('{% else %} takes nothing')
                    stack[-1] = ('if', stack[-1][1], 'else')
                self.emit(stmt + ':', False, rest)
                self.depth += 1
                self.empty = True
        elif word == 'block':
            if not rest or rest[0].isdigit() or '_b_' + rest in self.out \
                    or [ch for ch in rest if not (ch.isalpha() or
                                                  ch.isdigit() or ch == '_')]:
                raise self.error('bad or repeated block name "%s"' % rest)
            self.emit('yield from _b_%s(_a,_k)' % rest, True)
            stack.append(('block', self.line, self.fn, self.depth))
            self.fn = '_b_' + rest
            self.out[self.fn] = []
            self.names[self.fn] = []
            self.depth = 1
        elif word == 'endblock':
            if not stack or stack[-1][0] != 'block' or \
                    rest and self.fn != '_b_' + rest:
                raise self.error('{% endblock %} without its {% block %}')
            self.fn, self.depth = stack.pop()[2:]
        elif word == 'include':
            if rest[:2] == '{{':
                j = rest.find('}}')
                target, args = rest[2:j], rest[j + 2:]
            elif rest[:1] in ('"', "'"):
                j = rest.find(rest[0], 1) + 1
                target, args = rest[:j], rest[j:]
            else:
                target, _, args = rest.partition(' ')
            if not target.strip():
                raise self.error('{% include %} needs a template name')
            args = args.strip()
            if args:
                target += ',' + args
            self.emit('yield from _i(_c,%s)' % target, True, target)
            if self.fn not in self.includes:
                self.includes.append(self.fn)
        elif word == 'set':
            self.emit(rest, False, rest)
        elif word == 'args':
            if self.sig is not None:
                raise self.error('a second {% args %}')
            self.sig = rest.strip().rstrip(',')
            if self.check:
                self.emit('def _A(%s):pass' % rest)
        else:
            raise self.error('unknown tag {%% %s %%}' % word)

    def assemble(self):
        sig = self.sig
        args = _arg_names(sig) if sig else ()
        lines = []
        if args:
            lines.append('def _A(%s):\n return %s,' % (
                sig if '**' in sig else sig + ',**_n', ','.join(args)))
            args_line = ' %s,=_A(*_a,**_k)' % ','.join(args)
        # an included template sees the context and the declared arguments
        ctx_line = ' _c=dict(_k%s)' % ''.join(',%s=%s' % (a, a) for a in args)
        for fn in self.out:
            lines.append('def %s(_a,_k):' % fn)
            if args:
                lines.append(args_line)
            names = [n for n in self.names[fn] if n not in args]
            if names:
                lines.append(' %s,=_v(_k,%r)' % (','.join(names),
                                                  tuple(names)))
            if fn in self.includes:
                lines.append(ctx_line)
            lines.extend(self.out[fn])
            if fn not in self.yields:
                lines.append(" yield ''")
        self.blocks = tuple(fn[3:] for fn in self.out if fn != '_r')
        return '\n'.join(lines) + '\n'


def _arg_names(sig):
    """The parameter names in an ``{% args %}`` declaration."""
    names = []
    depth = start = 0
    quote = None
    sig += ','
    for i in range(len(sig)):
        ch = sig[i]
        if quote:
            if ch == quote:
                quote = None
        elif ch == '"' or ch == "'":
            quote = ch
        elif ch in '([{':
            depth += 1
        elif ch in ')]}':
            depth -= 1
        elif ch == ',' and not depth:
            name = sig[start:i].lstrip(' *').split('=')[0].split(':')[0]
            start = i + 1
            if name.strip():
                names.append(name.strip())
    return names


def _find_names(code, found):
    """Add to ``found`` the names that Python ``code`` may read: every
    identifier outside string literals (but inside f-strings) that is not
    reserved nor an attribute. Extra ones (keyword argument names, loop
    variables) do no harm: they are bound from the context, then
    overwritten."""
    i = 0
    n = len(code)
    fstring = False
    while i < n:
        ch = code[i]
        if ch == '"' or ch == "'":
            q = code[i:i + 3]
            if q != ch * 3:
                q = ch
            j = i + len(q)
            while True:  # the closing quote that is not escaped
                j = code.find(q, j)
                if j < 0:
                    j = n
                    break
                b = j
                while code[b - 1] == '\\':
                    b -= 1
                if (j - b) % 2 == 0:
                    break
                j += 1
            if fstring:
                _find_names(code[i + len(q):j], found)
                fstring = False
            i = j + len(q)
        elif ch.isalpha() or ch == '_':
            j = i + 1
            while j < n and (code[j].isalpha() or code[j].isdigit() or
                             code[j] == '_'):
                j += 1
            word = code[i:j]
            if j < n and code[j] in '"\'' and len(word) < 3 and \
                    not word.lower().strip('rbfu'):
                fstring = 'f' in word.lower()  # a string prefix
            else:
                b = i - 1
                while b >= 0 and code[b] == ' ':
                    b -= 1
                if (b < 0 or code[b] != '.') and word not in found and \
                        ' %s ' % word not in _RESERVED:
                    found.append(word)
            i = j
        elif ch.isdigit():  # a number: 1e5, 0x1f, 2.5j
            i += 1
            while i < n and (code[i].isalpha() or code[i].isdigit() or
                             code[i] == '.'):
                i += 1
        else:
            i += 1
