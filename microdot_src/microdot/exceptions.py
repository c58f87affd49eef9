"""The exception that carries an HTTP status through the framework."""


class HTTPException(Exception):
    """Raise (or ``abort()``) to end the current request with an HTTP error
    status. The app's error handler for that status, if any, builds the
    response; otherwise the reason (or the standard phrase) is the body."""

    def __init__(self, status_code, reason=None):
        super().__init__(status_code, reason)
        self.status_code = status_code
        self.reason = reason
