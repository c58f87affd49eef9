"""microdot.actions without guards: the call and answer envelopes, statuses
and error types, sync and async actions, argument errors (400, not 500),
registration and the context argument (the schema: test_actions_schema.py)."""
from microdot import Microdot, Request
from microdot.actions import ActionError, ActionsModule, ActionsOption, \
    action
from microdot.test_client import TestClient
import support


class Calc:
    @action(params=['a: int', 'b?: int'], returns='int')
    def add(self, a, b=2):
        return a + b

    @action(params=['name: str'], returns='str')
    async def hello(self, name):
        return 'Hello, ' + name

    @action(params=[], returns='None')
    def nothing(self):
        return None

    @action(params=['what: str'])
    async def fail(self, what):
        if what == 'error':
            raise ActionError('no such thing', 409)
        raise RuntimeError('secret internals')

    @action(params=[])
    def bad_result(self):
        return {'a': object()}

    @action(name='renamed', params=[('x', 'float'), ('y', 'list', None)])
    def original(self, x, y=None):
        return [x, y]

    def helper(self):  # not an action
        return 'no'


class MoreCalc(Calc):
    @action(params=['a: int', 'b?: int'], returns='int')
    def add(self, a, b=2):
        return super().add(a, b) * 10

    def nothing(self):  # overridden without @action: unpublished
        return None


class WithContext:
    @action(params=['n: int'], context=True)
    async def who(self, ctx, n):
        return [ctx.action, ctx.request.method, n, ctx.user]


def make_app(cls=Calc, **options):
    app = Microdot()
    module = ActionsModule.for_root(ActionsOption(**options))
    module.register(cls)
    module.register(WithContext)
    module.install(app)
    return app, module


def call(client, name, args=None, kwargs=None, path='/_actions'):
    body = {'action': name}
    if args is not None:
        body['args'] = args
    if kwargs is not None:
        body['kwargs'] = kwargs
    return support.run(client.post(path, body=body))


def test_sync_and_async_actions():
    client = TestClient(make_app()[0])
    res = call(client, 'Calc.add', [1], {'b': 5})
    assert res.status_code == 200
    assert res.headers['Content-Type'].startswith('application/json')
    assert res.headers['Cache-Control'] == 'no-store'
    assert res.json == {'ok': True, 'data': 6}
    assert call(client, 'Calc.add', [1]).json['data'] == 3
    assert call(client, 'Calc.add', None, {'a': 4}).json['data'] == 6
    assert call(client, 'Calc.hello', [], {'name': 'x'}).json == {
        'ok': True, 'data': 'Hello, x'}
    res = call(client, 'Calc.nothing')
    assert res.json == {'ok': True, 'data': None}
    assert call(client, 'Calc.renamed', [1.5]).json['data'] == [1.5, None]
    assert call(client, 'Calc.renamed', [2], {'y': [1]}).json['data'] == \
        [2, [1]]


def error_of(res, status, type_):
    assert res.status_code == status, (res.status_code, res.text)
    assert res.json['ok'] is False, res.json
    assert res.json['error']['type'] == type_, res.json
    return res.json['error']['message']


def test_argument_errors_are_400():
    client = TestClient(make_app()[0])
    for args, kwargs, why in (
            ([], {}, "missing argument 'a'"),
            (['1'], {}, "argument 'a' must be int"),
            ([True], {}, "argument 'a' must be int"),
            ([1.5], {}, "argument 'a' must be int"),
            ([1, 2, 3], {}, 'takes 2 positional arguments but 3 were given'),
            ([1], {'c': 1}, "unexpected keyword argument 'c'"),
            ([1], {'a': 1}, "got multiple values for argument 'a'"),
            ([], {'a': None}, "argument 'a' must be int"),
            ([1], {'self': 1}, "unexpected keyword argument 'self'")):
        res = call(client, 'Calc.add', args, kwargs)
        assert error_of(res, 400, 'BadRequest') == why, (args, kwargs)
    assert error_of(call(client, 'Calc.renamed', ['x']), 400,
                    'BadRequest') == "argument 'x' must be float"
    assert error_of(call(client, 'Calc.renamed', [1], {'y': 'no'}), 400,
                    'BadRequest') == "argument 'y' must be list"


