import { test } from "node:test";
import assert from "node:assert/strict";
import { byLabel, parsePrometheus, total } from "./prometheus-text.js";
import { healthDetail, serviceStatus, storeHealth, storeWarning } from "./service-status.js";

const TEXT = (inTotal: number, lateRejects: number) => `# HELP pipeline_messages_in_total Messages received.
# TYPE pipeline_messages_in_total counter
pipeline_messages_in_total ${inTotal}
pipeline_messages_out_total 7
pipeline_rejects_total{reason="late"} ${lateRejects}
pipeline_rejects_total{reason="unknown_symbol"} 0
pipeline_rejects_total{reason="odd \\"quoted\\", reason"} 2
pipeline_last_event_time_seconds 1796130642.146
pipeline_intake_paused 0
`;

test("Prometheus text: names, labels (escapes included) and values", () => {
  const s = parsePrometheus(TEXT(10, 3));
  assert.equal(total(s, "pipeline_messages_in_total"), 10);
  assert.deepEqual(byLabel(s, "pipeline_rejects_total", "reason"), {
    late: 3,
    unknown_symbol: 0,
    'odd "quoted", reason': 2,
  });
  assert.equal(total(s, "missing_metric"), 0);
});

test("a service that answers 200 is up, with rates between two scrapes and rejects by reason", () => {
  const prev = { at: 1_000, healthStatus: 200, samples: parsePrometheus(TEXT(10, 3)) };
  const cur = { at: 3_000, healthStatus: 200, samples: parsePrometheus(TEXT(50, 4)) };
  const s = serviceStatus("binance-processor", cur, prev);
  assert.equal(s.state, "up");
  assert.equal(s.inPerSecond, 20);
  assert.equal(s.outPerSecond, 0);
  assert.deepEqual(s.rejects, { late: 4, 'odd "quoted", reason': 2 });
  assert.equal(s.lastEventTime, 1796130642146);
  assert.equal(s.intakePaused, false);
  assert.equal(serviceStatus("x", cur).inPerSecond, undefined, "no rate from one scrape");
});

test("a 503 is unhealthy with its reason; no answer is down", () => {
  const s = serviceStatus("p", { at: 1, healthStatus: 503, healthDetail: "sink failing: ENOSPC", samples: [] });
  assert.equal(s.state, "unhealthy");
  assert.equal(s.detail, "sink failing: ENOSPC");
  const d = serviceStatus("p", { at: 2, error: "ECONNREFUSED" }, undefined, 1);
  assert.deepEqual(d, { name: "p", state: "down", detail: "ECONNREFUSED", rejects: {}, seenAt: 1 });
});

test("the reason shown for an unhealthy service: failing writes first, then a transport that is away", () => {
  const away = { state: "reconnecting", since: "2026-12-01T21:11:23.719Z", error: "No broker available" };
  assert.equal(
    healthDetail({ status: "unhealthy", sink: { state: "failing", reason: "ENOSPC" }, transport: away }),
    "sink failing: ENOSPC",
  );
  assert.equal(
    healthDetail({ status: "unhealthy", sink: { state: "ok" }, transport: away }),
    "transport reconnecting since 2026-12-01T21:11:23.719Z: No broker available",
  );
  assert.equal(healthDetail({ status: "unhealthy", stopping: true }), "stopping");
  assert.equal(healthDetail({ status: "unhealthy" }), "unhealthy");
});

test("a degraded store in /healthz becomes the strip's disk line; an ok one none", () => {
  const body = {
    status: "ok",
    store: {
      state: "degraded",
      reason: "free space below a day of growth",
      freeBytes: 800e6,
      storeBytes: 12e9,
      growthBytesPerDay: 1.92e9,
      partitions: 30,
      oldestRow: "2026-11-07T00:00:00.000Z",
    },
  };
  const store = storeHealth(body);
  assert.equal(store?.state, "degraded");
  const s = serviceStatus("binance-processor", { at: 1, healthStatus: 200, store, samples: [] });
  assert.equal(s.state, "up", "a degraded store keeps the service up (200)");
  assert.equal(s.storeWarning, "disk: 0.8 GB free, fills in ~10 h at current growth");
  assert.equal(
    storeWarning({ ...store!, freeBytes: 50e6, growthBytesPerDay: null }),
    "disk: 50 MB free (free space below a day of growth)",
  );
  assert.equal(
    storeWarning({ ...store!, freeBytes: 900e6, growthBytesPerDay: 900e6 * 20 }),
    "disk: 0.9 GB free, fills in ~72 min at current growth",
  );
  const ok = serviceStatus("p", {
    at: 1,
    healthStatus: 200,
    store: storeHealth({ store: { ...body.store, state: "ok" } }),
    samples: [],
  });
  assert.equal(ok.storeWarning, undefined);
  assert.equal(ok.store?.partitions, 30);
  assert.equal(storeHealth({ status: "ok" }), undefined, "a service without a store");
  assert.equal(storeHealth({ store: "full" }), undefined);
});
