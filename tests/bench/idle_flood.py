#!/usr/bin/env python3
"""How long a real device's welcome and a real operator's login take while another address
holds thousands of idle connections open on both ports, against the same with none held:
printed as a markdown table, medians and 95th percentiles, with the ratio.

    idle_flood.py DEVICE_PORT HTTP_PORT IDLE_COUNT ROUNDS
"""
import json
import socket
import struct
import sys
import time
import urllib.request


def varint(n):
    out = bytearray()
    while True:
        byte = n & 0x7F
        n >>= 7
        out.append(byte | (0x80 if n else 0))
        if not n:
            return bytes(out)


def field(number, payload):
    return bytes([number << 3 | 2]) + varint(len(payload)) + payload


def hello_frame(device_id, token):
    # DeviceMessage { hello (1): Hello { device_id (1), token (2) } }, length-prefixed.
    message = field(1, field(1, device_id.encode()) + field(2, token.encode()))
    return struct.pack(">I", len(message)) + message


def welcome_seconds(port):
    started = time.perf_counter()
    with socket.create_connection(("127.0.0.1", port), timeout=30) as s:
        s.sendall(hello_frame("dev-100231", "demo-token-100231"))
        header = s.recv(4)
        if len(header) < 4:
            raise RuntimeError("closed before the welcome")
    return time.perf_counter() - started


def login_seconds(port):
    started = time.perf_counter()
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/api/v1/login",
        data=json.dumps({"username": "amira", "password": "lantern-demo-amira"}).encode(),
        headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=30) as answer:
        answer.read()
    return time.perf_counter() - started


def hold_idle(port, count):
    held = []
    for _ in range(count):
        s = socket.socket()
        s.bind(("127.0.0.2", 0))
        s.connect(("127.0.0.1", port))
        held.append(s)
    return held


def summary(samples):
    ordered = sorted(samples)
    return ordered[len(ordered) // 2] * 1000, ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))] * 1000


def main():
    device_port, http_port, idle, rounds = (int(a) for a in sys.argv[1:5])
    rows = []
    for name, port, measure in (("device welcome", device_port, welcome_seconds),
                                ("operator login", http_port, login_seconds)):
        calm = summary([measure(port) for _ in range(rounds)])
        held = hold_idle(port, idle)
        flooded = summary([measure(port) for _ in range(rounds)])
        for s in held:
            s.close()
        rows.append((name, calm, flooded))
        time.sleep(1)
    print(f"| {idle:,} idle connections from 127.0.0.2 | none held: p50 / p95 ms | held: p50 / p95 ms | p50 ratio |")
    print("|---|---|---|---|")
    for name, calm, flooded in rows:
        print(f"| {name} | {calm[0]:.1f} / {calm[1]:.1f} | {flooded[0]:.1f} / {flooded[1]:.1f} | "
              f"{flooded[0] / calm[0]:.2f}x |")


if __name__ == "__main__":
    main()
