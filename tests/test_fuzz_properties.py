"""Property tests of the parsers with hypothesis (CPython): arbitrary bytes
never raise anything but the expected HTTP errors, and heads built from
valid parts parse back to those parts."""
RUNTIMES = ('cpython',)  # hypothesis is CPython-only

from hypothesis import given, settings, strategies as st

from fuzz_targets import TARGETS, head_target, request_target
from microdot.urlencoding import urldecode_str, urlencode

TOKEN = st.text(alphabet="!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyz"
                "ABCDEFGHIJKLMNOPQRSTUVWXYZ", min_size=1, max_size=12)
VALUE = st.text(alphabet=st.characters(min_codepoint=32, max_codepoint=126),
                max_size=30).map(str.strip)
PATH = st.text(alphabet='abcdefghijklmnopqrstuvwxyz0123456789-._~%/',
               max_size=30).map(lambda p: '/' + p)


@settings(max_examples=400, deadline=None)
@given(st.binary(max_size=300))
def test_arbitrary_bytes_only_give_http_errors(data):
    for target in TARGETS:
        target(data)


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(['GET', 'POST', 'DELETE', 'PATCH', 'X-CUSTOM']), PATH,
       st.sampled_from(['1.0', '1.1']),
       st.dictionaries(TOKEN, VALUE, max_size=8))
def test_valid_heads_parse_back(method, path, version, headers):
    headers = dict((k, v) for k, v in headers.items() if k.lower() not in
                   ('content-length', 'transfer-encoding', 'host', 'cookie'))
    lower = {}
    for k, v in headers.items():  # names differing only in case repeat
        lower.setdefault(k.lower(), []).append(v)
    raw = (method + ' ' + path + ' HTTP/' + version + '\r\n' +
           ''.join(k + ': ' + v + '\r\n' for k, v in headers.items()) +
           '\r\n').encode()
    parsed = head_target(raw) if len(headers) <= 15 else None
    if parsed is None:
        return
    for k, values in lower.items():
        assert parsed[k] == ', '.join(values)
    req = request_target(raw)
    assert req.method == method and req.path == path.partition('?')[0]
    assert req.http_version == version


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=40))
def test_urlencode_round_trip(text):
    assert urldecode_str(urlencode(text)) == text
