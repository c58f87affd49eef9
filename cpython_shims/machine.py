"""A CPython stand-in for MicroPython's ``machine`` module, so device code
(board_examples/) runs on a desktop. Nothing is real hardware: the state
lives here, where a test or a desktop run can read and set it:

- ``Pin.levels``: {pin id: 0 or 1}; an output pin writes its level there,
  ``Pin.drive(id, level)`` sets the level an input pin reads (a button
  press) and calls its ``irq`` handler on a matching edge;
- ``ADC.values``: {pin id: reading (0..65535) or a function returning one};
- ``PWM.active``: {pin id: the PWM driving it};
- ``Timer.active``: the running timers; their callbacks run on the asyncio
  event loop when one is running in the thread that starts the timer, else
  on a thread of their own;
- ``RESETS``: one entry ('hard', 'soft' or 'deepsleep') per reset asked
  for; a reset then raises SystemExit, as the board would stop the program.

Put ``cpython_shims`` on ``sys.path`` (``python -m microdot run`` does it);
never on a board, where the real module is built in."""
import asyncio
import threading
import time
import traceback
import uuid

import mp_gaps  # noqa: F401  (time.ticks_*, sleep_ms for device code)

PWRON_RESET, HARD_RESET, WDT_RESET, DEEPSLEEP_RESET, SOFT_RESET = 1, 2, 3, 4, 5
RESETS = []
_freq = [160000000]


def reset():
    """A hard reset: recorded in RESETS, then the program stops."""
    RESETS.append('hard')
    raise SystemExit('machine.reset()')


def soft_reset():
    RESETS.append('soft')
    raise SystemExit('machine.soft_reset()')


def deepsleep(time_ms=None):
    RESETS.append('deepsleep')
    raise SystemExit('machine.deepsleep()')


def lightsleep(time_ms=None):
    if time_ms:
        time.sleep(time_ms / 1000)


def idle():
    time.sleep(0)


def reset_cause():
    return PWRON_RESET


def unique_id():
    """Six bytes, from this computer's MAC address."""
    return uuid.getnode().to_bytes(6, 'big')


def freq(hz=None):
    """The CPU frequency (160 MHz, or what was set)."""
    if hz is None:
        return _freq[0]
    _freq[0] = hz


def disable_irq():
    return 0


def enable_irq(state=0):
    pass


def _pin_id(pin):
    return pin.id if isinstance(pin, Pin) else pin


class Pin:
    """A GPIO pin: ``Pin(id, Pin.OUT)``, ``value()``, ``on()``, ``off()``,
    ``irq()``. Two Pin objects with the same id share the pin's level."""
    IN, OUT, OPEN_DRAIN, ALT = 0, 1, 2, 3
    PULL_UP, PULL_DOWN = 1, 2
    IRQ_RISING, IRQ_FALLING = 1, 2
    IRQ_LOW_LEVEL, IRQ_HIGH_LEVEL = 4, 5
    levels = {}
    _irqs = {}

    def __init__(self, id, mode=-1, pull=-1, *, value=None, drive=None,
                 alt=None):
        self.id = id
        self.mode = self.IN if mode == -1 else mode
        self.pull = None if pull == -1 else pull
        self.init(mode, pull, value=value)

    def init(self, mode=-1, pull=-1, *, value=None, drive=None, alt=None):
        if mode != -1:
            self.mode = mode
        if pull != -1:
            self.pull = pull
        if self.id not in self.levels:
            self.levels[self.id] = 1 if self.pull == self.PULL_UP else 0
        if value is not None:
            self.value(value)

    def value(self, x=None):
        """The pin's level; with ``x``, drive an output pin to it (an input
        pin keeps the level its outside world gives it)."""
        if x is None:
            return self.levels[self.id]
        if self.mode in (self.OUT, self.OPEN_DRAIN):
            Pin._set_level(self.id, 1 if x else 0)

    __call__ = value

    def on(self):
        self.value(1)

    def off(self):
        self.value(0)

    def toggle(self):
        self.value(1 - self.value())

    def irq(self, handler=None, trigger=IRQ_FALLING | IRQ_RISING, *,
            priority=1, wake=None, hard=False):
        """Call ``handler(pin)`` on the edges in ``trigger``; None removes it."""
        if handler is None:
            self._irqs.pop(self.id, None)
        else:
            self._irqs[self.id] = (handler, trigger, self)
        return self

    @classmethod
    def drive(cls, id, level):
        """Desktop hook: the outside world sets input pin ``id`` to ``level``."""
        cls._set_level(id, 1 if level else 0)

    @classmethod
    def _set_level(cls, id, level):
        old = cls.levels.get(id, 0)
        cls.levels[id] = level
        irq = cls._irqs.get(id)
        if irq and old != level:
            handler, trigger, pin = irq
            if trigger & (cls.IRQ_RISING if level else cls.IRQ_FALLING):
                handler(pin)

    def __repr__(self):
        return 'Pin(%r, mode=%s)' % (self.id, self.mode)


