"""The built-in template engine (microdot.template): every construct, on
both runtimes. Errors, files and caching are in test_template_files.py."""
from microdot.template import Template, Markup, safe, escape, TemplateError

import support


def r(source, *args, **kwargs):
    return Template('t.html', source=source).render(*args, **kwargs)


def test_literal_only_and_empty():
    assert r('plain <b>text</b>\n') == 'plain <b>text</b>\n'
    assert r('') == ''
    assert list(Template('e', source='').generate()) == ['']


def test_expressions_are_python():
    assert r('{{ a + 1 }}|{{ "x" * 3 }}|{{ d["k"] }}|{{ len(s) }}',
             a=1, d={'k': 'v'}, s='abc') == '2|xxx|v|3'
    assert r('{{a}}{{  b  }}', a=1, b=None) == '1None'
    assert r('{{ {"a": 1}["a"] }}') == '1'
    assert r('{{ x if x else "-" }}', x=0) == '-'


def test_autoescape_of_every_special_character():
    out = r('<p title="{{ v }}">{{ v }}</p>', v='<a href="x">\'&\'</a>')
    esc = '&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;'
    assert out == '<p title="%s">%s</p>' % (esc, esc)
    assert escape('&amp;') == '&amp;amp;'
    assert escape(5) == '5' and escape('plain') == 'plain'


def test_safe_filter_markup_and_html_protocol():
    v = '<i>x</i>'
    assert r('{{ v|safe }}{{ v | safe }}', v=v) == v + v
    assert r('{{ v }}', v=Markup(v)) == v
    assert r('{{ v }}', v=safe(v)) == v

    class Html:
        def __html__(self):
            return '<u>ok</u>'
    assert r('{{ v }}', v=Html()) == '<u>ok</u>'
    assert escape(Markup('<b>')) == '<b>'
    assert type(escape(Markup('<b>'))) is str
    # a name that ends in "safe" is not the filter
    assert r('{{ unsafe }}', unsafe='<') == '&lt;'


def test_args_positional_defaults_and_extra_keywords():
    src = '{% args name, greeting="Hello" %}{{ greeting }}, {{ name }}!'
    assert r(src, 'Ann') == 'Hello, Ann!'
    assert r(src, 'Ann', 'Hi') == 'Hi, Ann!'
    assert r(src, name='Bob', greeting='Yo') == 'Yo, Bob!'
    # keywords that are not declared are accepted and visible
    assert r(src + '{{ extra }}', 'C', extra='+') == 'Hello, C!+'
    assert support.raises(TypeError, r, src) is not None  # name missing


def test_args_with_star_forms():
    assert r('{% args *items, **opts %}{{ items }}{{ opts["k"] }}',
             1, 2, k='v') == '(1, 2)v'
    assert r('{% args %}{{ x }}', x=3) == '3'
    assert r('{% args a, %}{{ a }}', 1) == '1'


def test_without_args_keywords_are_names():
    assert r('{{ a }}-{{ b }}', a=1, b=2) == '1-2'
    assert r('{{ len(id) }}{{ type }}', id='abc', type='t') == '3t'
    assert r('{{ f"{n}!" }}{{ d.get("n") }}', n=1, d={}) == '1!None'
    assert r('{{ [x * k for x in xs] }}', xs=[1, 2], k=2) == '[2, 4]'


def test_missing_names_are_false_and_cannot_be_rendered():
    assert r('{% if error %}{{ error }}{% else %}ok{% endif %}') == 'ok'
    assert r('{{ note or "-" }}') == '-'
    e = support.raises(NameError, r, '{{ missing }}')
    assert 'missing' in str(e)
    support.raises(NameError, r, '{{ missing|safe }}')


def test_if_elif_else():
    src = '{% if n > 1 %}many{% elif n == 1 %}one{% else %}none{% endif %}'
    assert [r(src, n=n) for n in (0, 1, 2)] == ['none', 'one', 'many']
    assert r('{% if x %}{% endif %}.', x=1) == '.'          # empty body
    assert r('{% if x %}{% else %}no{% endif %}', x=0) == 'no'
    assert r('{% if a %}{% if b %}ab{% else %}a{% endif %}{% endif %}',
             a=1, b=0) == 'a'


