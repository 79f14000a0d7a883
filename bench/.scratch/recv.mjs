// receive strategies micro-bench: node /tmp/i13-recv.mjs <strategy> <hwm> <events>
import * as zmq from "zeromq";
import { fork } from "node:child_process";
const [strategy, hwm, eventsArg] = process.argv.slice(2);
const events = Number(eventsArg);
const ep = `tcp://127.0.0.1:${27000 + Math.floor(Math.random() * 1000)}`;
const gen = fork("/work/wt-issue13/bench/ticker-loadgen.mjs", [ep, String(events), "200", "1"]);
await new Promise((r) => gen.once("message", r));
const sock = new zmq.Pull({ receiveHighWaterMark: Number(hwm), linger: 0 });
sock.connect(ep);
let n = 0,
  sink = 0,
  t0,
  batches = 0;
const parse = (f) => {
  sink += JSON.parse(f.toString("utf8")).data.E & 1;
  n++;
};
const cpu0 = process.cpuUsage();
if (strategy === "naive") {
  while (n < events) {
    const fr = await sock.receive();
    if (!t0) t0 = performance.now();
    for (const f of fr) parse(f);
  }
} else if (strategy === "readable") {
  while (n < events) {
    const b = [];
    b.push(await sock.receive());
    if (!t0) t0 = performance.now();
    while (b.length < 5000 && sock.readable) b.push(await sock.receive());
    batches++;
    for (const fr of b) for (const f of fr) parse(f);
    await null;
  }
} else if (strategy === "sync0") {
  // receiveTimeout 0: receive() resolves or rejects synchronously; only wait (timeout -1) when empty.
  sock.receiveTimeout = 0;
  while (n < events) {
    const ps = [];
    for (let k = 0; k < 5000; k++) {
      const p = sock.receive();
      ps.push(p);
    }
    const rs = await Promise.allSettled(ps);
    let got = 0;
    for (const r of rs)
      if (r.status === "fulfilled") {
        got++;
        for (const f of r.value) parse(f);
      }
    if (got && !t0) t0 = performance.now();
    batches++;
    if (got === 0) {
      sock.receiveTimeout = -1;
      const fr = await sock.receive();
      sock.receiveTimeout = 0;
      for (const f of fr) parse(f);
      if (!t0) t0 = performance.now();
    }
  }
} else if (strategy === "t0each") {
  sock.receiveTimeout = 0;
  while (n < events) {
    const b = [];
    try {
      while (b.length < 5000) b.push(await sock.receive());
    } catch (e) {
      if (e.code !== "EAGAIN") throw e;
    }
    batches++;
    if (b.length === 0) {
      sock.receiveTimeout = -1;
      b.push(await sock.receive());
      sock.receiveTimeout = 0;
    }
    if (!t0) t0 = performance.now();
    for (const fr of b) for (const f of fr) parse(f);
    await new Promise(setImmediate);
  }
} else if (strategy === "sync0r") {
  sock.receiveTimeout = 0;
  while (n < events) {
    const ps = [];
    while (ps.length < 5000 && sock.readable) ps.push(sock.receive());
    batches++;
    if (ps.length === 0) {
      sock.receiveTimeout = -1;
      const fr = await sock.receive();
      sock.receiveTimeout = 0;
      for (const f of fr) parse(f);
      if (!t0) t0 = performance.now();
      continue;
    }
    const rs = await Promise.all(ps);
    if (!t0) t0 = performance.now();
    for (const fr of rs) for (const f of fr) parse(f);
  }
}
const s = (performance.now() - t0) / 1000;
const c = process.cpuUsage(cpu0);
console.log(
  strategy,
  hwm,
  Math.round(n / s),
  "ev/s",
  "mainCPU s/M",
  (((c.user + c.system) / 1e6 / n) * 1e6).toFixed(2),
  "batches",
  batches,
  "rss",
  Math.round(process.memoryUsage().rss / 2 ** 20),
);
gen.kill();
sock.close();
process.exit(0);
