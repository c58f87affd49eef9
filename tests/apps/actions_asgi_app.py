"""Signed actions under an ASGI server, with the nonces in Redis when
REDIS_URL is set (CPython only): every answer says which process gave it
(X-Worker-Pid), so a test can send a replay to another worker.

    ACTIONS_SECRET=... REDIS_URL=redis://127.0.0.1:6379/0 \\
        uvicorn --app-dir tests/apps actions_asgi_app:app --workers 2
"""
import os

from microdot.asgi import Microdot
from microdot.actions import ActionsModule, ActionsOption, action
from microdot.action_guards import ActionSignatureGuard

store = None
if os.environ.get('REDIS_URL'):
    from microdot.actions_redis import RedisNonceStore
    store = RedisNonceStore(os.environ['REDIS_URL'])


class Worker:
    @action()
    def pid(self) -> int:
        return os.getpid()


app = Microdot()
module = ActionsModule.for_root(ActionsOption(guards=[ActionSignatureGuard(
    os.environ['ACTIONS_SECRET'], nonce_store=store)]))
module.register(Worker)
module.install(app)


@app.after_request
def worker_pid(request, response):
    response.headers['X-Worker-Pid'] = str(os.getpid())
