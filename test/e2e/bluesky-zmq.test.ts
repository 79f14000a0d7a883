/**
 * End to end over ZeroMQ for Bluesky: the Jetstream simulator, the real
 * bluesky-producer and twitter-processor as separate processes, through a
 * dropped connection and a producer restart; Debian's h5py reads the file.
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { requirePythonModule } from "../support/python.js";
import { freePort } from "../support/service-process.js";
import { runScenario } from "../support/bluesky-e2e.js";

let dir: string;
before(() => {
  requirePythonModule("h5py", "python3-h5py");
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "e2e-bluesky-"));
});
after(() => fs.rmSync(dir, { recursive: true, force: true }));

test(
  "every matching post lands once with its exact text, across a dropped connection and a producer restart",
  { timeout: 150_000 },
  async () => {
    const port = await freePort();
    const r = await runScenario({
      dir,
      name: "zmq",
      seed: 17,
      transportEnv: {},
      endpoint: `tcp://127.0.0.1:${port}`,
      processorReady: (p) => p.healthPort(),
    });
    assert.ok(r.cursors.length >= 3 && r.cursors.slice(1).every((c) => c !== null), "reconnects asked for a cursor");
    assert.ok(r.check.heap_rows >= 3, `long, ZWJ and NUL texts went through the overflow heap (${r.check.heap_rows})`);
    assert.ok(r.check.multibyte_texts >= 5, `multi-byte texts (${r.check.multibyte_texts})`);
    console.log(`# bluesky zmq run: ${JSON.stringify({ ...r, check: { ...r.check, problems: undefined } })}`);
  },
);
