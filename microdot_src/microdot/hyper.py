"""Hypermedia actions: pages whose buttons and forms call methods of a view
class, which answer with a stream of small DOM operations (swap this HTML
in, show a toast, go to that URL...) applied by the browser runtime
``hyper.js`` as they arrive::

    from microdot.hyper import HyperView, action, HTML, Toast

    class Todos(HyperView):
        template = 'todos.html'

        def get(self, request):
            return {'items': ITEMS}            # renders the page template

        @action
        def create(self, request, title=''):
            yield HTML('<li>' + escape(title) + '</li>', '#list', 'append')
            yield Toast({'type': 'success', 'message': 'Created'})

    app.register(Todos, '/todos')

See docs/hyper.md for the wire format, the return shapes and the runtime.
"""
import json

from .http11 import HTTPException
from .response import Response, reason_phrase
from .runtime import IS_MICROPYTHON, invoke_handler, print_exception
from .template import Markup, escape  # noqa: F401 (escape: for apps)

_actions = {}  # function -> (safe, target), filled by @action
_SSE = {'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache',
        'X-Accel-Buffering': 'no'}
_script = []  # [version, gzipped hyper.js], read at first use
#: the path of hyper.min.js.gz (None: beside this module); set it where the
#: module is frozen into the firmware and the file is on the filesystem
script_path = None


class Item:
    """One operation for the browser: ``op`` is the event name and ``data``
    the dict sent as its JSON. The classes below make each kind; their
    arguments are also readable as attributes (``item.target``)."""

    def __init__(self, op, data):
        self.op = op
        self.data = data

    def __getattr__(self, name):
        try:
            return self.__dict__['data'][name]
        except KeyError:
            raise AttributeError(name)

    def __repr__(self):
        return '<%s %r>' % (self.op, self.data)


class HTML(Item):
    """Put ``content`` (HTML, sent as it is: escape user values) into the
    elements matched by the CSS selector ``target`` (None: the element that
    called the action, or its ``data-target``).

    :param swap: ``inner`` (default), ``outer``, ``append``, ``prepend``,
                 ``before``, ``after``, ``delete`` or ``none`` (None: the
                 caller's ``data-swap``, else ``inner``).
    :param transition: swap inside a view transition where the browser has
                       them.
    :param focus: a CSS selector of the element to focus afterwards."""

    def __init__(self, content='', target=None, swap='inner',
                 transition=False, focus=None):
        Item.__init__(self, 'html', {
            'target': target, 'swap': swap, 'content': str(content),
            'transition': transition, 'focus': focus})


class Delete(HTML):
    """Remove the elements matched by ``target`` (``html`` with swap
    ``delete``)."""

    def __init__(self, target):
        HTML.__init__(self, '', target, 'delete')


class Event(Item):
    """Dispatch a ``CustomEvent`` named ``name`` with ``payload`` as its
    ``detail`` on ``target`` (a CSS selector; None: the document)."""

    def __init__(self, name, payload=None, target=None):
        Item.__init__(self, 'event', {'name': name, 'payload': payload,
                                      'target': target})


class Toast(Item):
    """A notification: ``payload`` is a dict (``{'type': 'success',
    'message': 'Saved'}``) or a message. The runtime dispatches it as a
    ``hyper:toast`` event and shows it unless a listener cancels it."""

    def __init__(self, payload):
        if isinstance(payload, str):
            payload = {'message': payload}
        Item.__init__(self, 'toast', {'payload': payload})


class Redirect(Item):
    """Load ``url`` in the browser. It ends the stream: nothing that the
    action produces after it is sent."""

    def __init__(self, url):
        Item.__init__(self, 'redirect', {'url': url})


class History(Item):
    """Change the address bar without loading: ``push_url`` adds a history
    entry, ``replace_url`` replaces the current one."""

    def __init__(self, push_url=None, replace_url=None):
        Item.__init__(self, 'history', {'push_url': push_url} if push_url
                      else {'replace_url': replace_url})


class LoadJS(Item):
    """Load the JavaScript module at ``src`` (once per page, however many
    times it is asked for)."""

    def __init__(self, src):
        Item.__init__(self, 'loadjs', {'src': src})


