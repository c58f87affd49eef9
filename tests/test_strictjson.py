"""microdot.strictjson: what JSON cannot carry is an error on both runtimes
(MicroPython's json.dumps would write repr() or nan), and the answers of
actions and JSON-RPC routes say so instead of sending invalid JSON."""
import json

from microdot import Microdot
from microdot.controllers import Controller, route
from microdot.strictjson import dumps
from microdot.test_client import TestClient
import support


class Thing:
    pass


BAD = (Thing(), {'a': Thing()}, [1, [2, {'b': Thing()}]], b'x', {1, 2},
       float('nan'), [float('inf')], {'x': -float('inf')}, {(1, 2): 3},
       object())


def test_dumps_refuses_what_json_cannot_carry():
    for value in BAD:
        support.raises((TypeError, ValueError), dumps, value)
    loop = []
    loop.append(loop)
    support.raises((TypeError, ValueError), dumps, loop)
    good = {'a': [1, 2.5, None, True, 'é', (3, 4)], 'b': {'c': {}}, 5: 'n'}
    assert json.loads(dumps(good)) == {'a': [1, 2.5, None, True, 'é',
                                             [3, 4]], 'b': {'c': {}},
                                       '5': 'n'}


class Api(Controller):
    @route('/rpc', type='json', auth='none')
    def rpc(self, kind=0):
        return BAD[kind]


def test_json_rpc_answers_an_error_for_each():
    async def run():
        app = Microdot()
        app.register(Api)
        c = TestClient(app)
        for kind in range(len(BAD)):
            res = await c.post('/rpc', body={
                'jsonrpc': '2.0', 'id': 7, 'method': 'x',
                'params': {'kind': kind}})
            assert res.status_code == 200, kind
            answer = json.loads(res.body.decode())  # valid JSON
            assert answer['id'] == 7 and answer['error']['code'] == \
                -32603, (kind, answer)
    support.run(run())
