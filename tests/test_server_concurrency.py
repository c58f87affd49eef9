"""Fifty clients at once against a real server on each runtime: the listen
backlog queues the burst, so every client is answered (no refused or timed
out connection), the keep-alive ones on their second request too."""
RUNTIMES = ('cpython',)  # drives subprocess servers

import asyncio

from e2e_helpers import T, each_runtime

CLIENTS = 50


async def _client(port, i):
    r, w = await asyncio.wait_for(asyncio.open_connection('127.0.0.1', port),
                                  T)
    try:
        for n in range(2):
            w.write(b'GET / HTTP/1.1\r\nHost: x\r\n\r\n')
            await w.drain()
            head = await asyncio.wait_for(r.readuntil(b'\r\n\r\n'), T)
            assert head.startswith(b'HTTP/1.1 200 '), head
            length = 0
            for line in head.split(b'\r\n'):
                if line.lower().startswith(b'content-length:'):
                    length = int(line.split(b':')[1])
            await asyncio.wait_for(r.readexactly(length), T)
        return True
    finally:
        w.close()


def test_fifty_concurrent_clients_all_answered():
    def check(port):
        async def burst():
            return await asyncio.gather(*[_client(port, i)
                                          for i in range(CLIENTS)])
        assert asyncio.run(burst()) == [True] * CLIENTS
    each_runtime(check)
