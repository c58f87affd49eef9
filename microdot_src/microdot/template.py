"""The built-in template engine: utemplate's syntax, HTML autoescaping and
named blocks, with no dependency, on MicroPython and CPython.

A template is translated once into Python generator functions (by
``microdot.template_compiler``, loaded at the first compile only), compiled
and cached by name. Rendering calls them with the arguments, so the output
is produced piece by piece (``generate``) and never needs the whole page in
memory. See docs/templates.md for the syntax."""
import builtins


class TemplateError(Exception):
    """A template cannot be loaded or rendered. ``name`` is the template's
    name and ``lineno`` the line of the problem (None when unknown); both
    are also at the start of the message, as ``name:line: ...``."""

    def __init__(self, message, name=None, lineno=None):
        if name:
            message = (name + ':%d: ' % lineno if lineno else name + ': ') + \
                message
        super().__init__(message)
        self.name = name
        self.lineno = lineno


class TemplateNotFound(TemplateError):
    """No file for the template name in the template directory."""


class TemplateSyntaxError(TemplateError):
    """A malformed tag, unbalanced ``{% if %}``/``{% endif %}``, an unknown
    tag, or a Python expression that does not compile."""


class Markup(str):
    """A string that is already HTML: ``{{ value }}`` inserts it as it is
    instead of escaping it. ``Markup('<b>bold</b>')``; never wrap text that
    comes from a user. Any object with an ``__html__`` method (such as
    ``markupsafe.Markup``) is treated the same way."""

    def __html__(self):
        return self


#: mark a value as safe HTML (the same as ``Markup(value)``)
safe = Markup


def escape(value):
    """``value`` as text with ``& < > " '`` replaced by HTML entities; a
    value with ``__html__`` (a :class:`Markup`) is returned unescaped."""
    if type(value) is not str:
        if hasattr(value, '__html__'):
            return str(value.__html__())
        value = str(value)
    if '&' in value:
        value = value.replace('&', '&amp;')
    if '<' in value:
        value = value.replace('<', '&lt;')
    if '>' in value:
        value = value.replace('>', '&gt;')
    if '"' in value:
        value = value.replace('"', '&quot;')
    if "'" in value:
        value = value.replace("'", '&#39;')
    return value


class _Undefined:
    """The value of a name the context does not hold: false in a test
    (``{% if error %}``), a NameError when rendered."""

    def __init__(self, name):
        self.name = name

    def __bool__(self):
        return False

    def __html__(self):
        raise NameError("name '%s' is not defined" % self.name)

    __str__ = __html__


def _lookup(ctx, names):
    # the names a template function reads, from the context, else builtins
    return [ctx[n] if n in ctx else getattr(builtins, n, None) or
            _Undefined(n) for n in names]


class _AsyncPieces:
    """An async iterator over a template's pieces (no async generators:
    MicroPython has none)."""

    def __init__(self, gen):
        self.gen = gen

    def __aiter__(self):
        return self

    async def __anext__(self):
        try:
            return next(self.gen)
        except StopIteration:
            raise StopAsyncIteration


class Template:
    """A template loaded from the template directory.

    :param template: the file name of the template, relative to the
                     template directory (``'index.html'``,
                     ``'parts/nav.html'``).
    :param source: the template's text, to make a template from a string
                   instead of a file (not cached; ``template`` is then only
                   its name in error messages).

    The first ``Template(name)`` reads and compiles the file; later ones
    reuse the compiled code."""

    #: the directory templates are loaded from (see :meth:`initialize`)
    template_dir = 'templates'
    #: recompile a template when its file changes (see :meth:`initialize`)
    auto_reload = False
    _cache = {}

    @classmethod
    def initialize(cls, template_dir='templates', auto_reload=False):
        """Configure the engine (optional: the defaults need no call).

        :param template_dir: the directory templates are loaded from.
        :param auto_reload: check each template file's modification time
                            and size when a ``Template`` is made and
                            recompile it if they changed (handy while developing; off by
                            default, which saves a ``stat`` per use).

        Compiled templates are forgotten."""
        cls.template_dir = template_dir
        cls.auto_reload = auto_reload
        cls._cache.clear()

    def __init__(self, template, source=None):
        self.name = template
        entry = mtime = path = None
        if source is None:
            entry = self._cache.get(template)
            if entry is None or self.auto_reload:
                path = self.template_dir + '/' + template
                if self.auto_reload:
                    import os
                    try:  # size too: a time has 1 s steps
                        st = os.stat(path)
                        mtime = (st[8], st[6])
                    except OSError:
                        pass
                if entry is None or entry[2] != mtime:
                    try:
                        with open(path) as f:
                            source = f.read()
                    except OSError:
                        raise TemplateNotFound(
                            'template not found (no file %s)' % path,
                            template)
        if source is not None:
            from .template_compiler import compile_template
            code, blocks = compile_template(source, template)
            # the functions' globals: the same for every render (MicroPython
            # binds them to the code object), so the context is an argument
            g = {'_e': escape, '_v': _lookup, '_i': type(self)._include}
            exec(code, g)
            entry = (g, blocks, mtime)
            if path:
                self._cache[template] = entry
        self.funcs, self.blocks = entry[0], entry[1]

    @classmethod
    def _include(cls, ctx, name, *args, **kwargs):
        if kwargs:
            c = dict(ctx)
            c.update(kwargs)
            ctx = c
        return cls(name).generate(*args, **ctx)

    def generate(self, *args, **kwargs):
        """Return a generator of the rendered template's pieces (strings),
        with the given arguments; usable as a response body, which is then
        streamed."""
        return self.funcs['_r'](args, kwargs)

    def render(self, *args, **kwargs):
        """Render the template with the given arguments and return it as a
        string."""
        return ''.join(self.generate(*args, **kwargs))

    def generate_block(self, block, *args, **kwargs):
        """Like :meth:`generate`, for the ``{% block <block> %}`` of the
        template alone."""
        if block not in self.blocks:
            raise TemplateError('no block "%s"' % block, self.name)
        return self.funcs['_b_' + block](args, kwargs)

    def render_block(self, block, *args, **kwargs):
        """Render the ``{% block <block> %}`` of the template alone, with
        the given arguments, and return it as a string."""
        return ''.join(self.generate_block(block, *args, **kwargs))

    async def render_async(self, *args, **kwargs):
        """Render the template with the given arguments asynchronously and
        return it as a string."""
        return self.render(*args, **kwargs)

    def generate_async(self, *args, **kwargs):
        """Return an asynchronous iterator of the rendered template's
        pieces, with the given arguments."""
        return _AsyncPieces(self.generate(*args, **kwargs))
