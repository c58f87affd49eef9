"""Security presets of microdot.actions: a config dict (a device),
configure() (what `microdot run --action-...` calls), the environment on
CPython, and the command line flags."""
from microdot import Microdot
from microdot.actions import ActionsModule, ActionsOption, action, \
    configure, configure_from_flags
from microdot.action_guards import ActionPermissionGuard, \
    ActionSignatureGuard, CsrfActionGuard, OriginActionGuard
from microdot.cli import parse_args
from microdot.test_client import TestClient
import support


class Demo:
    @action(params=[])
    def ping(self):
        return 'pong'


def kinds(module):
    return [type(g).__name__ for g in module.guards]


def module_for(config=None, guards=None):
    return ActionsModule.for_root(ActionsOption(guards=guards,
                                                config=config))


def test_config_dict():
    assert kinds(module_for({})) == []
    assert kinds(module_for({'MICRODOT_ACTION_SECURITY': '1'})) == [
        'OriginActionGuard', 'CsrfActionGuard']
    m = module_for({'MICRODOT_ACTION_SECURITY': True,
                    'MICRODOT_ACTION_ALLOWED_ORIGINS':
                        'http://localhost:5173, https://app.example',
                    'MICRODOT_ACTION_ALLOW_MISSING_ORIGIN': 'yes',
                    'MICRODOT_ACTION_SIGNATURE_SECRET': 's3cret',
                    'MICRODOT_ACTION_PERMISSIONS': 'on'})
    assert kinds(m) == ['OriginActionGuard', 'CsrfActionGuard',
                        'ActionSignatureGuard', 'ActionPermissionGuard']
    origin = m.guards[0]
    assert origin.allowed_origins == ['http://localhost:5173',
                                      'https://app.example']
    assert origin.allow_missing_origin is True
    assert m.guards[2].secret == 's3cret'
    m = module_for({'MICRODOT_ACTION_ALLOWED_ORIGINS': ['http://a.example'],
                    'MICRODOT_ACTION_CSRF': '0'})
    assert kinds(m) == ['OriginActionGuard']
    assert m.guards[0].allow_missing_origin is False
    assert kinds(module_for({'MICRODOT_ACTION_CSRF': 1})) == [
        'CsrfActionGuard']
    for off in ('0', 'false', 'no', '', False, None):
        assert kinds(module_for({'MICRODOT_ACTION_SECURITY': off})) == []


def test_given_guards_replace_presets_of_their_kind():
    origin = OriginActionGuard(['http://mine.example'])
    m = module_for({'MICRODOT_ACTION_SECURITY': '1'},
                   [origin, ActionPermissionGuard])
    assert kinds(m) == ['CsrfActionGuard', 'OriginActionGuard',
                        'ActionPermissionGuard']
    assert m.guards[1] is origin


def test_configure_and_flags():
    try:
        configure({'MICRODOT_ACTION_SECURITY': '1'})
        assert kinds(module_for()) == ['OriginActionGuard',
                                       'CsrfActionGuard']
        assert kinds(module_for({})) == []  # a config dict wins
        configure_from_flags({'action_csrf': True,
                              'action_origins': 'http://a.example'})
        m = module_for()
        assert kinds(m) == ['OriginActionGuard', 'CsrfActionGuard']
        assert m.guards[0].allowed_origins == ['http://a.example']
        configure_from_flags({'action_permissions': True,
                              'action_allow_missing_origin': True})
        assert kinds(module_for()) == ['ActionPermissionGuard']
        support.raises(ValueError, configure_from_flags, {'action_nope': 1})
        support.raises(ValueError, configure_from_flags, {'port': 1})
    finally:
        configure({})
    assert kinds(module_for()) == []


def test_environment():
    if support.IS_MICROPYTHON:
        support.skip('os.environ is CPython only (a device uses a dict)')
    import os
    names = ('MICRODOT_ACTION_SECURITY', 'MICRODOT_ACTION_SIGNATURE_SECRET')
    try:
        os.environ['MICRODOT_ACTION_SECURITY'] = '1'
        os.environ['MICRODOT_ACTION_SIGNATURE_SECRET'] = 'from-env'
        m = module_for()
        assert kinds(m) == ['OriginActionGuard', 'CsrfActionGuard',
                            'ActionSignatureGuard']
        configure({'MICRODOT_ACTION_SECURITY': '0'})  # configure wins
        assert kinds(module_for()) == ['ActionSignatureGuard']
    finally:
        configure({})
        for name in names:
            os.environ.pop(name, None)


def test_presets_guard_calls():
    app = Microdot()
    m = module_for({'MICRODOT_ACTION_SECURITY': '1'})
    m.register(Demo)
    m.install(app)
    client = TestClient(app, host='localhost')
    body = {'action': 'Demo.ping'}
    res = support.run(client.post('/_actions', body=body))
    assert res.status_code == 403  # no Origin
    res = support.run(client.post('/_actions', body=body, headers={
        'Origin': 'http://localhost'}))
    assert res.json['error']['type'] == 'InvalidCsrfToken'
    token = support.run(client.get('/_actions/csrf')).json['csrf']
    res = support.run(client.post('/_actions', body=body, headers={
        'Origin': 'http://localhost', 'X-CSRF-Token': token}))
    assert res.json == {'ok': True, 'data': 'pong'}


def test_cli_flags_take_no_value():
    command, positional, options = parse_args([
        'run', '--action-security', 'app:app', '--action-origins',
        'http://a,http://b', '--action-csrf', '--port', '8001'])
    assert command == 'run' and positional == ['app:app']
    assert options == {'action_security': True, 'action_csrf': True,
                       'action_origins': 'http://a,http://b',
                       'port': '8001'}


def test_guard_classes_are_importable_from_actions():
    from microdot import actions
    assert actions.OriginActionGuard is OriginActionGuard
    assert actions.ActionSignatureGuard is ActionSignatureGuard
    assert actions.CsrfActionGuard is CsrfActionGuard
    support.raises(AttributeError, getattr, actions, 'NoSuchThing')
