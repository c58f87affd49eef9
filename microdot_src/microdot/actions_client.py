"""Generate the browser client of RPC actions (CPython only)::

    python -m microdot actions-client myapp:app -o web/src/actions.client.js
    python -m microdot actions-client --url http://127.0.0.1:8000/_actions \\
        -o web/src/actions.client.js

The first form imports the app on CPython and reads the full signatures of
its actions; the second reads the schema of a running server (on a device,
the schema holds the types its actions declared). Two files are written:
an ES module with ``createActions()`` (one method per action, grouped by
class), ``fetchCsrfToken()`` and ``ActionError``, and beside it a ``.d.ts``
with the parameter and result types. The output depends only on the
schema, so it can be committed and checked for staleness.
"""
import json
import os
import sys

#: JavaScript reserved words, which cannot name a function parameter
_RESERVED = set((
    'arguments await break case catch class const continue debugger default '
    'delete do else enum eval export extends false finally for function if '
    'implements import in instanceof interface let new null package private '
    'protected public return static super switch this throw true try typeof '
    'var void while with yield').split())
_SIMPLE = {'str': 'string', 'bytes': 'string', 'int': 'number',
           'float': 'number', 'bool': 'boolean', 'None': 'null',
           'NoneType': 'null', 'Any': 'unknown', 'object': 'unknown'}
_ARRAYS = ('list', 'List', 'set', 'Set', 'frozenset', 'Sequence', 'Iterable',
           'tuple', 'Tuple')
_MAPS = ('dict', 'Dict', 'Mapping')

USAGE = '''usage: microdot actions-client TARGET -o OUT.js [--path PATH] [--no-dts]
       microdot actions-client --url URL -o OUT.js [--no-dts]

TARGET is module:attribute (an app with actions installed, or an
ActionsModule) or a path to a .py file; URL is a running server's actions
path or schema URL (http://host:port/_actions/schema).'''


def _tokens(text):
    i = 0
    out = []
    while i < len(text):
        c = text[i]
        if c.isspace():
            i += 1
        elif c in '[],|':
            out.append(c)
            i += 1
        elif c in '"\'':
            end = text.index(c, i + 1)
            while text[end - 1] == '\\':
                end = text.index(c, end + 1)
            raw = text[i + 1:end]
            out.append(json.dumps(json.loads('"' + raw + '"') if c == '"'
                                  else raw))
            i = end + 1
        else:
            j = i
            while j < len(text) and not text[j].isspace() and \
                    text[j] not in '[],|"\'':
                j += 1
            out.append(text[i:j])
            i = j
    return out


class _TypeParser:
    # Python type strings of the schema -> TypeScript
    def __init__(self, text, types):
        self.tokens = _tokens(text)
        self.types = types

    def parse(self):
        ts = self.union()
        if self.tokens:
            raise ValueError('unexpected ' + self.tokens[0])
        return ts

    def union(self):
        parts = [self.primary()]
        while self.tokens and self.tokens[0] == '|':
            self.tokens.pop(0)
            parts.append(self.primary())
        seen = []
        for p in parts:
            if p not in seen:
                seen.append(p)
        return 'unknown' if 'unknown' in seen else ' | '.join(seen)

    def primary(self):
        name = self.tokens.pop(0)
        args = []
        if self.tokens and self.tokens[0] == '[':
            self.tokens.pop(0)
            while self.tokens[0] != ']':
                args.append(self.union())
                if self.tokens[0] == ',':
                    self.tokens.pop(0)
            self.tokens.pop(0)
        if name == '...':
            return name
        name = name.rpartition('.')[2] if not name.startswith('"') else name
        if name.startswith('"') or name[:1].isdigit() or name[:1] == '-':
            return name  # a literal
        if name in ('True', 'False', 'true', 'false'):
            return name.lower()
        if name in _SIMPLE:
            return _SIMPLE[name]
        if name == 'Optional' and args:
            return args[0] + ' | null'
        if name in ('Union', 'Literal'):
            return ' | '.join(args) or 'never'
        if name in _ARRAYS:
            if name in ('tuple', 'Tuple') and args and args[-1] != '...':
                return '[' + ', '.join(args) + ']'
            item = args[0] if args else 'unknown'
            return ('(%s)[]' if ' ' in item else '%s[]') % item
        if name in _MAPS:
            return 'Record<string, %s>' % (args[1] if len(args) > 1
                                           else 'unknown')
        if name in self.types:
            return name
        return 'unknown'


