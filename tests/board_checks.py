"""Smoke checks of the board examples that talk more than plain GETs
(hyper actions, SSE, WebSocket, login): each is ``check(get, runtime)``,
called by tests/test_board_examples.py against the example served under
CPython (with the shims) and under the unix port; ``get.base`` is the
server's URL. Real clients: requests, httpx-sse, websockets. CPython only."""
import json

import requests

T = 10  # seconds for any one client operation


def hyper_call(session, base, name, **args):
    """Call the hyper action ``name`` as hyper.js does; the event stream."""
    res = session.post(base + '/', json=args, timeout=T, headers={
        'X-Action': name, 'X-CSRF-Token': session.cookies['csrf_token']})
    assert res.status_code == 200, (res.status_code, res.text)
    assert res.headers['Content-Type'] == 'text/event-stream'
    assert res.text.endswith('event: end\ndata: {}\n\n'), res.text
    return res.text


def check_gpio_hyper(get, runtime):
    base = get.base
    s = requests.Session()
    page = s.get(base + '/', timeout=T).text
    assert '<b class="off">off</b>' in page and '<b>0 %</b>' in page
    assert page.count('name="csrf_token"') == 2
    assert '<b class=\\"on\\">on</b>' in hyper_call(s, base, 'toggle_led')
    assert '<b>25 %</b>' in hyper_call(s, base, 'set_duty', duty=25)
    assert 'Analog input' in s.get(base + '/', timeout=T,
                                   headers={'X-Action': 'read'}).text
    # without JavaScript: a form post, then the page (a 303)
    page = s.post(base + '/', timeout=T, data={
        '_action': 'set_duty', 'duty': '70',
        'csrf_token': s.cookies['csrf_token']}).text
    assert '<b class="on">on</b>' in page and '<b>70 %</b>' in page
    # refused: no CSRF token, or a duty that is not a number
    res = requests.post(base + '/', data={'_action': 'toggle_led'}, timeout=T)
    assert res.status_code == 403
    res = s.post(base + '/', timeout=T, data={
        '_action': 'set_duty', 'duty': 'max',
        'csrf_token': s.cookies['csrf_token']})
    assert res.status_code == 400
    assert '<b class="on">on</b>' in s.get(base + '/', timeout=T).text


def read_events(url, count):
    """The first ``count`` events of the stream at ``url`` (httpx-sse),
    then the client leaves."""
    import httpx
    from httpx_sse import connect_sse
    events = []
    with httpx.Client(timeout=T) as client:
        with connect_sse(client, 'GET', url) as source:
            assert source.response.status_code == 200
            assert source.response.headers['content-type'] == \
                'text/event-stream'
            for event in source.iter_sse():
                events.append(event)
                if len(events) == count:
                    break
    return events


def check_sse_dashboard(get, runtime):
    assert b"new EventSource('/events')" in get('/')
    events = read_events(get.base + '/events', 3)  # an endless stream
    assert [(e.event, e.id) for e in events] == [('reading', '0'),
                                                 ('reading', '1'),
                                                 ('reading', '2')]
    readings = [e.json() for e in events]
    assert sorted(readings[0]) == ['light', 'mem_free', 'temperature',
                                   'uptime_s']
    assert readings[0]['uptime_s'] <= readings[2]['uptime_s']
    if runtime == 'micropython':  # no ADC on the unix port: it drifts
        assert readings[0]['mem_free'] > 0
        assert 15 < readings[0]['temperature'] < 35
    else:  # the ADC shim reads 0 until a test sets it
        assert readings[0]['mem_free'] is None
        assert readings[0]['temperature'] == -50 and readings[0]['light'] == 0
    # ?n=2: the stream ends by itself; the server goes on serving
    assert len(read_events(get.base + '/events?n=2', 10)) == 2
    assert json.loads(get('/api/reading'))['uptime_s'] >= 0


def console_session(url, lines):
    """Send each command line to the WebSocket console at ``url`` (the
    ``websockets`` client); its answers."""
    from websockets.sync.client import connect
    with connect(url, open_timeout=T, close_timeout=T) as ws:
        answers = []
        for line in lines:
            ws.send(line)
            answers.append(ws.recv(T))
        return answers


