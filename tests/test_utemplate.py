"""microdot.utemplate.Template (Microdot's API) on the built-in engine, on
both runtimes: the fallback when the utemplate package is missing, or
chosen with ``loader_class=None``. The real package is tested in
test_utemplate_real.py."""
from microdot import utemplate
from microdot.utemplate import Template

import support


def setup_module(module=None):
    global DIR
    d = support.tmpdir()
    files = {
        'hello.html': '{% args name, punct="!" %}Hello, {{ name }}{{ punct }}',
        'page.html': '{% args title %}<h1>{{ title }}</h1>'
                     '{% include "hello.html" title %}'
                     '{% block tail %}[{{ title }}]{% endblock %}',
    }
    for name in files:
        with open(d + '/' + name, 'w') as f:
            f.write(files[name])
    DIR = d
    Template.initialize(d, loader_class=None)


def teardown_module(module=None):
    Template._ready = False


def test_render_and_generate_with_args():
    t = Template('hello.html')
    assert t.name == 'hello.html'
    assert t.render('<b>') == 'Hello, &lt;b&gt;!'     # built-in: escaped
    assert t.render(name='Ann', punct='?') == 'Hello, Ann?'
    assert list(t.generate('x')) == ['Hello, ', 'x', '!']
    assert Template('page.html').render('T') == '<h1>T</h1>Hello, T![T]'
    assert Template('page.html').render_block('tail', 'B') == '[B]'


def test_async_variants():
    async def main():
        out = await Template('hello.html').render_async('A')
        pieces = []
        async for p in Template('hello.html').generate_async(name='G'):
            pieces.append(p)
        return out, pieces
    assert support.run(main()) == ('Hello, A!', ['Hello, ', 'G', '!'])


def test_first_template_initializes_with_the_defaults():
    Template._ready = False
    # ./templates/hello.html does not exist (a TemplateNotFound from the
    # built-in engine, a FileNotFoundError from the utemplate package)
    support.raises(Exception, Template, 'hello.html')
    assert Template._ready and Template.template_dir == 'templates'
    assert (Template._loader is None) == (utemplate.recompile is None)
    Template.initialize(DIR, loader_class=None)
    assert Template._loader is None
    assert Template('hello.html').render('again') == 'Hello, again!'


def test_missing_template_and_syntax_errors():
    from microdot.template import Template as Builtin, TemplateNotFound, \
        TemplateSyntaxError
    assert issubclass(Template, Builtin)
    e = support.raises(TemplateNotFound, Template, 'no.html')
    assert e.name == 'no.html'
    with open(DIR + '/bad.html', 'w') as f:
        f.write('\n{% if %}')
    e = support.raises(TemplateSyntaxError, Template, 'bad.html')
    assert str(e).startswith('bad.html:2: ')
