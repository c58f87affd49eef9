"""Mounting a sub-application (``Microdot.mount``), loaded by the first
mount, and the hooks of a mounted app's routes."""


def mount(app, subapp, url_prefix, local):
    """Add every route of ``subapp`` to ``app`` under ``url_prefix``; unless
    ``local``, move the sub-app's hooks and error handlers to ``app`` (its
    error handlers replace the app's for the same key)."""
    for methods, pattern, handler, prefix, sub in subapp.url_map:
        app.add_route(url_prefix + pattern.url_pattern, methods, handler,
                      url_prefix + prefix, sub or subapp)
    if not local:
        for name in ('before_request_handlers', 'after_request_handlers',
                     'after_error_request_handlers'):
            getattr(app, name).extend(getattr(subapp, name))
            setattr(subapp, name, [])
        # as with Microdot, the sub-app's handler replaces one the app
        # already had for the same status or exception
        for key in subapp.error_handlers:
            app.error_handlers[key] = subapp.error_handlers[key]
        subapp.error_handlers = {}


def hooks(app, req, attr, local_first):
    """The hooks ``attr`` (a list attribute's name) that apply to a request
    for a route of a mounted sub-app: the app's and, for ``local=True``,
    the sub-app's own (first for before-hooks, last for after-hooks)."""
    handlers = getattr(app, attr)
    sub = req.subapp
    if sub is None or sub is app:
        return handlers
    local = getattr(sub, attr)
    if not local:
        return handlers
    return local + handlers if local_first else handlers + local
