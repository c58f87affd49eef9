"""microdot.cors through the TestClient: preflights, wildcard and listed
origins, credentials, Vary: Origin, exposed headers, error responses."""
from microdot import Microdot, Response
from microdot.cors import CORS
from microdot.test_client import TestClient
import support

A = 'https://a.example'
PREFLIGHT = {'Origin': A, 'Access-Control-Request-Method': 'PUT',
             'Access-Control-Request-Headers': 'X-Foo, Content-Type'}


def make_app(**kwargs):
    app = Microdot()
    cors = CORS(app, **kwargs)

    @app.route('/x', methods=['GET', 'PUT'])
    def x(req):
        return 'x'

    @app.route('/vary')
    def vary(req):
        return Response('v', headers={'Vary': 'Accept-Encoding'})

    @app.route('/boom')
    def boom(req):
        raise RuntimeError('boom')
    return app, cors


def call(app, method, path, headers=None):
    return support.run(TestClient(app).request(method, path,
                                               headers=headers))


def cors_headers(res):
    return dict((k, v) for k, v in res.headers.items()
                if k.startswith('Access-Control-') or k == 'Vary')


def test_no_origins_allowed_by_default():
    app, _ = make_app()
    assert cors_headers(call(app, 'GET', '/x', {'Origin': A})) == {}
    res = call(app, 'OPTIONS', '/x', PREFLIGHT)
    assert res.status_code == 200
    assert 'Access-Control-Allow-Origin' not in res.headers
    assert res.headers['Allow'] == 'GET, PUT, HEAD, OPTIONS'


def test_wildcard_without_credentials():
    app, _ = make_app(allowed_origins='*')
    for headers in (None, {'Origin': A}, {'Origin': 'null'}):
        assert cors_headers(call(app, 'GET', '/x', headers)) == \
            {'Access-Control-Allow-Origin': '*'}


def test_wildcard_with_credentials_names_the_origin():
    app, _ = make_app(allowed_origins='*', allow_credentials=True)
    assert cors_headers(call(app, 'GET', '/x', {'Origin': A})) == {
        'Access-Control-Allow-Origin': A,
        'Access-Control-Allow-Credentials': 'true', 'Vary': 'Origin'}
    # never "*" with credentials; never trust the opaque origin "null"
    assert cors_headers(call(app, 'GET', '/x')) == {}
    assert cors_headers(call(app, 'GET', '/x', {'Origin': 'null'})) == {}


def test_listed_origins():
    app, _ = make_app(allowed_origins=['https://A.example/',
                                       'http://b.example:8080'])
    assert cors_headers(call(app, 'GET', '/x', {'Origin': A})) == {
        'Access-Control-Allow-Origin': A, 'Vary': 'Origin'}
    res = call(app, 'GET', '/x', {'Origin': 'http://b.example:8080'})
    assert res.headers['Access-Control-Allow-Origin'] == \
        'http://b.example:8080'
    for other in ('https://evil.example', 'http://a.example',
                  'https://a.example.evil', 'http://b.example', 'null'):
        res = call(app, 'GET', '/x', {'Origin': other})
        # refused, but the answer still varies with the origin
        assert cors_headers(res) == {'Vary': 'Origin'}, other
    assert cors_headers(call(app, 'GET', '/x')) == {'Vary': 'Origin'}


def test_preflight():
    app, _ = make_app(allowed_origins=[A], max_age=600)
    res = call(app, 'OPTIONS', '/x', PREFLIGHT)
    assert res.status_code == 200 and res.body == b''
    assert cors_headers(res) == {
        'Access-Control-Allow-Origin': A, 'Vary': 'Origin',
        'Access-Control-Allow-Methods': 'PUT',
        'Access-Control-Allow-Headers': 'X-Foo, Content-Type',
        'Access-Control-Max-Age': '600'}
    assert res.headers['Allow'] == 'GET, PUT, HEAD, OPTIONS'
    # no route for the path: no preflight answer
    assert call(app, 'OPTIONS', '/nothing', PREFLIGHT).status_code == 404


def test_preflight_with_restricted_methods_and_headers():
    app, _ = make_app(allowed_origins=[A], allowed_methods=['get', 'put'],
                      allowed_headers=['x-foo'])
    res = call(app, 'OPTIONS', '/x', PREFLIGHT)
    assert res.headers['Access-Control-Allow-Methods'] == 'PUT'
    assert res.headers['Access-Control-Allow-Headers'] == 'X-Foo'
    res = call(app, 'OPTIONS', '/x', {
        'Origin': A, 'Access-Control-Request-Method': 'DELETE',
        'Access-Control-Request-Headers': 'X-Bar'})
    assert 'Access-Control-Allow-Methods' not in res.headers
    assert 'Access-Control-Allow-Headers' not in res.headers


def test_credentials_and_exposed_headers():
    app, _ = make_app(allowed_origins=[A], allow_credentials=True,
                      expose_headers=['X-Total', 'X-Page'])
    assert cors_headers(call(app, 'GET', '/x', {'Origin': A})) == {
        'Access-Control-Allow-Origin': A, 'Vary': 'Origin',
        'Access-Control-Allow-Credentials': 'true',
        'Access-Control-Expose-Headers': 'X-Total, X-Page'}
    res = call(app, 'GET', '/x', {'Origin': 'https://evil.example'})
    assert cors_headers(res) == {'Vary': 'Origin'}


def test_errors_and_existing_vary():
    app, _ = make_app(allowed_origins=[A])
    for path, status in (('/boom', 500), ('/nothing', 404)):
        res = call(app, 'GET', path, {'Origin': A})
        assert res.status_code == status
        assert res.headers['Access-Control-Allow-Origin'] == A
    res = call(app, 'GET', '/vary', {'Origin': A})
    assert res.headers['Vary'] == 'Accept-Encoding, Origin'


def test_handle_cors_false_and_manual_headers():
    app, cors = make_app(allowed_origins=[A], handle_cors=False)
    assert cors_headers(call(app, 'GET', '/x', {'Origin': A})) == {}

    @app.route('/manual')
    def manual(req):
        return 'm', 200, cors.get_cors_headers(req)
    res = call(app, 'GET', '/manual', {'Origin': A})
    assert res.headers['Access-Control-Allow-Origin'] == A


def test_initialize_later_keeps_a_disabled_options_handler():
    app = Microdot()
    app.options_handler = None  # automatic OPTIONS turned off

    @app.route('/x')
    def x(req):
        return 'x'
    cors = CORS(allowed_origins='*')
    cors.initialize(app)
    res = call(app, 'OPTIONS', '/x', PREFLIGHT)
    assert res.status_code == 200 and 'Allow' not in res.headers
    assert res.headers['Access-Control-Allow-Methods'] == 'PUT'
    assert res.headers['Access-Control-Allow-Origin'] == '*'
