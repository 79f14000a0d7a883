#!/usr/bin/python3
"""The one load generator of the twitter comparison: a ZeroMQ PUSH that sends the pickled
search responses of a file written by twitter-input.mjs (uint32 LE length, then the pickle),
one response per single-frame message, as the twitter-producer publishes them (one
publish per page: ZmqPushProducer sends it as one frame; PUSH with sndhwm 1000, immediate).

One process serves every contender of a run, one after the other; the harness drives it
with one command per stdin line and reads one answer line per command on stdout:

  bind ENDPOINT  a fresh PUSH socket bound to ENDPOINT        -> "bound"
  wait           until a peer has connected (ZMTP handshake)  -> "connected"
  send           every record, as fast as the peer takes them -> "sent <first> <last>"
                 (epoch ms, time.time(), of the first and the last send)
  close          closes the socket (nothing left queued)      -> "closed"

  twitter-push.py FILE
"""
import struct
import sys
import time

import zmq
from zmq.utils.monitor import recv_monitor_message


def read_records(path):
    with open(path, "rb") as f:
        data = f.read()
    out, at = [], 0
    while at < len(data):
        (n,) = struct.unpack_from("<I", data, at)
        out.append(data[at + 4 : at + 4 + n])
        at += 4 + n
    return out


def main():
    records = read_records(sys.argv[1])
    ctx = zmq.Context()
    sock = monitor = None

    def answer(line):
        sys.stdout.write(line + "\n")
        sys.stdout.flush()

    for line in sys.stdin:
        cmd, *args = line.split()
        if cmd == "bind":
            sock = ctx.socket(zmq.PUSH)
            sock.setsockopt(zmq.SNDHWM, 1000)
            sock.setsockopt(zmq.IMMEDIATE, 1)
            sock.setsockopt(zmq.LINGER, 5000)
            monitor = sock.get_monitor_socket(zmq.EVENT_HANDSHAKE_SUCCEEDED)
            sock.bind(args[0])
            answer("bound")
        elif cmd == "wait":
            recv_monitor_message(monitor)
            answer("connected")
        elif cmd == "send":
            first = time.time()
            for r in records:
                sock.send(r, copy=False)
            last = time.time()
            answer(f"sent {first * 1000:.1f} {last * 1000:.1f}")
        elif cmd == "close":
            sock.disable_monitor()
            monitor.close(0)
            sock.close()
            sock = monitor = None
            answer("closed")
    ctx.term()


if __name__ == "__main__":
    main()
