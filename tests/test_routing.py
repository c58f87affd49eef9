"""URL patterns and the route table (microdot.routing), both runtimes."""

from microdot.routing import URLPattern, Router
from microdot.routing_re import allowed_methods

import support


def match(pattern, path):
    return URLPattern(pattern).match(path)


# --- URLPattern ----------------------------------------------------------

def test_static():
    assert match('/', '/') == {}
    assert match('/users/list', '/users/list') == {}
    assert match('/users/list', '/users/list/') is None
    assert match('/users/list', '/users') is None
    assert match('/users', '/Users') is None


def test_string_placeholder():
    p = URLPattern('/users/<name>')
    assert p.match('/users/alice') == {'name': 'alice'}
    assert p.match('/users/') is None
    assert p.match('/users') is None
    assert p.match('/users/a/b') is None
    assert match('/<a>/x/<b>', '/1/x/2') == {'a': '1', 'b': '2'}
    assert match('/<a>/x/<b>', '/1/y/2') is None
    assert match('/<string:s>', '/v') == {'s': 'v'}


def test_int_placeholder():
    p = URLPattern('/users/<int:id>')
    assert p.match('/users/42') == {'id': 42}
    assert p.match('/users/-7') == {'id': -7}
    assert p.match('/users/007') == {'id': 7}
    for bad in ('abc', '4a', '+5', '1_000', '-', '1.5', ' 5', '%35', ''):
        assert p.match('/users/' + bad) is None, bad


def test_int_inside_segment_same_rules():
    p = URLPattern('/file-<int:id>.txt')
    assert p.match('/file-12.txt') == {'id': 12}
    assert p.match('/file--3.txt') == {'id': -3}
    for bad in ('/file-.txt', '/file-+1.txt', '/file-1a.txt', '/file-12Xtxt',
                '/file-12.txt/', '/xfile-12.txt', '/file-12.txtx'):
        assert p.match(bad) is None, bad


def test_path_placeholder_last():
    p = URLPattern('/files/<path:p>')
    assert p.match('/files/a') == {'p': 'a'}
    assert p.match('/files/a/b/c.txt') == {'p': 'a/b/c.txt'}
    assert p.match('/files/a/') == {'p': 'a/'}
    assert p.match('/files/') is None
    assert p.match('/files') is None
    assert p.match('/other/a') is None


def test_path_placeholder_in_the_middle():
    p = URLPattern('/repo/<path:p>/edit')
    assert p.match('/repo/a/b/edit') == {'p': 'a/b'}
    assert p.match('/repo/a/edit') == {'p': 'a'}
    assert p.match('/repo/edit') is None
    assert p.match('/repo/a/b/view') is None


def test_several_placeholders_in_one_segment():
    p = URLPattern('/<name>.<ext>')
    assert p.match('/report.pdf') == {'name': 'report', 'ext': 'pdf'}
    assert p.match('/report') is None
    p = URLPattern('/v<int:major>-<int:minor>')
    assert p.match('/v1-22') == {'major': 1, 'minor': 22}


def test_re_placeholder():
    p = URLPattern('/code/<re:[a-z]+:word>')
    assert p.match('/code/abc') == {'word': 'abc'}
    assert p.match('/code/ABC') is None
    assert p.match('/code/abc/def') is None
    p = URLPattern('/d/<re:[0-9][0-9]:n>/x')
    assert p.match('/d/12/x') == {'n': '12'}
    assert p.match('/d/123/x') is None


def test_re_placeholder_regex_with_colon_and_gt():
    assert match('/<re:[^>]+:v>', '/abc') == {'v': 'abc'}
    assert match('/<re:a>b:v>', '/a>b') == {'v': 'a>b'}
    assert match('/<re:a:b:v>', '/a:b') == {'v': 'a:b'}
    p = URLPattern('/<re:[a-z]+:a>-<re:[0-9]+:b>')
    assert p.match('/ab-12') == {'a': 'ab', 'b': '12'}
    assert p.match('/ab-x') is None


def test_re_placeholder_with_groups_before_other_args():
    p = URLPattern('/<re:(en|fr):lang>/<int:id>/<name>')
    assert p.match('/fr/5/x') == {'lang': 'fr', 'id': 5, 'name': 'x'}
    assert p.match('/de/5/x') is None
    p = URLPattern('/<re:((a|b)(c))+:s>-<re:[(]?z:t>')
    assert p.match('/acbc-(z') == {'s': 'acbc', 't': '(z'}