def ts_type(text, types=()):
    """The TypeScript type of a schema type string (``'list[int] | None'``
    -> ``'number[] | null'``); names in ``types`` (TypedDicts) are kept,
    anything unknown is ``unknown``."""
    try:
        return _TypeParser(text or 'Any', types).parse()
    except (ValueError, IndexError):
        return 'unknown'


def _key(name):
    # a property name, quoted when it is not an identifier
    if name.replace('_', 'a').replace('$', 'a').isalnum() and \
            not name[:1].isdigit() and name.isascii():
        return name
    return json.dumps(name)


def _arg(name):
    return name + '_' if name in _RESERVED else name


def _signature(entry, types):
    """(JS parameter list, TS parameter list, JS call expression)."""
    name = json.dumps(entry['name'])
    params = entry['params']
    if params is None:
        return '...args', '...args: unknown[]', \
            'call(%s, trim(args), {})' % name
    varargs = any(p.get('kind') == 'varargs' for p in params)
    js, ts, positional, keyword = [], [], [], []
    kw_ts = []
    optional = {}
    tail = True
    extra = None
    for p in reversed(params):  # optional only where all that follow are
        if p.get('kind', '') in ('', 'positional'):
            tail = tail and not p['required']
            optional[p['name']] = tail
    for p in params:
        kind = p.get('kind', '')
        t = ts_type(p['type'], types)
        if kind == 'keyword':
            keyword.append(p['name'])
            kw_ts.append('%s%s: %s' % (_key(p['name']),
                                       '' if p['required'] else '?', t))
            continue
        if kind == 'varkw':
            extra = t
            continue
        arg = _arg(p['name'])
        js.append(arg)
        if kind == 'varargs':
            ts.append('%s?: %s' % (arg, ('(%s)[]' if ' ' in t else '%s[]')
                                   % t))
            positional.append('...(%s || [])' % arg)
            continue
        ts.append('%s%s: %s' % (arg, '?' if optional[p['name']] else '', t))
        if kind == 'positional' or varargs:
            positional.append(arg)
        else:
            keyword.append((p['name'], arg))
    kwargs = []
    for k in keyword:
        if isinstance(k, tuple):
            kwargs.append('%s: %s' % (_key(k[0]), k[1]))
    if kw_ts or extra:
        js.append('kw')
        kinds = ['{%s}' % '; '.join(kw_ts)] if kw_ts else []
        if extra:
            kinds.append('Record<string, %s>' % extra)
        required = any(p['required'] for p in params
                       if p.get('kind') == 'keyword')
        ts.append('kw%s: %s' % ('' if required else '?', ' & '.join(kinds)))
        kwargs.append('...(kw || {})')
    call = 'call(%s, trim([%s]), {%s})' % (name, ', '.join(positional),
                                           ', '.join(kwargs))
    return ', '.join(js), ', '.join(ts), call


def _groups(schema):
    groups = {}
    for entry in schema['actions']:
        groups.setdefault(entry['class'], []).append(entry)
    return [(cls, groups[cls]) for cls in sorted(groups)]


