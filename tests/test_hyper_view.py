"""HyperView through the in-process test client, on both runtimes: the page
and its CSRF cookie, every return shape of an action, the CSRF refusals,
safe actions with GET, the no-JavaScript form path and escaping."""
import asyncio
import json

import support
from microdot import Microdot, Response
from microdot.hyper import HTML, Actions, Delete, HyperView, Redirect, \
    Signal, Toast, action, escape
from microdot.template import Template
from microdot.test_client import TestClient

PAGE = Template('hyper_page', source=(
    '<h1>{{ title }}</h1><form>{{ csrf_field }}</form>'
    '<div id="stats">{% block stats %}<b>{{ n }}</b>{% endblock %}</div>'
    '{{ hyper_script }}'))


class Page(HyperView):
    template = PAGE

    def get(self, request):
        return {'title': request.args.get('t', 'Hi'), 'n': 1}

    @action
    def a_list(self, request, a='1'):
        return [HTML('<i>' + escape(a) + '</i>', '#t', 'append'), Toast('ok')]

    @action
    def a_sync_gen(self, request):
        yield HTML('one', '#t')
        yield Delete('#x')

    @action
    async def a_async_gen(self, request, n=3):
        for i in range(n):
            await asyncio.sleep(0)
            yield Signal('n', i)

    @action
    async def a_single(self, request):
        await asyncio.sleep(0)
        return Toast({'type': 'info', 'message': 'one'})

    @action
    def a_actions(self, request):
        return Actions(HTML('x', '#a'), HTML('y', '#b', 'outer'))

    @action
    def a_str(self, request, who='you'):
        return '<p>for ' + escape(who) + '</p>'

    @action
    def stats(self, request):
        return {'n': '<5>'}

    @action(target='#stats')
    async def refresh(self, request):
        return {'n': 7}

    @action
    async def a_response(self, request):
        return Response('raw', 202, {'Content-Type': 'text/plain'})

    @action
    def a_none(self, request):
        pass

    @action
    async def a_redirect(self, request):
        yield Toast('before')
        yield Redirect('/next')
        yield Toast('never sent')

    @action(safe=True)
    def peek(self, request, q=''):
        return HTML('peek ' + escape(q), '#p')

    def helper(self, request):  # not an action
        return 'secret'


app = Microdot()
app.register(Page, '/page')


def _events(text):
    out = []
    for block in text.split('\n\n')[:-1]:
        op, data = block.split('\n')
        out.append((op[7:], json.loads(data[6:])))
    return out


async def _client():
    c = TestClient(app)
    res = await c.get('/page')
    assert res.status_code == 200
    return c, c.cookies['csrf_token']


def _call(name, body=None, headers=None):
    async def run():
        c, token = await _client()
        h = {'X-Action': name, 'X-CSRF-Token': token}
        h.update(headers or {})
        return await c.post('/page', headers=h, body=body or {})
    return support.run(run())


def _ops(name, body=None, headers=None):
    res = _call(name, body, headers)
    assert res.status_code == 200
    assert res.headers['Content-Type'] == 'text/event-stream'
    assert res.headers['Cache-Control'] == 'no-cache'
    return _events(res.text)


def test_page_renders_the_template_and_sets_the_csrf_cookie():
    async def run():
        c = TestClient(app)
        res = await c.get('/page?t=%3Cb%3E')
        assert res.headers['Content-Type'].startswith('text/html')
        cookie = res.headers['Set-Cookie'][0]
        assert cookie.startswith('csrf_token=') and 'SameSite=Lax' in cookie
        assert 'Path=/' in cookie and 'HttpOnly' not in cookie
        token = c.cookies['csrf_token']
        assert '<h1>&lt;b&gt;</h1>' in res.text
        assert '<input type="hidden" name="csrf_token" value="%s">' % token \
            in res.text
        assert '<script src="/_hyper.js?v=' in res.text
        res = await c.get('/page')  # a valid cookie is kept
        assert 'Set-Cookie' not in res.headers and token in res.text
    support.run(run())


def test_list_return():
    assert _ops('a_list', {'a': '<x>'}) == [
        ('html', {'target': '#t', 'swap': 'append', 'content': '<i>&lt;x&gt;</i>',
                  'transition': False, 'focus': None}),
        ('toast', {'payload': {'message': 'ok'}}), ('end', {})]


def test_post_arguments_come_from_the_body_not_the_query():
    async def run():
        c, token = await _client()
        res = await c.post('/page?a=query&x=1', body={'a': 'body'}, headers={
            'X-Action': 'a_list', 'X-CSRF-Token': token})
        assert _events(res.text)[0][1]['content'] == '<i>body</i>'
    support.run(run())


