# octa's host for KnobKraft adaptations (.py files, loaded unmodified). It runs in its own
# `python3 -I -B -u` process and speaks one JSON object per line: the first request lists
# the adaptation files to import; every later one calls a function of one of them.
# Adaptations print freely: their output goes to stderr, never into the protocol.
import importlib.util
import json
import os
import sys
import traceback

proto = sys.stdout
sys.stdout = sys.stderr

try:
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30))
except Exception:
    pass


def send(obj):
    proto.write(json.dumps(obj, separators=(",", ":")) + "\n")
    proto.flush()


def plain(v):
    if isinstance(v, (bytes, bytearray)):
        return list(v)
    if isinstance(v, dict):
        return {str(k): plain(x) for k, x in v.items()}
    if isinstance(v, (list, tuple)) or hasattr(v, "__next__"):
        return [plain(x) for x in v]
    if v is None or isinstance(v, (bool, int, float, str)):
        return v
    return str(v)


def failure(e, path):
    frames = traceback.extract_tb(e.__traceback__)
    where = None
    for f in reversed(frames):
        if path and os.path.abspath(f.filename) == path:
            where = f
            break
    if where is None and frames:
        where = frames[-1]
    msg = "%s: %s" % (type(e).__name__, e)
    if isinstance(e, SyntaxError):
        return {"err": msg, "file": e.filename, "line": e.lineno}
    if where is None:
        return {"err": msg}
    return {"err": msg, "file": where.filename, "line": where.lineno}


modules = []
first = json.loads(sys.stdin.readline())
paths = [os.path.abspath(p) for p in first["load"]]
for d in dict.fromkeys(os.path.dirname(p) for p in paths):
    sys.path.insert(0, d)
if paths:
    os.chdir(os.path.dirname(paths[0]))
results = []
for i, path in enumerate(paths):
    try:
        spec = importlib.util.spec_from_file_location("octa_adaptation_%d" % i, path)
        mod = importlib.util.module_from_spec(spec)
        sys.modules[spec.name] = mod
        spec.loader.exec_module(mod)
        fns = sorted(n for n in dir(mod) if not n.startswith("_") and callable(getattr(mod, n)))
        modules.append((mod, path))
        results.append({"ok": fns})
    except BaseException as e:
        modules.append((None, path))
        results.append(failure(e, path))
send(results)

def message(m):
    return plain(getattr(m, "byte_list", m))


def test_data(mod):
    """What make_test_data() (KnobKraft's testing.TestData) holds, as plain data."""
    td = mod.make_test_data()
    get = lambda o, k, d=None: getattr(o, k, d)

    def item(p):
        return {
            "message": message(get(p, "message")),
            "name": get(p, "name"),
            "number": get(p, "number"),
            "friendly_number": get(p, "friendly_number"),
            "rename_name": get(p, "rename_name"),
            "dont_rename": bool(get(p, "dont_rename", False)),
            "second_layer_name": get(p, "second_layer_name"),
        }

    reply = get(td, "device_detect_reply")
    return {
        "sysex": get(td, "sysex"),
        "programs": [item(p) for p in (get(td, "programs") or [])],
        "edit_buffers": [item(p) for p in (get(td, "edit_buffers") or [])],
        "expected_patch_count": get(td, "expected_patch_count"),
        "device_detect_call": None if get(td, "device_detect_call") is None else message(td.device_detect_call),
        "device_detect_reply": None if reply is None else [message(reply[0]), reply[1]],
        "friendly_bank_name": plain(get(td, "friendly_bank_name")),
    }


for line in sys.stdin:
    req = json.loads(line)
    mod, path = modules[req["m"]]
    try:
        if req["f"] == "__octa_test_data__":
            send({"ok": test_data(mod)})
        else:
            send({"ok": plain(getattr(mod, req["f"])(*req["a"]))})
    except BaseException as e:
        send(failure(e, path))
