#!/usr/bin/env bash
# Authorized latency under an unauthenticated flood: wrk sends wrong keys from one address for 20 s while
# 300 authorized requests are timed one after another. Roomgate must run on other cores (taskset).
set -euo pipefail
port="${1:-8080}"
taskset -c 1 wrk -t1 -c64 -d20s -H 'X-API-Key: wrong-key' "http://127.0.0.1:$port/v1/providers" > /tmp/flood-wrk.txt &
sleep 2
taskset -c 1 python3 - "$port" <<'PY'
import socket, sys, time
port = int(sys.argv[1])
req = b"GET /v1/providers HTTP/1.1\r\nHost: x\r\nX-API-Key: roomgate-demo-key-7f3c9a1e5b\r\nConnection: close\r\n\r\n"
times, statuses = [], {}
for _ in range(300):
    s = socket.create_connection(("127.0.0.1", port), timeout=30)
    t = time.perf_counter(); s.sendall(req); data = b""
    while True:
        chunk = s.recv(65536)
        if not chunk: break
        data += chunk
    times.append(time.perf_counter() - t); s.close()
    code = data[9:12].decode(); statuses[code] = statuses.get(code, 0) + 1
    time.sleep(0.05)
times.sort()
print(f"authorized during the flood: {statuses} p50 {times[150]*1000:.1f} ms p99 {times[296]*1000:.1f} ms max {times[-1]*1000:.1f} ms")
PY
wait
grep -E 'Requests/sec|Non-2xx|Latency' /tmp/flood-wrk.txt
