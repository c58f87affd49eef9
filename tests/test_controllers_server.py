"""Controllers behind the real server (in-process, 127.0.0.1, both
runtimes): overlapping requests each see their own ``request`` (async
handlers that wait for each other, plain handlers that sleep: worker
threads on CPython, inline on MicroPython), over http and JSON-RPC."""
import asyncio
import json
import time

from microdot import Microdot
from microdot.controllers import Controller, ControllerConfig, route, \
    request
from server_helpers import Conn, serve_app

events = {}


def _state():
    user = request.user
    return [request.path, request.args.get('tag'),
            request.headers.get('X-Data'), user and user['name'], request.g.n]


class Probe(Controller):
    @route('/who/<name>', auth='public')
    async def who(self, name, tag=None, other=None):
        request.g.n = name
        events[name].set()
        if other:  # both requests are in flight before either answers
            await asyncio.wait_for(events[other].wait(), 5)
        await asyncio.sleep(0.02)
        return {'name': name, 'seen': _state()}

    @route('/sync/<name>', auth='public')
    def sync(self, name, tag=None):
        request.g.n = name
        time.sleep(0.05)
        return {'name': name, 'seen': _state()}

    @route('/rpc', type='json')
    async def rpc(self, name, other=None):
        request.g.n = name
        events[name].set()
        if other:
            await asyncio.wait_for(events[other].wait(), 5)
        await asyncio.sleep(0.02)
        return _state()


app = Microdot()
ControllerConfig(app, get_user=lambda req: {'name': req.headers['X-User']}
                 if 'X-User' in req.headers else None,
                 public_user={'name': 'public'})
app.register(Probe)


async def _request(port, method, path, headers, body=b''):
    c = await Conn().open(port)
    head = method + ' ' + path + ' HTTP/1.1\r\nHost: t\r\n'
    for name in headers:
        head += name + ': ' + headers[name] + '\r\n'
    head += 'Content-Length: %d\r\n\r\n' % len(body)
    await c.send(head.encode() + body)
    status, _, data = await c.response()
    await c.close()
    return status, json.loads(data) if data else None


def _reset(*names):
    events.clear()
    for name in names:
        events[name] = asyncio.Event()


def test_overlapping_async_handlers_see_their_own_request():
    async def client(port):
        _reset('a', 'b')
        res = await asyncio.gather(
            _request(port, 'GET', '/who/a?tag=ta&other=b',
                     {'X-Data': 'da', 'X-User': 'ann'}),
            _request(port, 'GET', '/who/b?tag=tb&other=a', {'X-Data': 'db'}))
        assert res[0] == (200, {'name': 'a', 'seen': [
            '/who/a', 'ta', 'da', 'ann', 'a']})
        assert res[1] == (200, {'name': 'b', 'seen': [
            '/who/b', 'tb', 'db', 'public', 'b']})
    serve_app(app, client)


def test_concurrent_plain_handlers_see_their_own_request():
    async def client(port):
        names = ['s%d' % i for i in range(4)]
        res = await asyncio.gather(*[
            _request(port, 'GET', '/sync/%s?tag=t%s' % (n, n),
                     {'X-Data': 'd' + n, 'X-User': 'u' + n}) for n in names])
        for n, (status, body) in zip(names, res):
            assert status == 200
            assert body == {'name': n, 'seen': [
                '/sync/' + n, 't' + n, 'd' + n, 'u' + n, n]}
    serve_app(app, client)


def test_overlapping_json_rpc_calls():
    def body(name, other):
        return json.dumps({'jsonrpc': '2.0', 'method': 'rpc', 'id': name,
                           'params': {'name': name, 'other': other}}).encode()

    async def client(port):
        _reset('x', 'y')
        res = await asyncio.gather(
            _request(port, 'POST', '/rpc?tag=tx', {
                'Content-Type': 'application/json', 'X-Data': 'dx',
                'X-User': 'xavier'}, body('x', 'y')),
            _request(port, 'POST', '/rpc?tag=ty', {
                'Content-Type': 'application/json', 'X-Data': 'dy',
                'X-User': 'yvonne'}, body('y', 'x')))
        assert res[0] == (200, {'jsonrpc': '2.0', 'id': 'x', 'result': [
            '/rpc', 'tx', 'dx', 'xavier', 'x']})
        assert res[1] == (200, {'jsonrpc': '2.0', 'id': 'y', 'result': [
            '/rpc', 'ty', 'dy', 'yvonne', 'y']})
        # anonymous: the JSON-RPC error, over the wire
        status, answer = await _request(port, 'POST', '/rpc', {
            'Content-Type': 'application/json'}, body('z', None))
        assert status == 200 and answer['error']['code'] == 100
    serve_app(app, client)
