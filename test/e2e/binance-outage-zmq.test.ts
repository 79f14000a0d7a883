/**
 * Outages longer than the lateness over ZeroMQ (the run: test/support/binance-outage-run.ts).
 */
import { test } from "node:test";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { outageRun } from "../support/binance-outage-run.js";

test("outages longer than the lateness over ZeroMQ: backfilled trades still count once; merged rows equal pandas", async () => {
  const r = await outageRun(fs.mkdtempSync(path.join(os.tmpdir(), "outage-zmq-")));
  console.log(JSON.stringify(r));
});
