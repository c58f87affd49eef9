"""Mutation fuzzing of the request parsers on both runtimes: valid requests
with random bytes flipped, inserted, deleted, duplicated or cut, fed to every
target in fuzz_targets (the multipart one: bodies); only the expected HTTP errors may come out. A fixed
seed makes every run the same."""
import random

from fuzz_targets import MULTIPART_SEEDS, SEEDS, TARGETS, \
    multipart_target, seeds_for

ROUNDS = 400  # per target: a few seconds on MicroPython
SPECIAL = (b'\r', b'\n', b'\r\n', b' ', b':', b'\x00', b'\t', b';', b'%',
           b'0', b'-', b'\xff', b'chunked', b'Content-Length: 5\r\n',
           b'Transfer-Encoding: chunked\r\n', b'HTTP/1.1', b'\r\n\r\n')


def mutate(rng, data):
    # bytes slicing only: MicroPython's bytearray has no slice assignment
    for _ in range(rng.randint(1, 4)):
        op = rng.randint(0, 5)
        pos = rng.randint(0, len(data))
        if op == 0 and data:
            pos %= len(data)
            data = data[:pos] + bytes([rng.randint(0, 255)]) + data[pos + 1:]
        elif op == 1:
            data = data[:pos] + SPECIAL[rng.randint(0, len(SPECIAL) - 1)] + \
                data[pos:]
        elif op == 2:
            data = data[:pos] + data[pos + rng.randint(1, 8):]
        elif op == 3:
            data = data[:pos] + data[pos:pos + rng.randint(1, 40)] + \
                data[pos:]
        elif op == 4:
            data = data[:pos]
        else:
            data = data[:pos] + bytes([rng.randint(0, 255) for _ in range(
                rng.randint(1, 6))]) + data[pos:]
    return data


def _fuzz(target, seed):
    rng = random.Random(seed) if hasattr(random, 'Random') else None
    if rng is None:  # MicroPython: the module-level generator
        random.seed(seed)
        rng = random
    seeds = seeds_for(target)
    for i in range(ROUNDS):
        data = mutate(rng, seeds[i % len(seeds)])
        try:
            target(data)
        except AssertionError:
            raise
        except Exception as exc:
            raise AssertionError('%s(%r) raised %r' % (target.__name__,
                                                       data, exc))


def test_head_parser_mutations():
    _fuzz(TARGETS[0], 1)


def test_request_mutations():
    _fuzz(TARGETS[1], 2)


def test_chunked_mutations():
    _fuzz(TARGETS[2], 3)


def test_small_parser_mutations():
    _fuzz(TARGETS[3], 4)


def test_multipart_mutations():
    _fuzz(multipart_target, 5)


def test_seeds_parse():
    for seed in SEEDS:
        assert TARGETS[1](seed) is not None, seed
    first, second = [multipart_target(seed) for seed in MULTIPART_SEEDS]
    assert first == [('a', '1'), ('f', b'ab\r\n--X\r\ncd')], first
    assert second == [('b', b'\r\n')], second
