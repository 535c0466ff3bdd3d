"""Benchmark: ``shallot dav`` against WsgiDAV 4 (and Apache mod_dav where installed), each a real
server process on loopback serving the same prepared folder.

Usage: ``python tools/bench/dav.py [--scenarios propfind,get,put,wrk,lock,mixed] [--rounds N]
[--big-mib 1024] [--wrk-seconds 5] [--workdir DIR] [--keep]``.

Servers: ``shallot dav`` as users run it (cheroot, locks and properties in SQLite), WsgiDAV 4.x on
cheroot as its command runs it (50 threads) with its property manager and lock storage switched on
(in memory: WsgiDAV's persistent ones need ``shelve``, which falls back to the slow ``dbm.dumb``
here), and Apache 2 with mod_dav_fs when ``apache2`` is installed. Both Python servers get a
listen backlog of 1,024, so ``wrk``'s opening burst of connections is not dropped by one of them.

Scenarios (each verified on every server before it is timed; servers interleaved A B A B):

- ``propfind``: PROPFIND Depth 1 on folders of 1,000 and 10,000 files, ``allprop`` and three named
  properties (the 207 must list every member); milliseconds per request.
- ``get``: GET of a 1 GiB file (its page cache warmed first); MB/s and the server's peak RSS
  (``VmHWM``, reset through ``/proc/PID/clear_refs`` before each transfer). Every byte is compared
  in an untimed GET; the timed ones check status and length (comparing costs more than serving).
- ``put``: PUT of 1 GiB with Content-Length and chunked (after ``os.sync()``); MB/s, peak RSS.
- ``wrk``: ``wrk`` on a 4 KiB file; requests per second.
- ``lock``: LOCK then UNLOCK of one file on a keep-alive connection; milliseconds per pair, for
  ``shallot dav`` on SQLite and on memory.
- ``mixed``: MKCOL, 200 PUTs of 1 KiB, PROPFIND Depth 1, COPY, MOVE, DELETE; seconds per sequence.

Requests go through :class:`Connection`, a minimal keep-alive client, so that what is timed is the
server: ``http.client`` spent as much CPU per small request as ``shallot dav`` did. The GET of the
big file streams through ``http.client`` (its cost per byte is small).

The ``mixed`` sequence creates 400 files and deletes them. On ext4 *without a journal* (this
project's build machines), every file created within a minute or so of many deletions in its
block group costs the kernel a scan past the recently deleted inodes (``recently_deleted`` in
``fs/ext4/ialloc.c``, seen with ``perf``: up to ~1 ms per file after a few rounds), the same for
every server (with a journal, ext4 does not scan). With each round's collection at the same URL,
in the same folder, every round created its files where the last rounds had deleted theirs: the
scan outweighed the servers' own work and pulled every ratio towards 1 (Apache took 0.31-0.50 of
WsgiDAV's time; in the figures the targets were set against, 0.32). So the served folder carries
ext4's ``TOPDIR`` flag (``chattr +T``), with which the Orlov allocator spreads the folders made
in it over the disk's block groups, and each round's collection has a name of its own: each
round's files land away from earlier rounds' deletions, save when two collections happen to share
a group. The benchmark prints whether the flag could be set (tmpfs has no such flag, and no such
scan).

Printed: each server's median figure and median server CPU time per operation (user and system,
summed over the server's processes, read from ``/proc``: steadier than wall time on a shared
machine), then ours/theirs for each peer (for times below 1.00 means we are faster; for rates
above 1.00 does), with the machine's load before and after. A default run takes five to seven
minutes and needs ~4 GiB of free disk in the work folder.
"""

from __future__ import annotations

import argparse
import array
import contextlib
import fcntl
import functools
import http.client
import itertools
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from collections.abc import Callable