def test_for_and_while_loops():
    assert r('{% for i in items %}[{{ i }}]{% endfor %}',
             items=['<', 2]) == '[&lt;][2]'
    assert r('{% for k, v in d %}{{ k }}={{ v }};{% endfor %}',
             d=[('a', 1), ('b', 2)]) == 'a=1;b=2;'
    assert r('{% for i in x %}{% endfor %}ok', x=[1]) == 'ok'
    assert r('{% set n = 3 %}{% while n %}{{ n }}{% set n = n - 1 %}'
             '{% endwhile %}') == '321'


def test_set_and_comments():
    assert r('{% set x = a * 2 %}{{ x }}', a=4) == '8'
    assert r('a{# a comment {{ not rendered }} #}b') == 'ab'
    assert r('a{# two\nlines #}b') == 'ab'


def test_whitespace_around_tags():
    # a statement alone on its line takes the whole line
    src = '<ul>\n  {% for i in x %}\n  <li>{{ i }}</li>\n  {% endfor %}\n' \
        '</ul>\n'
    assert r(src, x=[1, 2]) == '<ul>\n  <li>1</li>\n  <li>2</li>\n</ul>\n'
    assert r('a\n  {# note #}\nb') == 'a\nb'
    # else, the newline right after a statement is taken (as in utemplate)
    assert r('x{% if 1 %}\ny{% endif %}\nz') == 'xyz'
    # expressions never take whitespace
    assert r('{{ 1 }}\n{{ 2 }}\n') == '1\n2\n'
    assert r('{ not a tag } {x} {') == '{ not a tag } {x} {'


def test_unicode_and_quotes_in_literals():
    src = 'caf\u00e9 "q" \'s\' \\ \\n {{ v }}'
    assert r(src, v='\u00e9') == 'caf\u00e9 "q" \'s\' \\ \\n \u00e9'


def test_blocks_render_in_place_and_alone():
    src = ('{% args title %}<h1>{{ title }}</h1>\n'
           '{% block stats %}<p>{{ count }} items</p>{% endblock %}\n'
           '<footer>{% block foot %}{{ title }}{% endblock foot %}</footer>')
    t = Template('page.html', source=src)
    assert sorted(t.blocks) == ['foot', 'stats']
    assert t.render('T', count=2) == \
        '<h1>T</h1>\n<p>2 items</p><footer>T</footer>'
    assert t.render_block('stats', 'T', count='<3>') == \
        '<p>&lt;3&gt; items</p>'
    assert t.render_block('foot', title='Solo') == 'Solo'
    assert ''.join(t.generate_block('stats', 'x', count=1)) == '<p>1 items</p>'
    e = support.raises(TemplateError, t.render_block, 'nope', 'x')
    assert 'page.html' in str(e) and 'nope' in str(e)


def test_nested_blocks_and_blocks_in_statements():
    src = ('{% block outer %}[{% block inner %}{{ v }}{% endblock %}]'
           '{% endblock %}{% if show %}{% block cond %}c{% endblock %}'
           '{% endif %}{% block empty %}{% endblock %}')
    t = Template('n', source=src)
    assert t.render(v=1, show=True) == '[1]c'
    assert t.render(v=1, show=False) == '[1]'
    assert t.render_block('outer', v=2) == '[2]'
    assert t.render_block('inner', v=3) == '3'
    assert t.render_block('cond') == 'c'
    assert t.render_block('empty') == ''


def test_generate_streams_pieces():
    t = Template('g', source='<p>{{ a }}</p>{% for i in r %}{{ i }}'
                 '{% endfor %}')
    g = t.generate(a='x', r=range(3))
    assert next(g) == '<p>'
    assert list(g) == ['x', '</p>', '0', '1', '2']
    # each call is independent: interleaved generators keep their context
    g1, g2 = t.generate(a=1, r=[]), t.generate(a=2, r=[])
    assert [next(g1), next(g2), next(g1), next(g2)] == ['<p>', '<p>', '1', '2']


def test_async_variants():
    t = Template('a', source='{% args n %}{% for i in range(n) %}{{ i }},'
                 '{% endfor %}')

    async def main():
        out = await t.render_async(3)
        pieces = []
        async for piece in t.generate_async(n=2):
            pieces.append(piece)
        return out, pieces
    assert support.run(main()) == ('0,1,2,', ['0', ',', '1', ','])
