#!/usr/bin/python3
"""Reference binance processor for the side-by-side benchmark, after the original Python design.

One message per event, decoded with json.loads; the events of each window of event time are
collected, turned into a pandas DataFrame and grouped by symbol (means, sums, first and last
values), and each symbol's row is appended to its own h5py dataset. The transport is pyzmq
PULL (--zmq ENDPOINT) or kafka-python (--kafka BROKERS --topic T).

Prints "ready" once connected and "progress <events>" about four times a second on stdout:
the benchmark reads its rate from there.
"""
import argparse
import json
import sys
import time

import h5py
import numpy as np
import pandas as pd

# Per-window reduction, as the original computed it: a mean, a sum, or first/last values.
AGG = {
    "c": ["mean", "first", "last"],
    "b": "mean",
    "a": "mean",
    "h": "max",
    "l": "min",
    "v": "last",
    "q": "last",
    "n": "sum",
}
FLOATS = ["c", "b", "a", "h", "l", "v", "q"]


class Hdf5Sink:
    """One extendable float dataset per symbol: [window start, count, reduced columns...]."""

    def __init__(self, path):
        self.file = h5py.File(path, "w")
        self.group = self.file.require_group("ticker")

    def append(self, window_start, frame):
        for symbol, row in frame.iterrows():
            values = np.concatenate(([window_start, row["count"]], row.drop("count").to_numpy(dtype="f8")))
            if symbol in self.group:
                ds = self.group[symbol]
                ds.resize(ds.shape[0] + 1, axis=0)
            else:
                ds = self.group.create_dataset(
                    symbol, shape=(1, len(values)), maxshape=(None, len(values)), dtype="f8", chunks=True
                )
            ds[-1] = values
        self.file.flush()

    def close(self):
        self.file.close()


class WindowBatcher:
    """Collects events until one falls in a later window, then reduces the batch with pandas."""

    def __init__(self, sink, window_ms):
        self.sink = sink
        self.window_ms = window_ms
        self.current = None
        self.events = []

    def add(self, data):
        start = data["E"] // self.window_ms * self.window_ms
        if self.current is not None and start > self.current:
            self.flush()
        if self.current is None or start > self.current:
            self.current = start
        self.events.append(data)

    def flush(self):
        if not self.events:
            return
        df = pd.DataFrame(self.events)
        df[FLOATS] = df[FLOATS].astype("float64")
        grouped = df.groupby("s")
        frame = grouped.agg(AGG)
        frame.columns = ["_".join(c) for c in frame.columns]
        frame["count"] = grouped.size()
        self.sink.append(self.current, frame)
        self.events = []


class Progress:
    def __init__(self):
        self.n = 0
        self.next = 0.0

    def report(self, force=False):
        now = time.monotonic()
        if force or now >= self.next:
            sys.stdout.write(f"progress {self.n}\n")
            sys.stdout.flush()
            self.next = now + 0.25


def run_zmq(endpoint, on_message, progress):
    import zmq

    sock = zmq.Context.instance().socket(zmq.PULL)
    sock.setsockopt(zmq.RCVTIMEO, 250)
    sock.connect(endpoint)
    progress.report(force=True)
    print("ready", flush=True)
    while True:
        try:
            msg = sock.recv()
        except zmq.Again:
            progress.report()
            continue
        on_message(json.loads(msg))
        if progress.n & 1023 == 0:
            progress.report()


def run_kafka(brokers, topic, on_message, progress):
    from kafka import KafkaConsumer

    consumer = KafkaConsumer(
        topic,
        bootstrap_servers=brokers.split(","),
        group_id=f"reference-{time.time_ns()}",
        auto_offset_reset="earliest",
        # kafka-python 2.0.2's version probe predates Kafka 3.9: name the protocol level.
        api_version=(2, 5, 0),
        value_deserializer=lambda v: json.loads(v.decode("utf-8")),
    )
    print("ready", flush=True)
    while True:
        records = consumer.poll(timeout_ms=250, max_records=500)
        for batch in records.values():
            for record in batch:
                on_message(record.value)
        progress.report()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--zmq")
    ap.add_argument("--kafka")
    ap.add_argument("--topic")
    ap.add_argument("--out", required=True)
    ap.add_argument("--window-seconds", type=int, default=60)
    args = ap.parse_args()
    batcher = WindowBatcher(Hdf5Sink(args.out), args.window_seconds * 1000)
    progress = Progress()

    def on_message(msg):
        batcher.add(msg["data"])
        progress.n += 1

    if args.zmq:
        run_zmq(args.zmq, on_message, progress)
    else:
        run_kafka(args.kafka, args.topic, on_message, progress)


if __name__ == "__main__":
    main()