MIB = 1024 * 1024
BLOCK = bytes(range(256)) * (MIB // 256)
"""The 1 MiB block big files repeat: every byte received can be checked against it."""
PATTERN = BLOCK + BLOCK[:256]
"""The bytes at any offset ``o`` of a big file, ``n`` <= 1 MiB long: ``PATTERN[o % 256 :][:n]``."""
ROUNDS = {"propfind": 9, "propfind10k": 5, "get": 3, "put": 3, "wrk": 3, "lock": 5, "mixed": 7}
LOCK_PAIRS = 200
MIXED_PUTS = 200
ALLPROP = (
    b'<?xml version="1.0" encoding="utf-8"?><D:propfind xmlns:D="DAV:"><D:allprop/></D:propfind>'
)
NAMED = (
    b'<?xml version="1.0" encoding="utf-8"?><D:propfind xmlns:D="DAV:"><D:prop>'
    b"<D:getcontentlength/><D:getlastmodified/><D:resourcetype/></D:prop></D:propfind>"
)
LOCKINFO = (
    b'<?xml version="1.0" encoding="utf-8"?><D:lockinfo xmlns:D="DAV:">'
    b"<D:lockscope><D:exclusive/></D:lockscope><D:locktype><D:write/></D:locktype>"
    b"<D:owner>bench</D:owner></D:lockinfo>"
)
RESPONSE = re.compile(rb"<(?:[A-Za-z0-9]+:)?response[ >]")
FS_IOC_GETFLAGS = 0x80086601
FS_IOC_SETFLAGS = 0x40086602
FS_TOPDIR_FL = 0x00020000
MIXED_ROUNDS = itertools.count()
"""Numbers each mixed round's collection, so that each is new to the file system."""

WSGIDAV = """
import logging, sys
from cheroot import wsgi
from wsgidav.wsgidav_app import WsgiDAVApp

logging.disable(logging.CRITICAL)
app = WsgiDAVApp({
    "provider_mapping": {"/": sys.argv[1]},
    "simple_dc": {"user_mapping": {"*": True}},
    "property_manager": True,
    "lock_storage": True,
    "verbose": 0,
    "logging": {"enable": False},
})
server = wsgi.Server(("127.0.0.1", 0), app, numthreads=50, request_queue_size=1024)
server.prepare()
print(f"Serving on http://127.0.0.1:{server.bind_addr[1]}/", flush=True)
server.serve()
"""

APACHE = """
ServerRoot "{work}"
PidFile "{work}/apache.pid"
Listen 127.0.0.1:{port}
LoadModule mpm_event_module {modules}/mod_mpm_event.so
LoadModule authz_core_module {modules}/mod_authz_core.so
LoadModule dav_module {modules}/mod_dav.so
LoadModule dav_fs_module {modules}/mod_dav_fs.so
{user}
ErrorLog "{work}/apache-error.log"
LimitRequestBody 0
DocumentRoot "{root}"
DavLockDB "{work}/apache-davlock"
<Directory "{root}">
  Dav On
  Require all granted
</Directory>
"""


class Sample(NamedTuple):
    """One timed run: its figure, and how many operations it covered (for CPU per operation)."""

    value: float
    operations: int = 1


@dataclass
class Server:
    """One server process on loopback and what the scenarios need to reach and measure it."""

    name: str
    process: subprocess.Popen[bytes]
    port: int
    pid: int
    log: Path
    rss_peaks: list[int] = field(default_factory=list)

    def connection(self, timeout: float = 600) -> Connection:
        return Connection(self.port, timeout)

    def tree(self) -> list[int]:
        """The server's process and its descendants (Apache serves from child processes)."""
        found, pending = [], [self.pid]
        while pending:
            pid = pending.pop()
            found.append(pid)
            for task in Path(f"/proc/{pid}/task").glob("*/children"):
                with contextlib.suppress(FileNotFoundError):
                    pending.extend(int(child) for child in task.read_text().split())
        return found

    def reset_peak(self) -> None:
        for pid in self.tree():
            with contextlib.suppress(FileNotFoundError):
                Path(f"/proc/{pid}/clear_refs").write_text("5")

    def peak_rss(self) -> int:
        """The peak resident sets of the server's processes since the last reset, summed."""
        total = 0
        for pid in self.tree():
            with contextlib.suppress(FileNotFoundError):
                status = Path(f"/proc/{pid}/status").read_text()
                total += int(status.split("VmHWM:", 1)[1].split()[0]) * 1024
        return total

    def cpu_seconds(self) -> float:
        """User and system CPU time the server's processes have used so far."""
        total = 0
        for pid in self.tree():
            with contextlib.suppress(FileNotFoundError):
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
                total += int(fields[11]) + int(fields[12])
        return total / os.sysconf("SC_CLK_TCK")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def spread_folders(folder: Path) -> bool:
    """Set ext4's ``TOPDIR`` flag on ``folder`` (see the module docs); whether it could be set."""
    descriptor = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    try:
        flags = array.array("l", [0])
        fcntl.ioctl(descriptor, FS_IOC_GETFLAGS, flags)
        flags[0] |= FS_TOPDIR_FL
        fcntl.ioctl(descriptor, FS_IOC_SETFLAGS, flags)
    except OSError:
        return False
    finally:
        os.close(descriptor)
    return True


def start(name: str, command: list[str], work: Path) -> Server:
    """Run ``command`` and wait for the URL it announces on its first line."""
    log = work / f"{name}.log"
    with log.open("wb") as errors:
        process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=errors)
    assert process.stdout is not None
    banner = process.stdout.readline().decode()
    match = re.search(r"http://127\.0\.0\.1:(\d+)/", banner)
    if match is None:
        process.kill()
        raise SystemExit(f"{name} did not start: {banner!r}; see {log}")
    return Server(name, process, int(match[1]), process.pid, log)