class Signals(Item):
    """Patch the page's state with ``values`` (a JSON merge patch: ``None``
    deletes a key). Keys starting with ``$`` go to the global store
    (``Alpine.store`` when Alpine is on the page)."""

    def __init__(self, values=None, **kwargs):
        values = dict(values or ())
        values.update(kwargs)
        Item.__init__(self, 'signals', {'values': values})


class Signal(Signals):
    """Set the one signal ``name`` to ``value``."""

    def __init__(self, name, value):
        Signals.__init__(self, {name: value})


class Actions:
    """Several items returned as one value: ``return Actions(HTML(...),
    Toast(...))``."""

    def __init__(self, *items):
        self.items = items


def action(f=None, safe=False, target=None):
    """Decorator that makes a method of a :class:`HyperView` callable from
    the page, as ``@action`` or ``@action(safe=True, target='#stats')``.

    :param safe: the action changes nothing, so it may also be called with
                 GET (``?_action=name``), without a CSRF token.
    :param target: the CSS selector that a returned ``str`` or ``dict``
                   goes to when the caller names none."""
    def mark(f):
        _actions[f] = (safe, target)
        return f
    return mark(f) if f is not None else mark


def _find_action(view, name):
    # (method, options) of a published action, or (None, None)
    if name[:1] != '_':
        f = getattr(type(view), name, None)
        try:
            opts = _actions.get(f)
        except TypeError:  # an unhashable class attribute
            opts = None
        if opts is not None:
            return getattr(view, name), opts
    return None, None


def _error(exc, debug):
    if isinstance(exc, HTTPException):
        return Item('error', {'status': exc.status_code, 'message':
                              exc.reason or reason_phrase(exc.status_code)})
    print_exception(exc)
    return Item('error', {'status': 500, 'message': '%s: %s' % (
        type(exc).__name__, exc) if debug else reason_phrase(500)})


if IS_MICROPYTHON:
    async def _call(method, request, kw):
        # no signatures to check: a TypeError about arguments raised by the
        # call itself means bad parameters (the body runs later if async)
        try:
            return method(request, **kw)
        except TypeError as exc:
            if 'argument' in str(exc):
                raise HTTPException(400, 'Invalid arguments')
            raise

    def _step(gen):
        # used with ``await``: the next item of a generator, which may be a
        # plain generator, an async one or an async def (the same type
        # here). Its awaits surface as yielded values that are not items:
        # they are passed up to the scheduler and its answers sent back.
        try:
            v = next(gen)
            while not isinstance(v, _VALUES):
                r = yield v
                v = gen.send(r)
        except StopIteration as stop:
            return True, stop.args[0] if stop.args else None
        return False, v
else:
    import asyncio
    from inspect import signature

    async def _call(method, request, kw):
        try:
            signature(method).bind(request, **kw)
        except TypeError:
            raise HTTPException(400, 'Invalid arguments')
        return await invoke_handler(method, request, **kw)

    async def _step(gen):
        if hasattr(gen, '__anext__'):
            try:
                return False, await gen.__anext__()
            except StopAsyncIteration:
                return True, None
        if type(gen).__name__ == 'coroutine':
            return True, await gen
        # a plain generator may block: each step runs in a worker thread,
        # as a plain def handler does
        v = await asyncio.get_running_loop().run_in_executor(
            None, next, gen, _step)
        return (True, None) if v is _step else (False, v)


