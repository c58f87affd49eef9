"""JSON-RPC 2.0 routes beyond the specification's examples: one handler
per URL ignores "method", ids, results that are null or not JSON, handler
exceptions (traceback only in debug), JsonRpcError, invalid params, the
Content-Type requirement, 405, URL arguments, CORS; and microdot.jsonrpc
used by a plain route."""
from microdot import Microdot, Response
from microdot.controllers import Controller, route, request
from microdot.jsonrpc import JsonRpcError, handle
from microdot.test_client import TestClient
import support

JSON = {'Content-Type': 'application/json'}


class Device(Controller):
    @route('/led/<int:pin>', type='json', auth='none')
    def led(self, pin, on=False):
        return {'pin': pin, 'on': on, 'method': request.method}

    @route('/nothing', type='json', auth='none')
    def nothing(self, **kw):
        return None

    @route('/fail', type='json', auth='none')
    def fail(self, kind):
        if kind == 'zero':
            return 1 // 0
        if kind == 'rpc':
            raise JsonRpcError(-1, 'Busy', {'retry': 5})
        loop = []  # no JSON for this (json.dumps on MicroPython writes the
        loop.append(loop)  # repr of unknown objects: only a loop fails)
        return loop

    @route('/shared', type='json', auth='none', cors='*')
    async def shared(self):
        return 'shared'


app = Microdot()
app.register(Device)


def call(method='x', id=1, **params):
    return {'jsonrpc': '2.0', 'method': method, 'params': params, 'id': id}


def _run(main):
    support.run(main(TestClient(app)))


def test_single_handler_ignores_method_and_gets_url_args():
    async def main(c):
        for method in ('led', 'anything', ''):
            res = await c.post('/led/4', body=call(method, on=True))
            assert res.json == {'jsonrpc': '2.0', 'id': 1, 'result': {
                'pin': 4, 'on': True, 'method': 'POST'}}
        # URL arguments win over params
        res = await c.post('/led/4', body=call(pin=9))
        assert res.json['result']['pin'] == 4
        # no params at all
        res = await c.post('/led/5', body={'jsonrpc': '2.0', 'method': 'm',
                                            'id': 2})
        assert res.json['result'] == {'pin': 5, 'on': False,
                                      'method': 'POST'}
    _run(main)


def test_result_null_is_present():
    async def main(c):
        res = await c.post('/nothing', body=call())
        assert res.text == '{"jsonrpc": "2.0", "id": 1, "result": null}'
    _run(main)


def test_ids():
    async def main(c):
        for id in ('abc', 7, -1.5, None, ''):
            res = await c.post('/nothing', body=call(id=id))
            assert res.json == {'jsonrpc': '2.0', 'id': id, 'result': None}
        for id in (True, [1], {'a': 1}):
            res = await c.post('/nothing', body=call(id=id))
            assert res.json['id'] is None
            assert res.json['error']['code'] == -32600
        # a wrong version or params that are not structured: invalid, with
        # the id when it can be read
        bad = call(id=3)
        bad['jsonrpc'] = '1.0'
        res = await c.post('/nothing', body=bad)
        assert res.json['error']['code'] == -32600 and res.json['id'] == 3
        bad = call(id=4)
        bad['params'] = None
        res = await c.post('/nothing', body=bad)
        assert res.json['error']['code'] == -32600 and res.json['id'] == 4
    _run(main)


def test_handler_exception():
    async def main(c):
        res = await c.post('/fail', body=call(kind='zero'))
        assert res.status_code == 200
        assert res.json == {'jsonrpc': '2.0', 'id': 1, 'error': {
            'code': 200, 'message': 'Server error', 'data': {
                'name': 'ZeroDivisionError',
                'message': res.json['error']['data']['message']}}}
        assert 'divi' in res.json['error']['data']['message']
        app.debug = True
        try:
            res = await c.post('/fail', body=call(kind='zero'))
        finally:
            app.debug = False
        assert 'ZeroDivisionError' in res.json['error']['data']['debug']
        res = await c.post('/fail', body=call(kind='rpc'))
        assert res.json['error'] == {'code': -1, 'message': 'Busy',
                                     'data': {'retry': 5}}
        res = await c.post('/fail', body=call(kind='object'))
        assert res.json['error']['code'] == -32603
        assert res.json['error']['message'] == 'Internal error'
        # a notification that fails answers nothing
        note = call(kind='zero')
        del note['id']
        res = await c.post('/fail', body=note)
        assert (res.status_code, res.body) == (204, b'')
    _run(main)


