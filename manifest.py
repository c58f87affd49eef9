# Freeze the framework into a MicroPython firmware image (frozen bytecode runs
# from flash: no .py parsing at boot, and far less RAM used by the code).
# In your board's manifest (see docs/devices.md):
#
#     include("/path/to/this/repo/manifest.py")                       # core only
#     include("/path/to/this/repo/manifest.py", extensions="sse,session")
#     include("/path/to/this/repo/manifest.py", extensions="all")
#
# The file lists are read from the mip packages (package.json for the core,
# microdot_src/<extension>.json for each extension; tools/mip_packages.py
# writes them), so freezing, mip and tools/deploy.py install the same files.
# Only .py files can be frozen; MicroPython runs this file with the current
# directory set to the directory of this file.
import json

options.defaults(extensions="")


def _package_files(path):
    with open(path) as f:
        return [target[len("microdot/"):] for target, _ in json.load(f)["urls"]]


_names = [n.strip() for n in (options.extensions or "").split(",") if n.strip()]
if _names == ["all"]:
    import os

    _names = [f[:-5] for f in sorted(os.listdir("microdot_src")) if f.endswith(".json")]
_files = set(_package_files("package.json"))
for _name in _names:
    _files.update(_package_files("microdot_src/" + _name + ".json"))

package(
    "microdot",
    files=sorted(f for f in _files if f.endswith(".py")),
    base_path="microdot_src",
)
