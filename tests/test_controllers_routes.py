"""Controllers: @route arguments merged along the class chain, overrides,
unpublishing, several URLs, super(), registration that replaces ancestors,
and the refusal of two controller bases. Through the TestClient."""
from microdot import Microdot
from microdot.controllers import Controller, route
from microdot.test_client import TestClient
import support


class Shop(Controller):
    @route('/shop', auth='none')
    def index(self, **kw):
        return '<h1>Shop</h1>'

    @route(['/items', '/items/<int:id>'], auth='none', methods=['GET'])
    async def items(self, id=None, **kw):
        return {'id': id}

    @route('/about', auth='none')
    def about(self, **kw):
        return 'about'

    @route('/old', auth='none')
    def moved(self, **kw):
        return 'old place'


class ShopExtension(Shop):
    @route()  # keeps /shop and auth='none'
    def index(self, **kw):
        return super().index(**kw) + '<p>extended</p>'

    def about(self, **kw):  # no @route: unpublished
        return 'hidden'

    @route('/new')  # a new URL for the same method, other options kept
    def moved(self, **kw):
        return 'new place: ' + super().moved(**kw)

    @route(methods=['GET', 'POST'], csrf=False)
    async def items(self, id=None, **kw):
        res = await super().items(id=id, **kw)
        return [res['id'], 'ext']


class Restricted(ShopExtension):
    @route(auth='public')
    def index(self, **kw):
        return super().index(**kw) + '<p>restricted</p>'

    @route()
    def about(self, **kw):  # published again, with Shop's arguments
        return 'back: ' + super().about(**kw)


def _get_all(app, paths, method='GET'):
    async def main():
        c = TestClient(app)
        out = []
        for path in paths:
            res = await c.request(method, path)
            out.append((res.status_code, res.text))
        return out
    return support.run(main())


def test_base_controller():
    app = Microdot()
    app.register(Shop)
    assert _get_all(app, ['/shop', '/about', '/old', '/new', '/items/3']) == [
        (200, '<h1>Shop</h1>'), (200, 'about'), (200, 'old place'),
        (404, 'Not Found'), (200, '{"id": 3}')]


def test_three_levels_merge_override_unpublish():
    app = Microdot()
    app.register(Restricted)
    assert _get_all(app, ['/shop', '/old', '/new', '/items', '/about']) == [
        (200, '<h1>Shop</h1><p>extended</p><p>restricted</p>'),
        (404, 'Not Found'), (200, 'new place: old place'),
        (200, '[null, "ext"]'), (200, 'back: hidden')]
    # methods overridden by ShopExtension, kept by Restricted; csrf=False
    assert _get_all(app, ['/items/5'], 'POST') == [
        (200, '[5, "ext"]')]


def test_unpublished_is_404():
    app = Microdot()
    app.register(ShopExtension)
    assert _get_all(app, ['/about', '/shop']) == [
        (404, 'Not Found'), (200, '<h1>Shop</h1><p>extended</p>')]


def test_subclass_replaces_registered_ancestor():
    app = Microdot()
    app.register(Shop)
    app.register(ShopExtension)  # as an extension module would
    assert _get_all(app, ['/shop', '/about', '/old', '/new']) == [
        (200, '<h1>Shop</h1><p>extended</p>'), (404, 'Not Found'),
        (404, 'Not Found'), (200, 'new place: old place')]
    # registering the ancestor again does not undo the extension
    assert app.register(Shop) is None
    assert _get_all(app, ['/shop'])[0][1] == '<h1>Shop</h1><p>extended</p>'
    # nor registering the same class twice doubles anything
    app.register(ShopExtension)
    assert len([r for r in app.url_map if r[1].url_pattern == '/shop']) == 1


def test_other_routes_survive_replacement():
    app = Microdot()

    @app.get('/plain')
    async def plain(req):
        return 'plain'

    app.register(Shop, url_prefix='/api')
    app.register(Restricted, url_prefix='/api')
    assert _get_all(app, ['/plain', '/api/shop', '/shop', '/api/old']) == [
        (200, 'plain'), (200, '<h1>Shop</h1><p>extended</p><p>restricted</p>'),
        (404, 'Not Found'), (404, 'Not Found')]


class Mixin:
    def helper(self):
        return 'mixed'


class WithMixin(Shop, Mixin):  # one controller base and a plain mixin: fine
    @route()
    def index(self, **kw):
        return self.helper()


class Other(Controller):
    @route('/other', auth='none')
    def other(self, **kw):
        return 'other'


class TwoBases(Shop, Other):
    pass


def test_two_controller_bases_refused():
    app = Microdot()
    exc = support.raises(TypeError, app.register, TwoBases)
    assert 'TwoBases' in str(exc) and 'Shop, Other' in str(exc)
    assert app.url_map == []
    app.register(WithMixin)
    assert _get_all(app, ['/shop']) == [(200, 'mixed')]


def test_route_arguments_checked():
    support.raises(ValueError, route, '/x', type='xml')
    support.raises(ValueError, route, '/x', auth='admin')

    class NoUrl(Controller):
        @route(auth='none')
        def f(self):
            return 'x'
    exc = support.raises(ValueError, Microdot().register, NoUrl)
    assert 'NoUrl.f' in str(exc)
    support.raises(TypeError, Microdot().register, Shop, bogus=1)


class Ordered(Controller):
    @route('/o/<name>', auth='none')
    def general(self, name):
        return 'general ' + name

    @route('/o/special', auth='none')
    def special(self):
        return 'special'


class OrderedExt(Ordered):
    @route('/o/first', auth='none')
    def extra(self):
        return 'extra'

    @route()
    def special(self):
        return 'special2'


def test_precedence_follows_first_declaration():
    app = Microdot()
    app.register(OrderedExt)
    # /o/<name> was declared first, so it wins, as with app.route
    assert _get_all(app, ['/o/special', '/o/first']) == [
        (200, 'general special'), (200, 'general first')]


def test_methods_405_with_allow():
    app = Microdot()
    app.register(Shop)
    res = _get_all(app, ['/items'], 'POST')
    assert res[0][0] == 405

    async def main():
        c = TestClient(app)
        res = await c.post('/items')
        assert res.headers['Allow'] == 'GET, HEAD'
        res = await c.request('HEAD', '/items')
        assert res.status_code == 200
        res = await c.request('OPTIONS', '/items')
        assert res.status_code == 200 and 'GET' in res.headers['Allow']
        # methods=None: every usual method reaches the handler
        res = await c.request('PATCH', '/old', headers={
            'X-CSRF-Token': 'x'})
        assert res.status_code == 403  # reached: the CSRF check refused
    support.run(main())
