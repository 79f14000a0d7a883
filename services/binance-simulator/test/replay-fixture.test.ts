import assert from "node:assert/strict";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { buildReplayFixture, writeReplayFile } from "./replay-fixture.js";
import { cli } from "./write-replay-file.js";

test("fixture: counts, event times, out-of-order and malformed lines as described", () => {
  const f = buildReplayFixture({
    symbols: ["btcusdt", "ethusdt"],
    events: 60,
    startTimeMs: 1_000_000,
    stepMs: 100,
    seed: 5,
    outOfOrderEvery: 10,
    malformedEvery: 20,
  });
  assert.equal(f.events, 60);
  assert.equal(f.outOfOrder, 6);
  assert.equal(f.malformed, 3);
  assert.equal(f.lines.length, 63);
  let i = 0;
  let prevTime = -Infinity;
  const styles: string[] = [];
  for (const line of f.lines) {
    if (line.kind === "malformed") {
      styles.push(line.style);
      const parsed = (() => {
        try {
          return JSON.parse(line.text) as unknown;
        } catch {
          return undefined;
        }
      })();
      assert.ok(
        parsed === undefined || (parsed as { data?: unknown }).data === undefined,
        `malformed line must not be a valid message: ${line.text}`,
      );
      continue;
    }
    const msg = JSON.parse(line.text) as { stream: string; data: { E: number; s: string } };
    assert.equal(msg.stream, line.stream);
    assert.equal(msg.data.E, line.eventTime);
    assert.equal(msg.data.s, line.symbol);
    assert.equal(msg.stream, i % 2 === 0 ? "btcusdt@ticker" : "ethusdt@ticker");
    const expected = 1_000_000 + i * 100 - (line.outOfOrder ? 300 : 0);
    assert.equal(line.eventTime, expected);
    assert.equal(line.outOfOrder, (i + 1) % 10 === 0);
    if (line.outOfOrder) assert.ok(line.eventTime < prevTime, "an out-of-order event is earlier than its predecessor");
    prevTime = line.eventTime;
    i++;
  }
  assert.deepEqual(styles, ["truncated", "not-json", "no-data"]);
});

test("fixture is deterministic for a seed", () => {
  const opts = { events: 50, seed: 11, stream: ["ticker", "aggTrade"] as const };
  assert.deepEqual(buildReplayFixture(opts), buildReplayFixture(opts));
  assert.notDeepEqual(buildReplayFixture(opts), buildReplayFixture({ ...opts, seed: 12 }));
});

test("writeReplayFile and the command line write one line per entry", async () => {
  const dir = await mkdtemp(join(tmpdir(), "binsim-fixture-"));
  try {
    const path = join(dir, "a.jsonl");
    const f = await writeReplayFile(path, { events: 25, seed: 2, malformedEvery: 5 });
    const text = await readFile(path, "utf8");
    assert.ok(text.endsWith("\n"));
    assert.deepEqual(
      text.slice(0, -1).split("\n"),
      f.lines.map((l) => l.text),
    );

    const cliPath = join(dir, "b.jsonl");
    const chunks: string[] = [];
    const write = process.stdout.write.bind(process.stdout);
    process.stdout.write = ((s: string) => (chunks.push(s), true)) as typeof process.stdout.write;
    try {
      assert.equal(await cli([cliPath, "--events", "25", "--seed", "2", "--malformed-every", "5"]), 0);
    } finally {
      process.stdout.write = write;
    }
    assert.equal(await readFile(cliPath, "utf8"), text, "the CLI writes the same file for the same options");
    assert.deepEqual(JSON.parse(chunks.join("")), {
      file: cliPath,
      lines: 30,
      events: 25,
      malformed: 5,
      outOfOrder: 0,
    });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
