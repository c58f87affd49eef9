"""A CPython stand-in for MicroPython's ``network`` module (the ESP32 and
Pico W ``WLAN``), so Wi-Fi boot code runs on a desktop, where the computer
is already online. The simulated world is module state a test can set:

- ``ACCESS_POINTS``: {ssid: password (None for an open network)} that
  ``connect()`` and ``scan()`` see; empty (the default) means that any
  network name and password connect;
- ``CONNECT_DELAY_MS``: how long ``status()`` stays ``STAT_CONNECTING``
  after ``connect()`` (0: connected at once);
- ``STA_IFCONFIG`` / ``AP_IFCONFIG``: the addresses ``ifconfig()`` reports
  (the station's is 127.0.0.1: on a desktop the app is reached there).

``WLAN(STA_IF)`` and ``WLAN(AP_IF)`` return the same object each time, as
on a board; ``reset()`` puts everything back as at import (for tests).
Put ``cpython_shims`` on ``sys.path`` (``python -m microdot run`` does it);
never on a board."""
import time

import mp_gaps  # noqa: F401  (time.ticks_*, sleep_ms for device code)

STA_IF, AP_IF = 0, 1
# status() values of the ESP32 port
STAT_IDLE = 1000
STAT_CONNECTING = 1001
STAT_GOT_IP = 1010
STAT_NO_AP_FOUND = 201
STAT_WRONG_PASSWORD = 202
STAT_BEACON_TIMEOUT = 200
STAT_ASSOC_FAIL = 203
STAT_HANDSHAKE_TIMEOUT = 204
AUTH_OPEN, AUTH_WEP, AUTH_WPA_PSK, AUTH_WPA2_PSK, AUTH_WPA_WPA2_PSK = 0, 1, 2, 3, 4

ACCESS_POINTS = {}
CONNECT_DELAY_MS = 0
_DEFAULTS = (('127.0.0.1', '255.0.0.0', '127.0.0.1', '127.0.0.1'),
             ('192.168.4.1', '255.255.255.0', '192.168.4.1', '0.0.0.0'))
STA_IFCONFIG, AP_IFCONFIG = _DEFAULTS
_hostname = ['mpy-desktop']
_country = ['XX']


def hostname(name=None):
    """The host name the interfaces announce."""
    if name is None:
        return _hostname[0]
    _hostname[0] = name


def country(code=None):
    if code is None:
        return _country[0]
    _country[0] = code


class WLAN:
    """A Wi-Fi interface: the station (``STA_IF``) joins a network, the
    access point (``AP_IF``) makes one."""
    _interfaces = {}

    def __new__(cls, interface_id=STA_IF):
        if interface_id not in cls._interfaces:
            wlan = super().__new__(cls)
            wlan._setup(interface_id)
            cls._interfaces[interface_id] = wlan
        return cls._interfaces[interface_id]

    def __init__(self, interface_id=STA_IF):
        pass

    def _setup(self, interface_id):
        self.interface = interface_id
        self._active = False
        self._status = STAT_IDLE
        self._pending = None     # (deadline, final status) while connecting
        self._ifconfig = None
        self.stations = []       # AP: the (MAC,) of connected stations
        mac = 0x24_0a_c4_00_00_00 + interface_id
        self._config = {'mac': mac.to_bytes(6, 'big'), 'channel': 1,
                        'essid': '', 'password': '', 'hidden': False,
                        'security': AUTH_OPEN, 'txpower': 20,
                        'reconnects': -1, 'max_clients': 4, 'pm': 1}

    def active(self, is_active=None):
        """Whether the interface is up; with an argument, bring it up or down."""
        if is_active is None:
            return self._active
        self._active = bool(is_active)
        if not self._active:
            self._status = STAT_IDLE
            self._pending = None

    def connect(self, ssid=None, key=None, *, bssid=None):
        """Join ``ssid`` with password ``key`` (station only)."""
        if self.interface != STA_IF:
            raise OSError('only the station interface can connect')
        if not self._active:
            raise OSError('Wifi Not Started')
        if ssid is None:
            ssid = self._config['essid']
        self._config['essid'] = ssid
        if not ACCESS_POINTS:
            final = STAT_GOT_IP
        elif ssid not in ACCESS_POINTS:
            final = STAT_NO_AP_FOUND
        elif ACCESS_POINTS[ssid] not in (None, key):
            final = STAT_WRONG_PASSWORD
        else:
            final = STAT_GOT_IP
        self._status = STAT_CONNECTING
        self._pending = (time.monotonic() + CONNECT_DELAY_MS / 1000, final)

    def disconnect(self):
        self._status = STAT_IDLE
        self._pending = None

    def status(self, param=None):
        """The connection status (STAT_*), or ``status('rssi')`` and, on the
        access point, ``status('stations')``."""
        if self._pending is not None and time.monotonic() >= self._pending[0]:
            self._status = self._pending[1]
            self._pending = None
        if param is None:
            return self._status
        if param == 'rssi':
            if self._status != STAT_GOT_IP:
                raise OSError('not connected')
            return -55
        if param == 'stations':
            return list(self.stations)
        raise ValueError('unknown status param')

    def isconnected(self):
        """Station: joined with an address; access point: a station joined."""
        if self.interface == AP_IF:
            return self._active and bool(self.stations)
        return self._active and self.status() == STAT_GOT_IP

    def ifconfig(self, config=None):
        """(ip, netmask, gateway, dns), or set them with a 4-tuple."""
        if config is not None:
            self._ifconfig = None if config == 'dhcp' else tuple(config)
            return
        if self._ifconfig is not None:
            return self._ifconfig
        if self.interface == AP_IF:
            return AP_IFCONFIG if self._active else ('0.0.0.0',) * 4
        if self.isconnected():
            return STA_IFCONFIG
        return ('0.0.0.0',) * 4

    def scan(self):
        """[(ssid, bssid, channel, RSSI, security, hidden)] of ACCESS_POINTS."""
        if not self._active:
            raise OSError('Wifi Not Started')
        return [(ssid.encode(), bytes(6), 1, -60,
                 AUTH_OPEN if pw is None else AUTH_WPA2_PSK, False)
                for ssid, pw in sorted(ACCESS_POINTS.items())]

    def config(self, *args, **kwargs):
        """Read one setting (``config('mac')``) or set some
        (``config(essid='board', password='secret')``). ``ssid``/``key``
        and ``authmode`` are accepted for ``essid``/``password``/``security``."""
        alias = {'ssid': 'essid', 'key': 'password', 'authmode': 'security'}
        if args:
            if len(args) != 1 or kwargs:
                raise TypeError('config() takes one name, or keywords')
            name = alias.get(args[0], args[0])
            if name == 'hostname':
                return hostname()
            if name not in self._config:
                raise ValueError('unknown config param')
            if name == 'password' and self.interface == STA_IF:
                raise ValueError('the password cannot be read')
            return self._config[name]
        for name, value in kwargs.items():
            name = alias.get(name, name)
            if name == 'hostname':
                hostname(value)
            elif name in self._config:
                self._config[name] = value
            else:
                raise ValueError('unknown config param')


def reset():
    """Forget every interface and setting (for tests)."""
    global CONNECT_DELAY_MS, STA_IFCONFIG, AP_IFCONFIG
    WLAN._interfaces.clear()
    ACCESS_POINTS.clear()
    CONNECT_DELAY_MS = 0
    STA_IFCONFIG, AP_IFCONFIG = _DEFAULTS
    _hostname[0] = 'mpy-desktop'
