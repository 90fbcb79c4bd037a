#!/usr/bin/env python3
"""A fault-injecting HTTP/1.1 proxy for tests: a flaky 3G link between replicas and the hub.

One request per client connection (the proxy answers with "Connection: close"), one upstream
connection per request. Faults, each drawn per request from a seeded generator:

  --reset P       reset the connection mid-body: half the request reaches the hub, then both
                  sides get a TCP RST (the hub never sees a whole request)
  --reset-reply P the hub answers, the client gets half of the answer, then a TCP RST
  --truncate P    the client gets half of the answer, then a clean close (short body)
  --stall P       the hub answers, the client gets nothing for --stall-seconds (past its timeout)
  --duplicate P   the request also reaches the hub a second time, concurrently
  --reorder P     a copy of the request reaches the hub late, after the next 1 to 3 requests
  --latency-ms N  each direction waits N ms
  --bandwidth N   each direction is limited to N bytes per second (3G-like: 50000-100000)

SIGUSR1 turns the random faults off (latency and bandwidth stay), SIGUSR2 turns them back on.
The proxy prints "listening PORT" once ready, and on the standard error one line "fault KIND PATH"
per fault injected and one line "request PATH ENCODING BYTES" per request received (ENCODING is
the request's Content-Encoding or "identity", BYTES the length of its body as received).
"""

import argparse
import asyncio
import random
import signal
import socket
import struct
import sys

CHUNK = 4096


