"""A Microdot 2.x app written the way Microdot's documentation shows it
(routes with types, hooks, error handlers, mount, cookies, send_file,
streaming) and tested with the test client as Microdot's tests are, on
both runtimes. Nothing here is specific to this framework."""
from microdot import Microdot, Response, abort, redirect, send_file
from microdot.test_client import TestClient
import support

app = Microdot()
static_dir = None


def setup_module(module=None):
    global static_dir
    static_dir = support.tmpdir()
    with open(static_dir + '/index.html', 'w') as f:
        f.write('<h1>static</h1>')


def teardown_module(module=None):
    import os
    os.remove(static_dir + '/index.html')
    os.rmdir(static_dir)


@app.before_request
async def authenticate(request):
    if request.path.startswith('/private'):
        return 'Unauthorized', 401
    request.g.user = request.headers.get('X-User', 'anonymous')


@app.after_request
async def add_header(request, response):
    response.headers['X-Powered-By'] = 'microdot'
    return response


@app.after_error_request
async def error_header(request, response):
    response.headers['X-Error'] = str(response.status_code)


@app.errorhandler(404)
async def not_found(request):
    return {'error': 'resource not found'}, 404


@app.errorhandler(ZeroDivisionError)
async def division_by_zero(request, exception):
    return {'error': 'division by zero'}, 500


@app.route('/')
async def index(request):
    return 'Hello, ' + request.g.user + '!'


@app.get('/users/<int:id>')
async def get_user(request, id):
    if id > 100:
        abort(404)
    return {'id': id, 'type': type(id).__name__}


@app.route('/invoices/<path:path>')
async def invoices(request, path):
    return path


@app.route('/users/<re:[a-zA-Z][a-zA-Z0-9]*:username>')
async def user_by_name(request, username):
    return username


@app.route('/users', methods=['GET', 'POST'])
def users(request):
    if request.method == 'POST':
        return {'created': request.json['name']}, 201, \
            {'Location': '/users/1'}
    return {'page': request.args.get('page', 1, type=int),
            'tags': request.args.getlist('tag')}


@app.post('/login')
async def login(request):
    response = redirect('/')
    response.set_cookie('user', request.form['name'], http_only=True)
    return response


@app.get('/whoami')
async def whoami(request):
    return request.cookies.get('user', 'nobody')


@app.get('/logout')
async def logout(request):
    response = redirect('/')
    response.delete_cookie('user')
    return response


@app.route('/divide/<int:a>/<int:b>')
def divide(request, a, b):
    return str(a // b)


@app.route('/static/<path:path>')
async def static(request, path):
    if '..' in path:
        return 'Not found', 404
    return send_file(static_dir + '/' + path, max_age=86400)


@app.get('/fibonacci')
async def fibonacci(request):
    def generate_fibonacci():
        a, b = 0, 1
        while a < 100:
            yield str(a) + '\n'
            a, b = b, a + b
    return generate_fibonacci()


@app.get('/teapot')
async def teapot(request):
    return Response(body='short and stout', status_code=418,
                    headers={'Content-Type': 'text/plain'})


@app.get('/private/<path:path>')
async def private(request, path):
    return 'secret ' + path


customers_app = Microdot()


@customers_app.get('/')
async def customers(request):
    return {'prefix': request.url_prefix, 'customers': []}


@customers_app.errorhandler(ZeroDivisionError)
async def customers_division(request, exception):
    return 'customers: division by zero', 500


app.mount(customers_app, url_prefix='/customers')


def call(method, path, **kwargs):
    return support.run(TestClient(app).request(method, path, **kwargs))


def test_routes_with_types():
    res = call('GET', '/', headers={'X-User': 'susan'})
    assert res.status_code == 200 and res.text == 'Hello, susan!'
    assert res.headers['Content-Type'] == 'text/plain; charset=UTF-8'
    assert res.headers['X-Powered-By'] == 'microdot'
    assert call('GET', '/users/42').json == {'id': 42, 'type': 'int'}
    assert call('GET', '/invoices/2024/03/7').text == '2024/03/7'
    assert call('GET', '/users/susan').text == 'susan'
    res = call('GET', '/users?page=3&tag=a&tag=b')
    assert res.json == {'page': 3, 'tags': ['a', 'b']}
    res = call('POST', '/users', body={'name': 'joe'})
    assert res.status_code == 201 and res.json == {'created': 'joe'}
    assert res.headers['Location'] == '/users/1'


def test_hooks_and_error_handlers():
    res = call('GET', '/private/x')
    assert res.status_code == 401 and res.text == 'Unauthorized'
    res = call('GET', '/users/101')  # abort(404) in the handler
    assert res.status_code == 404
    assert res.json == {'error': 'resource not found'}
    assert res.headers['X-Error'] == '404'
    res = call('GET', '/nowhere')
    assert res.status_code == 404 and res.headers['X-Error'] == '404'
    assert call('GET', '/divide/7/2').text == '3'
    res = call('GET', '/divide/1/0')
    # mounted with local=False: the sub-app's handler replaced the app's
    assert res.status_code == 500
    assert res.text == 'customers: division by zero'
    assert call('GET', '/users?page=1').json['page'] == 1
    assert call('DELETE', '/users').status_code == 405


def test_mount():
    res = call('GET', '/customers/')
    assert res.json == {'prefix': '/customers', 'customers': []}
    assert res.headers['X-Powered-By'] == 'microdot'


def test_cookies():
    client = TestClient(app)
    res = support.run(client.post(
        '/login', body='name=susan',
        headers={'Content-Type': 'application/x-www-form-urlencoded'}))
    assert res.status_code == 302 and res.headers['Location'] == '/'
    assert 'HttpOnly' in res.headers['Set-Cookie'][0]
    assert client.cookies['user'] == 'susan'
    assert support.run(client.get('/whoami')).text == 'susan'
    support.run(client.get('/logout'))
    assert 'user' not in client.cookies
    assert support.run(client.get('/whoami')).text == 'nobody'


def test_send_file_and_streaming():
    res = call('GET', '/static/index.html')
    assert res.status_code == 200 and res.text == '<h1>static</h1>'
    assert res.headers['Content-Type'] == 'text/html'
    assert res.headers['Cache-Control'] == 'max-age=86400'
    assert call('GET', '/static/../secret').status_code == 404
    res = call('GET', '/fibonacci')
    assert res.text.split() == ['0', '1', '1', '2', '3', '5', '8', '13',
                                '21', '34', '55', '89']
    res = call('GET', '/teapot')
    assert res.status_code == 418 and res.text == 'short and stout'
    assert res.headers['Content-Type'] == 'text/plain'
