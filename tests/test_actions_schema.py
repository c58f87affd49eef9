"""The schema of microdot.actions (ETag, 304, changes with what is
registered) and the argument checks behind the 400 answers."""
from microdot.actions import bad_arguments, type_matches
from microdot.test_client import TestClient
import support
from test_actions import MoreCalc, make_app


def test_schema_and_etag():
    app, module = make_app()
    client = TestClient(app)
    res = support.run(client.get('/_actions/schema'))
    assert res.status_code == 200
    schema = res.json
    assert schema['path'] == '/_actions'
    names = [a['name'] for a in schema['actions']]
    assert names == sorted(names) and 'Calc.add' in names
    add = [a for a in schema['actions'] if a['name'] == 'Calc.add'][0]
    assert add == {'name': 'Calc.add', 'class': 'Calc', 'method': 'add',
                   'returns': 'int', 'params': [
                       {'name': 'a', 'type': 'int', 'required': True},
                       {'name': 'b', 'type': 'int', 'required': False}]}
    who = [a for a in schema['actions'] if a['name'] == 'WithContext.who']
    assert who[0]['params'] == [{'name': 'n', 'type': 'int',
                                 'required': True}]
    etag = res.headers['ETag']
    assert etag.startswith('"') and etag.endswith('"') and len(etag) > 10
    for match in (etag, 'W/' + etag, '"x", ' + etag, '*'):
        res = support.run(client.get('/_actions/schema', headers={
            'If-None-Match': match}))
        assert res.status_code == 304 and res.body == b''
        assert res.headers['ETag'] == etag
    res = support.run(client.get('/_actions/schema', headers={
        'If-None-Match': '"other"'}))
    assert res.status_code == 200
    module.register(MoreCalc)  # the schema changes, and so does its ETag
    res = support.run(client.get('/_actions/schema', headers={
        'If-None-Match': etag}))
    assert res.status_code == 200 and res.headers['ETag'] != etag


def test_schema_can_be_left_out():
    app = make_app(schema=False)[0]
    res = support.run(TestClient(app).get('/_actions/schema'))
    assert res.status_code == 404


def test_type_matches():
    assert type_matches(1, 'int') and not type_matches(True, 'int')
    assert type_matches(1, 'float') and type_matches(1.5, 'float')
    assert not type_matches('1', 'float') and type_matches(False, 'bool')
    assert type_matches(None, 'str | None') and type_matches('x', 'str|None')
    assert not type_matches(1, 'str | None')
    assert type_matches(None, 'Optional[int]')
    assert type_matches([1], 'list[str]') and not type_matches({}, 'list')
    assert type_matches({}, 'dict[str, int]') and type_matches(1, 'Point')
    assert type_matches([], 'Any') and type_matches(1, '')
    assert not type_matches(1, 'list[int | None] | dict')


def test_bad_arguments_kinds():
    params = [('a', 'int', True, 'positional'), ('b', 'int', False, ''),
              ('rest', 'str', False, 'varargs'),
              ('k', 'bool', True, 'keyword'), ('kw', 'int', False, 'varkw')]
    assert bad_arguments(params, [1, 2, 'x', 'y'], {'k': True, 'z': 3}) \
        is None
    assert bad_arguments(params, [1, 2, 3], {'k': True}) == \
        "argument 'rest' must be str"
    assert bad_arguments(params, [], {'a': 1, 'k': True}) == \
        "missing argument 'a'"
    assert bad_arguments(params, [1], {}) == "missing argument 'k'"
    assert bad_arguments(params, [1], {'k': 1}) == "argument 'k' must be bool"
    assert bad_arguments(params, [1], {'k': True, 'z': 'x'}) == \
        "argument 'z' must be int"
