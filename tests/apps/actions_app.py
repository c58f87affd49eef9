"""An app with RPC actions for the end-to-end tests, on either runtime:

    python tests/apps/actions_app.py PORT
    micropython tests/apps/actions_app.py PORT

The actions are annotated (read on CPython: the generated client's types
come from them); MicroPython ignores annotations, so TypedDict and Literal
are only looked up on CPython."""
import sys

if __name__ == '__main__':
    sys.path.insert(0, __file__.rpartition('/')[0] + '/../../microdot_src')

from microdot import Microdot  # noqa: E402
from microdot.actions import ActionError, ActionsModule, ActionsOption, \
    action  # noqa: E402
from microdot.action_guards import CsrfActionGuard, \
    OriginActionGuard  # noqa: E402

try:
    from typing import Literal, TypedDict

    class Point(TypedDict):
        x: float
        y: float
        label: 'str | None'
except ImportError:  # MicroPython
    Point = dict


class Shapes:
    @action()
    async def hello(self, name: str) -> str:
        return 'Hello, ' + name

    @action()
    def add(self, a: int, b: int = 2) -> int:
        return a + b

    @action()
    def centroid(self, points: 'list[Point]') -> 'Point':
        n = len(points)
        return {'x': sum(p['x'] for p in points) / n,
                'y': sum(p['y'] for p in points) / n, 'label': None}

    @action()
    def tag(self, kind: "Literal['a', 'b']", *,
            strict: bool = False) -> 'dict[str, bool]':
        return {kind: strict}

    @action()
    def fail(self) -> None:
        raise ActionError('not today', 409)


app = Microdot()
module = ActionsModule.for_root(ActionsOption(guards=[
    OriginActionGuard(), CsrfActionGuard()]))
module.register(Shapes)
module.install(app)

if __name__ == '__main__':
    app.run(host='127.0.0.1', port=int(sys.argv[1]))
