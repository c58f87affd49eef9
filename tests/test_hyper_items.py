"""microdot.hyper's typed items and how each is written on the wire: the
event of each operation (one line of JSON), and Datastar's format for the
same items (datastar-patch-elements / datastar-patch-signals, as its SDK
specification gives them). Both runtimes."""
import json

from microdot.hyper import HTML, Actions, Delete, Event, History, LoadJS, \
    Redirect, Signal, Signals, Toast, _datastar, _event, action


def _parse(raw):
    # (op, data) of one native event: 'event: op' 'data: json' blank line
    text = raw.decode()
    assert text.endswith('\n\n') and text.count('\n') == 3
    first, second = text.split('\n')[:2]
    assert first.startswith('event: ') and second.startswith('data: ')
    return first[7:], json.loads(second[6:])


def _wire(item):
    return _parse(_event(item.op, item.data))


def test_html_event_carries_every_field():
    op, data = _wire(HTML('<li>a</li>', '#list', 'append', True, '#title'))
    assert op == 'html'
    assert data == {'target': '#list', 'swap': 'append',
                    'content': '<li>a</li>', 'transition': True,
                    'focus': '#title'}


def test_html_defaults_and_attributes():
    item = HTML('<p>x</p>')
    assert (item.target, item.swap, item.transition, item.focus) == \
        (None, 'inner', False, None)
    assert item.content == '<p>x</p>'
    try:
        item.nothing
    except AttributeError:
        pass
    else:
        assert False, 'no AttributeError'


def test_multiline_content_stays_on_one_data_line():
    op, data = _wire(HTML('<ul>\n<li>a</li>\r\n</ul>', '#x'))
    assert data['content'] == '<ul>\n<li>a</li>\r\n</ul>'


def test_delete_is_html_with_swap_delete():
    op, data = _wire(Delete('#todo-3'))
    assert op == 'html' and data['swap'] == 'delete'
    assert data['target'] == '#todo-3' and data['content'] == ''
    assert isinstance(Delete('#a'), HTML)


def test_event_toast_redirect_history_loadjs():
    assert _wire(Event('saved', {'id': 3}, '#list')) == \
        ('event', {'name': 'saved', 'payload': {'id': 3}, 'target': '#list'})
    assert _wire(Event('ping')) == \
        ('event', {'name': 'ping', 'payload': None, 'target': None})
    assert _wire(Toast({'type': 'success', 'message': 'Created'})) == \
        ('toast', {'payload': {'type': 'success', 'message': 'Created'}})
    assert _wire(Toast('Saved')) == ('toast', {'payload': {'message':
                                                           'Saved'}})
    assert _wire(Redirect('/done')) == ('redirect', {'url': '/done'})
    assert _wire(History(push_url='/a?b=1')) == \
        ('history', {'push_url': '/a?b=1'})
    assert _wire(History(replace_url='/c')) == \
        ('history', {'replace_url': '/c'})
    assert _wire(LoadJS('/static/chart.js')) == \
        ('loadjs', {'src': '/static/chart.js'})


def test_signals():
    assert _wire(Signal('count', 3)) == ('signals', {'values': {'count': 3}})
    assert _wire(Signals({'a': 1, '$user': {'name': 'x'}}, b=None)) == \
        ('signals', {'values': {'a': 1, '$user': {'name': 'x'}, 'b': None}})
    assert isinstance(Signal('a', 1), Signals)


def test_non_ascii_and_script_text_survive():
    op, data = _wire(HTML('<b>caf\u00e9 \u2603</b></script>', '#x'))
    assert data['content'] == '<b>caf\u00e9 \u2603</b></script>'


def test_actions_holds_items_in_order():
    items = Actions(HTML('a'), Toast('b'))
    assert [i.op for i in items.items] == ['html', 'toast']


def test_action_decorator_bare_and_with_options():
    from microdot.hyper import _actions

    @action
    def plain(self, request):
        pass

    @action(safe=True, target='#stats')
    def safe(self, request):
        pass
    assert _actions[plain] == (False, None)
    assert _actions[safe] == (True, '#stats')


def _ds(item):
    text = _datastar(item.op, item.data).decode()
    assert text.endswith('\n\n')
    lines = text[:-2].split('\n')
    assert lines[0].startswith('event: ')
    assert all(line.startswith('data: ') for line in lines[1:])
    return lines[0][7:], [line[6:] for line in lines[1:]]


def test_datastar_patch_elements():
    assert _ds(HTML('<li>a</li>', '#list', 'append')) == (
        'datastar-patch-elements',
        ['selector #list', 'mode append', 'elements <li>a</li>'])
    # outer is Datastar's default mode: no mode line
    assert _ds(HTML('<div id="x">\n  <b>1</b>\n</div>', '#x', 'outer',
                    True)) == (
        'datastar-patch-elements',
        ['selector #x', 'useViewTransition true', 'elements <div id="x">',
         'elements   <b>1</b>', 'elements </div>'])
    assert _ds(HTML('<p>x</p>', None, None)) == (
        'datastar-patch-elements', ['mode inner', 'elements <p>x</p>'])
    for mode in ('inner', 'prepend', 'before', 'after'):
        assert 'mode ' + mode in _ds(HTML('<i></i>', '#t', mode))[1]


def test_datastar_remove_and_none():
    assert _ds(Delete('#todo-1')) == ('datastar-patch-elements',
                                      ['selector #todo-1', 'mode remove'])
    assert _datastar('html', HTML('x', '#t', 'none').data) == b''
    assert _datastar('end', {}) == b''


def test_datastar_patch_signals_without_dollar():
    event, lines = _ds(Signals({'count': 2, '$user': {'n': 'a'}}))
    assert event == 'datastar-patch-signals'
    assert len(lines) == 1 and lines[0].startswith('signals ')
    assert json.loads(lines[0][8:]) == {'count': 2, 'user': {'n': 'a'}}


def test_datastar_other_ops_run_as_a_script_appended_to_body():
    event, lines = _ds(Redirect('/next'))
    assert event == 'datastar-patch-elements'
    assert lines[:2] == ['selector body', 'mode append']
    assert lines[2] == 'elements <script data-effect="el.remove()">' \
        'window.location.href="/next"</script>'
    event, lines = _ds(Toast('</script><b>'))
    assert '"hyper:toast"' in lines[2] and '{"message": "<\\/script><b>"}' \
        in lines[2].replace('{"message":"', '{"message": "')
    assert lines[2].count('</script>') == 1
    event, lines = _ds(Event('saved', {'id': 1}, '#list'))
    assert 'new CustomEvent("saved"' in lines[2] and '"#list"' in lines[2]
