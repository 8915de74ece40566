#
# A KnobKraft-style adaptation for the Sequential Prophet-6, written for octa's tests (not
# taken from KnobKraft). It uses only the KnobKraft function names and conventions, so
# octa must load it unmodified, as the Orm would.
#
import hashlib

DEVICE_ID = 0x2D
NAME_AT = 107
NAME_LEN = 20


def name():
    return "Prophet-6 (KnobKraft style)"


def createDeviceDetectMessage(channel):
    return [0xF0, 0x7E, 0x7F, 0x06, 0x01, 0xF7]


def needsChannelSpecificDetection():
    return False


def channelIfValidDeviceResponse(message):
    if (len(message) > 9 and message[0] == 0xF0 and message[1] == 0x7E and message[3] == 0x06
            and message[4] == 0x02 and message[5] == 0x01 and message[6] == DEVICE_ID):
        return message[2] if message[2] < 16 else 0
    return -1


def numberOfBanks():
    return 10


def numberOfPatchesPerBank():
    return 100


def createEditBufferRequest(channel):
    return [0xF0, 0x01, DEVICE_ID, 0x06, 0xF7]


def isEditBufferDump(message):
    return len(message) > 5 and message[:4] == [0xF0, 0x01, DEVICE_ID, 0x03]


def createProgramDumpRequest(channel, patchNo):
    return [0xF0, 0x01, DEVICE_ID, 0x05, patchNo // 100, patchNo % 100, 0xF7]


def isSingleProgramDump(message):
    return len(message) > 7 and message[:4] == [0xF0, 0x01, DEVICE_ID, 0x02]


def numberFromDump(message):
    return message[4] * 100 + message[5] if isSingleProgramDump(message) else -1


def _header(message):
    return 6 if isSingleProgramDump(message) else 4


def _unpack(packed):
    out = []
    for g in range(0, len(packed), 8):
        top = packed[g]
        for j, b in enumerate(packed[g + 1:g + 8]):
            out.append(b | (0x80 if top & (1 << j) else 0))
    return out


def _pack(raw):
    out = []
    for g in range(0, len(raw), 7):
        chunk = raw[g:g + 7]
        out.append(sum(((b >> 7) & 1) << j for j, b in enumerate(chunk)))
        out.extend(b & 0x7F for b in chunk)
    return out


def convertToEditBuffer(channel, message):
    return [0xF0, 0x01, DEVICE_ID, 0x03] + message[_header(message):]


def convertToProgramDump(channel, message, program_number):
    return ([0xF0, 0x01, DEVICE_ID, 0x02, program_number // 100, program_number % 100]
            + message[_header(message):])


def nameFromDump(message):
    raw = _unpack(message[_header(message):-1])
    return "".join(chr(c) for c in raw[NAME_AT:NAME_AT + NAME_LEN])


def renamePatch(message, new_name):
    h = _header(message)
    raw = _unpack(message[h:-1])
    if "".join(chr(c) for c in raw[NAME_AT:NAME_AT + NAME_LEN]) != new_name:
        padded = (new_name + " " * NAME_LEN)[:NAME_LEN]
        raw[NAME_AT:NAME_AT + NAME_LEN] = [ord(c) for c in padded]
    return message[:h] + _pack(raw) + [0xF7]


def calculateFingerprint(message):
    raw = _unpack(message[_header(message):-1])
    raw[NAME_AT:NAME_AT + NAME_LEN] = [0] * NAME_LEN
    return hashlib.md5(bytearray(raw)).hexdigest()


def friendlyProgramName(program):
    return "%03d" % program
