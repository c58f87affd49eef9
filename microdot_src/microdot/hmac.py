"""HMAC-SHA256, constant-time comparison, base64url and random tokens.

This module gives sessions, signed cookies, CSRF tokens and JWTs the few
primitives they need, with the same behaviour on MicroPython and on CPython.

Why two implementations: MicroPython firmware has ``hashlib.sha256`` and
``binascii`` but no ``hmac``, ``base64`` or ``secrets`` module, so a small pure
implementation is built on those. CPython has the stdlib modules, whose HMAC
and comparison run in C, so they are used there. The choice is made once,
below, when the module is imported; every function then behaves the same on
both runtimes (same results, same exceptions).

Nothing large is built at import time: the pure HMAC pads the key with two
short loops instead of the 256-byte translation tables other implementations
keep in memory.
"""
import os
from binascii import hexlify

_BLOCK_SIZE = 64  # SHA-256 block size in bytes (RFC 2104 "B")

try:
    # CPython: the stdlib versions (C implementations where available).
    # Importing names, not modules, makes a foreign ``hmac`` module on a
    # device (micropython-lib's has no ``digest``) fall through to the pure
    # implementation below instead of being half used.
    from hmac import digest as _stdlib_digest, compare_digest as _compare
    from base64 import urlsafe_b64encode as _b64e, urlsafe_b64decode as _b64d
    from secrets import token_bytes as _random_bytes

    def _hmac_sha256(key, msg):
        return _stdlib_digest(key, msg, 'sha256')
except ImportError:  # MicroPython
    from hashlib import sha256 as _sha256
    from binascii import a2b_base64 as _a2b_base64, b2a_base64 as _b2a_base64
    _random_bytes = os.urandom

    def _hmac_sha256(key, msg):
        # RFC 2104: H((K ^ opad) || H((K ^ ipad) || msg)), K padded to B bytes
        if len(key) > _BLOCK_SIZE:
            key = _sha256(key).digest()
        pad = bytearray(key + bytes(_BLOCK_SIZE - len(key)))
        for i in range(_BLOCK_SIZE):
            pad[i] ^= 0x36
        inner = _sha256(pad)
        inner.update(msg)
        for i in range(_BLOCK_SIZE):
            pad[i] ^= 0x36 ^ 0x5C  # undo ipad, apply opad
        outer = _sha256(pad)
        outer.update(inner.digest())
        return outer.digest()

    def _compare(a, b):
        # Walk the whole of ``b`` whatever the content, so the time taken
        # tells nothing about where the first difference is.
        result = len(a) ^ len(b)
        if result:
            a = b
        for x, y in zip(a, b):
            result |= x ^ y
        return result == 0

    def _b64e(data):
        return _b2a_base64(data, newline=False).replace(b'+', b'-') \
            .replace(b'/', b'_')

    def _b64d(data):
        return _a2b_base64(data.replace(b'-', b'+').replace(b'_', b'/'))


def _to_bytes(value, name):
    """Return ``value`` as bytes: a str is encoded as UTF-8, bytes-like
    objects are taken as they are; anything else raises TypeError."""
    if isinstance(value, str):
        return value.encode()
    if isinstance(value, (bytes, bytearray, memoryview)):
        return bytes(value)
    raise TypeError('%s must be str or bytes, not %s'
                    % (name, type(value).__name__))


def hmac_sha256(key, msg):
    """Return the HMAC-SHA256 of ``msg`` under ``key`` as 32 raw bytes.

    :param key: the secret, as bytes or str (str is encoded as UTF-8). Keys
                longer than the 64-byte block are hashed first (RFC 2104).
    :param msg: the message to authenticate, as bytes or str.
    """
    return _hmac_sha256(_to_bytes(key, 'key'), _to_bytes(msg, 'msg'))


def hexdigest_sha256(key, msg):
    """Return the HMAC-SHA256 of ``msg`` under ``key`` as 64 lowercase hex
    characters (a str). Arguments as for :func:`hmac_sha256`."""
    return hexlify(hmac_sha256(key, msg)).decode()


def compare_digest(a, b):
    """Tell whether ``a`` and ``b`` are equal, in time that does not depend
    on their content, to compare signatures and tokens without leaking where
    they differ.

    Each argument may be str or bytes (str is compared as its UTF-8 bytes,
    so non-ASCII text is accepted). Values of different lengths are unequal;
    only the length, never the content, can be learned from the time taken.
    """
    return _compare(_to_bytes(a, 'a'), _to_bytes(b, 'b'))


def b64url_encode(data):
    """Encode ``data`` (bytes, or str as UTF-8) as URL-safe base64 without
    ``=`` padding (RFC 4648 section 5, as used by JWTs), returned as str."""
    return _b64e(_to_bytes(data, 'data')).rstrip(b'=').decode()


def b64url_decode(s):
    """Decode URL-safe base64 text (str or bytes) back into bytes.

    Padding is optional, but if present it must be complete. The input must
    be canonical: characters outside ``A-Z a-z 0-9 - _``, whitespace, and
    non-zero unused bits in the last character are refused, so each byte
    string has exactly one accepted encoding (a signature cannot be altered
    into another text that still verifies).

    :raises ValueError: with a message saying what is wrong with the input.
    """
    try:
        data = _to_bytes(s, 's')
    except TypeError as exc:
        raise ValueError('invalid base64url: ' + str(exc))
    body = data.rstrip(b'=')
    padding = len(data) - len(body)
    if padding and (padding > 2 or len(data) % 4):
        raise ValueError('invalid base64url: wrong amount of "=" padding')
    if len(body) % 4 == 1:
        raise ValueError('invalid base64url: length %d is impossible'
                         % len(body))
    try:
        decoded = _b64d(body + b'=' * (-len(body) % 4))
    except ValueError:  # binascii.Error is a ValueError
        decoded = None
    if decoded is None or _b64e(decoded).rstrip(b'=') != body:
        raise ValueError('invalid base64url: only A-Z a-z 0-9 - _ are '
                         'allowed, and unused trailing bits must be zero')
    return decoded


def token_hex(nbytes=32):
    """Return a random token of ``nbytes`` bytes from the system's secure
    random source, as ``2 * nbytes`` hex characters (for session ids, CSRF
    tokens, nonces)."""
    return hexlify(_random_bytes(nbytes)).decode()


def token_urlsafe(nbytes=32):
    """Return a random token of ``nbytes`` bytes from the system's secure
    random source, as unpadded base64url text (safe in URLs and cookies)."""
    return b64url_encode(_random_bytes(nbytes))
