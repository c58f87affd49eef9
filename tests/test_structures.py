"""NoCaseDict, MultiDict and URL encoding (microdot.structures, microdot.urlencoding), on both
runtimes."""

from microdot.structures import NoCaseDict
from microdot.urlencoding import MultiDict, urlencode, urldecode, \
    urldecode_str, urldecode_bytes, parse_urlencoded

import support


# --- NoCaseDict ---------------------------------------------------------

def test_nocase_get_set_any_case():
    d = NoCaseDict()
    d['Content-Type'] = 'text/html'
    assert d['content-type'] == 'text/html'
    assert d['CONTENT-TYPE'] == 'text/html'
    assert d.get('cOnTeNt-TyPe') == 'text/html'
    assert d.get('missing') is None
    assert d.get('missing', 'x') == 'x'
    assert len(d) == 1


def test_nocase_keeps_first_spelling():
    d = NoCaseDict()
    d['Content-Type'] = 'a'
    d['content-type'] = 'b'
    d['CONTENT-TYPE'] = 'c'
    assert list(d.keys()) == ['Content-Type']
    assert list(d.items()) == [('Content-Type', 'c')]
    assert len(d) == 1


def test_nocase_overwrite_keeps_position():
    d = NoCaseDict()
    d['A'] = 1
    d['B'] = 2
    d['a'] = 3
    assert sorted(d.items()) == [('A', 3), ('B', 2)]
    if not support.IS_MICROPYTHON:  # MicroPython dicts are unordered
        assert list(d.items()) == [('A', 3), ('B', 2)]


def test_nocase_contains():
    d = NoCaseDict({'X-Token': '1'})
    assert 'x-token' in d
    assert 'X-TOKEN' in d
    assert 'x-other' not in d


def test_nocase_missing_key_raises_keyerror():
    d = NoCaseDict()
    support.raises(KeyError, lambda: d['nope'])

    def delete():
        del d['nope']
    support.raises(KeyError, delete)


def test_nocase_delete_any_case():
    d = NoCaseDict({'Accept': '*/*', 'Host': 'h'})
    del d['ACCEPT']
    assert 'accept' not in d
    assert list(d.keys()) == ['Host']
    d['accept'] = 'text/plain'
    assert sorted(d.keys()) == ['Host', 'accept']  # new spelling after del


def test_nocase_pop():
    d = NoCaseDict({'Server': 'x'})
    assert d.pop('SERVER') == 'x'
    assert 'server' not in d
    assert len(d) == 0
    assert d.pop('server', 'dflt') == 'dflt'
    assert d.pop('server', None) is None
    support.raises(KeyError, d.pop, 'server')


def test_nocase_popitem_forgets_key():
    d = NoCaseDict({'Only': 1})
    assert d.popitem() == ('Only', 1)
    assert 'only' not in d
    assert d.get('ONLY') is None


def test_nocase_update_and_kwargs():
    d = NoCaseDict({'Content-Length': '1'})
    d.update({'content-length': '2', 'ETag': 'e'})
    assert d['CONTENT-LENGTH'] == '2'
    assert sorted(d.keys()) == ['Content-Length', 'ETag']
    d.update(Server='s')
    assert d['server'] == 's'
    d.update(NoCaseDict({'etag': 'f'}))
    assert d['ETag'] == 'f'


def test_nocase_update_with_clashing_keys():
    d = NoCaseDict({'A': 1})
    d.update({'a': 2})
    assert list(d.items()) == [('A', 2)]
    d = NoCaseDict({'X-Y': 1, 'x-y': 2})
    assert len(d) == 1 and d['X-y'] in (1, 2)


def test_nocase_setdefault():
    d = NoCaseDict({'Vary': 'Cookie'})
    assert d.setdefault('VARY', 'Accept') == 'Cookie'
    assert d.setdefault('Cache-Control', 'no-store') == 'no-store'
    assert d['cache-control'] == 'no-store'
    assert sorted(d.keys()) == ['Cache-Control', 'Vary']


def test_nocase_copy_and_clear():
    d = NoCaseDict({'A-B': 1})
    c = d.copy()
    assert isinstance(c, NoCaseDict)
    c['a-b'] = 2
    assert d['A-B'] == 1 and c['A-B'] == 2
    d.clear()
    assert len(d) == 0 and 'a-b' not in d
    d['a-B'] = 3
    assert list(d.keys()) == ['a-B']


def test_nocase_is_a_dict():
    d = NoCaseDict({'K': 'v'})
    assert isinstance(d, dict)
    assert d == {'K': 'v'}
    assert dict(d.items()) == {'K': 'v'}
    assert [k for k in d] == ['K']
    # dict(d) itself fails on MicroPython (its dict() takes only exact dicts)
    if not support.IS_MICROPYTHON:
        assert dict(d) == {'K': 'v'}


# --- MultiDict ----------------------------------------------------------

def test_multidict_add_and_first_value():
    d = MultiDict()
    d['tag'] = 'a'
    d['tag'] = 'b'
    assert d['tag'] == 'a'
    assert d.get('tag') == 'a'
    assert d.getlist('tag') == ['a', 'b']
    assert len(d) == 1
    assert 'tag' in d


def test_multidict_missing():
    d = MultiDict()
    support.raises(KeyError, lambda: d['x'])
    assert d.get('x') is None
    assert d.get('x', 'dflt') == 'dflt'
    assert d.getlist('x') == []


