"""Microdot's ``microdot.utemplate`` API: templates in utemplate's syntax.

When the ``utemplate`` package is importable (``pip install utemplate`` on
CPython, ``mip`` on a device) it renders the templates, exactly as with
Microdot: no autoescaping, compiled modules written beside the templates.
Otherwise the built-in engine of :mod:`microdot.template` renders them, with
the same syntax, HTML autoescaping and ``{% block %}``."""
from .template import Template as _Builtin

try:
    from utemplate import recompile
except ImportError:
    recompile = None


class Template(_Builtin):
    """A template object.

    :param template: The filename of the template to render, relative to the
                     configured template directory.
    """

    _cache = {}
    _ready = False
    #: the utemplate loader, or None when the built-in engine renders
    _loader = None

    @classmethod
    def initialize(cls, template_dir='templates',
                   loader_class=recompile.Loader if recompile else None):
        """Initialize the templating subsystem (optional: the first
        ``Template`` calls it with the defaults).

        :param template_dir: the directory where templates are stored; with
                             the utemplate package it must be a relative
                             path importable as a package (``templates``),
                             as utemplate imports the compiled templates.
        :param loader_class: the ``utemplate`` loader class; the default is
                             ``recompile.Loader``, which recompiles a
                             template when it changes. ``None`` selects the
                             built-in engine even when utemplate is
                             installed (the default when it is not).
        """
        super().initialize(template_dir)
        cls._loader = loader_class(None, template_dir) if loader_class \
            else None
        cls._ready = True

    def __init__(self, template):
        if not self._ready:
            self.initialize()
        if self._loader is None:
            super().__init__(template)
        else:
            self.name = template
            self.template = self._loader.load(template)

    def generate(self, *args, **kwargs):
        """Return a generator that renders the template in chunks, with the
        given arguments."""
        if self._loader is None:
            return super().generate(*args, **kwargs)
        return self.template(*args, **kwargs)
