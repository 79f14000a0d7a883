import { test } from "node:test";
import assert from "node:assert/strict";
import { buildGapMarker } from "./gap-marker.js";

test("the marker has the contract's shape: stream envelope, E = to, all symbols", () => {
  const m = buildGapMarker({ from: 10, to: 20, cause: "drop" }, "btcusdt", "aggTrade", ["btcusdt", "ETHUSDT"], {
    filled: true,
    missing: 3,
  });
  assert.deepEqual(JSON.parse(JSON.stringify(m)), {
    stream: "btcusdt@aggTrade",
    data: {
      e: "gap",
      E: 20,
      s: "BTCUSDT",
      stream: "btcusdt@aggTrade",
      symbols: ["BTCUSDT", "ETHUSDT"],
      from: 10,
      to: 20,
      cause: "drop",
      filled: true,
      missing: 3,
    },
  });
});

test("a ticker marker is never filled and has no missing count", () => {
  const m = buildGapMarker({ from: 1, to: 2, cause: "shutdown" }, "ETHUSDT", "ticker", ["ETHUSDT"], {
    filled: true,
    missing: 5,
  });
  assert.equal(m.stream, "ethusdt@ticker");
  assert.equal(m.data.filled, false);
  assert.equal(m.data.missing, null);
});
