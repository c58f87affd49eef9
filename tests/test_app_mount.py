"""Mounted sub-applications of a Microdot 2.x app, through the TestClient:
url_prefix, and hooks and error handlers that are global (local=False) or
apply to the sub-application's own routes only (local=True)."""
from microdot import Microdot, abort
from microdot.test_client import TestClient
import support


def _apps():
    main = Microdot()
    sub = Microdot()

    @main.before_request
    def main_before(req):
        req.g.order = ['main']

    @main.route('/main')
    def main_page(req):
        return ','.join(req.g.order)

    @main.route('/main/err')
    def main_err(req):
        raise ValueError('main')

    @main.route('/main/abort')
    def main_abort(req):
        abort(404)

    @sub.before_request
    def sub_before(req):
        req.g.order.append('sub')

    @sub.after_request
    def sub_after(req, res):
        res.headers['X-Sub'] = 'after'

    @sub.after_error_request
    def sub_after_error(req, res):
        res.headers['X-Sub-Error'] = 'yes'

    @sub.errorhandler(ValueError)
    def sub_value_error(req, exc):
        return 'sub handled ' + str(exc), 400

    @sub.errorhandler(404)
    def sub_not_found(req):
        return 'sub 404', 404

    @sub.route('/')
    def sub_index(req):
        return 'sub index ' + req.url_prefix + ' ' + ','.join(req.g.order)

    @sub.route('/item/<int:id>')
    def sub_item(req, id):
        return {'id': id, 'prefix': req.url_prefix,
                'is_sub': req.subapp is sub}

    @sub.route('/err')
    def sub_err(req):
        raise ValueError('sub')

    @sub.route('/abort')
    def sub_abort(req):
        abort(404)

    return main, sub


async def _mount_global():
    main, sub = _apps()
    main.mount(sub, url_prefix='/sub')
    c = TestClient(main)

    res = await c.get('/sub/')
    assert res.status_code == 200
    assert res.text == 'sub index /sub main,sub'
    assert res.headers['X-Sub'] == 'after'
    res = await c.get('/sub/item/7')
    assert res.json == {'id': 7, 'prefix': '/sub', 'is_sub': True}
    assert (await c.get('/item/7')).status_code != 200

    # the sub-app's hooks and error handlers now apply to the whole app
    res = await c.get('/main')
    assert res.text == 'main,sub'
    assert res.headers['X-Sub'] == 'after'
    res = await c.get('/main/err')
    assert res.status_code == 400 and res.text == 'sub handled main'
    assert res.headers['X-Sub-Error'] == 'yes'
    res = await c.get('/sub/err')
    assert res.status_code == 400 and res.text == 'sub handled sub'
    res = await c.get('/nowhere')
    assert res.status_code == 404 and res.text == 'sub 404'
    assert res.headers['X-Sub-Error'] == 'yes'


def test_mount_global():
    support.run(_mount_global())


async def _mount_local():
    main, sub = _apps()
    main.mount(sub, url_prefix='/sub', local=True)
    c = TestClient(main)

    # the main app's before hooks run first, then the sub-app's
    res = await c.get('/sub/')
    assert res.text == 'sub index /sub main,sub'
    assert res.headers['X-Sub'] == 'after'
    res = await c.get('/sub/err')
    assert res.status_code == 400 and res.text == 'sub handled sub'
    assert res.headers['X-Sub-Error'] == 'yes'
    res = await c.get('/sub/abort')
    assert res.status_code == 404 and res.text == 'sub 404'

    # the main app's routes do not see the sub-app's hooks and handlers
    res = await c.get('/main')
    assert res.text == 'main'
    assert 'X-Sub' not in res.headers
    res = await c.get('/main/err')
    assert res.status_code == 500
    assert 'X-Sub-Error' not in res.headers
    res = await c.get('/main/abort')
    assert res.status_code == 404 and res.text != 'sub 404'
    res = await c.get('/nowhere')
    assert res.status_code == 404 and res.text != 'sub 404'


def test_mount_local():
    support.run(_mount_local())


async def _mount_nested():
    main = Microdot()
    mid = Microdot()
    leaf = Microdot()

    @leaf.route('/x/<name>')
    def leaf_x(req, name):
        return req.url_prefix + ':' + name

    @mid.route('/m')
    def mid_m(req):
        return req.url_prefix

    mid.mount(leaf, url_prefix='/leaf')
    main.mount(mid, url_prefix='/mid')
    c = TestClient(main)
    assert (await c.get('/mid/leaf/x/y')).text == '/mid/leaf:y'
    assert (await c.get('/mid/m')).text == '/mid'
    assert (await c.get('/leaf/x/y')).status_code == 404


def test_mount_nested():
    support.run(_mount_nested())


async def _mount_without_prefix():
    main = Microdot()
    sub = Microdot()

    @main.get('/a')
    def a(req):
        return 'main a'

    @sub.get('/a')
    def sub_a(req):
        return 'sub a'

    @sub.get('/b')
    def sub_b(req):
        return 'sub b'

    main.mount(sub)
    c = TestClient(main)
    assert (await c.get('/a')).text == 'main a'
    assert (await c.get('/b')).text == 'sub b'


def test_mount_without_prefix():
    support.run(_mount_without_prefix())
