"""JSON-RPC 2.0 (https://www.jsonrpc.org/specification): reading a request
body, calling the method for each call in it, and writing the answer.

The protocol only, no HTTP: :func:`handle` takes the body and a coroutine
function that runs one call, and returns the text to send back (``None``
when there is nothing to send: notifications). ``type='json'`` routes of
:mod:`microdot.controllers` use it; a plain route can too::

    @app.post('/rpc')
    async def rpc(request):
        async def call(method, params):
            if method != 'add':
                raise JsonRpcError(METHOD_NOT_FOUND, 'Method not found')
            return params['a'] + params['b']
        answer = await handle(request.body, call)
        return Response(answer, headers={'Content-Type': 'application/json'}) \\
            if answer is not None else Response('', 204)

Answers are built as text, one call at a time, so a result is serialized
once and a batch never holds more than its answers in memory.
"""
import json

from .runtime import print_exception

#: the error codes of the specification
PARSE_ERROR = -32700
INVALID_REQUEST = -32600
METHOD_NOT_FOUND = -32601
INVALID_PARAMS = -32602
INTERNAL_ERROR = -32603
#: the application codes used by this framework (as Odoo and Flectra do):
#: a call that needs a logged-in user, and an exception raised by a method
AUTH_REQUIRED = 100
APPLICATION_ERROR = 200


class JsonRpcError(Exception):
    """Raise it from a method to answer with this exact error.

    :param code: the error code (one of the constants of this module, or
                 your own outside -32768..-32000).
    :param message: a short description.
    :param data: more information (any JSON value), or None."""

    def __init__(self, code, message, data=None):
        super().__init__(code, message)
        self.code = code
        self.message = message
        self.data = data


def error_text(id, code, message, data=None):
    """The JSON text of an error response."""
    error = {'code': code, 'message': message}
    if data is not None:
        error['data'] = data
    return json.dumps({'jsonrpc': '2.0', 'id': id, 'error': error})


def exception_data(exc, debug=False):
    """The ``data`` of an error caused by ``exc``: its class name and
    message, and with ``debug`` its traceback."""
    data = {'name': type(exc).__name__, 'message': str(exc)}
    if debug:
        import io
        buf = io.StringIO()
        print_exception(exc, buf)
        data['debug'] = buf.getvalue()
    return data


async def handle(body, call, debug=False):
    """Answer a JSON-RPC 2.0 request body.

    :param body: the body (bytes or str): one call (an object) or a batch
                 (an array of calls).
    :param call: ``async def call(method, params)``: runs one valid call
                 (``params`` is the object or array sent, or None) and
                 returns its result; it may raise :class:`JsonRpcError`;
                 any other exception is answered with
                 :data:`APPLICATION_ERROR` and the exception's name and
                 message (the traceback too when ``debug`` is true).
    :returns: the JSON text of the answer, or ``None`` when there is none
              (a notification, or a batch of notifications)."""
    try:
        data = json.loads(body.decode() if isinstance(body, bytes) else body)
    except Exception:  # bad JSON or UTF-8, nesting too deep for the parser
        return error_text(None, PARSE_ERROR, 'Parse error')
    if not isinstance(data, list):
        return await _answer(data, call, debug)
    if not data:
        return error_text(None, INVALID_REQUEST, 'Invalid Request')
    parts = []
    for item in data:  # one after the other: a device has one CPU and little RAM
        part = await _answer(item, call, debug)
        if part is not None:
            parts.append(part)
    return '[' + ', '.join(parts) + ']' if parts else None


def _valid_id(id):
    # a string, a number or null (True is an int on CPython: refused)
    return id is None or isinstance(id, str) or \
        isinstance(id, (int, float)) and not isinstance(id, bool)


async def _answer(req, call, debug):
    if not isinstance(req, dict):
        return error_text(None, INVALID_REQUEST, 'Invalid Request')
    id = req.get('id')
    method = req.get('method')
    params = req.get('params')
    if not _valid_id(id):
        return error_text(None, INVALID_REQUEST, 'Invalid Request')
    if req.get('jsonrpc') != '2.0' or not isinstance(method, str) or \
            'params' in req and not isinstance(params, (dict, list)):
        return error_text(id, INVALID_REQUEST, 'Invalid Request')
    notification = 'id' not in req
    try:
        result = await call(method, params)
    except JsonRpcError as exc:
        return None if notification else \
            error_text(id, exc.code, exc.message, exc.data)
    except Exception as exc:
        print_exception(exc)
        return None if notification else \
            error_text(id, APPLICATION_ERROR, 'Server error',
                       exception_data(exc, debug))
    if notification:
        return None
    from .strictjson import dumps  # an error, not bad JSON, on MicroPython
    try:
        result = dumps(result)
    except Exception as exc:  # a result JSON cannot carry
        return error_text(id, INTERNAL_ERROR, 'Internal error',
                          exception_data(exc, debug))
    return '{"jsonrpc": "2.0", "id": ' + json.dumps(id) + ', "result": ' + \
        result + '}'
