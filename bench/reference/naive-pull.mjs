#!/usr/bin/env node
// The practical limit for a Node consumer of single-frame ZeroMQ messages: zeromq.js PULL
// with its default options, JSON.parse of every frame, nothing else.
//   node bench/reference/naive-pull.mjs <endpoint>
// Prints "ready" once connected and "progress <events>" four times a second.
import * as zmq from "zeromq";

const sock = new zmq.Pull();
sock.connect(process.argv[2]);
let n = 0;
let sink = 0;
setInterval(() => process.stdout.write(`progress ${n}\n`), 250);
process.stdout.write("ready\n");
for (;;) {
  const frames = await sock.receive();
  for (const f of frames) {
    sink += JSON.parse(f.toString("utf8")).data.E & 1;
    n++;
  }
}