def check_ws_console(get, runtime):
    from websockets.exceptions import ConnectionClosed
    from websockets.sync.client import connect
    assert b"'/ws'" in get('/')
    url = 'ws' + get.base[4:] + '/ws'
    help_, led, on, off, echo, unknown, mem = console_session(url, [
        'help', 'led', 'led on', 'LED toggle', 'echo héllo  wörld',
        'reboot', 'mem'])
    assert help_ == 'commands: echo, help, led, mem, uptime, bye'
    assert (led, on, off) == ('led is off', 'led is on', 'led is off')
    assert echo == 'héllo  wörld' and unknown.startswith('error: unknown')
    if runtime == 'micropython':
        assert mem.startswith('mem: ') and 'bytes free' in mem
    else:
        assert mem == 'mem: only on MicroPython'
    # the LED is the board's: another connection sees it
    assert console_session(url, ['led on'])[0] == 'led is on'
    assert console_session(url, ['led'])[0] == 'led is on'
    with connect(url, open_timeout=T, close_timeout=T) as ws:
        ws.send(b'\x00')
        assert ws.recv(T) == 'error: send text'
        ws.send('bye')
        try:
            ws.recv(T)
            raise AssertionError('not closed')
        except ConnectionClosed as exc:
            assert (exc.rcvd.code, exc.rcvd.reason) == (1000, 'bye')
    with connect(url, open_timeout=T, close_timeout=T) as ws:
        ws.send('echo ' + 'x' * 300)  # longer than a command may be
        try:
            ws.recv(T)
            raise AssertionError('not closed')
        except ConnectionClosed as exc:
            assert exc.rcvd.code == 1009
    assert console_session(url, ['uptime'])[0].startswith('up for ')


def check_login_page(get, runtime):
    base = get.base
    good = {'username': 'admin', 'password': 'microdot'}
    s = requests.Session()
    res = s.get(base + '/settings?tab=wifi', allow_redirects=False, timeout=T)
    assert res.status_code == 302
    assert res.headers['Location'] == '/login?next=%2Fsettings%3Ftab%3Dwifi'
    assert 'name="password"' in s.get(base + res.headers['Location'],
                                      timeout=T).text
    for wrong in ({'username': 'admin', 'password': 'Microdot'},
                  {'username': 'root', 'password': 'microdot'}, {}):
        res = s.post(base + '/login?next=%2Fsettings', data=wrong,
                     allow_redirects=False, timeout=T)
        assert res.status_code == 401 and 'Wrong name or password' in res.text
    assert s.get(base + '/', allow_redirects=False,
                 timeout=T).status_code == 302
    # a post from another site's page is refused, even with the password
    res = s.post(base + '/login', data=good, timeout=T, allow_redirects=False,
                 headers={'Origin': 'https://evil.example'})
    assert res.status_code == 403 and 'session' not in res.cookies
    # logged in: back to the page asked for
    res = s.post(base + '/login?next=%2Fsettings%3Ftab%3Dwifi', data=good,
                 allow_redirects=False, timeout=T)
    assert res.headers['Location'] == '/settings?tab=wifi'
    assert 'Log out admin' in s.get(base + '/settings', timeout=T).text
    assert '<h1>Hello, admin</h1>' in s.get(base + '/', timeout=T).text
    res = s.get(base + '/login', allow_redirects=False, timeout=T)
    assert res.headers['Location'] == '/'
    # logged out: the pages are closed again
    res = s.post(base + '/logout', allow_redirects=False, timeout=T)
    assert res.headers['Location'] == '/login'
    assert s.get(base + '/', allow_redirects=False,
                 timeout=T).status_code == 302
    # a next that leads to another site is not followed
    for evil in ('//evil.example/', 'https://evil.example/', '/\\evil.example',
                 '/\t/evil.example'):
        res = requests.post(base + '/login', params={'next': evil}, data=good,
                            allow_redirects=False, timeout=T)
        assert res.headers['Location'] == '/', evil
    # remember me: logged in again when the session cookie is gone
    s = requests.Session()
    s.post(base + '/login', data=dict(good, remember='on'), timeout=T)
    del s.cookies['session']
    assert '<h1>Hello, admin</h1>' in s.get(base + '/', timeout=T).text
