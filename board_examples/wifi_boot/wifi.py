"""Join the Wi-Fi network named in wifi.json, or make an access point.

``connect()`` is called by boot.py at power-up and again by main.py (where
it returns at once if boot.py has connected), so main.py also works where
boot.py does not run: ``microdot run`` on a desktop. Ports without a
``network`` module (the unix port) use the host's network as it is.

wifi.json (next to this file; on a board, in its root):

    {"ssid": "my-network", "password": "my-password", "hostname": "microdot",
     "ap_essid": "microdot-setup", "ap_password": "microdot123",
     "host": "0.0.0.0", "port": 80}

If the station cannot join ``ssid`` within ``timeout_ms`` (or there is no
``ssid``), the board opens the access point ``ap_essid`` instead, so that
its pages can still be reached (at 192.168.4.1 on an ESP32)."""
import json
import time

try:
    import network
except ImportError:  # the unix port: no Wi-Fi, the host is online already
    network = None

_HERE = __file__.rpartition('/')[0]
CONFIG = (_HERE + '/' if _HERE else '') + 'wifi.json'
#: what connect() did: mode is 'station', 'access point' or 'host'
state = {'mode': None, 'ssid': None, 'ip': None, 'error': None}


def load_config(path=CONFIG):
    """The settings in wifi.json; {} if it is missing or not valid JSON."""
    try:
        with open(path) as f:
            return json.load(f)
    except (OSError, ValueError):
        return {}


def _failed(status):
    for name in ('STAT_WRONG_PASSWORD', 'STAT_NO_AP_FOUND',
                 'STAT_CONNECT_FAIL'):
        if status == getattr(network, name, None):
            return name[5:].lower().replace('_', ' ')
    return None


def _join(sta, config, timeout_ms):
    if not sta.isconnected():
        sta.connect(config['ssid'], config.get('password', ''))
        start = time.ticks_ms()
        while not sta.isconnected():
            state['error'] = _failed(sta.status())
            if state['error'] or \
                    time.ticks_diff(time.ticks_ms(), start) > timeout_ms:
                state['error'] = state['error'] or 'timed out'
                return False
            time.sleep_ms(100)
    state.update(mode='station', ssid=config['ssid'], ip=sta.ifconfig()[0],
                 error=None)
    return True


def _access_point(config):
    ap = network.WLAN(network.AP_IF)
    ap.active(True)
    essid = config.get('ap_essid', 'microdot-setup')
    password = config.get('ap_password', '')
    if len(password) >= 8:  # WPA2 needs 8 characters or more
        ap.config(essid=essid, password=password)
        if hasattr(network, 'AUTH_WPA_WPA2_PSK'):  # ESP32: else it is open
            ap.config(authmode=network.AUTH_WPA_WPA2_PSK)
    else:
        ap.config(essid=essid)
    state.update(mode='access point', ssid=essid, ip=ap.ifconfig()[0])


def connect(config=None, timeout_ms=15000):
    """Join the configured network (or open the access point); return
    ``state``. Calling it again returns at once."""
    if state['mode'] is not None:
        return state
    if config is None:
        config = load_config()
    if network is None:
        state.update(mode='host')  # the host's own addresses
        return state
    if config.get('hostname'):
        try:
            network.hostname(config['hostname'])
        except (AttributeError, ValueError, OSError):
            pass  # older firmware: no network.hostname()
    sta = network.WLAN(network.STA_IF)
    sta.active(True)
    if config.get('ssid') and _join(sta, config, timeout_ms):
        return state
    if not config.get('ssid'):
        state['error'] = 'no ssid in wifi.json'
    sta.active(False)
    _access_point(config)
    return state