def start_apache(root: Path, work: Path) -> Server | None:
    """Apache with mod_dav_fs in the foreground, or ``None`` when it is not installed.

    As root, Apache's workers run as ``www-data``, so the work folder is opened to them.
    """
    binary = shutil.which("apache2") or shutil.which("httpd") or shutil.which("/usr/sbin/apache2")
    modules = Path("/usr/lib/apache2/modules")
    if binary is None or not (modules / "mod_dav_fs.so").exists():
        return None
    user = ""
    if os.geteuid() == 0:
        user = "User www-data\nGroup www-data"
        for folder, _, files in os.walk(work):
            os.chmod(folder, 0o777)
            for name in files:
                os.chmod(os.path.join(folder, name), 0o666)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    conf = work / "apache.conf"
    conf.write_text(APACHE.format(work=work, port=port, modules=modules, root=root, user=user))
    log = work / "apache.log"
    with log.open("wb") as errors:
        process = subprocess.Popen(
            [binary, "-f", str(conf), "-DFOREGROUND"], stdout=errors, stderr=errors
        )
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return Server("apache", process, port, process.pid, log)
        except OSError:
            time.sleep(0.1)
    process.kill()
    print(f"apache did not start; see {log}", file=sys.stderr)
    return None


class Connection:
    """A keep-alive HTTP/1.1 connection as lean as the checks allow, so that figures are the
    server's: each request goes out in one ``sendall``, and of the answer only the status line,
    the framing fields and the fields asked for are read.

    ``http.client`` cost ~0.25 ms of client CPU per request here, as much as a small request
    costs ``shallot dav``: it doubled the LOCK+UNLOCK figure of a fast server and hid most of
    the difference between servers. This client costs ~0.05 ms.
    """

    def __init__(self, port: int, timeout: float) -> None:
        self.port, self.timeout = port, timeout
        self.host = f"127.0.0.1:{port}"
        self.open()

    def open(self) -> None:
        self.sock = socket.create_connection(("127.0.0.1", self.port), timeout=self.timeout)
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.file = self.sock.makefile("rb")

    def request(
        self,
        method: str,
        path: str,
        body: bytes | None = None,
        headers: dict[str, str] | None = None,
        keep: tuple[bytes, ...] = (),
    ) -> tuple[int, bytes, dict[bytes, bytes]]:
        """Send a request; its status, body, and the answer's fields named in ``keep`` (lower
        case). An answer that closes the connection (Apache's after 100 requests) opens another
        for the next request, as ``http.client`` does."""
        lines = [f"{method} {path} HTTP/1.1", f"Host: {self.host}"]
        lines.extend(f"{name}: {value}" for name, value in (headers or {}).items())
        if body is not None:
            lines.append(f"Content-Length: {len(body)}")
        self.sock.sendall("\r\n".join(lines).encode("latin-1") + b"\r\n\r\n" + (body or b""))
        status = int(self.file.readline().split(b" ", 2)[1])
        length: int | None = None
        chunked = closing = False
        kept = {}
        while (line := self.file.readline()) not in (b"\r\n", b""):
            name, _, value = line.partition(b":")
            name = name.strip().lower()
            if name == b"content-length":
                length = int(value)
            elif name == b"transfer-encoding":
                chunked = b"chunked" in value.lower()
            elif name == b"connection":
                closing = b"close" in value.lower()
            elif name in keep:
                kept[name] = value.strip()
        data = b""
        if method == "HEAD" or status in (204, 304):
            pass
        elif chunked:
            pieces = []
            while size := int(self.file.readline().split(b";")[0], 16):
                pieces.append(self.file.read(size))
                self.file.readline()
            while self.file.readline() not in (b"\r\n", b""):  # trailer fields
                pass
            data = b"".join(pieces)
        else:  # without a length, the body ends with the connection
            data = self.file.read(-1 if length is None else length)
            closing = closing or length is None
        if closing:
            self.close()
            self.open()
        return status, data, kept

    def close(self) -> None:
        self.file.close()
        self.sock.close()