class _Run:
    """The items of one action call, as the body of its event stream: the
    value the action returned is flattened into items, a generator is
    stepped through, and each item is written (and flushed) as one
    event."""

    def __init__(self, view, request, name, target, datastar):
        self.view = view
        self.request = request
        self.name = name
        self.target = target
        self.datastar = datastar
        self.queue = []
        self.gen = None
        self.done = False

    def add(self, v):
        if v is None:
            return
        if isinstance(v, (Item, Response)):
            self.queue.append(v)
        elif isinstance(v, str):
            self.queue.append(HTML(v, self.target, None))
        elif isinstance(v, dict):
            # the page template's block named after the target
            t = self.target
            block = t.lstrip('#') if t else self.name
            self.queue.append(HTML(self.view.render_block(
                self.request, block, v), t or '#' + block, None))
        elif isinstance(v, (list, tuple, Actions)):
            for x in (v.items if isinstance(v, Actions) else v):
                self.add(x)
        elif hasattr(v, 'send') or hasattr(v, '__anext__'):
            if self.gen is not None:
                raise TypeError('an action generator yielded a generator')
            self.gen = v
        else:
            raise TypeError('an action cannot return ' + type(v).__name__)

    async def next(self):
        """The next item; ``end`` once the action has finished, ``error``
        if it raised."""
        try:
            while not self.queue:
                gen = self.gen
                if gen is None:
                    return Item('end', {})
                done, v = await _step(gen)
                if done:
                    self.gen = None
                self.add(v)
        except Exception as exc:
            self.gen = None
            self.queue = []
            return _error(exc, self.request.app.debug)
        return self.queue.pop(0)

    def __aiter__(self):
        return self

    async def __anext__(self):
        if self.done:
            raise StopAsyncIteration
        item = await self.next()
        if isinstance(item, Response):
            item = _error(TypeError('a Response after the stream began'),
                          False)
        if item.op in ('end', 'redirect', 'error'):
            self.done = True
            await self.aclose()
        return (_datastar if self.datastar else _event)(item.op, item.data)

    async def aclose(self):
        """Stop the action (the server calls it when the client left)."""
        gen = self.gen
        self.gen = None
        if hasattr(gen, 'aclose'):
            await gen.aclose()
        elif gen is not None:
            gen.close()


_VALUES = (Item, Actions, Response, str, dict, list, tuple)


def _event(op, data):
    from .sse import format_event
    return format_event(data, op)


def _datastar(op, d):
    # Datastar's SSE events (its SDK specification, sdk/ADR.md): html and
    # signals natively; the other operations as a script appended to body
    lines = []
    if op == 'html':
        swap = d['swap'] or 'inner'
        if swap == 'none':
            return b''
        if d['target']:
            lines.append('selector ' + d['target'])
        if swap != 'outer':
            lines.append('mode ' + ('remove' if swap == 'delete' else swap))
        if d['transition']:
            lines.append('useViewTransition true')
        if d['content']:
            for line in d['content'].replace('\r', '').split('\n'):
                lines.append('elements ' + line)
        return _event('datastar-patch-elements', '\n'.join(lines))
    if op == 'signals':
        values = {}
        for k in d['values']:
            values[k.lstrip('$')] = d['values'][k]
        return _event('datastar-patch-signals',
                      'signals ' + json.dumps(values))
    if op == 'end':
        return b''
    if op == 'redirect':
        js = 'window.location.href=' + json.dumps(d['url'])
    elif op == 'event':
        js = 'var t=%s;(t&&document.querySelector(t)||document).' \
            'dispatchEvent(new CustomEvent(%s,{detail:%s,bubbles:true}))' % (
                json.dumps(d['target']), json.dumps(d['name']),
                json.dumps(d['payload']))
    else:
        js = 'document.dispatchEvent(new CustomEvent("hyper:%s",' \
            '{detail:%s}))' % (op, json.dumps(d.get('payload', d)))
    return _event('datastar-patch-elements',
                  'selector body\nmode append\nelements <script data-effect='
                  '"el.remove()">%s</script>' % js.replace('</', '<\\/'))


