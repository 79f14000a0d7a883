import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, readFile, readdir, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { SinceIdStore, type StoreFs, realFs } from "./since-id-store.js";

async function tempDir(): Promise<string> {
  return mkdtemp(path.join(os.tmpdir(), "since-id-store-"));
}

test("a missing file loads as missing; a saved id reloads in a new store (as after a restart)", async () => {
  const dir = await tempDir();
  try {
    const file = path.join(dir, "nested", "state.json");
    assert.deepEqual(await new SinceIdStore(file).load(), { kind: "missing" });
    await new SinceIdStore(file, realFs, () => new Date("2024-01-01T00:00:00Z")).save("1790000000000000001");
    assert.deepEqual(await new SinceIdStore(file).load(), {
      kind: "loaded",
      sinceId: "1790000000000000001",
    });
    assert.deepEqual(JSON.parse(await readFile(file, "utf8")), {
      sinceId: "1790000000000000001",
      updatedAt: "2024-01-01T00:00:00.000Z",
    });
    assert.deepEqual(await readdir(path.dirname(file)), ["state.json"], "no temporary file left behind");
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test("writes tmp, fsyncs it, closes, renames, then fsyncs the directory, in that order", async () => {
  const dir = await tempDir();
  try {
    const file = path.join(dir, "state.json");
    const calls: string[] = [];
    const rel = (p: string) => path.relative(dir, p) || ".";
    const spy: StoreFs = {
      ...realFs,
      mkdir: async (p) => {
        calls.push(`mkdir ${rel(p)}`);
        await realFs.mkdir(p);
      },
      open: async (p, flags) => {
        calls.push(`open ${rel(p).replace(/\d+$/, "PID")} ${flags}`);
        const fh = await realFs.open(p, flags);
        return {
          writeFile: async (d) => {
            calls.push("write");
            await fh.writeFile(d);
          },
          sync: async () => {
            calls.push("fsync");
            await fh.sync();
          },
          close: async () => {
            calls.push("close");
            await fh.close();
          },
        };
      },
      rename: async (a, b) => {
        calls.push(`rename ${rel(a).replace(/\d+$/, "PID")} -> ${rel(b)}`);
        await realFs.rename(a, b);
      },
    };
    await new SinceIdStore(file, spy).save("42");
    assert.deepEqual(calls, [
      "mkdir .",
      "open state.json.tmp-PID w",
      "write",
      "fsync",
      "close",
      "rename state.json.tmp-PID -> state.json",
      "open . r",
      "fsync",
      "close",
    ]);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test("a crash before the rename leaves the old state intact (and the torn tmp file is ignored)", async () => {
  const dir = await tempDir();
  try {
    const file = path.join(dir, "state.json");
    await new SinceIdStore(file).save("100");
    const crashing: StoreFs = {
      ...realFs,
      rename: async () => {
        throw Object.assign(new Error("simulated crash before rename"), {
          code: "EIO",
        });
      },
    };
    await assert.rejects(new SinceIdStore(file, crashing).save("200"), /simulated crash/);
    assert.deepEqual(await new SinceIdStore(file).load(), {
      kind: "loaded",
      sinceId: "100",
    });
    assert.deepEqual(await readdir(dir), ["state.json"], "the failed tmp file was removed");
    // A torn tmp file from a real crash (process killed mid-write) does not matter either.
    await writeFile(`${file}.tmp-99999`, '{"sinceId":"3');
    assert.deepEqual(await new SinceIdStore(file).load(), {
      kind: "loaded",
      sinceId: "100",
    });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test("concurrent saves apply in call order; a failed save does not block later ones", async () => {
  const dir = await tempDir();
  try {
    const file = path.join(dir, "state.json");
    let failNext = true;
    const flaky: StoreFs = {
      ...realFs,
      rename: async (a, b) => {
        if (failNext) {
          failNext = false;
          throw new Error("disk hiccup");
        }
        await realFs.rename(a, b);
      },
    };
    const store = new SinceIdStore(file, flaky);
    const results = await Promise.allSettled([store.save("1"), store.save("2"), store.save("3")]);
    assert.deepEqual(
      results.map((r) => r.status),
      ["rejected", "fulfilled", "fulfilled"],
    );
    assert.deepEqual(await store.load(), { kind: "loaded", sinceId: "3" });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test("unusable files load as invalid with a reason; non-ids are refused on save", async () => {
  const dir = await tempDir();
  try {
    const file = path.join(dir, "state.json");
    await writeFile(file, "not json");
    assert.deepEqual(await new SinceIdStore(file).load(), {
      kind: "invalid",
      reason: "not valid JSON",
    });
    await writeFile(file, '{"sinceId": 123}');
    assert.equal((await new SinceIdStore(file).load()).kind, "invalid");
    await assert.rejects(new SinceIdStore(file).save("12a"), /not a tweet id/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