def test_percent_decoding_of_args():
    assert match('/u/<name>', '/u/John%20Doe') == {'name': 'John Doe'}
    assert match('/u/<name>', '/u/caf%C3%A9') == {'name': 'caf\u00e9'}
    assert match('/u/<name>', '/u/a+b') == {'name': 'a+b'}  # '+' is a '+'
    assert match('/u/<name>', '/u/a%2Bb') == {'name': 'a+b'}
    assert match('/u/<name>', '/u/100%') == {'name': '100%'}
    assert match('/f/<path:p>', '/f/a%20b/c') == {'p': 'a b/c'}
    assert match('/x-<name>', '/x-a%20b') == {'name': 'a b'}
    assert match('/<re:[a-z%0-9]+:w>', '/a%21') == {'w': 'a!'}


def test_encoded_slash_stays_in_its_segment():
    assert match('/u/<name>', '/u/a%2Fb') == {'name': 'a/b'}
    assert match('/u/<a>/<b>', '/u/a%2Fb') is None
    assert match('/u/<a>/<b>', '/u/x%2Fy/z') == {'a': 'x/y', 'b': 'z'}
    assert match('/x-<name>', '/x-a%2Fb') == {'name': 'a/b'}
    # a literal segment is compared as sent
    assert match('/a/<n>', '/a%2Fb') is None


def test_unknown_type_and_bad_placeholders_raise():
    support.raises(ValueError, URLPattern, '/x/<nosuchtype:v>')
    support.raises(ValueError, URLPattern, '/x-<nosuchtype:v>')
    support.raises(ValueError, URLPattern, '/x-<v')
    support.raises(ValueError, URLPattern, '/<re:[a-z]+>')


def test_register_type_without_parser():
    URLPattern.register_type('rt_hex', '[0-9a-fA-F]+')
    p = URLPattern('/color/<rt_hex:c>')
    assert p.match('/color/ff00AA') == {'c': 'ff00AA'}
    assert p.match('/color/xyz') is None
    assert match('/c-<rt_hex:c>.png', '/c-0f.png') == {'c': '0f'}


def test_register_type_with_parser():
    URLPattern.register_type('rt_hexint', '[0-9a-f]+',
                             lambda s: int(s, 16))
    assert match('/n/<rt_hexint:n>', '/n/ff') == {'n': 255}
    assert match('/n/<rt_hexint:n>', '/n/FF') is None


def test_register_type_default_pattern_is_one_segment():
    URLPattern.register_type('rt_upper', parser=lambda s: s.upper())
    p = URLPattern('/<rt_upper:w>/end')
    assert p.match('/abc/end') == {'w': 'ABC'}
    assert p.match('/a/b/end') is None


def test_register_type_parser_gets_decoded_value():
    URLPattern.register_type('rt_echo', parser=lambda s: '[' + s + ']')
    assert match('/<rt_echo:v>', '/a%20b') == {'v': '[a b]'}


def test_register_type_parser_can_reject():
    def even(s):
        n = int(s)  # ValueError for non-numbers: no match
        return n if n % 2 == 0 else None  # None: no match

    URLPattern.register_type('rt_even', parser=even)
    p = URLPattern('/e/<rt_even:n>')
    assert p.match('/e/4') == {'n': 4}
    assert p.match('/e/3') is None
    assert p.match('/e/x') is None


def test_register_type_again_drops_parser():
    URLPattern.register_type('rt_swap', '[a-z]+', lambda s: len(s))
    assert match('/<rt_swap:v>', '/abc') == {'v': 3}
    URLPattern.register_type('rt_swap', '[a-z]+')
    assert match('/<rt_swap:v>', '/abc') == {'v': 'abc'}


def test_custom_pattern_with_groups():
    URLPattern.register_type('rt_ver', '([0-9]+)[.]([0-9]+)')
    p = URLPattern('/<rt_ver:v>/<int:n>')
    assert p.match('/1.2/3') == {'v': '1.2', 'n': 3}


# --- Router --------------------------------------------------------------

def make_router(*routes):
    r = Router()
    for methods, pattern, name in routes:
        r.add(methods, URLPattern(pattern), name)
    return r


def find(router, method, path):
    route, args = router.find(method, path)
    if route is None:
        return None, args
    return route[2], args


def test_router_static_and_dynamic():
    r = make_router((['GET'], '/users', 'list'),
                    (['GET'], '/users/<int:id>', 'one'))
    assert find(r, 'GET', '/users') == ('list', {})
    assert find(r, 'GET', '/users/3') == ('one', {'id': 3})
    assert find(r, 'GET', '/nothing') == (None, [])
    assert find(r, 'GET', '/users/x') == (None, [])


