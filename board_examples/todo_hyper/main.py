"""A todo list with hypermedia actions (microdot.hyper), on a board and on a
desktop: add, toggle and delete todos, and a streamed "run job" with a
progress bar. Every button works with JavaScript (hyper.js applies the
answer's events as they arrive) and without it (a plain form post).

    python -m microdot run board_examples/todo_hyper/main.py --port 8000
    MICROPYPATH=microdot_src:.frozen micropython -m microdot run \\
        board_examples/todo_hyper/main.py --port 8000

On a board, copy the ``microdot`` package (the core and the ``hyper``
extension), this file as ``main.py`` and the ``templates`` folder; once
``boot.py`` has joined the Wi-Fi network, the app serves on port 80.

Routes:
    GET  /            the page (templates/todos.html)
    POST /            an action: create(title), toggle(id), delete(id),
                      run_job(); X-Action header + JSON, or a form with
                      _action, with the CSRF token either way
    GET  /?_action=stats   the one safe action (X-Action: stats)
    GET  /_hyper.js   the browser runtime, gzipped
"""
import asyncio
import sys

from microdot import Microdot
from microdot.hyper import HTML, Delete, HyperView, Signal, Toast, action
from microdot.template import Template


def _folder():
    path = globals().get('__file__') or ''
    i = path.rfind('/')
    return path[:i] if i > 0 else '.'


Template.initialize(_folder() + '/templates')
TODOS = [{'id': 1, 'title': 'Water the plants', 'done': False},
         {'id': 2, 'title': 'Read the sensor log', 'done': True}]
JOB_STEPS = 10


def _find(id):
    for todo in TODOS:
        if todo['id'] == int(id):
            return todo
    return None


def _counts():
    return {'left': len([t for t in TODOS if not t['done']]),
            'total': len(TODOS)}


class Todos(HyperView):
    template = 'todos.html'

    def get(self, request):
        ctx = _counts()
        ctx.update(todos=TODOS, step=0, steps=JOB_STEPS)
        return ctx

    def row(self, request, todo):
        """The <li> of one todo (templates/todo_row.html)."""
        return Template('todo_row.html').render(
            **self.context(request, {'todo': todo}))

    def stats_item(self, request):
        return HTML(self.render_block(request, 'stats', _counts()), '#stats')

    @action
    def create(self, request, title=''):
        title = title.strip()[:100]
        if not title:
            yield Toast({'type': 'error', 'message': 'Give the todo a title'})
            return
        todo = {'id': max([t['id'] for t in TODOS] or [0]) + 1,
                'title': title, 'done': False}
        TODOS.append(todo)
        yield HTML(self.row(request, todo), '#list', 'append',
                   transition=True)
        yield Signal('title', '')  # empties the input (data-signal)
        yield self.stats_item(request)
        yield Toast({'type': 'success', 'message': 'Added'})

    @action
    def toggle(self, request, id=0):
        todo = _find(id)
        if todo is None:
            yield Toast({'type': 'error', 'message': 'No such todo'})
            return
        todo['done'] = not todo['done']
        yield HTML(self.row(request, todo), '#todo-%d' % todo['id'], 'outer')
        yield self.stats_item(request)

    @action
    def delete(self, request, id=0):
        todo = _find(id)
        if todo is not None:
            TODOS.remove(todo)
            yield Delete('#todo-%d' % todo['id'])
            yield self.stats_item(request)
            yield Toast({'message': 'Deleted "%s"' % todo['title']})

    @action
    async def run_job(self, request):
        # each step is sent as soon as it is done: the bar moves live
        for step in range(1, JOB_STEPS + 1):
            await asyncio.sleep(0.2)
            yield HTML(self.render_block(request, 'job', {
                'step': step, 'steps': JOB_STEPS}), '#job')
        yield Toast({'type': 'success', 'message': 'Job done'})

    @action(safe=True, target='#stats')
    def stats(self, request):
        return _counts()  # a dict: the template's {% block stats %}


app = Microdot()
app.register(Todos, '/')

# A board runs main.py as __main__; "microdot run" imports this file as the
# module "main", so the guard does not fire there.
if __name__ == '__main__':
    desktop = sys.platform in ('linux', 'darwin', 'win32', 'cygwin')
    app.run(port=8000 if desktop else 80, debug=True)
