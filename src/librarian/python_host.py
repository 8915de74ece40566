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



# KnobKraft ships two helper packages beside its adaptations, `knobkraft` (sysex helpers) and
# `testing` (the test data classes `make_test_data()` returns). A folder of adaptations
# copied from the Orm may lack them, so octa provides its own small equivalents, written
# from their documented behaviour. They come last on the import path: a folder's own
# `knobkraft/` or `testing/` package wins.
import importlib.abc as _iabc
import importlib.machinery as _imach


def _kk_load_sysex(filename, as_single_list=False):
    with open(filename, "rb") as f:
        data = list(f.read())
    if as_single_list:
        return data
    out, start = [], 0
    for i, b in enumerate(data):
        if b == 0xF7:
            out.append(data[start : i + 1])
            start = i + 1
    return out


def _kk_delimiters(messages, max_no=None):
    found, start = [], 0
    for i, b in enumerate(messages):
        if b == 0xF0:
            start = i
        elif b == 0xF7:
            found.append((start, i + 1))
            if max_no is not None and len(found) >= max_no:
                break
    return found


def _kk_split_message(messages):
    return [messages[a:b] for a, b in _kk_delimiters(messages)]


def _kk_split(byte_list):
    out, cur = [], None
    for b in byte_list:
        if b == 0xF0:
            cur = [b]
        elif cur is not None:
            cur.append(b)
            if b == 0xF7:
                out.append(cur)
                cur = None
    if cur is not None:
        out.append(cur + [0xF7])
    return out


def _kk_unpack_lsb(data):
    out = []
    for g in range(0, len(data), 8):
        high = data[g]
        for j, b in enumerate(data[g + 1 : g + 8]):
            out.append(b | (((high >> j) & 1) << 7))
    return out


def _kk_list_compare(a, b):
    if len(a) != len(b):
        print("lists differ in length: %d != %d" % (len(a), len(b)))
        return False
    diff = [i for i, (x, y) in enumerate(zip(a, b)) if x != y]
    for i in diff:
        print("lists differ at %d: %r vs %r" % (i, a[i], b[i]))
    return not diff


def _kk_require(minimum, name):
    if minimum > 0:
        raise RuntimeError("%s needs KnobKraft adaptation API level %d; octa provides 0" % (name, minimum))


def _make_knobkraft(m):
    m.load_sysex = _kk_load_sysex
    m.splitSysexMessage = _kk_split_message
    m.splitSysex = _kk_split
    m.findSysexDelimiters = _kk_delimiters
    m.stringToSyx = lambda s: list(bytes.fromhex(s.replace(" ", "")))
    m.unescapeSysex_deepmind = _kk_unpack_lsb
    m.denibble_hi_then_lo = lambda d: [(d[i] << 4) | d[i + 1] for i in range(0, len(d) - 1, 2)]
    m.denibble_lo_then_hi = lambda d: [d[i] | (d[i + 1] << 4) for i in range(0, len(d) - 1, 2)]
    m.nibble = lambda d: [x for b in d for x in (b & 0x0F, (b >> 4) & 0x0F)]
    m.list_compare = _kk_list_compare
    m.host_api_version = lambda: 0
    m.require_host_api_version = _kk_require


class _MidiMessage:
    def __init__(self, message):
        if isinstance(message, str):
            message = list(bytes.fromhex(message.replace(" ", "")))
        if not isinstance(message, (list, tuple, bytes, bytearray)):
            raise ValueError("a MIDI message is a hex string or a list of bytes")
        message = list(message)
        if any(not 0 <= x < 256 for x in message):
            raise ValueError("MIDI message bytes must be 0-255")
        self.byte_list = message

    def __eq__(self, other):
        return self.byte_list == getattr(other, "byte_list", other)

    def __repr__(self):
        return repr(self.byte_list)


def _msg(m):
    return None if m is None or isinstance(m, _MidiMessage) else _MidiMessage(m)


def _msg_keep(m):
    return m if isinstance(m, _MidiMessage) else _msg(m)


class _Record:
    """Keyword fields with defaults; anything else given is kept as an attribute."""

    defaults = {}

    def __init__(self, *args, **kw):
        for (k, d), v in zip(self.defaults.items(), args):
            kw.setdefault(k, v)
        for k, d in self.defaults.items():
            setattr(self, k, kw.pop(k, d))
        for k, v in kw.items():
            setattr(self, k, v)


class _ProgramTestData(_Record):
    defaults = dict(message=None, name=None, number=None, friendly_number=None, rename_name=None,
                    dont_rename=False, change_number_changes_name=False, target_no=None,
                    second_layer_name=None)

    def __init__(self, *args, **kw):
        super().__init__(*args, **kw)
        self.message = _msg_keep(self.message)


class _TestData(_Record):
    defaults = dict(sysex=None, program_generator=None, edit_buffer_generator=None,
                    bank_generator=None, program_dump_request=None, device_detect_call=None,
                    device_detect_reply=None, friendly_bank_name=None,
                    convert_to_edit_buffer_produces_program_dump=False,
                    banks_are_edit_buffers=False, can_convert_program_to_edit_buffer=True,
                    can_convert_edit_buffer_to_program=True, rename_name=None,
                    not_idempotent=False, expected_patch_count=None)

    def __init__(self, *args, **kw):
        super().__init__(*args, **kw)
        self.all_messages = _kk_load_sysex(self.sysex) if self.sysex else []
        run = lambda g: list(g(self)) if g else []
        self.programs = run(self.program_generator)
        self.edit_buffers = run(self.edit_buffer_generator)
        self.banks = run(self.bank_generator)
        r = self.program_dump_request
        if isinstance(r, tuple):
            self.program_dump_request = (r[0], r[1], _msg_keep(r[2]))
        else:
            self.program_dump_request = _msg_keep(r)
        self.device_detect_call = _msg_keep(self.device_detect_call)
        if self.device_detect_reply is not None:
            self.device_detect_reply = (_msg_keep(self.device_detect_reply[0]), self.device_detect_reply[1])


def _make_testing(m):
    m.MidiMessage = _MidiMessage
    m.TestData = _TestData
    m.ProgramTestData = _ProgramTestData
    m.LegacyLoaderTestData = type("LegacyLoaderTestData", (_Record,), {})
    m.UploadReplyTestData = type("UploadReplyTestData", (_Record,), {})


_SHIMS = {
    "knobkraft": _make_knobkraft,
    "knobkraft.sysex": _make_knobkraft,
    "knobkraft.test_helper": _make_knobkraft,
    "testing": _make_testing,
    "testing.test_data": _make_testing,
}


class _ShimFinder(_iabc.MetaPathFinder, _iabc.Loader):
    def find_spec(self, name, path=None, target=None):
        if name not in _SHIMS:
            return None
        return _imach.ModuleSpec(name, self, is_package="." not in name)

    def create_module(self, spec):
        return None

    def exec_module(self, module):
        if "." not in module.__name__:
            module.__path__ = []
        _SHIMS[module.__name__](module)


sys.meta_path.append(_ShimFinder())

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
