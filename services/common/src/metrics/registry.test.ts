import { test } from "node:test";
import assert from "node:assert/strict";
import { Registry, standardMetrics } from "./registry.js";

test("metrics render in Prometheus text format with labels", () => {
  const r = new Registry();
  const m = standardMetrics(r);
  m.messagesIn.inc();
  m.messagesIn.inc(undefined, 2);
  m.rejects.inc({ reason: 'not "json"' });
  m.lastEventTime.set(1.5);
  const text = r.render();
  assert.match(text, /^# TYPE pipeline_messages_in_total counter$/m);
  assert.match(text, /^pipeline_messages_in_total 3$/m);
  assert.match(text, /^pipeline_rejects_total\{reason="not \\"json\\""\} 1$/m);
  assert.match(text, /^pipeline_last_event_time_seconds 1.5$/m);
  assert.match(text, /^pipeline_reconnects_total 0$/m);
});
