"""board_examples/rest_controller/main.py through the TestClient, on both
runtimes: the HTML page and its CSRF-protected buttons, the REST routes,
JSON-RPC, CORS, and the subclass that replaced the base controller."""
from microdot.test_client import TestClient
import support

EXAMPLE = __file__.rpartition('/')[0] + \
    '/../board_examples/rest_controller/main.py'
JSON = {'Content-Type': 'application/json'}


def _load():
    # exec'd, not imported: every example is a "main" module
    ns = {'__name__': 'rest_controller_example'}
    with open(EXAMPLE) as f:
        exec(f.read(), ns)
    return ns


def test_rest_controller_example():
    ns = _load()
    app = ns['app']
    assert app.register(ns['Leds']) is None  # BoardLeds stays

    async def main():
        c = TestClient(app)
        res = await c.get('/api/leds')
        assert res.json == {'blue': False, 'red': False, 'green': False}
        assert res.headers['Access-Control-Allow-Origin'] == '*'
        page = (await c.get('/')).text
        assert page.count('name="csrf_token"') == 3
        token = page.split('name="csrf_token" value="')[1].split('"')[0]
        res = await c.post('/leds/red/toggle', body='csrf_token=' + token,
                           headers={'Content-Type':
                                    'application/x-www-form-urlencoded'})
        assert (res.status_code, res.headers['Location']) == (303, '/')
        res = await c.post('/leds/red/toggle')
        assert res.status_code == 403
        res = await c.get('/api/leds/red')
        assert res.json == {'name': 'red', 'on': True}
        token = (await c.get('/api/csrf')).json['csrf_token']
        res = await c.put('/api/leds/blue?on=1',
                          headers={'X-CSRF-Token': token})
        assert res.json == {'name': 'blue', 'on': True}
        res = await c.put('/api/leds/blue?on=0')
        assert res.status_code == 403
        res = await c.get('/api/leds/pink')
        assert res.status_code == 404
        res = await c.post('/rpc', body=[
            {'jsonrpc': '2.0', 'method': 'set_led', 'id': 1,
             'params': {'name': 'green', 'on': True}},
            {'jsonrpc': '2.0', 'method': 'get_leds', 'id': 2},
            {'jsonrpc': '2.0', 'method': 'set_led', 'id': 3,
             'params': {'name': 'pink', 'on': True}},
            {'jsonrpc': '2.0', 'method': 'read_sensors', 'id': 4}])
        answers = res.json
        assert answers[0]['result'] == {'name': 'green', 'on': True}
        assert answers[1]['result'] == {'blue': True, 'red': True,
                                        'green': True}
        assert answers[2]['error']['data'] == {
            'name': 'ValueError', 'message': 'no LED named pink'}
        assert answers[3]['result']['temperature'] >= 20
        res = await c.get('/api/sensors')
        assert res.json['runtime'] == support.RUNTIME
    support.run(main())