_JS_HEAD = '''// Generated by `python -m microdot actions-client` from %(source)s.
// Do not edit: run the command again when the actions change.

export const ACTIONS_PATH = %(path)s;

/** An action answered with an error: `status` (HTTP), `type`, `message`. */
export class ActionError extends Error {
  constructor(status, type, message) {
    super(message);
    this.name = 'ActionError';
    this.status = status;
    this.type = type;
  }
}

function settings(options) {
  const o = options || {};
  return {
    url: (o.baseUrl || '') + (o.path || ACTIONS_PATH),
    fetch: o.fetch || ((...a) => globalThis.fetch(...a)),
    credentials: o.credentials || 'same-origin',
    headers: o.headers || {},
  };
}

function trim(args) {
  // trailing arguments left out: the action's defaults apply
  let n = args.length;
  while (n > 0 && args[n - 1] === undefined) n--;
  return args.slice(0, n);
}

/** A CSRF token from the server (it also sets the `csrf_token` cookie). */
export async function fetchCsrfToken(options) {
  const s = settings(options);
  const res = await s.fetch(s.url + '/csrf', {
    credentials: s.credentials,
    headers: {Accept: 'application/json', ...s.headers},
  });
  const body = await res.json().catch(() => null);
  if (!res.ok || !body || typeof body.csrf !== 'string') {
    throw new ActionError(res.status, 'CsrfUnavailable',
                          'could not get a CSRF token');
  }
  return body.csrf;
}

/**
 * The actions, one method per action, grouped by class. Each returns a
 * Promise of the action's result, or rejects with an ActionError.
 * Options: baseUrl (another origin), path, fetch, credentials, headers,
 * csrf (false: no token), csrfToken (one you already have).
 */
export function createActions(options) {
  const s = settings(options);
  const useCsrf = !options || options.csrf !== false;
  let token = (options && options.csrfToken) || null;

  async function call(action, args, kwargs) {
    for (let attempt = 0; ; attempt++) {
      const headers = {'Content-Type': 'application/json',
                       Accept: 'application/json', ...s.headers};
      if (useCsrf) {
        if (token === null) token = await fetchCsrfToken(options);
        headers['X-CSRF-Token'] = token;
      }
      const res = await s.fetch(s.url, {
        method: 'POST', credentials: s.credentials, headers,
        body: JSON.stringify({action, args, kwargs}),
      });
      const body = await res.json().catch(() => null);
      if (body && body.ok === true) return body.data;
      const error = (body && body.error) ||
        {type: 'HttpError', message: res.status + ' ' + res.statusText};
      if (useCsrf && error.type === 'InvalidCsrfToken' && attempt === 0) {
        token = null;  // expired, or another tab replaced the cookie
        continue;
      }
      throw new ActionError(res.status, error.type, error.message);
    }
  }

  return {
'''

_DTS_HEAD = '''// Generated by `python -m microdot actions-client` from %(source)s.
// Do not edit: run the command again when the actions change.

export declare const ACTIONS_PATH: string;

/** An action answered with an error: `status` (HTTP), `type`, `message`. */
export declare class ActionError extends Error {
  constructor(status: number, type: string, message: string);
  readonly status: number;
  readonly type: string;
}

export interface ActionsOptions {
  /** Another origin than the page's (`http://192.168.4.1`). */
  baseUrl?: string;
  /** Where the actions are served (default: ACTIONS_PATH). */
  path?: string;
  fetch?: typeof fetch;
  credentials?: RequestCredentials;
  headers?: Record<string, string>;
  /** false: send no CSRF token (servers without a CSRF guard). */
  csrf?: boolean;
  /** A token already fetched with fetchCsrfToken(). */
  csrfToken?: string;
}

/** A CSRF token from the server (it also sets the `csrf_token` cookie). */
export declare function fetchCsrfToken(options?: ActionsOptions): Promise<string>;
'''


