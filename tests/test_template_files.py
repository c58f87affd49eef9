"""The built-in template engine with template files: the template
directory, includes, caching, reloading and errors (both runtimes)."""
import os
import time

from microdot.template import Template, TemplateError, TemplateNotFound, \
    TemplateSyntaxError

import support


def make_dir(files):
    d = support.tmpdir()
    for name in files:
        if '/' in name:
            try:
                os.mkdir(d + '/' + name.split('/')[0])
            except OSError:
                pass
        with open(d + '/' + name, 'w') as f:
            f.write(files[name])
    Template.initialize(d)
    return d


def teardown_module(module=None):
    Template.initialize()


def test_loads_from_the_configured_directory_and_subdirectories():
    make_dir({'index.html': 'Hi {{ who }}', 'parts/nav.html': '<nav/>'})
    assert Template('index.html').render(who='<you>') == 'Hi &lt;you&gt;'
    assert Template('parts/nav.html').render() == '<nav/>'
    assert Template('index.html').name == 'index.html'


def test_include_sees_context_and_arguments():
    make_dir({
        'page.html': '{% args title %}<h1>{{ title }}</h1>\n'
                     '{% include "nav.html" %}\n'
                     '{% for i in items %}'
                     '{% include "item.html" item=i, n=loop_n %}'
                     '{% endfor %}'
                     '{% include part %}{% include {{ part }} %}',
        'nav.html': '<nav>{{ title }}/{{ user }}</nav>',
        'item.html': '<li>{{ item }}{{ n }}</li>',
        'p.html': '[{{ title }}]',
        'pos.html': '{% args a, b %}{{ a }}{{ b }}',
        'inc_pos.html': '{% include "pos.html" 1, b=2 %}',
    })
    out = Template('page.html').render('T<', user='u', items=['a', '<'],
                                       loop_n=0, part='p.html')
    assert out == ('<h1>T&lt;</h1>\n<nav>T&lt;/u</nav>'
                   '<li>a0</li><li>&lt;0</li>[T&lt;][T&lt;]')
    assert Template('inc_pos.html').render() == '12'


def test_compiled_once_and_cached_by_name():
    d = make_dir({'c.html': 'one'})
    t1 = Template('c.html')
    with open(d + '/c.html', 'w') as f:
        f.write('two')
    t2 = Template('c.html')
    assert t2.funcs is t1.funcs          # not read nor compiled again
    assert t2.render() == 'one'
    Template.initialize(d)               # forgets compiled templates
    assert Template('c.html').render() == 'two'


def test_auto_reload_recompiles_a_changed_file():
    d = make_dir({'r.html': 'old'})
    Template.initialize(d, auto_reload=True)
    t1 = Template('r.html')
    assert t1.render() == 'old'
    assert Template('r.html').funcs is t1.funcs   # unchanged: cached
    # modification times have 1 s steps: rewrite (bounded) until it moves
    path = d + '/r.html'
    written = os.stat(path)[8]
    for _ in range(60):
        with open(path, 'w') as f:
            f.write('new')
        if os.stat(path)[8] != written:
            break
        time.sleep(0.05)
    assert Template('r.html').render() == 'new'
    os.remove(path)
    support.raises(TemplateNotFound, Template, 'r.html')


def test_missing_template_names_the_file():
    d = make_dir({})
    e = support.raises(TemplateNotFound, Template, 'nope.html')
    assert isinstance(e, TemplateError)
    assert e.name == 'nope.html' and 'nope.html' in str(e)
    assert d in str(e)
    make_dir({'inc.html': 'x{% include "gone.html" %}'})
    e = support.raises(TemplateNotFound, Template('inc.html').render)
    assert e.name == 'gone.html'


def syntax_error(source):
    make_dir({'bad.html': source})
    return support.raises(TemplateSyntaxError, Template, 'bad.html')


def test_syntax_errors_give_template_name_and_line():
    cases = [
        ('ok\n\n<p>{{ a b }}</p>', 3, '{{ a b }}'),
        ('a\n{% if x y %}\n{% endif %}', 2, '{% if x y %}'),
        ('{% for x in %}{% endfor %}', 1, '{% for x in %}'),
        ('\n\n\n{% set = 1 %}', 4, '{% set = 1 %}'),
        ('{% args a b %}', 1, 'args a b'),
        ('{% include "x.html" a b %}', 1, 'include'),
        ('line1\n{% if a %}\nnever closed', 2, 'never closed'),
        ('{% endif %}', 1, 'endif'),
        ('{% for i in x %}{% endif %}', 1, 'endif'),
        ('{% if a %}{% else %}{% elif b %}{% endif %}', 1, 'elif'),
        ('{% else %}', 1, 'else'),
        ('{% endfor %}', 1, 'endfor'),
        ('\n{% frobnicate %}', 2, 'unknown tag'),
        ('x\ny {{ open', 2, 'never closed'),
        ('{% block a %}', 1, 'never closed'),
        ('{% block a %}{% endblock %}{% block a %}{% endblock %}', 1, 'a'),
        ('{% block 9 %}{% endblock %}', 1, 'block'),
        ('{% block a-b %}{% endblock %}', 1, 'block'),
        ('{% block a %}{% endblock b %}', 1, 'endblock'),
        ('{% endblock %}', 1, 'endblock'),
        ('{% args a %}\n{% args b %}', 2, 'args'),
        ('{{ }}', 1, 'empty'),
        ('{% include %}', 1, 'include'),
        ('{% if a %}{% block b %}{% endif %}{% endblock %}', 1, 'endif'),
    ]
    for source, line, text in cases:
        e = syntax_error(source)
        assert e.name == 'bad.html', source
        assert e.lineno == line, (source, e.lineno)
        assert str(e).startswith('bad.html:%d: ' % line), str(e)
        assert text in str(e), (source, str(e))


def test_render_errors_propagate():
    make_dir({'z.html': '{{ 1 // n }}'})
    support.raises(ZeroDivisionError, Template('z.html').render, n=0)
    make_dir({'b.html': '{% block a %}x{% endblock %}'})
    e = support.raises(TemplateError, Template('b.html').render_block, 'b')
    assert e.name == 'b.html' and '"b"' in str(e)