class Proxy:
    def __init__(self, options):
        self.options = options
        self.random = random.Random(options.seed)
        self.faulty = True
        self.late = []  # [requests still to pass, raw request]
        self.tasks = set()

    def draw(self, probability):
        return self.faulty and self.random.random() < probability

    def report(self, kind, path):
        print(f"fault {kind} {path}", file=sys.stderr, flush=True)

    async def send(self, writer, data):
        rate = self.options.bandwidth
        if rate <= 0:
            writer.write(data)
            await writer.drain()
            return
        for start in range(0, len(data), CHUNK):
            piece = data[start:start + CHUNK]
            writer.write(piece)
            await writer.drain()
            await asyncio.sleep(len(piece) / rate)

    async def delay(self):
        if self.options.latency_ms > 0:
            await asyncio.sleep(self.options.latency_ms / 1000)

    async def exchange(self, raw, keep=True):
        """Sends a whole request to the hub and returns its whole answer (it closes after it)."""
        reader, writer = await asyncio.open_connection(self.options.upstream_host, self.options.upstream_port)
        try:
            writer.write(raw)
            await writer.drain()
            return await reader.read(-1) if keep else b""
        finally:
            writer.close()

    def spawn(self, coroutine):
        task = asyncio.ensure_future(coroutine)
        self.tasks.add(task)
        task.add_done_callback(self.tasks.discard)

    async def fire_and_forget(self, raw):
        try:
            await self.exchange(raw)
        except OSError:
            pass

    def release_late(self):
        due = [entry for entry in self.late if entry[0] <= 0]
        self.late = [entry for entry in self.late if entry[0] > 0]
        for entry in self.late:
            entry[0] -= 1
        for _, raw in due:
            self.spawn(self.fire_and_forget(raw))

    async def handle(self, reader, writer):
        try:
            request = await read_request(reader)
            if request is not None:
                await self.serve(request, writer)
        except (OSError, asyncio.IncompleteReadError, ValueError):
            pass
        finally:
            if not writer.is_closing():
                writer.close()

    async def serve(self, request, writer):
        head, body, path = request
        raw = head + body
        print(f"request {path} {content_encoding(head)} {len(body)}", file=sys.stderr, flush=True)
        self.release_late()
        await self.delay()
        if self.draw(self.options.reset):
            self.report("reset", path)
            _, upstream = await asyncio.open_connection(self.options.upstream_host, self.options.upstream_port)
            upstream.write(head + body[: len(body) // 2])
            await upstream.drain()
            abort(upstream)
            abort(writer)
            return
        if self.draw(self.options.duplicate):
            self.report("duplicate", path)
            self.spawn(self.fire_and_forget(raw))
        if self.draw(self.options.reorder):
            self.report("reorder", path)
            self.late.append([self.random.randint(1, 3), raw])
        answer = await self.exchange(raw)
        await self.delay()
        await self.answer(answer, path, writer)

    async def answer(self, answer, path, writer):
        answer = close_connection(answer)
        if self.draw(self.options.stall):
            self.report("stall", path)
            await asyncio.sleep(self.options.stall_seconds)
            abort(writer)
            return
        if self.draw(self.options.reset_reply):
            self.report("reset-reply", path)
            await self.send(writer, answer[: len(answer) // 2])
            abort(writer)
            return
        if self.draw(self.options.truncate):
            self.report("truncate", path)
            await self.send(writer, answer[: len(answer) // 2])
            writer.close()
            return
        await self.send(writer, answer)
        writer.close()


async def read_request(reader):
    """Reads one request: its head (with "Connection: close") and its Content-Length body."""
    try:
        head = await reader.readuntil(b"\r\n\r\n")
    except asyncio.IncompleteReadError:
        return None
    lines = head.decode("latin-1").split("\r\n")
    path = lines[0].split(" ")[1] if " " in lines[0] else "?"
    length = 0
    kept = [lines[0]]
    for line in lines[1:]:
        name = line.split(":", 1)[0].strip().lower()
        if name == "content-length":
            length = int(line.split(":", 1)[1])
        if name == "transfer-encoding":
            raise ValueError("chunked requests are not supported")
        if line and name != "connection":
            kept.append(line)
    body = await reader.readexactly(length) if length else b""
    new_head = ("\r\n".join(kept + ["Connection: close", "", ""])).encode("latin-1")
    return new_head, body, path


def content_encoding(head):
    """The request's Content-Encoding, or "identity" without one."""
    for line in head.decode("latin-1").split("\r\n")[1:]:
        name, _, value = line.partition(":")
        if name.strip().lower() == "content-encoding" and value.strip():
            return value.strip().lower()
    return "identity"


def close_connection(answer):
    """Rewrites an answer's head to say "Connection: close"."""
    end = answer.find(b"\r\n\r\n")
    if end < 0:
        return answer
    lines = [line for line in answer[:end].split(b"\r\n") if not line.lower().startswith(b"connection:")]
    return b"\r\n".join(lines + [b"Connection: close"]) + answer[end:]


def abort(writer):
    """Closes with a TCP RST instead of a FIN."""
    sock = writer.get_extra_info("socket")
    if sock is not None:
        try:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        except OSError:
            pass
    writer.transport.abort()


async def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--upstream", required=True, help="host:port of the hub")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--seed", type=int, default=1)
    for name in ("reset", "reset-reply", "truncate", "stall", "duplicate", "reorder"):
        parser.add_argument(f"--{name}", type=float, default=0.0)
    parser.add_argument("--stall-seconds", type=float, default=5.0)
    parser.add_argument("--latency-ms", type=float, default=0.0)
    parser.add_argument("--bandwidth", type=int, default=0)
    options = parser.parse_args()
    host, port = options.upstream.rsplit(":", 1)
    options.upstream_host, options.upstream_port = host, int(port)
    proxy = Proxy(options)
    loop = asyncio.get_running_loop()
    loop.add_signal_handler(signal.SIGUSR1, lambda: setattr(proxy, "faulty", False))
    loop.add_signal_handler(signal.SIGUSR2, lambda: setattr(proxy, "faulty", True))
    stop = asyncio.Event()
    loop.add_signal_handler(signal.SIGTERM, stop.set)
    server = await asyncio.start_server(proxy.handle, "127.0.0.1", options.port)
    print(f"listening {server.sockets[0].getsockname()[1]}", flush=True)
    async with server:
        await stop.wait()


if __name__ == "__main__":
    asyncio.run(main())
