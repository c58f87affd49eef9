"""microdot.websocket.utf8_check, the strict UTF-8 check of text messages
(MicroPython's bytes.decode() accepts overlong forms, surrogates and code
points above U+10FFFF), against a reference written from the table of RFC
3629, section 4, on both runtimes. No sockets."""
from microdot.websocket import utf8_check
import support


def reference(b):
    """True if ``b`` is valid UTF-8 (RFC 3629 table, byte by byte)."""
    i = 0
    n = len(b)
    while i < n:
        c = b[i]
        lo, hi = 0x80, 0xbf
        if c < 0x80:
            i += 1
            continue
        if 0xc2 <= c <= 0xdf:
            need = 1
        elif 0xe0 <= c <= 0xef:
            need = 2
            if c == 0xe0:
                lo = 0xa0
            elif c == 0xed:
                hi = 0x9f
        elif 0xf0 <= c <= 0xf4:
            need = 3
            if c == 0xf0:
                lo = 0x90
            elif c == 0xf4:
                hi = 0x8f
        else:
            return False
        if i + need >= n or not lo <= b[i + 1] <= hi:
            return False
        for k in range(2, need + 1):
            if not 0x80 <= b[i + k] <= 0xbf:
                return False
        i += need + 1
    return True


def accepts(b, final=True):
    try:
        utf8_check(b, final)
        return True
    except UnicodeError:
        return False


def test_boundaries():
    for cp in (0, 0x7f, 0x80, 0x7ff, 0x800, 0xd7ff, 0xe000, 0xfffd, 0xffff,
               0x10000, 0x10ffff):
        s = chr(cp) + 'x'
        assert utf8_check(s.encode()) == s, hex(cp)
    for bad in (b'\x80', b'\xbf', b'\xc0\x80', b'\xc1\xbf', b'\xe0\x9f\xbf',
                b'\xed\xa0\x80', b'\xed\xbf\xbf', b'\xf0\x8f\xbf\xbf',
                b'\xf4\x90\x80\x80', b'\xf5\x80\x80\x80', b'\xf8\x88\x80\x80',
                b'\xfe', b'\xff', b'\xe2\x82', b'\xc2', b'a\xc2b'):
        assert not accepts(bad), bad
        assert not reference(bad), bad


def test_every_two_byte_sequence():
    for first in range(256):
        for second in range(256):
            b = bytes((first, second))
            assert accepts(b) == reference(b), b


def test_three_and_four_byte_sequences():
    edges = (0x7f, 0x80, 0x8f, 0x90, 0x9f, 0xa0, 0xbf, 0xc0)
    for lead in range(0xe0, 0x100):
        for second in edges:
            for third in edges:
                b = bytes((lead, second, third))
                assert accepts(b) == reference(b), b
                b = bytes((lead, second, third, 0x80))
                assert accepts(b) == reference(b), b


def test_pieces():
    # a valid text cut anywhere: the unfinished end carries over
    text = 'a€ κόσμε 𝄞 z'
    data = text.encode()
    for cut in range(len(data) + 1):
        tail = utf8_check(data[:cut], False)
        assert len(tail) < 4
        assert tail == data[cut - len(tail):cut]
        assert utf8_check(tail + data[cut:]) == \
            data[cut - len(tail):].decode(), cut
    assert utf8_check(b'ab\xf0\x9f', False) == b'\xf0\x9f'
    assert utf8_check(b'ab', False) == b''
    # an unfinished character that can no longer become valid fails now
    for bad in (b'\xed\xa0', b'\xf4\x90', b'\xe0\x80', b'\xf0\x80',
                b'\xc0', b'\xf8', b'\xe2a'):
        assert not accepts(b'ok' + bad, False), bad


def test_cpython_decoder_agrees():
    if support.IS_MICROPYTHON:
        support.skip('CPython decoder only')
    import random
    rnd = random.Random(6455)
    for _ in range(20000):
        b = bytes(rnd.choice((0x41, 0x80, 0x9f, 0xa0, 0xbf, 0xc2, 0xe0, 0xed,
                              0xef, 0xf0, 0xf4, 0xf5))
                  for _ in range(rnd.randint(1, 6)))
        try:
            b.decode()
            ok = True
        except UnicodeError:
            ok = False
        assert accepts(b) == ok == reference(b), b