def test_bad_envelopes_are_400():
    client = TestClient(make_app()[0])
    for body in (b'', b'{', b'[]', b'"x"', b'{}', b'{"action": 1}',
                 b'{"action": "Calc.add", "args": {}}',
                 b'{"action": "Calc.add", "kwargs": []}',
                 b'{"action": "Calc.add", "args": "1"}', b'\xff\xfe'):
        res = support.run(client.post('/_actions', body=body, headers={
            'Content-Type': 'application/json'}))
        error_of(res, 400, 'BadRequest')


def test_not_json_is_415():
    client = TestClient(make_app()[0])
    for ctype in (None, 'text/plain', 'application/x-www-form-urlencoded',
                  'multipart/form-data; boundary=x'):
        headers = {'Content-Type': ctype} if ctype else {}
        res = support.run(client.post(
            '/_actions', body='{"action": "Calc.add", "args": [1]}',
            headers=headers))
        error_of(res, 415, 'UnsupportedMediaType')
    res = support.run(client.post(
        '/_actions', body='{"action": "Calc.add", "args": [1]}',
        headers={'Content-Type': 'Application/JSON; charset=utf-8'}))
    assert res.json == {'ok': True, 'data': 3}


def test_unknown_actions_are_404():
    client = TestClient(make_app()[0])
    for name in ('Calc.nope', 'Calc.helper', 'Calc', '', 'Calc.original',
                 'Calc.__init__', 'Nope.add'):
        error_of(call(client, name, [1]), 404, 'NotFound')
    res = support.run(client.get('/_actions'))
    assert res.status_code == 405


def test_action_errors_and_exceptions():
    app = make_app()[0]
    client = TestClient(app)
    assert error_of(call(client, 'Calc.fail', ['error']), 409,
                    'Conflict') == 'no such thing'
    message = error_of(call(client, 'Calc.fail', ['boom']), 500,
                       'InternalError')
    assert 'secret' not in message and 'Runtime' not in message
    assert 'Traceback' not in call(client, 'Calc.fail', ['boom']).text
    assert error_of(call(client, 'Calc.bad_result'), 500,
                    'InternalError') == 'the result cannot be sent as JSON'
    app.debug = True
    message = error_of(call(client, 'Calc.fail', ['boom']), 500,
                       'InternalError')
    assert message == 'RuntimeError: secret internals'


def test_inheritance_and_context():
    app, module = make_app(MoreCalc)
    client = TestClient(app)
    assert call(client, 'MoreCalc.add', [1]).json['data'] == 30
    error_of(call(client, 'MoreCalc.nothing'), 404, 'NotFound')
    assert call(client, 'MoreCalc.hello', ['y']).json['data'] == 'Hello, y'
    assert call(client, 'WithContext.who', [7]).json['data'] == [
        'WithContext.who', 'POST', 7, None]
    error_of(call(client, 'WithContext.who', [], {'ctx': 1, 'n': 1}), 400,
             'BadRequest')
    names = sorted(module.actions)
    assert 'MoreCalc.add' in names and 'Calc.add' not in names
    assert support.raises(ValueError, module.register, MoreCalc)


def test_register_an_instance_and_a_name():
    app = Microdot()
    module = ActionsModule.for_root(ActionsOption(path='/rpc/'))
    calc = Calc()
    assert module.register(calc, name='Math') is calc
    module.install(app)
    client = TestClient(app)
    assert call(client, 'Math.add', [2], path='/rpc').json['data'] == 4


def test_large_body_read_from_the_stream():
    client = TestClient(make_app()[0])
    name = 'x' * 2000  # (a 4 KB JSON needs a 4 KB hole: rare at 256k)
    saved = Request.max_body_length
    Request.max_body_length = 1024  # the body is left in request.stream
    try:
        res = call(client, 'Calc.hello', [name])
    finally:
        Request.max_body_length = saved
    assert res.json['data'] == 'Hello, ' + name