def expect(status: int, wanted: tuple[int, ...], what: str, server: Server) -> None:
    if status not in wanted:
        raise SystemExit(f"{server.name}: {what} answered {status}, expected {wanted}")


# The prepared folder.


def prepare(root: Path, big_mib: int, scenarios: set[str]) -> None:
    for count in (1000, 10000) if "propfind" in scenarios else ():
        folder = root / f"p{count}"
        folder.mkdir()
        for index in range(count):
            (folder / f"file-{index:05}.txt").write_bytes(b"x" * (index % 500))
    (root / "small.bin").write_bytes(BLOCK[:4096])
    (root / "lockme.txt").write_bytes(b"lock me")
    (root / "put").mkdir()
    if "get" in scenarios:
        with (root / "big.bin").open("wb") as big:
            for _ in range(big_mib):
                big.write(BLOCK)
    os.sync()


# Scenarios: each returns (verify, measure) for a server; measure returns one sample.


def propfind(count: int, body: bytes) -> Callable[[Server], Sample]:
    path = f"/p{count}/"

    def once(server: Server) -> Sample:
        conn = server.connection()
        try:
            started = time.perf_counter()
            status, data, _ = conn.request("PROPFIND", path, body, {"Depth": "1"})
            elapsed = time.perf_counter() - started
        finally:
            conn.close()
        expect(status, (207,), f"PROPFIND {path}", server)
        listed = len(RESPONSE.findall(data))
        if listed != count + 1:
            raise SystemExit(f"{server.name}: PROPFIND {path} listed {listed} of {count + 1}")
        if body is NAMED and data.count(b"getcontentlength>") < 2 * count:
            raise SystemExit(f"{server.name}: PROPFIND {path} lacks getcontentlength")
        return Sample(elapsed * 1000)

    return once


def get_big(size: int, root: Path) -> Callable[[Server], Sample]:
    """A timed GET of the big file (its page cache warmed first): status and length checked."""

    def once(server: Server) -> Sample:
        with (root / "big.bin").open("rb") as warm:
            while warm.read(8 * MIB):
                pass
        server.reset_peak()
        started = time.perf_counter()
        received = fetch_big(server, None)
        elapsed = time.perf_counter() - started
        if received != size:
            raise SystemExit(f"{server.name}: GET /big.bin gave {received} of {size} bytes")
        server.rss_peaks.append(server.peak_rss())
        return Sample(size / elapsed / 1e6)

    return once


