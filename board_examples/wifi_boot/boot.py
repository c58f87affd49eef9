# Runs first at power-up: join the Wi-Fi network named in wifi.json (or open
# an access point if that fails). main.py runs next and serves the pages.
import wifi

print('wifi:', wifi.connect())
