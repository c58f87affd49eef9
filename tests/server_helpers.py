"""Helpers for tests that run the real server in-process (both runtimes):
serve an app on a free 127.0.0.1 port for the length of a client coroutine,
and a raw HTTP/1.x client connection with its own response parser."""
import asyncio
import random
import socket

import support

T = 5  # seconds any one read may take


def free_port():
    """A free port on 127.0.0.1: bind port 0 on a throwaway socket (random
    tries on MicroPython, which lacks getsockname)."""
    for _ in range(50):
        s = socket.socket()
        port = 0 if hasattr(s, 'getsockname') else random.randint(20000, 60000)
        try:
            s.bind(socket.getaddrinfo('127.0.0.1', port)[0][-1])
            return port or s.getsockname()[1]
        except OSError:
            pass
        finally:
            s.close()
    raise OSError('no free port')


async def until(cond):
    """Wait until ``cond()`` is true (5 s at most); return whether it is."""
    for _ in range(500):
        if cond():
            return True
        await asyncio.sleep(0.01)
    return False


def serve_app(app, client, **options):
    """Serve ``app`` on a free port, await client(port), shut down: then
    start_server must return (bounded)."""
    async def main():
        for _ in range(5):  # another port if that one was taken
            port = free_port()
            app.server = None
            task = asyncio.create_task(app.start_server(
                host='127.0.0.1', port=port, **options))
            for _ in range(500):
                if task.done() or app.server is not None and \
                        app.server.listener is not None:
                    break
                await asyncio.sleep(0.01)
            if not task.done():
                break
            try:
                await task
            except OSError:
                pass
        assert not task.done() and app.server.listener is not None
        try:
            return await asyncio.wait_for(client(port), 30)
        finally:
            app.shutdown()
            await asyncio.wait_for(task, 10)
    return support.run(main())


class Conn:
    """A client connection with its own response parser."""

    async def open(self, port):
        self.r, self.w = await asyncio.wait_for(
            asyncio.open_connection('127.0.0.1', port), T)
        self.buf = b''
        return self

    async def send(self, data):
        self.w.write(data)
        await self.w.drain()

    async def _more(self):
        data = await asyncio.wait_for(self.r.read(1024), T)  # small: a 256k heap
        if not data:
            raise EOFError
        self.buf += data

    async def _until(self, sep):
        while sep not in self.buf:
            await self._more()
        head, _, self.buf = self.buf.partition(sep)
        return head

    async def _take(self, n):
        while len(self.buf) < n:
            await self._more()
        out, self.buf = self.buf[:n], self.buf[n:]
        return out

    async def response(self, head=False):
        """(status, headers (lower-case names), body); head: no body."""
        lines = (await self._until(b'\r\n\r\n')).decode().split('\r\n')
        status = int(lines[0].split(' ')[1])
        h = {}
        for line in lines[1:]:
            name, _, value = line.partition(':')
            h[name.strip().lower()] = value.strip()
        body = b''
        if head or status in (204, 304):
            pass
        elif 'content-length' in h:
            body = await self._take(int(h['content-length']))
        elif h.get('transfer-encoding') == 'chunked':
            parts = []
            while True:
                size = int((await self._until(b'\r\n')).split(b';')[0], 16)
                if not size:
                    await self._until(b'\r\n')  # no trailers
                    break
                parts.append(await self._take(size))
                assert await self._take(2) == b'\r\n'
            body = b''.join(parts)
        else:  # close-delimited
            try:
                while True:
                    await self._more()
            except EOFError:
                body, self.buf = self.buf, b''
        return status, h, body

    async def closed(self):
        """True if the server closes without sending more."""
        try:
            return not (self.buf or await asyncio.wait_for(self.r.read(64), T))
        except asyncio.TimeoutError:  # an OSError on CPython 3.11+
            return False
        except OSError:  # reset: closed too
            return True

    async def close(self):
        self.w.close()
        try:
            await self.w.wait_closed()
        except OSError:
            pass


def sb(res):
    return res[0], res[2]


async def get(port, raw):
    """Send raw on a new connection: (status, headers, body, closed)."""
    c = await Conn().open(port)
    await c.send(raw)
    s, h, b = await c.response()
    closed = await c.closed()
    await c.close()
    return s, h, b, closed
