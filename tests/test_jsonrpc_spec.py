"""Every example of the JSON-RPC 2.0 specification (section 7,
https://www.jsonrpc.org/specification#examples), sent as written to a
controller whose json routes share the URL /rpc (so the "method" member
picks the handler by name; an unknown one is -32601).

Positional params (a JSON array) are not supported here: params become
keyword arguments. Such a call is answered with -32602 Invalid params and
the call's id (nothing for a notification); each of those examples is also
sent with named params and then gets the specification's answer. Error
objects carry a "data" member the specification leaves optional; the
comparisons below leave it out."""
import json

from microdot import Microdot
from microdot.controllers import Controller, route
from microdot.test_client import TestClient
import support

JSON = {'Content-Type': 'application/json'}
notified = []


class Spec(Controller):
    @route('/rpc', type='json', auth='none')
    def subtract(self, minuend, subtrahend):
        return minuend - subtrahend

    @route('/rpc', type='json', auth='none')
    def sum(self, a, b, c):
        return a + b + c

    @route('/rpc', type='json', auth='none')
    def update(self, **kw):
        notified.append('update')

    @route('/rpc', type='json', auth='none')
    def notify_hello(self, n):
        notified.append(('hello', n))

    @route('/rpc', type='json', auth='none')
    def notify_sum(self, a, b, c):
        notified.append(('sum', a + b + c))

    @route('/rpc', type='json', auth='none')
    async def get_data(self):
        return ['hello', 5]


app = Microdot()
app.register(Spec)

POSITIONAL = {'code': -32602, 'message': 'Invalid params'}
NOT_FOUND = {'code': -32601, 'message': 'Method not found'}
INVALID = {'code': -32600, 'message': 'Invalid Request'}
PARSE = {'code': -32700, 'message': 'Parse error'}


def _strip(answer):
    # the answer without the optional "data" of its errors
    if isinstance(answer, list):
        return [_strip(a) for a in answer]
    if 'error' in answer:
        answer['error'].pop('data', None)
    return answer


def _err(error, id):
    return {'jsonrpc': '2.0', 'error': error, 'id': id}


def _ok(result, id):
    return {'jsonrpc': '2.0', 'result': result, 'id': id}


async def _send(c, text):
    res = await c.post('/rpc', headers=JSON, body=text)
    if res.status_code == 204:
        assert res.body == b''
        return None
    assert res.status_code == 200
    assert res.headers['Content-Type'].startswith('application/json')
    return _strip(json.loads(res.text))


EXAMPLES = [
    # rpc call with positional parameters
    ('{"jsonrpc": "2.0", "method": "subtract", "params": [42, 23], "id": 1}',
     _err(POSITIONAL, 1)),
    ('{"jsonrpc": "2.0", "method": "subtract", "params": [23, 42], "id": 2}',
     _err(POSITIONAL, 2)),
    # rpc call with named parameters
    ('{"jsonrpc": "2.0", "method": "subtract", "params": '
     '{"subtrahend": 23, "minuend": 42}, "id": 3}', _ok(19, 3)),
    ('{"jsonrpc": "2.0", "method": "subtract", "params": '
     '{"minuend": 42, "subtrahend": 23}, "id": 4}', _ok(19, 4)),
    # a notification
    ('{"jsonrpc": "2.0", "method": "update", "params": [1,2,3,4,5]}', None),
    ('{"jsonrpc": "2.0", "method": "foobar"}', None),
    # rpc call of non-existent method
    ('{"jsonrpc": "2.0", "method": "foobar", "id": "1"}',
     _err(NOT_FOUND, '1')),
    # rpc call with invalid JSON
    ('{"jsonrpc": "2.0", "method": "foobar, "params": "bar", "baz]',
     _err(PARSE, None)),
    # rpc call with invalid Request object
    ('{"jsonrpc": "2.0", "method": 1, "params": "bar"}', _err(INVALID, None)),
    # rpc call Batch, invalid JSON
    ('[\n  {"jsonrpc": "2.0", "method": "sum", "params": [1,2,4], "id": "1"},'
     '\n  {"jsonrpc": "2.0", "method"\n]', _err(PARSE, None)),
    # rpc call with an empty Array
    ('[]', _err(INVALID, None)),
    # rpc call with an invalid Batch (but not empty)
    ('[1]', [_err(INVALID, None)]),
    # rpc call with invalid Batch
    ('[1,2,3]', [_err(INVALID, None)] * 3),
    # rpc call Batch
    ('''[
        {"jsonrpc": "2.0", "method": "sum", "params": [1,2,4], "id": "1"},
        {"jsonrpc": "2.0", "method": "notify_hello", "params": [7]},
        {"jsonrpc": "2.0", "method": "subtract", "params": [42,23], "id": "2"},
        {"foo": "boo"},
        {"jsonrpc": "2.0", "method": "foo.get", "params": {"name": "myself"},
         "id": "5"},
        {"jsonrpc": "2.0", "method": "get_data", "id": "9"}
    ]''', [_err(POSITIONAL, '1'), _err(POSITIONAL, '2'), _err(INVALID, None),
           _err(NOT_FOUND, '5'), _ok(['hello', 5], '9')]),
    # the same batch with named params: the specification's own answer
    ('''[
        {"jsonrpc": "2.0", "method": "sum", "params": {"a": 1, "b": 2, "c": 4},
         "id": "1"},
        {"jsonrpc": "2.0", "method": "notify_hello", "params": {"n": 7}},
        {"jsonrpc": "2.0", "method": "subtract",
         "params": {"minuend": 42, "subtrahend": 23}, "id": "2"},
        {"foo": "boo"},
        {"jsonrpc": "2.0", "method": "foo.get", "params": {"name": "myself"},
         "id": "5"},
        {"jsonrpc": "2.0", "method": "get_data", "id": "9"}
    ]''', [_ok(7, '1'), _ok(19, '2'), _err(INVALID, None),
           _err(NOT_FOUND, '5'), _ok(['hello', 5], '9')]),
    # rpc call Batch (all notifications)
    ('''[
        {"jsonrpc": "2.0", "method": "notify_sum", "params": [1,2,4]},
        {"jsonrpc": "2.0", "method": "notify_hello", "params": [7]}
    ]''', None),
    ('''[
        {"jsonrpc": "2.0", "method": "notify_sum",
         "params": {"a": 1, "b": 2, "c": 4}},
        {"jsonrpc": "2.0", "method": "notify_hello", "params": {"n": 7}}
    ]''', None),
]


def test_specification_examples():
    async def main():
        del notified[:]
        c = TestClient(app)
        for text, expected in EXAMPLES:
            got = await _send(c, text)
            assert got == expected, (text, got)
        # the notifications with named params ran; the positional ones not
        assert notified == [('hello', 7), ('sum', 7), ('hello', 7)]
    support.run(main())


def test_positional_params_error_says_why():
    async def main():
        c = TestClient(app)
        res = await c.post('/rpc', headers=JSON, body=EXAMPLES[0][0])
        assert res.json['error']['data'] == {
            'name': 'TypeError', 'message': 'positional params are not '
            'supported: send params as an object'}
    support.run(main())
