"""The standard reason phrases of the status codes, loaded by the first
response that is not a 200."""

# one string rather than a dict: a fraction of the RAM on a device
_REASONS = '|201Created|202Accepted|204No Content|206Partial Content' \
    '|301Moved Permanently|302Found|303See Other|304Not Modified' \
    '|307Temporary Redirect|308Permanent Redirect|400Bad Request' \
    '|401Unauthorized|403Forbidden|404Not Found|405Method Not Allowed' \
    '|406Not Acceptable|408Request Timeout|409Conflict|410Gone' \
    '|411Length Required|412Precondition Failed|413Payload Too Large' \
    '|414URI Too Long|415Unsupported Media Type|416Range Not Satisfiable' \
    '|417Expectation Failed|422Unprocessable Content|429Too Many Requests' \
    '|431Request Header Fields Too Large|500Internal Server Error' \
    '|501Not Implemented|502Bad Gateway|503Service Unavailable' \
    '|504Gateway Timeout|505HTTP Version Not Supported|'


def phrase(status_code):
    """The phrase of a status code; 'OK' or 'Error' for unknown ones."""
    i = _REASONS.find('|' + str(status_code))
    if i < 0:
        return 'OK' if status_code < 400 else 'Error'
    return _REASONS[i + 4:_REASONS.find('|', i + 4)]