def test_multidict_get_with_type():
    d = MultiDict({'n': '42', 'bad': 'abc'})
    assert d.get('n', type=int) == 42
    assert d.get('bad', type=int) is None
    assert d.get('bad', 7, type=int) == 7
    assert d.get('missing', 5, type=int) == 5


def test_multidict_getlist_with_type_drops_bad_values():
    d = MultiDict()
    for v in ('1', 'x', '3'):
        d['n'] = v
    assert d.getlist('n', type=int) == [1, 3]


def test_multidict_getlist_returns_a_copy():
    d = MultiDict({'a': '1'})
    values = d.getlist('a')
    values.append('2')
    assert d.getlist('a') == ['1']


def test_multidict_items_values_to_dict():
    d = MultiDict()
    d['a'] = '1'
    d['b'] = '2'
    d['a'] = '3'
    assert sorted(d.items()) == [('a', '1'), ('b', '2')]
    assert sorted(d.values()) == ['1', '2']
    assert d.to_dict() == {'a': '1', 'b': '2'}
    assert sorted(d.keys()) == ['a', 'b']


def test_multidict_delete_removes_all_values():
    d = MultiDict()
    d['a'] = '1'
    d['a'] = '2'
    del d['a']
    assert 'a' not in d
    assert d.getlist('a') == []


# --- urlencode / urldecode -----------------------------------------------

def test_urlencode_basic():
    assert urlencode('abc-._~XYZ019') == 'abc-._~XYZ019'
    assert urlencode('a b') == 'a+b'
    assert urlencode('a+b') == 'a%2Bb'
    assert urlencode('a&b=c?d#e%f/') == 'a%26b%3Dc%3Fd%23e%25f%2F'
    assert urlencode('') == ''


def test_urlencode_utf8_and_bytes():
    assert urlencode('caf\u00e9') == 'caf%C3%A9'
    assert urlencode('\u20ac') == '%E2%82%AC'
    assert urlencode(b'\x00\xff') == '%00%FF'


def test_urldecode_plus_and_percent():
    assert urldecode_str('a+b') == 'a b'
    assert urldecode_str('a%2Bb') == 'a+b'
    assert urldecode_str('a%20b%2fc') == 'a b/c'
    assert urldecode_str('caf%C3%A9') == 'caf\u00e9'
    assert urldecode_str('caf%c3%a9') == 'caf\u00e9'
    assert urldecode('%E2%82%AC') == '\u20ac'
    assert urldecode_str('') == ''


def test_urldecode_bytes_accepts_str_and_bytes():
    assert urldecode_bytes('a%00b+') == b'a\x00b '
    assert urldecode_bytes(b'%ff%FE') == b'\xff\xfe'
    assert urldecode_bytes(b'plain') == b'plain'
    assert isinstance(urldecode_bytes('x'), bytes)


def test_urldecode_malformed_escapes_kept():
    assert urldecode_bytes('100%') == b'100%'
    assert urldecode_bytes('%4') == b'%4'
    assert urldecode_bytes('%zz%41') == b'%zzA'
    assert urldecode_bytes('%%41') == b'%A'
    assert urldecode_bytes('%G1') == b'%G1'
    # int() would accept a sign or whitespace: these are not escapes
    assert urldecode_bytes('%+1') == b'% 1'
    assert urldecode_bytes('%1+') == b'%1 '
    assert urldecode_bytes('%-1') == b'%-1'
    assert urldecode_bytes('%\t1') == b'%\t1'


def test_urldecode_invalid_utf8_does_not_raise():
    s = urldecode_str('%FF%FEa')
    assert isinstance(s, str)
    assert s == '\xff\xfea'


def test_urlencode_roundtrip():
    for s in ('', 'a b+c', '100% &=?#/', 'caf\u00e9 \u20ac', '~-._'):
        assert urldecode_str(urlencode(s)) == s


# --- parse_urlencoded -----------------------------------------------------

def test_parse_urlencoded_basic():
    d = parse_urlencoded('a=1&b=two+words&c=%26%3D')
    assert isinstance(d, MultiDict)
    assert d.to_dict() == {'a': '1', 'b': 'two words', 'c': '&='}


def test_parse_urlencoded_repeated_keys():
    d = parse_urlencoded('tag=a&x=1&tag=b&tag=c')
    assert d['tag'] == 'a'
    assert d.getlist('tag') == ['a', 'b', 'c']


def test_parse_urlencoded_empty_pairs_and_values():
    d = parse_urlencoded('&&a=&b&=v&c==x&')
    assert d['a'] == ''
    assert d['b'] == ''
    assert d[''] == 'v'
    assert d['c'] == '=x'
    assert len(d) == 4
    assert len(parse_urlencoded('')) == 0
    assert len(parse_urlencoded(b'&')) == 0


def test_parse_urlencoded_bytes_and_str_agree():
    for data in ('k%C3%A9y=v%C3%A9&x=%zz', 'a=1&a=2&b=+'):
        a = parse_urlencoded(data)
        b = parse_urlencoded(data.encode())
        assert a.to_dict() == b.to_dict()
        for key in a:
            assert isinstance(key, str)
            assert a.getlist(key) == b.getlist(key)
    d = parse_urlencoded(b'k%C3%A9y=v%C3%A9')
    assert d['k\u00e9y'] == 'v\u00e9'


def test_parse_urlencoded_utf8_in_raw_str():
    d = parse_urlencoded('name=Jos\u00e9&city=S\u00e3o+Paulo')
    assert d['name'] == 'Jos\u00e9'
    assert d['city'] == 'S\u00e3o Paulo'
