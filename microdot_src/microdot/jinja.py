"""Microdot's ``microdot.jinja`` API: templates rendered by Jinja2
(CPython only: ``pip install jinja2``)."""
from jinja2 import Environment, FileSystemLoader, select_autoescape


class Template:
    """A template object.

    :param template: The filename of the template to render, relative to the
                     configured template directory.
    :param kwargs: any additional options to be passed to the Jinja
                   environment's ``get_template()`` method.
    """

    #: the Jinja ``Environment``, made by :meth:`initialize`
    jinja_env = None

    @classmethod
    def initialize(cls, template_dir='templates', enable_async=False,
                   **kwargs):
        """Initialize the templating subsystem. The first ``Template`` calls
        it with the defaults; call it first to give other options.

        :param template_dir: the directory where templates are stored.
        :param enable_async: ``True`` enables Jinja's async engine and with
                             it :meth:`render_async` and
                             :meth:`generate_async`.
        :param kwargs: more options for Jinja's ``Environment``; autoescape
                       is on for ``.html``, ``.htm`` and ``.xml`` templates
                       unless ``autoescape`` is given.
        """
        kwargs.setdefault('autoescape', select_autoescape())
        cls.jinja_env = Environment(loader=FileSystemLoader(template_dir),
                                    enable_async=enable_async, **kwargs)

    def __init__(self, template, **kwargs):
        if self.jinja_env is None:
            self.initialize()
        self.name = template
        self.template = self.jinja_env.get_template(template, **kwargs)

    def generate(self, *args, **kwargs):
        """Return a generator that renders the template in chunks, with the
        given arguments."""
        return self.template.generate(*args, **kwargs)

    def render(self, *args, **kwargs):
        """Render the template with the given arguments and return it as a
        string."""
        return self.template.render(*args, **kwargs)

    def generate_async(self, *args, **kwargs):
        """Return an asynchronous generator that renders the template in
        chunks (needs ``enable_async=True``)."""
        return self.template.generate_async(*args, **kwargs)

    async def render_async(self, *args, **kwargs):
        """Render the template asynchronously and return it as a string
        (needs ``enable_async=True``)."""
        return await self.template.render_async(*args, **kwargs)

    def generate_block(self, block, *args, **kwargs):
        """Return a generator that renders the ``{% block <block> %}`` of
        the template alone (an async generator with ``enable_async``)."""
        t = self.template
        return t.blocks[block](t.new_context(dict(*args, **kwargs)))

    def render_block(self, block, *args, **kwargs):
        """Render the ``{% block <block> %}`` of the template alone and
        return it as a string (without ``enable_async``)."""
        return ''.join(self.generate_block(block, *args, **kwargs))