def generate(schema, source):
    """``(javascript, typescript declarations)`` for ``schema`` (what
    ``GET {path}/schema`` answers); ``source`` is named in the header."""
    types = schema.get('types') or {}
    head = {'source': source, 'path': json.dumps(schema['path'])}
    js = [_JS_HEAD % head]
    dts = [_DTS_HEAD % head]
    for name in sorted(types):
        dts.append('\nexport interface %s {\n' % name)
        for field in types[name]:
            info = types[name][field]
            dts.append('  %s%s: %s;\n' % (_key(field), '' if info['required']
                                          else '?', ts_type(info['type'],
                                                            types)))
        dts.append('}\n')
    dts.append('\nexport interface Actions {\n')
    for cls, entries in _groups(schema):
        js.append('    %s: {\n' % _key(cls))
        dts.append('  %s: {\n' % _key(cls))
        for entry in entries:
            js_params, ts_params, call = _signature(entry, types)
            returns = ts_type(entry['returns'], types)
            doc = '%s(%s) -> %s' % (entry['name'], ', '.join(
                '%s: %s' % (p['name'], p['type']) for p in entry['params'])
                if entry['params'] is not None else '...', entry['returns'])
            doc = '/** ' + doc.replace('*/', '* /') + ' */'
            js.append('      %s\n      %s(%s) { return %s; },\n' % (
                doc, _key(entry['method']), js_params, call))
            dts.append('    %s\n    %s(%s): Promise<%s>;\n' % (
                doc, _key(entry['method']), ts_params, returns))
        js.append('    },\n')
        dts.append('  };\n')
    js.append('  };\n}\n')
    dts.append('}\n\nexport declare function createActions('
               'options?: ActionsOptions): Actions;\n')
    return ''.join(js), ''.join(dts)


def schema_from_app(target, path=None):
    """The schema of the actions of an app (``module:attr`` or a .py
    file): its ActionsModule at ``path``, or its only one."""
    from .cli import load_app
    obj = load_app(target)
    modules = [obj] if hasattr(obj, 'schema') else \
        list(getattr(obj, 'actions_modules', None) or [])
    if path is not None:
        modules = [m for m in modules if m.path == path.rstrip('/')]
    if len(modules) != 1:
        raise ValueError('%s: %s' % (target, 'no ActionsModule is installed'
                                     if not modules else
                                     'several ActionsModules: choose one '
                                     'with --path (%s)' % ', '.join(
                                         m.path for m in modules)))
    return modules[0].schema()


def schema_from_url(url, timeout=10):
    """The schema served by a running server: ``url`` is its schema URL,
    or the actions path (``/schema`` is added), or the bare server
    (``/_actions/schema``)."""
    from urllib.request import urlopen
    scheme, _, rest = url.partition('://')
    path = rest.partition('/')[2].rstrip('/')
    if not path:
        url = url.rstrip('/') + '/_actions/schema'
    elif not path.endswith('schema'):
        url = url.rstrip('/') + '/schema'
    with urlopen(url, timeout=timeout) as res:
        return json.loads(res.read().decode())


def write_client(schema, out, source, dts=True):
    """Write the client to ``out`` (and the ``.d.ts`` beside it); returns
    the paths written."""
    js, ts = generate(schema, source)
    folder = os.path.dirname(out)
    if folder:
        os.makedirs(folder, exist_ok=True)
    written = [out]
    with open(out, 'w') as f:
        f.write(js)
    if dts:
        base = out[:-3] if out.endswith(('.js', '.mjs')) else out
        if out.endswith('.mjs'):
            base, ext = out[:-4], '.d.mts'
        else:
            ext = '.d.ts'
        written.append(base + ext)
        with open(base + ext, 'w') as f:
            f.write(ts)
    return written


def main(positional, options):
    """``microdot actions-client``: see the module description."""
    from .cli import UsageError
    args = list(positional)
    out = options.pop('output', None) or options.pop('out', None)
    if '-o' in args:
        i = args.index('-o')
        if i + 1 >= len(args):
            raise UsageError(USAGE)
        out = args[i + 1]
        del args[i:i + 2]
    url = options.pop('url', None)
    path = options.pop('path', None)
    dts = not options.pop('no_dts', False)
    if options or not out or (url is None) == (len(args) != 1) or \
            len(args) > 1 or url is True or out is True:
        raise UsageError(USAGE)
    try:
        if url is not None:
            schema, source = schema_from_url(url), url
        else:
            schema, source = schema_from_app(args[0], path), args[0]
    except (OSError, ValueError) as exc:
        raise UsageError('actions-client: %s' % exc)
    for name in write_client(schema, out, source, dts):
        print('wrote ' + name)
    sys.stdout.flush()
