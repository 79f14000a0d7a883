import { test } from "node:test";
import assert from "node:assert/strict";
import os from "node:os";
import { replicaIdFromEnv, replicaPath } from "./replica-path.js";

test("a replica id goes before the extension; no id keeps the path", () => {
  assert.equal(replicaPath("data/binance.h5", ""), "data/binance.h5");
  assert.equal(replicaPath("data/binance.h5", "a"), "data/binance-a.h5");
  assert.equal(replicaPath("/x/y/twitter.h5", "proc 2/b"), "/x/y/twitter-proc_2_b.h5");
});

test("REPLICA_ID=auto uses the host name", () => {
  assert.equal(replicaIdFromEnv({ REPLICA_ID: "auto" }), os.hostname());
  assert.equal(replicaIdFromEnv({}), "");
});
