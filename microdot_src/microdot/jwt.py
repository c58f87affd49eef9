"""JSON Web Tokens (RFC 7519) signed with HS256, on MicroPython and CPython.

Only HMAC-SHA256 is supported, which is what a device can afford and what
sessions and API tokens need. The API follows PyJWT's, and tokens are
interchangeable with it: for the same payload dict order a token made here is
byte-for-byte the one PyJWT makes (the header keys are sorted, the JSON is
compact).

Decoding refuses anything it cannot vouch for, always with a subclass of
:class:`InvalidTokenError` saying why: unsigned tokens (``alg: none``), other
algorithms, a wrong or tampered signature, malformed segments, expired or
not-yet-valid tokens, and the wrong audience or issuer when those are asked.
"""
import json
import time

from microdot.hmac import b64url_decode, b64url_encode, compare_digest, \
    hmac_sha256

ALGORITHM = 'HS256'


class JWTError(ValueError):
    """Base class of every error raised by this module."""


class InvalidTokenError(JWTError):
    """The token was refused: it is malformed or fails a check."""


class InvalidSignatureError(InvalidTokenError):
    """The signature does not match: wrong key, or the token was altered."""


class InvalidAlgorithmError(InvalidTokenError):
    """The token's ``alg`` header is ``none``, missing, not allowed by the
    caller, or not HS256."""


class ExpiredSignatureError(InvalidTokenError):
    """The token's ``exp`` time has passed (beyond the allowed leeway)."""


class ImmatureSignatureError(InvalidTokenError):
    """The token's ``nbf`` time has not come yet (beyond the leeway)."""


class InvalidAudienceError(InvalidTokenError):
    """The token's ``aud`` claim is missing, malformed or not accepted."""


class InvalidIssuerError(InvalidTokenError):
    """The token's ``iss`` claim is missing or not the expected issuer."""


# MicroPython's json.dumps takes ``separators`` (1.22 and later) but never
# ``sort_keys``; older firmware takes neither. Pick the encoder once.
try:
    json.dumps({}, separators=(',', ':'), sort_keys=True)

    def _json(obj, sort_keys=False):
        return json.dumps(obj, separators=(',', ':'), sort_keys=sort_keys)
except TypeError:  # MicroPython
    def _json(obj, sort_keys=False):
        if isinstance(obj, dict):
            keys = sorted(obj) if sort_keys else obj
            return '{' + ','.join(
                json.dumps(str(k)) + ':' + _json(obj[k], sort_keys)
                for k in keys) + '}'
        if isinstance(obj, (list, tuple)):
            return '[' + ','.join(_json(v, sort_keys) for v in obj) + ']'
        return json.dumps(obj)

# Bare-metal MicroPython ports may count time.time() from 2000-01-01; JWT
# times count from 1970-01-01.
_EPOCH_OFFSET = 946684800 if time.gmtime(0)[0] == 2000 else 0


def _now():
    return time.time() + _EPOCH_OFFSET


def _is_number(value):
    # bool is excluded explicitly: on CPython it is an int, on MicroPython not
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _sign(signing_input, key):
    return b64url_encode(hmac_sha256(key, signing_input))


def encode(payload, key, headers=None, algorithm=ALGORITHM):
    """Return a signed token (str) carrying ``payload``.

    :param payload: a dict of claims, for example
                    ``{'sub': 'alice', 'exp': int(time.time()) + 3600}``;
                    values must be JSON serializable.
    :param key: the HMAC secret, bytes or str. Use at least 32 random bytes.
    :param headers: optional dict of extra header fields (such as ``kid``);
                    ``alg`` may only be ``HS256``; ``typ: None`` drops the
                    default ``typ: JWT``.
    :param algorithm: accepted for PyJWT compatibility; must be ``HS256``.
    """
    if not isinstance(payload, dict):
        raise TypeError('payload must be a dict, not %s'
                        % type(payload).__name__)
    header = {'typ': 'JWT', 'alg': algorithm}
    if headers:
        header.update(headers)
    if header['alg'] != ALGORITHM:
        raise InvalidAlgorithmError(
            'cannot sign with alg %r: only HS256 is supported'
            % (header['alg'],))
    if not header['typ']:
        del header['typ']
    signing_input = b64url_encode(_json(header, True)) + '.' + \
        b64url_encode(_json(payload))
    return signing_input + '.' + _sign(signing_input, key)


def _decode_segment(segment, name):
    """Return the JSON object in a token segment, or raise
    InvalidTokenError."""
    try:
        data = b64url_decode(segment)
    except ValueError as exc:
        raise InvalidTokenError('%s segment: %s' % (name, exc))
    try:
        value = json.loads(data.decode())
    except Exception:
        # Invalid UTF-8, invalid JSON, or nesting too deep to parse
        # (RecursionError on CPython, MemoryError on MicroPython): whatever
        # the cause, untrusted input that cannot be parsed is a bad token.
        raise InvalidTokenError('%s segment is not valid JSON' % name)
    if not isinstance(value, dict):
        raise InvalidTokenError('%s segment is not a JSON object' % name)
    return value