def test_router_first_registered_wins():
    r = make_router((['GET'], '/u/<name>', 'dynamic'),
                    (['GET'], '/u/me', 'static'))
    assert find(r, 'GET', '/u/me') == ('dynamic', {'name': 'me'})
    r = make_router((['GET'], '/u/me', 'static'),
                    (['GET'], '/u/<name>', 'dynamic'))
    assert find(r, 'GET', '/u/me') == ('static', {})
    assert find(r, 'GET', '/u/you') == ('dynamic', {'name': 'you'})
    r = make_router((['GET'], '/u/<int:id>', 'int'),
                    (['GET'], '/u/<name>', 'str'),
                    (['GET'], '/u/<int:n>', 'never'))
    assert find(r, 'GET', '/u/1') == ('int', {'id': 1})
    assert find(r, 'GET', '/u/a') == ('str', {'name': 'a'})


def test_router_same_static_path_twice():
    r = make_router((['GET'], '/a', 'first'), (['GET'], '/a', 'second'),
                    (['POST'], '/a', 'post'))
    assert find(r, 'GET', '/a') == ('first', {})
    assert find(r, 'POST', '/a') == ('post', {})


def test_router_method_picks_a_later_route():
    r = make_router((['POST'], '/items/<int:id>', 'post'),
                    (['GET'], '/items/<name>', 'get'),
                    (['PUT', 'PATCH'], '/items/<int:id>', 'put'))
    assert find(r, 'GET', '/items/1') == ('get', {'name': '1'})
    assert find(r, 'POST', '/items/1') == ('post', {'id': 1})
    assert find(r, 'PATCH', '/items/1') == ('put', {'id': 1})


def test_router_head_matches_get():
    r = make_router((['GET'], '/page', 'page'),
                    (['GET'], '/p/<int:n>', 'dyn'))
    assert find(r, 'HEAD', '/page') == ('page', {})
    assert find(r, 'HEAD', '/p/2') == ('dyn', {'n': 2})
    r = make_router((['HEAD'], '/h', 'head'), (['GET'], '/h', 'get'))
    assert find(r, 'HEAD', '/h') == ('head', {})
    assert find(r, 'GET', '/h') == ('get', {})


def test_router_methods_are_case_sensitive():
    r = make_router((['GET'], '/a', 'get'))
    assert find(r, 'get', '/a') == (None, ['GET', 'HEAD'])


def test_router_allowed_methods_for_405():
    r = make_router((['GET'], '/items', 'list'),
                    (['POST'], '/items', 'create'),
                    (['DELETE'], '/items/<int:id>', 'delete'),
                    (['PUT'], '/items/<name>', 'rename'))
    route, allowed = r.find('PATCH', '/items')
    assert route is None
    assert sorted(allowed) == ['GET', 'HEAD', 'POST']
    route, allowed = r.find('GET', '/items/5')
    assert route is None
    assert sorted(allowed) == ['DELETE', 'PUT']
    assert sorted(allowed_methods(r, '/items/x')) == ['PUT']
    assert allowed_methods(r, '/other') == []


def test_router_precedence_across_buckets():
    # patterns are kept by first segment, but the first registered match
    # still wins over a later one in another bucket or with a placeholder
    # first
    r = make_router((['GET'], '/<kind>/<int:id>', 'any'),
                    (['GET'], '/users/<int:id>', 'users'),
                    (['GET'], '/users/me', 'static'))
    assert find(r, 'GET', '/users/1') == ('any', {'kind': 'users', 'id': 1})
    assert find(r, 'GET', '/users/me') == ('static', {})
    r = make_router((['GET'], '/users/<int:id>', 'users'),
                    (['GET'], '/<kind>/<int:id>', 'any'))
    assert find(r, 'GET', '/users/1') == ('users', {'id': 1})
    assert find(r, 'GET', '/pets/1') == ('any', {'kind': 'pets', 'id': 1})
    assert find(r, 'GET', '/users') == (None, [])


def test_router_many_routes_each_found():
    r = make_router(*[(['GET'], '/r%d/<int:id>' % i, i) for i in range(50)])
    assert find(r, 'GET', '/r0/1') == (0, {'id': 1})
    assert find(r, 'GET', '/r49/7') == (49, {'id': 7})
    assert find(r, 'GET', '/r50/7') == (None, [])


def test_literal_segment_named_path_is_not_a_placeholder():
    assert match('/<a>/path', '/x/path') == {'a': 'x'}
    assert match('/<a>/path', '/x/path/more') is None
    assert match('/<a>/<path:p>', '/x/y/z') == {'a': 'x', 'p': 'y/z'}
