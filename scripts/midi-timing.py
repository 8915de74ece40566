#!/usr/bin/env python3
"""Measures the tracker's MIDI timing through the capture port (a script, not a test).

Usage: scripts/midi-timing.py OCTA_BINARY PROJECT_DIR [SECONDS]

Runs the tracker in a pseudo-terminal on a copy of PROJECT_DIR with `--midi-out file:CAP`,
then
  1. latency: presses alt+k (play the step under the cursor, T1 step 1) 40 times and times
     each from the key's write to the pty until the capture file grows (the engine writes
     a line when it sends the message);
  2. jitter: starts playback with ctrl+space, lets it run SECONDS (default 15), stops it,
     and measures every note on's distance from the step grid of the project's tempo
     (the capture's own microsecond stamps, taken when the engine sent each message).
Run it twice to compare priorities: as is (the engine asks for SCHED_FIFO; granted to root
or with an rtprio limit) and with OCTA_MIDI_REALTIME=0 (normal priority).
"""

import fcntl
import os
import pty
import struct
import termios
import re
import shutil
import statistics
import sys
import tempfile
import threading
import time


def percentile(values, p):
    v = sorted(values)
    if not v:
        return float("nan")
    k = min(len(v) - 1, max(0, int(round(p / 100.0 * (len(v) - 1)))))
    return v[k]


def main():
    if len(sys.argv) < 3:
        print(__doc__)
        return 2
    octa, project = sys.argv[1], sys.argv[2]
    seconds = float(sys.argv[3]) if len(sys.argv) > 3 else 15.0
    tmp = tempfile.mkdtemp(prefix="octa-timing-")
    proj = os.path.join(tmp, "P")
    shutil.copytree(project, proj)
    os.chmod(proj, 0o755)
    for f in os.listdir(proj):
        os.chmod(os.path.join(proj, f), 0o644)
    text = open(os.path.join(proj, "project.work"), encoding="latin-1").read()
    tempo = int(re.search(r"TEMPOx24=(\d+)", text).group(1)) / 24.0
    step_us = 60e6 / tempo / 4.0
    cap = os.path.join(tmp, "out.cap")
    env = dict(os.environ, TERM="xterm-256color", OCTA_CONFIG_DIR=os.path.join(tmp, "c"),
               OCTA_DATA_DIR=os.path.join(tmp, "d"))
    pid, fd = pty.fork()
    if pid == 0:
        os.execve(octa, [octa, "--midi-out", "file:" + cap, proj], env)
    # A pty starts at 0x0: the tracker would only say "Terminal too small".
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 200, 0, 0))
    screen = bytearray()

    def drain():
        while True:
            try:
                b = os.read(fd, 65536)
            except OSError:
                return
            if not b:
                return
            screen.extend(b)

    threading.Thread(target=drain, daemon=True).start()
    t0 = time.time()
    while b"PCH" not in screen and time.time() - t0 < 20:
        time.sleep(0.01)
    if b"PCH" not in screen:
        print("the tracker did not start:", bytes(screen[-500:]))
        os.kill(pid, 9)
        return 1

    def size():
        try:
            return os.stat(cap).st_size
        except FileNotFoundError:
            return 0

    # 1. Key to message latency.
    lat = []
    for _ in range(40):
        before = size()
        t = time.perf_counter()
        os.write(fd, b"\x1bk")
        while size() == before and time.perf_counter() - t < 2:
            time.sleep(0.0001)
        lat.append((time.perf_counter() - t) * 1e3)
        time.sleep(0.25)
    # 2. Playback jitter.
    mark = size()
    os.write(fd, b"\x00")  # ctrl+space
    time.sleep(seconds)
    os.write(fd, b"\x00")
    time.sleep(0.5)
    os.write(fd, b"\x11")
    time.sleep(0.3)
    os.write(fd, b"y")
    t0 = time.time()
    while time.time() - t0 < 10:
        if os.waitpid(pid, os.WNOHANG)[0] != 0:
            break
        time.sleep(0.05)
    else:
        os.kill(pid, 9)
    with open(cap, "rb") as f:
        f.seek(mark)
        lines = f.read().decode().splitlines()
    ons = []
    for line in lines:
        w = line.split()
        if len(w) >= 4 and int(w[1], 16) & 0xF0 == 0x90 and int(w[3], 16) > 0:
            ons.append(int(w[0]))
    status = re.findall(rb"out file:\S+", bytes(screen))
    if not ons:
        print("no note ons captured")
        return 1
    first = ons[0]
    dev = [abs((t - first) - round((t - first) / step_us) * step_us) / 1e3 for t in ons]
    prio = "normal" if os.environ.get("OCTA_MIDI_REALTIME") == "0" else "realtime requested"
    print(f"project tempo {tempo} BPM, step {step_us / 1e3:.3f} ms, priority: {prio}")
    print(f"key -> capture latency over {len(lat)} presses (ms): median {statistics.median(lat):.2f}"
          f"  p90 {percentile(lat, 90):.2f}  max {max(lat):.2f}")
    print(f"playback: {len(ons)} note ons over {seconds:.0f} s; distance from the step grid (ms):"
          f" median {statistics.median(dev):.3f}  p99 {percentile(dev, 99):.3f}  max {max(dev):.3f}")
    print("status seen:", status[-1].decode() if status else "(none)")
    shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
