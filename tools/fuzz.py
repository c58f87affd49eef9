"""Coverage-guided fuzzing of the request parsers and the multipart parser
with atheris (CPython).

    python tools/fuzz.py [--runs N]
                         [--target head|request|chunked|small|multipart|all]

Every target in tests/fuzz_targets.py takes the fuzzer's bytes and may only
raise the expected HTTP errors; anything else stops the run with the input
that caused it (atheris writes it to crash-<hash>). Starts from the seed
requests in fuzz_targets.SEEDS (the multipart target from the bodies in
MULTIPART_SEEDS). The default of 1,000,000 inputs per target is
the long run (minutes); CI runs a short one (tests/test_fuzz_atheris.py)."""
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path[:0] = [os.path.join(ROOT, 'microdot_src'), os.path.join(ROOT, 'tests')]

import atheris  # noqa: E402

with atheris.instrument_imports():
    import fuzz_targets  # noqa: E402

NAMES = {'head': 0, 'request': 1, 'chunked': 2, 'small': 3, 'multipart': 4}


def fuzz(target, runs, corpus_dir):
    def one_input(data):
        target(data)
    args = [sys.argv[0], '-runs=%d' % runs, '-max_len=512', corpus_dir]
    atheris.Setup(args, one_input)
    atheris.Fuzz()


def main(argv):
    runs = 1000000
    which = 'all'
    i = 0
    while i < len(argv):
        if argv[i] == '--runs':
            runs = int(argv[i + 1])
            i += 1
        elif argv[i] == '--target':
            which = argv[i + 1]
            i += 1
        else:
            raise SystemExit(__doc__)
        i += 1
    if which == 'all':
        # atheris.Fuzz() exits the process: one child per target
        import subprocess
        for name in NAMES:
            rc = subprocess.call([sys.executable, __file__, '--runs',
                                  str(runs), '--target', name])
            if rc:
                raise SystemExit(rc)
        return
    import tempfile
    corpus = tempfile.mkdtemp(prefix='fuzz-' + which + '-')
    target = fuzz_targets.TARGETS[NAMES[which]]
    for n, seed in enumerate(fuzz_targets.seeds_for(target)):
        with open(os.path.join(corpus, 'seed%d' % n), 'wb') as f:
            f.write(seed)
    fuzz(target, runs, corpus)


if __name__ == '__main__':
    main(sys.argv[1:])
