import { test } from "node:test";
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { randomClusterId, serverProperties } from "./broker-config.mjs";

const parse = (text) =>
  new Map(
    text
      .split("\n")
      .filter((l) => l && !l.startsWith("#"))
      .map((l) => [l.slice(0, l.indexOf("=")), l.slice(l.indexOf("=") + 1)]),
  );

test("server.properties: single-node KRaft on loopback with the given ports", () => {
  const p = parse(serverProperties({ port: 19092, controllerPort: 19093, logDir: "/d/kraft-logs" }));
  assert.equal(p.get("process.roles"), "broker,controller");
  assert.equal(p.get("node.id"), "1");
  assert.equal(p.get("controller.quorum.voters"), "1@127.0.0.1:19093");
  assert.equal(p.get("listeners"), "PLAINTEXT://127.0.0.1:19092,CONTROLLER://127.0.0.1:19093");
  assert.equal(p.get("advertised.listeners"), "PLAINTEXT://127.0.0.1:19092");
  assert.equal(p.get("log.dirs"), "/d/kraft-logs");
  for (const k of [
    "offsets.topic.replication.factor",
    "transaction.state.log.replication.factor",
    "transaction.state.log.min.isr",
  ]) {
    assert.equal(p.get(k), "1", k);
  }
  assert.equal(p.get("group.initial.rebalance.delay.ms"), "0");
  assert.equal(p.get("num.partitions"), "3");
  assert.ok(![...p.values()].some((v) => v.includes("0.0.0.0")), "nothing binds beyond loopback");
});

test("cluster ids look like Kafka's: 22 URL-safe base64 characters, never a leading dash", () => {
  for (let i = 0; i < 200; i++) assert.match(randomClusterId(randomBytes), /^[A-Za-z0-9_][A-Za-z0-9_-]{21}$/);
  // A generator that first yields bytes encoding to a leading "-" (0xf8 -> "-") is skipped past.
  let calls = 0;
  const rigged = (n) => (calls++ === 0 ? Buffer.alloc(n, 0xf8) : Buffer.alloc(n, 1));
  assert.equal(randomClusterId(rigged), Buffer.alloc(16, 1).toString("base64url"));
  assert.equal(calls, 2);
});
