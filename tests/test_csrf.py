"""microdot.csrf origin protection through the TestClient: Sec-Fetch-Site,
Origin against the request's own scheme://Host, Origin: null, the Referer
fallback, trusted CORS origins, subdomains, exempt and protected routes."""
from microdot import Microdot
from microdot.cors import CORS
from microdot.csrf import CSRF, request_origin, url_origin
from microdot.test_client import TestClient
import support


def make_app(cors=None, **kwargs):
    app = Microdot()
    if cors is not None:
        cors = CORS(app, allowed_origins=cors)
    csrf = CSRF(app, cors, **kwargs)

    @app.route('/x', methods=['GET', 'POST', 'PUT', 'DELETE', 'PATCH'])
    def x(req):
        return 'done'

    @app.post('/hook')
    @csrf.exempt
    def hook(req):
        return 'hooked'

    @app.get('/danger')
    @csrf.protect
    def danger(req):
        return 'danger'
    return app


def status(app, headers, method='POST', path='/x', host='device.local',
           scheme=None):
    client = TestClient(app, host=host, scheme=scheme)
    res = support.run(client.request(method, path, headers=headers))
    return res.status_code


def test_sec_fetch_site():
    app = make_app()
    assert status(app, {'Sec-Fetch-Site': 'same-origin'}) == 200
    assert status(app, {'Sec-Fetch-Site': 'none'}) == 200  # user typed it
    for site in ('cross-site', 'same-site', 'CROSS-SITE'):
        assert status(app, {'Sec-Fetch-Site': site}) == 403
        assert status(app, {'Sec-Fetch-Site': site,
                            'Origin': 'https://evil.example'}) == 403


def test_same_origin_over_plain_http_is_allowed():
    app = make_app()
    assert status(app, {'Origin': 'http://device.local'}) == 200
    assert status(app, {'Origin': 'http://device.local'},
                  host='Device.Local:80') == 200
    assert status(app, {'Origin': 'http://192.168.4.1:8080'},
                  host='192.168.4.1:8080') == 200
    assert status(app, {'Origin': 'https://device.local'},
                  host='device.local:443', scheme='https') == 200
    for method in ('PUT', 'DELETE', 'PATCH'):
        assert status(app, {'Origin': 'http://device.local'}, method) == 200


def test_cross_origin_is_refused():
    app = make_app()
    for origin in ('https://evil.example', 'https://device.local',
                   'http://device.local:8080', 'http://device.local.evil',
                   'http://evil.device.local', 'null', 'garbage', ''):
        assert status(app, {'Origin': origin}) == 403, origin
        for method in ('PUT', 'DELETE', 'PATCH'):
            assert status(app, {'Origin': origin}, method) == 403


def test_missing_origin_falls_back_to_referer():
    app = make_app()
    assert status(app, {'Referer': 'http://device.local/form?x=1'}) == 200
    assert status(app, {'Referer': 'http://device.local'}) == 200
    for referer in ('https://evil.example/', 'http://evil.example/#x',
                    'http://device.local.evil/', '/relative', 'garbage'):
        assert status(app, {'Referer': referer}) == 403, referer
    # Origin wins over Referer
    assert status(app, {'Origin': 'https://evil.example',
                        'Referer': 'http://device.local/'}) == 403
    # no Origin and no Referer: not a browser (curl, a device)
    assert status(app, None) == 200


def test_safe_methods_exempt_and_protected_routes():
    app = make_app()
    evil = {'Origin': 'https://evil.example',
            'Sec-Fetch-Site': 'cross-site'}
    for method in ('GET', 'HEAD', 'OPTIONS'):
        assert status(app, evil, method) == 200
    assert status(app, evil, path='/hook') == 200
    assert status(app, evil, 'GET', '/danger') == 403
    assert status(app, {'Sec-Fetch-Site': 'same-origin'}, 'GET',
                  '/danger') == 200


def test_protect_all_false():
    app = make_app(protect_all=False)
    evil = {'Origin': 'https://evil.example'}
    assert status(app, evil) == 200
    assert status(app, evil, 'GET', '/danger') == 403


def test_trusted_cors_origins():
    app = make_app(['https://app.example'])
    assert status(app, {'Origin': 'https://app.example'}) == 200
    assert status(app, {'Origin': 'https://app.example',
                        'Sec-Fetch-Site': 'cross-site'}) == 200
    assert status(app, {'Referer': 'https://app.example/page'}) == 200
    for origin in ('https://evil.example', 'http://app.example',
                   'https://sub.app.example', 'null'):
        assert status(app, {'Origin': origin}) == 403, origin
    # '*' lets anyone read, but trusts no one to change state
    app = make_app('*')
    assert status(app, {'Origin': 'https://evil.example'}) == 403
    assert status(app, {'Origin': 'http://device.local'}) == 200


def test_allow_subdomains():
    app = make_app(['https://app.example'], allow_subdomains=True)
    for origin in ('https://api.app.example', 'https://a.b.app.example',
                   'http://x.device.local', 'https://app.example'):
        assert status(app, {'Origin': origin}) == 200, origin
        assert status(app, {'Origin': origin,
                            'Sec-Fetch-Site': 'same-site'}) == 200
    for origin in ('http://api.app.example', 'https://evilapp.example',
                   'https://app.example.evil', 'https://x.device.local',
                   'null'):
        assert status(app, {'Origin': origin}) == 403, origin
        assert status(app, {'Origin': origin,
                            'Sec-Fetch-Site': 'same-site'}) == 403
    assert status(app, {'Sec-Fetch-Site': 'same-site'}) == 403


def test_refusal_goes_through_the_403_error_handler():
    app = make_app()

    @app.errorhandler(403)
    def forbidden(req):
        return {'error': 'cross-site request refused'}, 403
    res = support.run(TestClient(app).post(
        '/x', headers={'Origin': 'https://evil.example'}))
    assert res.status_code == 403
    assert res.json == {'error': 'cross-site request refused'}


def test_origin_helpers():
    assert url_origin('HTTP://Example.COM:80/a?b#c') == 'http://example.com'
    assert url_origin('https://example.com:443') == 'https://example.com'
    assert url_origin('https://example.com:8443/') == \
        'https://example.com:8443'
    assert url_origin('http://[::1]:8080/x') == 'http://[::1]:8080'
    for bad in ('null', '', '/path', 'example.com', 'http://', 'a/b://c'):
        assert url_origin(bad) is None, bad

    class Req:
        scheme = 'https'
        headers = {'Host': 'Example.com:443'}
    assert request_origin(Req()) == 'https://example.com'