def test_invalid_params():
    async def main(c):
        for params in ({'kind': 'x', 'colour': 'red'}, {}):
            res = await c.post('/fail', body=call(**params))
            assert res.json['error']['code'] == -32602
            assert res.json['error']['data']['name'] == 'TypeError'
    _run(main)


def test_content_type_required():
    async def main(c):
        text = '{"jsonrpc": "2.0", "method": "m", "id": 1}'
        for ctype in ('text/plain', 'application/x-www-form-urlencoded',
                      None):
            headers = {'Content-Type': ctype} if ctype else {}
            res = await c.post('/nothing', headers=headers, body=text)
            assert res.status_code == 415
            assert res.json['error']['code'] == -32600
            assert res.json['id'] is None
        res = await c.post('/nothing', body=text, headers={
            'Content-Type': 'application/json; charset=utf-8'})
        assert res.json['result'] is None
        res = await c.post('/nothing', headers=JSON, body=b'"\xff"')
        assert res.json['error']['code'] == -32700
    _run(main)


def test_body_larger_than_max_body_length():
    from microdot import Request
    async def main(c):
        big = call(kind='x' * 300)
        saved = Request.max_body_length
        Request.max_body_length = 100  # the body is left in request.stream
        try:
            res = await c.post('/nothing', body=big)
        finally:
            Request.max_body_length = saved
        assert res.json['result'] is None
    _run(main)


def test_post_only_and_cors():
    async def main(c):
        res = await c.get('/nothing')
        assert res.status_code == 405
        assert res.headers['Allow'] == 'POST, OPTIONS'
        res = await c.request('OPTIONS', '/nothing')
        assert res.status_code == 200 and res.headers['Allow'] == \
            'POST, OPTIONS'
        assert 'Access-Control-Allow-Origin' not in res.headers
        res = await c.request('OPTIONS', '/shared', headers={
            'Origin': 'https://x.example',
            'Access-Control-Request-Method': 'POST',
            'Access-Control-Request-Headers': 'content-type'})
        assert res.status_code == 204
        assert res.headers['Access-Control-Allow-Origin'] == '*'
        assert 'POST' in res.headers['Access-Control-Allow-Methods']
        assert 'Content-Type' in res.headers['Access-Control-Allow-Headers']
        res = await c.post('/shared', body=call())
        assert res.json['result'] == 'shared'
        assert res.headers['Access-Control-Allow-Origin'] == '*'
    _run(main)


def test_handle_in_a_plain_route():
    plain = Microdot()

    @plain.post('/rpc')
    async def rpc(req):
        async def call(method, params):
            if method != 'add':
                raise JsonRpcError(-32601, 'Method not found')
            if isinstance(params, list):
                return sum(params)
            return params['a'] + params['b']
        answer = await handle(req.body, call)
        if answer is None:
            return Response('', 204)
        return Response(answer, headers={'Content-Type': 'application/json'})

    async def main():
        c = TestClient(plain)
        res = await c.post('/rpc', body=call('add', a=1, b=2))
        assert res.json['result'] == 3
        res = await c.post('/rpc', body=[
            {'jsonrpc': '2.0', 'method': 'add', 'params': [1, 2, 3], 'id': 1},
            {'jsonrpc': '2.0', 'method': 'sub', 'id': 2}])
        assert res.json[0]['result'] == 6
        assert res.json[1]['error']['code'] == -32601
    support.run(main())
