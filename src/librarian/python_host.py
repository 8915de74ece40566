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

for line in sys.stdin:
    req = json.loads(line)
    mod, path = modules[req["m"]]
    try:
        send({"ok": plain(getattr(mod, req["f"])(*req["a"]))})
    except BaseException as e:
        send(failure(e, path))