def _check_time_claim(payload, claim):
    value = payload[claim]
    if not _is_number(value):
        raise InvalidTokenError('"%s" claim must be a number of seconds, '
                                'not %r' % (claim, value))
    return value


def decode(token, key, algorithms=(ALGORITHM,), leeway=0, verify_exp=True,
           audience=None, issuer=None):
    """Verify ``token`` and return its payload (a dict).

    :param token: the token, str or bytes (``header.payload.signature``).
    :param key: the HMAC secret it was signed with, bytes or str.
    :param algorithms: the algorithms the caller accepts (None means the
                       default); only ``HS256`` can ever pass, and ``none``
                       never does.
    :param leeway: seconds of clock skew tolerated for ``exp`` and ``nbf``.
    :param verify_exp: set to False to accept expired tokens.
    :param audience: a str or a list of str. When given, the token's ``aud``
                     claim (a str or list of str) must contain one of them.
                     When not given, a token with an ``aud`` claim is refused
                     (RFC 7519 section 4.1.3, as PyJWT does).
    :param issuer: a str or a list of str. When given, the ``iss`` claim
                   must be (one of) it.
    :raises InvalidTokenError: or one of its subclasses, for any token that
                               is not accepted, with a message saying why.
    """
    if isinstance(token, (bytes, bytearray)):
        try:
            token = bytes(token).decode()
        except UnicodeError:
            raise InvalidTokenError('token bytes are not UTF-8 text')
    elif not isinstance(token, str):
        raise InvalidTokenError('token must be str or bytes, not %s'
                                % type(token).__name__)
    parts = token.split('.')
    if len(parts) != 3:
        raise InvalidTokenError('token must have 3 dot-separated segments, '
                                'not %d' % len(parts))
    header = _decode_segment(parts[0], 'header')

    alg = header.get('alg')
    if algorithms is None:
        algorithms = (ALGORITHM,)
    elif isinstance(algorithms, str):
        algorithms = (algorithms,)
    if not isinstance(alg, str):
        raise InvalidAlgorithmError('token header has no "alg" string')
    if alg.lower() == 'none':
        raise InvalidAlgorithmError('unsigned tokens (alg "none") are '
                                    'never accepted')
    if alg not in algorithms:
        raise InvalidAlgorithmError('alg %r is not among the allowed %r'
                                    % (alg, tuple(algorithms)))
    if alg != ALGORITHM:
        raise InvalidAlgorithmError('alg %r is not supported: only HS256'
                                    % alg)
    if 'crit' in header:
        raise InvalidTokenError('token header lists critical extensions '
                                '("crit") that are not supported')

    # Verify the signature before anything in the payload is looked at.
    # Comparing the base64url text is exact because b64url_decode is strict:
    # a signature with another spelling of the same bytes is refused too.
    try:
        b64url_decode(parts[2])
    except ValueError as exc:
        raise InvalidSignatureError('signature segment: %s' % exc)
    if not compare_digest(_sign(parts[0] + '.' + parts[1], key), parts[2]):
        raise InvalidSignatureError('signature verification failed')
    payload = _decode_segment(parts[1], 'payload')

    now = _now()
    if verify_exp and 'exp' in payload and \
            _check_time_claim(payload, 'exp') <= now - leeway:
        raise ExpiredSignatureError('token has expired')
    if 'nbf' in payload and _check_time_claim(payload, 'nbf') > now + leeway:
        raise ImmatureSignatureError('token is not valid yet (nbf)')
    if 'iat' in payload:
        _check_time_claim(payload, 'iat')
    _check_audience(payload.get('aud'), audience)
    if issuer is not None:
        _check_issuer(payload.get('iss'), issuer)
    return payload


def _check_audience(claim, audience):
    if audience is None:
        if claim:
            raise InvalidAudienceError('token has an "aud" claim but no '
                                       'audience was given to check it')
        return
    if not claim:
        raise InvalidAudienceError('token has no "aud" claim')
    if isinstance(claim, str):
        claim = [claim]
    if not isinstance(claim, list) or \
            not all(isinstance(c, str) for c in claim):
        raise InvalidAudienceError('"aud" claim must be a str or a list of '
                                   'str')
    if isinstance(audience, str):
        audience = (audience,)
    for aud in audience:
        if aud in claim:
            return
    raise InvalidAudienceError('token audience %r is not accepted' % (claim,))


def _check_issuer(claim, issuer):
    if claim is None:
        raise InvalidIssuerError('token has no "iss" claim')
    if not isinstance(claim, str):
        raise InvalidIssuerError('"iss" claim must be a str')
    if isinstance(issuer, str):
        issuer = (issuer,)
    if claim not in issuer:
        raise InvalidIssuerError('token issuer %r is not accepted' % claim)