class ADC:
    """An analog input: ``ADC(Pin(34)).read_u16()`` returns
    ``ADC.values[34]`` (or calls it, if it is a function)."""
    ATTN_0DB, ATTN_2_5DB, ATTN_6DB, ATTN_11DB = 0, 1, 2, 3
    WIDTH_9BIT, WIDTH_10BIT, WIDTH_11BIT, WIDTH_12BIT = 0, 1, 2, 3
    values = {}

    def __init__(self, pin, *, atten=None):
        self.id = _pin_id(pin)
        self._atten = atten

    def read_u16(self):
        value = self.values.get(self.id, 0)
        if callable(value):
            value = value()
        return max(0, min(65535, int(value)))

    def read(self):
        """The older 12-bit reading of the ESP32 port."""
        return self.read_u16() >> 4

    def read_uv(self):
        return self.read_u16() * 3300000 // 65535

    def atten(self, atten):
        self._atten = atten

    def width(self, width):
        pass


class PWM:
    """A PWM output: frequency and duty cycle, kept in ``PWM.active``."""
    active = {}

    def __init__(self, dest, *, freq=None, duty_u16=None, duty_ns=None,
                 duty=None, invert=False):
        self.id = _pin_id(dest)
        self._freq = 5000
        self._duty_u16 = 32768
        self.init(freq=freq, duty_u16=duty_u16, duty_ns=duty_ns, duty=duty)

    def init(self, *, freq=None, duty_u16=None, duty_ns=None, duty=None):
        if freq is not None:
            self.freq(freq)
        if duty_u16 is not None:
            self.duty_u16(duty_u16)
        if duty_ns is not None:
            self.duty_ns(duty_ns)
        if duty is not None:
            self.duty(duty)
        PWM.active[self.id] = self

    def freq(self, value=None):
        if value is None:
            return self._freq
        self._freq = int(value)

    def duty_u16(self, value=None):
        if value is None:
            return self._duty_u16
        self._duty_u16 = max(0, min(65535, int(value)))

    def duty(self, value=None):
        """The ESP32 port's 10-bit duty cycle (0..1023)."""
        if value is None:
            return self._duty_u16 * 1023 // 65535
        self.duty_u16(int(value) * 65535 // 1023)

    def duty_ns(self, value=None):
        period_ns = 1000000000 // self._freq
        if value is None:
            return self._duty_u16 * period_ns // 65535
        self.duty_u16(int(value) * 65535 // period_ns)

    def deinit(self):
        if PWM.active.get(self.id) is self:
            del PWM.active[self.id]


class Timer:
    """A software timer: ``Timer(-1, period=1000, callback=f)`` calls
    ``f(timer)`` every second (``mode=Timer.ONE_SHOT``: once)."""
    ONE_SHOT, PERIODIC = 0, 1
    active = []

    def __init__(self, id=-1, **kwargs):
        self.id = id
        self._handle = None
        self._stop = None
        if kwargs:
            self.init(**kwargs)

    def init(self, *, mode=PERIODIC, period=-1, freq=-1, callback=None,
             tick_hz=1000):
        self.deinit()
        if freq > 0:
            self.period_s = 1 / freq
        else:
            self.period_s = max(period, 0) / tick_hz
        self.mode = mode
        self.callback = callback
        Timer.active.append(self)
        try:
            self._loop = asyncio.get_running_loop()
        except RuntimeError:
            self._loop = None
        if self._loop is not None:
            self._handle = self._loop.call_later(self.period_s, self._on_loop)
        else:
            self._stop = threading.Event()
            threading.Thread(target=self._on_thread, args=(self._stop,),
                             daemon=True).start()

    def _call(self):
        if self.mode == self.ONE_SHOT:
            self.deinit()
        if self.callback is not None:
            try:
                self.callback(self)
            except Exception:  # a board prints it and goes on
                traceback.print_exc()

    def _on_loop(self):
        if self.mode == self.PERIODIC:
            self._handle = self._loop.call_later(self.period_s, self._on_loop)
        self._call()

    def _on_thread(self, stop):
        while not stop.wait(self.period_s):
            self._call()
            if self.mode == self.ONE_SHOT:
                break

    def deinit(self):
        if self._handle is not None:
            self._handle.cancel()
            self._handle = None
        if self._stop is not None:
            self._stop.set()
            self._stop = None
        if self in Timer.active:
            Timer.active.remove(self)
