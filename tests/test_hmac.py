"""Tests of microdot.hmac: HMAC-SHA256, compare_digest, base64url, tokens.

Runs on CPython (stdlib implementation underneath) and on MicroPython (the
pure implementation), against the same published vectors.
"""
from binascii import unhexlify

from microdot.hmac import b64url_decode, b64url_encode, compare_digest, \
    hexdigest_sha256, hmac_sha256, token_hex, token_urlsafe
from support import raises

# RFC 4231 section 4: (key, data, HMAC-SHA-256). Case 5 (truncated output)
# does not apply. Cases 6 and 7 use a 131-byte key, longer than the block.
RFC4231 = (
    (b'\x0b' * 20, b'Hi There',
     'b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7'),
    (b'Jefe', b'what do ya want for nothing?',
     '5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843'),
    (b'\xaa' * 20, b'\xdd' * 50,
     '773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe'),
    (bytes(range(1, 26)), b'\xcd' * 50,
     '82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b'),
    (b'\xaa' * 131, b'Test Using Larger Than Block-Size Key - Hash Key First',
     '60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54'),
    (b'\xaa' * 131, b'This is a test using a larger than block-size key and '
     b'a larger than block-size data. The key needs to be hashed before '
     b'being used by the HMAC algorithm.',
     '9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2'),
)


def test_rfc4231_vectors_hex():
    for key, data, expected in RFC4231:
        assert hexdigest_sha256(key, data) == expected


def test_rfc4231_vectors_digest():
    for key, data, expected in RFC4231:
        digest = hmac_sha256(key, data)
        assert isinstance(digest, bytes)
        assert digest == unhexlify(expected)


def test_keys_at_the_block_size_boundary():
    # Computed with CPython's hmac module: a 64-byte key is used as it is,
    # a 65-byte key is hashed first.
    assert hexdigest_sha256(bytes(range(64)), b'sixty-four byte key') == \
        '94fbbed2e6254a9d61efd004feddcae9c4fae48c965af84977023ac95ba06435'
    assert hexdigest_sha256(bytes(range(65)), b'sixty-five byte key') == \
        'c68882cb0426590d5e082997210a52a249a13ead046ba009e922ce038fc9a715'


def test_str_and_bytes_like_arguments_are_equivalent():
    expected = hmac_sha256(b'Jefe', b'what do ya want for nothing?')
    assert hmac_sha256('Jefe', 'what do ya want for nothing?') == expected
    assert hmac_sha256(bytearray(b'Jefe'),
                       memoryview(b'what do ya want for nothing?')) == expected
    assert hmac_sha256('\u00e9', b'x') == hmac_sha256(b'\xc3\xa9', b'x')


def test_empty_key_and_message():
    assert len(hmac_sha256(b'', b'')) == 32
    assert hexdigest_sha256('', '') == \
        'b613679a0814d9ec772f95d778c35fc5ff1697c493715653c6c712144292c5ad'


def test_bad_argument_types_raise_type_error():
    raises(TypeError, hmac_sha256, None, b'msg')
    raises(TypeError, hmac_sha256, b'key', 123)
    raises(TypeError, compare_digest, None, b'x')
    raises(TypeError, b64url_encode, 42)


def test_compare_digest():
    assert compare_digest(b'abc', b'abc')
    assert compare_digest('abc', 'abc')
    assert compare_digest(b'', b'')
    assert not compare_digest(b'abc', b'abd')
    assert not compare_digest(b'abc', b'xbc')
    assert not compare_digest('abc', 'abd')


def test_compare_digest_length_mismatch():
    assert not compare_digest(b'abc', b'abcd')
    assert not compare_digest(b'abcd', b'abc')
    assert not compare_digest(b'', b'a')
    assert not compare_digest('a' * 32, 'a' * 33)


def test_compare_digest_non_ascii_and_mixed_types():
    assert compare_digest('caf\u00e9', 'caf\u00e9')
    assert not compare_digest('caf\u00e9', 'cafe')
    # str is compared as its UTF-8 bytes, so mixing types is allowed
    assert compare_digest('abc', b'abc')
    assert compare_digest(bytearray(b'abc'), b'abc')


# RFC 4648 section 10, without the padding
RFC4648 = ((b'', ''), (b'f', 'Zg'), (b'fo', 'Zm8'), (b'foo', 'Zm9v'),
           (b'foob', 'Zm9vYg'), (b'fooba', 'Zm9vYmE'), (b'foobar', 'Zm9vYmFy'))


def test_b64url_encode_vectors():
    for raw, text in RFC4648:
        assert b64url_encode(raw) == text
    # the URL-safe alphabet: '-' and '_' instead of '+' and '/'
    assert b64url_encode(b'\xfb\xff') == '-_8'
    assert b64url_encode(b'\xfb\xef\xbe') == '----'
    assert b64url_encode(b'\xff\xff\xff') == '____'
    assert b64url_encode('\u00e9') == 'w6k'


def test_b64url_decode_vectors():
    for raw, text in RFC4648:
        assert b64url_decode(text) == raw
        assert b64url_decode(text.encode()) == raw
    assert b64url_decode('-_8') == b'\xfb\xff'


def test_b64url_decode_accepts_complete_padding():
    assert b64url_decode('Zg==') == b'f'
    assert b64url_decode('Zm8=') == b'fo'
    assert b64url_decode(b'Zm9vYg==') == b'foob'


def test_b64url_round_trip_every_length_and_byte():
    data = bytes(range(256))
    for n in range(0, 70):
        chunk = data[n:n + n]
        text = b64url_encode(chunk)
        assert '=' not in text and '+' not in text and '/' not in text
        assert b64url_decode(text) == chunk
    assert b64url_decode(b64url_encode(data)) == data


def test_b64url_decode_refuses_bad_input():
    bad = (
        'Zm9v+g', 'Zm9v/g',       # standard alphabet, not URL-safe
        'Zm9v!g', 'Zm9v.g',       # not base64 at all
        'Zm 9', 'Zm9v\nZg', ' Zm9v Zg',  # whitespace
        'Z', 'Zm9vY',             # impossible lengths
        '=', 'Zg=', 'Zg===', 'Zm8==', 'Z=g=',  # wrong padding
        'Zh', 'Zm9',              # non-zero unused bits (non-canonical)
        '\u00e9\u00e9',           # non-ASCII
    )
    for text in bad:
        exc = raises(ValueError, b64url_decode, text)
        assert 'base64url' in str(exc), (text, str(exc))


def test_b64url_decode_refuses_non_text():
    exc = raises(ValueError, b64url_decode, None)
    assert 'base64url' in str(exc)


def test_token_hex():
    token = token_hex(16)
    assert isinstance(token, str) and len(token) == 32
    for c in token:
        assert c in '0123456789abcdef'
    assert len(token_hex()) == 64
    assert token_hex(16) != token_hex(16)


def test_token_urlsafe():
    token = token_urlsafe(32)
    assert isinstance(token, str) and len(token) == 43
    assert len(b64url_decode(token)) == 32
    assert len(token_urlsafe()) == 43
    assert token_urlsafe(16) != token_urlsafe(16)