def test_generators_and_single_items():
    ops = _ops('a_sync_gen')
    assert [op for op, _ in ops] == ['html', 'html', 'end']
    assert ops[1][1]['swap'] == 'delete' and ops[1][1]['target'] == '#x'
    assert _ops('a_async_gen', {'n': 2}) == [
        ('signals', {'values': {'n': 0}}), ('signals', {'values': {'n': 1}}),
        ('end', {})]
    assert _ops('a_single') == [
        ('toast', {'payload': {'type': 'info', 'message': 'one'}}),
        ('end', {})]
    ops = _ops('a_actions')
    assert [(d['target'], d['swap']) for _, d in ops[:2]] == \
        [('#a', 'inner'), ('#b', 'outer')]
    assert _ops('a_none') == [('end', {})]


def test_str_goes_to_the_callers_target():
    ops = _ops('a_str', {'who': '<me>'})
    assert ops[0] == ('html', {'target': None, 'swap': None,
                               'content': '<p>for &lt;me&gt;</p>',
                               'transition': False, 'focus': None})
    ops = _ops('a_str', headers={'X-Target': '#box'})
    assert ops[0][1]['target'] == '#box'


def test_dict_renders_the_block_of_the_target():
    ops = _ops('stats')  # no target: the block named after the action
    assert ops[0][1]['target'] == '#stats'
    assert ops[0][1]['content'] == '<b>&lt;5&gt;</b>'
    assert _ops('refresh')[0][1]['content'] == '<b>7</b>'
    ops = _ops('refresh', headers={'X-Target': '#stats'})
    assert ops[0][1]['target'] == '#stats'


def test_response_is_sent_as_is():
    res = _call('a_response')
    assert res.status_code == 202 and res.text == 'raw'


def test_nothing_after_a_redirect():
    assert _ops('a_redirect') == [('toast', {'payload': {'message': 'before'}}),
                                  ('redirect', {'url': '/next'})]


def test_bad_arguments_are_an_error_event():
    ops = _ops('a_list', {'nope': 1})
    assert ops == [('error', {'status': 400, 'message': 'Invalid arguments'})]


def test_unknown_and_private_names_are_404():
    for name in ('nothing', 'helper', '_find', 'get', '__init__'):
        assert _call(name).status_code == 404, name


def test_csrf_refusals():
    async def run():
        c, token = await _client()
        for h in ({'X-Action': 'a_list'},
                  {'X-Action': 'a_list', 'X-CSRF-Token': 'x' + token},
                  {'X-Action': 'a_list', 'X-CSRF-Token': 'a.1.b'}):
            res = await c.post('/page', headers=h, body={})
            assert res.status_code == 403, h
        # a token without the cookie it came with
        other = TestClient(app)
        res = await other.post('/page', body={}, headers={
            'X-Action': 'a_list', 'X-CSRF-Token': token})
        assert res.status_code == 403
        # a token signed by another key, in both places
        from microdot.csrf import make_token
        forged = make_token('another key', '')
        other.cookies['csrf_token'] = forged
        res = await other.post('/page', body={}, headers={
            'X-Action': 'a_list', 'X-CSRF-Token': forged})
        assert res.status_code == 403
    support.run(run())


def test_safe_actions_with_get_and_unsafe_refused():
    async def run():
        c = TestClient(app)
        res = await c.get('/page?_action=peek&q=%3Ci%3E',
                          headers={'X-Action': 'peek'})
        assert _events(res.text)[0][1]['content'] == 'peek &lt;i&gt;'
        res = await c.get('/page', headers={'X-Action': 'a_list'})
        assert res.status_code == 405 and res.headers['Allow'] == 'POST'
        res = await c.get('/page?_action=peek')  # no JavaScript: back
        assert res.status_code == 303 and res.headers['Location'] == '/page'
    support.run(run())


def _form(c, body):
    return c.post('/page', body=body, headers={
        'Content-Type': 'application/x-www-form-urlencoded'})


def test_no_javascript_form_path():
    async def run():
        c, token = await _client()
        res = await _form(c, '_action=a_list&a=1&csrf_token=' + token)
        assert res.status_code == 303 and res.headers['Location'] == '/page'
        res = await _form(c, '_action=a_redirect&csrf_token=' + token)
        assert res.status_code == 303 and res.headers['Location'] == '/next'
        res = await _form(c, '_action=a_list&nope=1&csrf_token=' + token)
        assert res.status_code == 400
        res = await _form(c, '_action=a_list&a=1')
        assert res.status_code == 403
        res = await _form(c, 'a=1&csrf_token=' + token)  # no post()
        assert res.status_code == 405
    support.run(run())
