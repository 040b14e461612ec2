#!/usr/bin/env python3
"""Edge acceptance probe against a running Roomgate (the demo: ./mvnw -pl gateway spring-boot:test-run).

1. Holds N idle keep-alive connections (each made one complete request first), then times authorized requests.
2. Opens a slow-header and a silent connection and reports when the server closed each.
Run the server and this probe on different cores (taskset) so the figures mean something. Loopback only."""
import socket, sys, time, statistics, threading

HOST, PORT = "127.0.0.1", int(sys.argv[1]) if len(sys.argv) > 1 else 8080
IDLE = int(sys.argv[2]) if len(sys.argv) > 2 else 1500
KEY = "roomgate-demo-key-7f3c9a1e5b"
REQ = f"GET /v1/providers HTTP/1.1\r\nHost: x\r\nX-API-Key: {KEY}\r\n\r\n".encode()

def one_request(sock):
    sock.sendall(REQ)
    data = b""
    while b"\r\n\r\n" not in data:
        data += sock.recv(65536)
    head, _, body = data.partition(b"\r\n\r\n")
    length = int([l for l in head.split(b"\r\n") if l.lower().startswith(b"content-length")][0].split(b":")[1])
    while len(body) < length:
        body += sock.recv(65536)
    return int(head.split(b" ")[1])

def timed(n):
    times = []
    for _ in range(n):
        s = socket.create_connection((HOST, PORT), timeout=30)
        t = time.perf_counter(); status = one_request(s); times.append(time.perf_counter() - t); s.close()
        assert status == 200, status
    times.sort()
    return times

base = timed(200)
idle = []
for i in range(IDLE):
    s = socket.create_connection((HOST, PORT), timeout=30)
    one_request(s)
    idle.append(s)
held = timed(200)
print(f"authorized /v1/providers, new connection each: alone p50 {statistics.median(base)*1000:.1f} ms p99 {base[197]*1000:.1f} ms max {base[-1]*1000:.1f} ms")
print(f"  with {len(idle)} idle keep-alive connections held: p50 {statistics.median(held)*1000:.1f} ms p99 {held[197]*1000:.1f} ms max {held[-1]*1000:.1f} ms")
for s in idle:
    s.close()

def closed_after(payload):
    s = socket.create_connection((HOST, PORT), timeout=60)
    t = time.perf_counter()
    if payload:
        s.sendall(payload)
    try:
        while s.recv(4096):
            pass
    except OSError:
        pass
    return time.perf_counter() - t
HALF = b"GET /v1/providers HTTP/1.1\r\nHost: x\r\n"
print(f"slow header (half a request, then silence) closed after {closed_after(HALF):.1f} s")
print(f"silent connection closed after {closed_after(b''):.1f} s")
