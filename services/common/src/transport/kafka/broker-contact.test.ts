import { test } from "node:test";
import assert from "node:assert/strict";
import { BrokerContact } from "./broker-contact.js";

const T0 = Date.UTC(2026, 11, 1, 21, 0, 0);
const at = (s: number) => T0 + s * 1000;
const iso = (s: number) => new Date(at(s)).toISOString();

test("answers within staleMs keep it connected; silence past it is reported from the last answer", () => {
  const c = new BrokerContact(at(0), 6_000);
  c.joined(at(0));
  c.contact(at(1));
  c.contact(at(5));
  assert.deepEqual(c.status(at(11)), { state: "connected", since: iso(0) });
  assert.deepEqual(c.status(at(11.5)), {
    state: "reconnecting",
    since: iso(5),
    error: "no answer from the brokers for 7 s",
  });
  c.contact(at(20));
  assert.deepEqual(c.status(at(21)), { state: "connected", since: iso(20) }, "back: connected since the answer");
});

test("a crash is away at once, keeps its first time over repeated crashes, and only a group join ends it", () => {
  const c = new BrokerContact(at(0), 6_000);
  c.contact(at(2));
  c.crashed(at(3), "No broker available");
  assert.deepEqual(c.status(at(3)), { state: "reconnecting", since: iso(3), error: "No broker available" });
  c.contact(at(4)); // a metadata answer during the restart is not a join
  c.crashed(at(10), "Connection error: connect ECONNREFUSED");
  assert.deepEqual(c.status(at(10)), {
    state: "reconnecting",
    since: iso(3),
    error: "Connection error: connect ECONNREFUSED",
  });
  c.joined(at(15));
  assert.deepEqual(c.status(at(15)), { state: "connected", since: iso(15) });
});

test("a crash after a silence dates the outage from the last answer", () => {
  const c = new BrokerContact(at(0), 6_000);
  c.joined(at(0));
  c.contact(at(1));
  c.crashed(at(20), "No broker available");
  assert.equal(c.status(at(20)).since, iso(1));
});

test("joining the group, at the start and in a rebalance, is rebalancing however long it waits", () => {
  const c = new BrokerContact(at(0), 6_000);
  assert.deepEqual(c.status(at(30)), { state: "rebalancing", since: iso(0) }, "the first join");
  c.joined(at(31));
  c.contact(at(40));
  c.rebalancing(at(41));
  assert.deepEqual(c.status(at(70)), { state: "rebalancing", since: iso(41) }, "a JoinGroup waiting for a slow member");
  c.joined(at(72));
  assert.deepEqual(c.status(at(73)), { state: "connected", since: iso(72) });
});