class HyperView:
    """Base class of a hypermedia page. Register it with
    ``app.register(MyView, '/url')``; keyword options of ``register``
    (``template``, ``csrf_secret``, ...) set the attributes below on the
    one instance that serves every request.

    - ``GET`` of the URL calls :meth:`get`, ``POST`` calls :meth:`post`
      (405 when the class has none): they return a dict (the context of
      ``template``, rendered as the page), a str (HTML) or a Response.
    - A call of an action is ``POST`` of the URL with ``X-Action: name``
      and a JSON object of arguments (or a form with an ``_action`` field),
      and an ``X-CSRF-Token`` header (or ``csrf_token`` field) equal to the
      ``csrf_token`` cookie set by the page. Actions declared with
      ``@action(safe=True)`` may also be called with ``GET``.

    Attributes:

    - ``template``: the page template, a name in the template directory or
      a :class:`microdot.template.Template`.
    - ``csrf_secret``: the key CSRF tokens are signed with (default: the
      app's session key, else the process's random key from
      ``csrf.default_secret``, which actions use too).
    - ``csrf_max_age``: how many seconds a CSRF token is valid (a day).
    - ``script_url``: where the framework serves ``hyper.js``."""

    template = None
    csrf_secret = None
    csrf_max_age = 86400
    script_url = '/_hyper.js'

    @classmethod
    def register_routes(cls, app, url_prefix='', **options):
        """Add the view to ``app`` at ``url_prefix`` (what
        ``app.register(cls, url_prefix, **options)`` calls), and the route
        of ``hyper.js`` if the app has none yet. Returns the view."""
        view = cls()
        for name in options:
            if name[:1] == '_' or not hasattr(cls, name):
                raise TypeError('unknown HyperView option: ' + name)
            setattr(view, name, options[name])

        async def handler(request, **url_args):
            return await view.handle(request, url_args)
        app.add_route(url_prefix or '/', ['GET', 'POST'], handler,
                      url_prefix)
        if view.script_url not in getattr(app, '_hyper_scripts', ()):
            app._hyper_scripts = [view.script_url]
            app.add_route(view.script_url, ['GET'], _serve_script)
        return view

    def get(self, request, **url_args):
        """The page, for GET: by default the template with no context."""
        return {}

    async def handle(self, request, url_args):
        """Serve one request of the view's URL: the page, or an action."""
        h = request.headers
        form = request.form
        name = h.get('X-Action') or request.args.get('_action') or \
            form and form.get('_action')
        safe = request.method in ('GET', 'HEAD')
        if not name:
            page = getattr(self, 'get' if safe else 'post', None)
            if page is None:
                return Response('', 405, {'Allow': 'GET, HEAD'})
            if not safe:
                self.check_csrf(request)
            return self.page_response(request, await invoke_handler(
                page, request, **url_args))
        method, opts = _find_action(self, name)
        if method is None:
            raise HTTPException(404, 'No such action')
        if safe and not opts[0]:
            return Response('', 405, {'Allow': 'POST'})
        if not safe:
            self.check_csrf(request)
        kw = {}
        body = request.json
        if body is not None and not isinstance(body, dict):
            raise HTTPException(400, 'The arguments must be a JSON object')
        # a GET takes its arguments from the query; other methods from the
        # body alone (the page's own query string is not for the action)
        for fields in ((request.args,) if safe else (form, body)):
            if fields:
                for k in fields:
                    kw[k] = fields[k]
        datastar = h.get('Datastar-Request') == 'true'
        if datastar and 'datastar' in kw:  # Datastar's GET: signals as JSON
            try:
                kw.update(json.loads(kw.pop('datastar')))
            except (TypeError, ValueError):
                raise HTTPException(400, 'Invalid datastar argument')
        for k in ('_action', 'csrf_token', 'self', 'request'):
            kw.pop(k, None)
        kw.update(url_args)
        run = _Run(self, request, name, h.get('X-Target') or opts[1],
                   datastar)
        try:
            run.add(await _call(method, request, kw))
        except Exception as exc:
            run.queue = [_error(exc, request.app.debug)]
        item = await run.next()
        if isinstance(item, Response):
            await run.aclose()
            return item
        run.queue.insert(0, item)
        if datastar or 'X-Action' in h:
            return Response(run, 200, _SSE)
        return await self.no_script_response(request, run)

    async def no_script_response(self, request, run):
        """The answer to a call without JavaScript (a plain form with an
        ``_action`` field): the action runs to its end, then the browser
        goes back to the page with a 303 (or to the URL of a Redirect);
        an error is answered with its status."""
        while True:
            item = await run.next()
            if item.op == 'redirect':
                await run.aclose()
                return Response.redirect(item.data['url'], 303)
            if item.op == 'error':
                return Response(item.data['message'], item.data['status'])
            if item.op == 'end':
                return Response.redirect(request.path, 303)

    def check_csrf(self, request):
        """Raise a 403 HTTPException unless the request carries the CSRF
        token of its ``csrf_token`` cookie, validly signed."""
        from .csrf import verify_token
        form = request.form
        token = request.headers.get('X-CSRF-Token') or \
            form and form.get('csrf_token')
        key, sid = self.csrf_key(request, False)
        if not token or sid is None or \
                token != request.cookies.get('csrf_token') or \
                not verify_token(key, sid, token):
            raise HTTPException(403, 'Invalid CSRF token')

    def csrf_key(self, request, create):
        """``(secret, id)``: the key CSRF tokens are signed with and the id
        they are bound to: with a Session, its key and the session's CSRF
        id (shared with controllers and actions, so one token serves them
        all; None while the session has none and ``create`` is false);
        else ``csrf_secret`` or a random key made at start-up, and ``''``."""
        manager = getattr(request.app, '_session', None) or \
            getattr(request.subapp, '_session', None)
        from .csrf import default_secret, session_csrf_id
        key = self.csrf_secret or getattr(manager, 'secret_key', None) or \
            default_secret()
        if manager is None or not manager.secret_key:
            return key, ''
        return key, session_csrf_id(manager, request, create)

    def csrf_token(self, request):
        """The CSRF token of the request's page: the one of its cookie
        while valid for more than half its life, else a new one (which
        the response then sets as the ``csrf_token`` cookie)."""
        token = getattr(request, '_hyper_csrf', None)
        if token is None:
            from .csrf import make_token, verify_token
            from time import time
            token = request.cookies.get('csrf_token')
            try:
                fresh = int(token.split('.')[1]) - time() > \
                    self.csrf_max_age / 2
            except (AttributeError, IndexError, ValueError):
                fresh = False
            key, sid = self.csrf_key(request, True)
            if not (fresh and verify_token(key, sid, token)):
                token = make_token(key, sid, self.csrf_max_age)
                request._hyper_new = True
            request._hyper_csrf = token
        return token

    def context(self, request, context):
        """The names templates see: ``context`` plus ``request``,
        ``csrf_token``, ``csrf_field`` (the hidden input of a form) and
        ``hyper_script`` (the ``<script>`` tag of hyper.js)."""
        ctx = {'request': request}
        ctx.update(context)
        token = self.csrf_token(request)
        ctx['csrf_token'] = token
        ctx['csrf_field'] = Markup(
            '<input type="hidden" name="csrf_token" value="%s">' %
            escape(token))
        ctx['hyper_script'] = Markup('<script src="%s?v=%s" defer></script>'
                                     % (escape(self.script_url),
                                        _script_file()[0]))
        return ctx

    def _template(self):
        t = self.template
        if t is None:
            raise ValueError(type(self).__name__ + ' has no template')
        if isinstance(t, str):
            from .template import Template
            t = Template(t)
        return t

    def render_block(self, request, block, context):
        """The HTML of ``{% block <block> %}`` of the page template with
        ``context`` (what an action that returns a dict sends)."""
        return self._template().render_block(
            block, **self.context(request, context))

    def page_response(self, request, ret):
        """The response of a page handler's return value: a dict renders
        the template (streamed), a str is HTML; the CSRF cookie is set
        when a new token was made."""
        if ret is None or isinstance(ret, dict):
            ret = self._template().generate(
                **self.context(request, ret or {}))
        else:
            self.csrf_token(request)
        res = ret if isinstance(ret, Response) else \
            Response(ret, 200, {'Content-Type': 'text/html; charset=UTF-8'})
        if getattr(request, '_hyper_new', False):
            res.set_cookie('csrf_token', request._hyper_csrf, path='/',
                           max_age=self.csrf_max_age, same_site='Lax',
                           secure=request.scheme == 'https')
        return res


def _script_file():
    # (version, gzipped bytes) of hyper.js, read once from the package
    if not _script:
        from hashlib import sha256
        from binascii import hexlify
        path = script_path or __file__.rpartition('/')[0] + \
            '/hyper.min.js.gz'
        with open(path, 'rb') as f:
            data = f.read()
        _script.append(hexlify(sha256(data).digest()[:6]).decode())
        _script.append(data)
    return _script


async def _serve_script(request):
    version, data = _script_file()
    etag = '"' + version + '"'
    headers = {'ETag': etag, 'Cache-Control': 'public, max-age=31536000, '
               'immutable' if request.args.get('v') == version else
               'no-cache'}
    if request.headers.get('If-None-Match') == etag:
        return Response(b'', 304, headers)
    headers['Content-Type'] = 'application/javascript; charset=UTF-8'
    headers['Content-Encoding'] = 'gzip'
    return Response(data, 200, headers)