def fetch_big(server: Server, check: Callable[[int, bytes], None] | None) -> int:
    """GET the big file, passing each piece and its offset to ``check``; the bytes received."""
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=600)
    buffer = bytearray(MIB)
    received = 0
    try:
        conn.request("GET", "/big.bin")
        response = conn.getresponse()
        expect(response.status, (200,), "GET /big.bin", server)
        while count := response.readinto(buffer):
            if check is not None:
                check(received, bytes(buffer[:count]))
            received += count
    finally:
        conn.close()
    return received


def verify_get(server: Server) -> None:
    """An untimed GET whose every byte is compared with the file's (comparing costs more than
    the transfer, so timed GETs check the status and the length only)."""

    def check(offset: int, piece: bytes) -> None:
        start_at = offset % 256
        if piece != PATTERN[start_at : start_at + len(piece)]:
            raise SystemExit(f"{server.name}: GET /big.bin: wrong bytes at {offset}")

    fetch_big(server, check)


def put_big(size: int, root: Path, chunked: bool) -> Callable[[Server], Sample]:
    def once(server: Server) -> Sample:
        path = f"/put/{server.name}-{'chunked' if chunked else 'length'}.bin"
        os.sync()
        server.reset_peak()
        framing = "Transfer-Encoding: chunked" if chunked else f"Content-Length: {size}"
        head = f"PUT {path} HTTP/1.1\r\nHost: 127.0.0.1:{server.port}\r\n{framing}\r\n"
        with socket.create_connection(("127.0.0.1", server.port), timeout=600) as sock:
            started = time.perf_counter()
            sock.sendall(f"{head}Connection: close\r\n\r\n".encode())
            for _ in range(size // MIB):
                if chunked:
                    sock.sendall(b"100000\r\n" + BLOCK + b"\r\n")
                else:
                    sock.sendall(BLOCK)
            if chunked:
                sock.sendall(b"0\r\n\r\n")
            response = http.client.HTTPResponse(sock)
            response.begin()
            response.read()
            elapsed = time.perf_counter() - started
        expect(response.status, (200, 201, 204), f"PUT {path}", server)
        server.rss_peaks.append(server.peak_rss())
        stored = root / path.lstrip("/")
        if stored.stat().st_size != size:
            raise SystemExit(f"{server.name}: PUT {path} stored {stored.stat().st_size} bytes")
        return Sample(size / elapsed / 1e6)

    return once


def verify_put(root: Path, server: Server, chunked: bool) -> None:
    """After the untimed first PUT: every byte on disk is the block's."""
    stored = root / "put" / f"{server.name}-{'chunked' if chunked else 'length'}.bin"
    with stored.open("rb") as data:
        while chunk := data.read(MIB):
            if chunk != BLOCK[: len(chunk)]:
                raise SystemExit(f"{server.name}: PUT stored wrong bytes")


def wrk(seconds: int, connections: int) -> Callable[[Server], Sample]:
    executable = shutil.which("wrk")

    def once(server: Server) -> Sample:
        if executable is None:
            raise SystemExit("wrk is not installed (apt-get install wrk)")
        url = f"http://127.0.0.1:{server.port}/small.bin"
        done = subprocess.run(
            [executable, "-t1", f"-c{connections}", f"-d{seconds}s", url],
            capture_output=True,
            text=True,
            check=True,
        )
        if "Non-2xx" in done.stdout:
            raise SystemExit(f"{server.name}: wrk saw errors:\n{done.stdout}")
        rate = re.search(r"Requests/sec:\s+([\d.]+)", done.stdout)
        count = re.search(r"(\d+) requests in", done.stdout)
        if rate is None or count is None:
            raise SystemExit(f"wrk printed no rate:\n{done.stdout}")
        return Sample(float(rate[1]), int(count[1]))

    return once


def verify_small(server: Server) -> None:
    conn = server.connection()
    try:
        status, data, _ = conn.request("GET", "/small.bin")
    finally:
        conn.close()
    if status != 200 or data != BLOCK[:4096]:
        raise SystemExit(f"{server.name}: GET /small.bin answered {status}, {len(data)} bytes")


def lock_pairs(server: Server) -> Sample:
    conn = server.connection()
    headers = {"Depth": "0", "Timeout": "Second-60", "Content-Type": "application/xml"}
    try:
        started = time.perf_counter()
        for _ in range(LOCK_PAIRS):
            status, _, fields = conn.request(
                "LOCK", "/lockme.txt", LOCKINFO, headers, keep=(b"lock-token",)
            )
            expect(status, (200,), "LOCK /lockme.txt", server)
            token = fields.get(b"lock-token", b"").decode("latin-1")
            status, _, _ = conn.request("UNLOCK", "/lockme.txt", None, {"Lock-Token": token})
            expect(status, (204,), "UNLOCK /lockme.txt", server)
        return Sample((time.perf_counter() - started) / LOCK_PAIRS * 1000, LOCK_PAIRS)
    finally:
        conn.close()


def mixed(server: Server) -> Sample:
    conn = server.connection()
    base = f"/mix-{server.name}-{next(MIXED_ROUNDS)}"
    destination = f"http://127.0.0.1:{server.port}{base}"
    data = BLOCK[:1024]
    try:
        started = time.perf_counter()
        status, _, _ = conn.request("MKCOL", f"{base}/")
        expect(status, (201,), "MKCOL", server)
        for index in range(MIXED_PUTS):
            status, _, _ = conn.request("PUT", f"{base}/f{index:03}.txt", data)
            expect(status, (201,), "PUT", server)
        status, body, _ = conn.request("PROPFIND", f"{base}/", ALLPROP, {"Depth": "1"})
        expect(status, (207,), "PROPFIND", server)
        if len(RESPONSE.findall(body)) != MIXED_PUTS + 1:
            raise SystemExit(f"{server.name}: mixed PROPFIND listed the wrong members")
        copy_to = {"Destination": f"{destination}-copy/"}
        status, _, _ = conn.request("COPY", f"{base}/", None, copy_to)
        expect(status, (201,), "COPY", server)
        status, _, _ = conn.request(
            "MOVE", f"{base}-copy/", None, {"Destination": f"{destination}-moved/"}
        )
        expect(status, (201,), "MOVE", server)
        for path in (f"{base}/", f"{base}-moved/"):
            status, _, _ = conn.request("DELETE", path)
            expect(status, (204,), "DELETE", server)
        return Sample(time.perf_counter() - started)
    finally:
        conn.close()


# Running and reporting.


def run_case(
    title: str,
    unit: str,
    higher_is_better: bool,
    servers: list[Server],
    once: Callable[[Server], Sample],
    rounds: int,
    verify: Callable[[Server], None] | None = None,
) -> None:
    """Verify (an untimed run, plus ``verify``) on every server, then time them interleaved.

    Prints each server's median figure and median server CPU time per operation (user and
    system, from ``/proc``: steadier than wall time on a shared machine), then ours/theirs.
    """
    for server in servers:
        once(server)
        if verify is not None:
            verify(server)
        server.rss_peaks.clear()
    figures: dict[str, list[float]] = {server.name: [] for server in servers}
    cpu: dict[str, list[float]] = {server.name: [] for server in servers}
    for _ in range(rounds):
        for server in servers:
            before = server.cpu_seconds()
            sample = once(server)
            figures[server.name].append(sample.value)
            cpu[server.name].append((server.cpu_seconds() - before) / sample.operations * 1000)
    better = "higher" if higher_is_better else "lower"
    print(f"{title} ({unit}, {better} is better)", flush=True)
    value = {name: statistics.median(values) for name, values in figures.items()}
    per_op = {name: statistics.median(values) for name, values in cpu.items()}
    for server in servers:
        peak = f"  peak RSS {max(server.rss_peaks) / MIB:4.0f} MiB" if server.rss_peaks else ""
        print(
            f"  {server.name:<15} {value[server.name]:>12,.2f}"
            f"  server CPU {per_op[server.name]:>9,.3f} ms/op{peak}"
        )
    ours = servers[0].name
    for server in servers[1:]:
        theirs = server.name
        cpu_ratio = per_op[ours] / per_op[theirs] if per_op[theirs] else float("nan")
        print(f"  {ours}/{theirs}: {value[ours] / value[theirs]:.3f} (CPU {cpu_ratio:.2f})")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scenarios", default="propfind,get,put,wrk,lock,mixed")
    parser.add_argument("--rounds", type=int, help="timed rounds per case (default: per case)")
    parser.add_argument("--big-mib", type=int, default=1024, help="size of the GET/PUT file")
    parser.add_argument("--wrk-seconds", type=int, default=5)
    parser.add_argument("--wrk-connections", type=int, default=50)
    parser.add_argument("--workdir", type=Path, help="where the folder is prepared (default: tmp)")
    parser.add_argument("--keep", action="store_true", help="keep the work folder")
    args = parser.parse_args(argv)
    scenarios = set(args.scenarios.split(","))
    unknown = scenarios - {"propfind", "get", "put", "wrk", "lock", "mixed"}
    if unknown:
        parser.error(f"unknown scenarios: {', '.join(sorted(unknown))}")
    work = Path(tempfile.mkdtemp(prefix="shallot-bench-dav-", dir=args.workdir))
    root = work / "root"
    root.mkdir()
    servers: list[Server] = []
    try:
        prepare(root, args.big_mib, scenarios)
        shallot = [sys.executable, "-m", "shallot.cli", "dav", str(root), "--port", "0"]
        servers.append(start("shallot", [*shallot, "--state", str(work / "state")], work))
        wsgidav = [sys.executable, "-c", textwrap.dedent(WSGIDAV), str(root)]
        servers.append(start("wsgidav", wsgidav, work))
        apache = start_apache(root, work)
        if apache is not None:
            servers.append(apache)
        rounds = {case: args.rounds or default for case, default in ROUNDS.items()}
        load = os.getloadavg()
        names = ", ".join(s.name for s in servers) + ("" if apache else " (apache2 not installed)")
        print(f"{os.cpu_count()} CPUs, load {load[0]:.2f} {load[1]:.2f}; servers: {names}")
        if "mixed" in scenarios:
            spread = "set" if spread_folders(root) else "not supported here"
            print(f"{root}: ext4 TOPDIR flag {spread} (see the module docs)")
        size = args.big_mib * MIB
        if "propfind" in scenarios:
            for count, key in ((1000, "propfind"), (10000, "propfind10k")):
                for label, body in (("allprop", ALLPROP), ("named", NAMED)):
                    title = f"PROPFIND Depth 1, {count:,} files, {label}"
                    run_case(title, "ms", False, servers, propfind(count, body), rounds[key])
        if "get" in scenarios:
            once = get_big(size, root)
            title = f"GET {args.big_mib} MiB"
            run_case(title, "MB/s", True, servers, once, rounds["get"], verify_get)
        if "put" in scenarios:
            for chunked in (False, True):
                title = f"PUT {args.big_mib} MiB, {'chunked' if chunked else 'Content-Length'}"
                once = put_big(size, root, chunked)
                check = functools.partial(verify_put, root, chunked=chunked)
                run_case(title, "MB/s", True, servers, once, rounds["put"], check)
        if "wrk" in scenarios:
            title = f"wrk GET 4 KiB, {args.wrk_connections} connections"
            once = wrk(args.wrk_seconds, args.wrk_connections)
            run_case(title, "req/s", True, servers, once, rounds["wrk"], verify_small)
        if "lock" in scenarios:
            run_case("LOCK+UNLOCK (SQLite state)", "ms", False, servers, lock_pairs, rounds["lock"])
            memory = start("shallot-memory", [*shallot, "--state", "memory"], work)
            try:
                peers = [memory, *servers[1:]]
                run_case(
                    "LOCK+UNLOCK (memory state)", "ms", False, peers, lock_pairs, rounds["lock"]
                )
            finally:
                memory.stop()
        if "mixed" in scenarios:
            title = f"MKCOL, {MIXED_PUTS} PUTs, PROPFIND, COPY, MOVE, DELETE"
            run_case(title, "s", False, servers, mixed, rounds["mixed"])
        load = os.getloadavg()
        print(f"load after: {load[0]:.2f} {load[1]:.2f}")
    finally:
        for server in servers:
            server.stop()
        if args.keep:
            print(f"kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
