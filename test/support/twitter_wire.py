#!/usr/bin/python3
"""Python's side of the Twitter wire format, used by the end-to-end tests.

  consume --endpoint tcp://127.0.0.1:PORT
      connects a ZeroMQ PULL socket to the twitter-producer (as a Python
      consumer of the original pipeline would) and prints one JSON line per
      message: {"n": k, "pickle_b64": ...}; stops on SIGTERM.
  compare --messages FILE --bodies FILE
      unpickles every message with Python's own pickle and compares it, as a
      Python object, with json.loads of the HTTP body the API sent (both JSON
      lists); prints a JSON summary, exits 1 on a mismatch.
"""
import argparse
import base64
import json
import pickle
import signal
import sys


def consume(endpoint):
    import zmq
    ctx = zmq.Context()
    sock = ctx.socket(zmq.PULL)
    sock.setsockopt(zmq.LINGER, 0)
    sock.connect(endpoint)
    stopping = []
    signal.signal(signal.SIGTERM, lambda *_: stopping.append(1))
    poller = zmq.Poller()
    poller.register(sock, zmq.POLLIN)
    n = 0
    print(json.dumps({"ready": True}), flush=True)
    while not stopping:
        if dict(poller.poll(100)).get(sock):
            msg = sock.recv()
            n += 1
            print(json.dumps({"n": n, "pickle_b64": base64.b64encode(msg).decode("ascii")}), flush=True)
    sock.close()
    ctx.term()
    return 0


def compare(messages_path, bodies_path):
    with open(messages_path, encoding="utf-8") as fh:
        messages = [pickle.loads(base64.b64decode(m)) for m in json.load(fh)]
    with open(bodies_path, encoding="utf-8") as fh:
        bodies = [json.loads(b) for b in json.load(fh)]
    problems = []
    if len(messages) != len(bodies):
        problems.append(f"{len(messages)} messages, {len(bodies)} non-empty responses")
    for i, (got, want) in enumerate(zip(messages, bodies)):
        if got != want:
            problems.append(f"message {i} differs from response {i}: {json.dumps(got)[:200]} vs {json.dumps(want)[:200]}")
    tweets = sum(len(m.get("data", [])) for m in messages if isinstance(m, dict))
    print(json.dumps({"messages": len(messages), "bodies": len(bodies), "tweets": tweets, "problems": problems}))
    return 1 if problems else 0


def main():
    ap = argparse.ArgumentParser()
    sub = ap.add_subparsers(dest="cmd", required=True)
    c = sub.add_parser("consume")
    c.add_argument("--endpoint", required=True)
    k = sub.add_parser("compare")
    k.add_argument("--messages", required=True)
    k.add_argument("--bodies", required=True)
    a = ap.parse_args()
    return consume(a.endpoint) if a.cmd == "consume" else compare(a.messages, a.bodies)


if __name__ == "__main__":
    sys.exit(main())
