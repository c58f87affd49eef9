"""The floor of the benchmarks: a bare asyncio responder that no framework
can beat. It reads each request head (up to the blank line), ignores what it
says except for ``Connection: close``, and writes one fixed response with the
same JSON body as the hello app. Keep-alive aware: it serves request after
request on a connection until the client closes it or asks for the close.
No routing, no parsing, no objects per request. Runs on CPython and on
MicroPython.

    python|micropython bare.py PORT"""
import asyncio
import sys

BODY = b'{"hello": "world"}'
HEAD = b'HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n' \
    b'Content-Length: 18\r\n'
KEEP = HEAD + b'\r\n' + BODY
CLOSE = HEAD + b'Connection: close\r\n\r\n' + BODY


async def respond(reader, writer):
    pending = b''
    try:
        while True:
            end = pending.find(b'\r\n\r\n')
            if end < 0:
                data = await reader.read(4096)
                if not data:
                    break
                pending += data
                continue
            close = b'connection: close' in pending[:end].lower()
            pending = pending[end + 4:]
            writer.write(CLOSE if close else KEEP)
            await writer.drain()
            if close:
                break
    except OSError:
        pass
    try:
        writer.close()
        await writer.wait_closed()
    except OSError:
        pass


async def serve(port):
    await asyncio.start_server(respond, '127.0.0.1', port, backlog=64)
    while True:
        await asyncio.sleep(3600)


if __name__ == '__main__':
    asyncio.run(serve(int(sys.argv[1])))
