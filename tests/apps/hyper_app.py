"""The app the browser tests of hyper.js drive (tests/test_hyper_browser*.py),
under CPython and under MicroPython: the todo example of
board_examples/todo_hyper at ``/``, and a "lab" page at ``/lab`` with one
button per operation of the runtime.

    python tests/apps/hyper_app.py PORT
    micropython tests/apps/hyper_app.py PORT
"""
import asyncio
import sys


def _repo_root():
    path = globals().get('__file__') or sys.argv[0]
    for _ in range(3):  # .../tests/apps/hyper_app.py -> the repository
        i = path.rfind('/')
        path = path[:i] if i > 0 else '.'
    return path


ROOT = _repo_root()
sys.path.insert(0, ROOT + '/microdot_src')
sys.path.insert(0, ROOT + '/board_examples/todo_hyper')

from main import app  # noqa: E402 (the todo example, at /)
from microdot import Response  # noqa: E402
from microdot.hyper import HTML, Delete, Event, History, HyperView, \
    LoadJS, Redirect, Signals, Toast, action, escape  # noqa: E402
from microdot.template import Template  # noqa: E402

LAB = Template('lab.html', source='''<!doctype html>
<html><head><meta charset="utf-8"><title>Lab</title>
<script>
window.seen = [];
document.addEventListener('lab:ping', e => seen.push(['ping', e.detail, e.target.id]));
document.addEventListener('hyper:error', e => seen.push(['error', e.detail]));
document.addEventListener('hyper:toast', e => { if (window.ownToasts) { e.preventDefault(); seen.push(['toast', e.detail]) } });
</script>
{% if alpine %}<script src="/lab/alpine-stub.js"></script>{% endif %}
{{ hyper_script }}
</head><body>
<div id="box"><p id="swap-target">base</p></div>
{% for mode in ('inner', 'outer', 'append', 'prepend', 'before', 'after', 'delete', 'none') %}
<button id="swap-{{ mode }}" data-action="swap" data-args='{"mode": "{{ mode }}"}'>{{ mode }}</button>
{% endfor %}
<button id="str" data-action="echo" data-args='{"text": "<b>bold?</b>"}' data-target="#echo">str</button>
<div id="echo"></div>
<button id="ping" data-action="ping">event</button>
<button id="toast" data-action="toast">toast</button>
<button id="go" data-action="go">redirect</button>
<button id="push" data-action="nav" data-args='{"how": "push"}'>push</button>
<button id="replace" data-action="nav" data-args='{"how": "replace"}'>replace</button>
<button id="load" data-action="load">loadjs</button>
<button id="fail" data-action="fail">error</button>
<button id="vt" data-action="transition">transition</button>
<button id="gated" data-action="gated">gated</button>
<div id="gate">closed</div>
<div x-data='{"count": 0}' id="comp"><button id="sig" data-action="signals">signals</button></div>
<span data-signal="count" id="count"></span>
<div id="area"><input id="name" value="abc"></div>
<button id="focus-other" data-action="focus" data-args='{"other": true}'>focus</button><input id="other">
<p id="vt-target">before</p>
</body></html>''')

ALPINE_STUB = '''window.Alpine = (() => {
  const stores = {}
  return {
    store(name, value) {
      if (value === undefined) return stores[name]
      stores[name] = value
    },
    $data(el) {
      return el._x || (el._x = JSON.parse(el.getAttribute('x-data')))
    },
  }
})()
'''
gate = {}


class Lab(HyperView):
    template = LAB

    def get(self, request):
        return {'alpine': request.args.get('alpine')}

    @action
    def swap(self, request, mode):
        if mode == 'delete':
            return Delete('#swap-target')
        if mode == 'outer':
            return HTML('<p id="swap-target" class="outer">outer</p>',
                        '#swap-target', 'outer')
        return HTML('<i class="m-%s">%s</i>' % (mode, mode), '#swap-target',
                    mode)

    @action
    def echo(self, request, text):
        return '<p>' + escape(text) + '</p>'  # str: the caller's target

    @action
    def ping(self, request):
        return Event('lab:ping', {'n': 1}, '#box')

    @action
    def toast(self, request):
        return Toast({'type': 'success', 'message': 'Hello <toast>'})

    @action
    def go(self, request):
        yield Redirect('/lab?redirected=1')
        yield Toast('never')

    @action
    def nav(self, request, how):
        if how == 'push':
            return History(push_url='/lab?step=pushed')
        return History(replace_url='/lab?step=replaced')

    @action
    def load(self, request):
        return [LoadJS('/lab/mod.js'), LoadJS('/lab/mod.js')]

    @action
    async def fail(self, request):
        yield Toast('starting')
        raise ValueError('lab failure')

    @action
    def transition(self, request):
        return HTML('after', '#vt-target', transition=True)

    @action
    async def gated(self, request):
        gate['event'] = asyncio.Event()
        yield HTML('open', '#gate')
        await gate['event'].wait()
        yield HTML('done', '#gate')

    @action
    def signals(self, request):
        return Signals({'count': 5, '$user': {'name': 'Ada'}})

    @action
    def focus(self, request, other=False):
        if other:
            return HTML('<input id="name" value="new">', '#area',
                        focus='#other')
        return HTML('<input id="name" class="swapped" value="abcdef">',
                    '#area')


app.register(Lab, '/lab')


@app.get('/lab/mod.js')
async def module(request):
    return Response('window.modLoads = (window.modLoads || 0) + 1;\n',
                    headers={'Content-Type': 'text/javascript'})


@app.get('/lab/alpine-stub.js')
async def alpine_stub(request):
    return Response(ALPINE_STUB, headers={'Content-Type': 'text/javascript'})


@app.get('/lab/release')
async def release(request):
    gate['event'].set()
    return 'released'


if __name__ == '__main__':
    app.run(host='127.0.0.1', port=int(sys.argv[1]))
