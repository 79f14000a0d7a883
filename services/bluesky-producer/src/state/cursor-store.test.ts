import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { test } from "node:test";
import { CursorStore, parseCursorState } from "./cursor-store.js";

test("saves and loads the cursor and the recent posts; missing and invalid files say so", async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bsky-cursor-"));
  try {
    const file = path.join(dir, "sub", "state.json");
    const store = new CursorStore(file);
    assert.deepEqual(await store.load(), { kind: "missing" });
    await Promise.all([
      store.save({ cursorUs: 10, recent: [] }),
      store.save({ cursorUs: 1725911162329308, recent: [["did:plc:a/k", 1725911162329000]] }),
    ]);
    assert.deepEqual(await store.load(), {
      kind: "loaded",
      state: { cursorUs: 1725911162329308, recent: [["did:plc:a/k", 1725911162329000]] },
    });
    assert.deepEqual(fs.readdirSync(path.dirname(file)), ["state.json"], "no temporary file left");
    fs.writeFileSync(file, "{");
    assert.equal((await store.load()).kind, "invalid");
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test("the state is checked field by field", () => {
  assert.match(String(parseCursorState({ cursorUs: -1 })), /positive integer/);
  assert.match(String(parseCursorState({ cursorUs: 5, recent: [["k"]] })), /recent/);
  assert.deepEqual(parseCursorState({ cursorUs: 5 }), { cursorUs: 5, recent: [] });
});
