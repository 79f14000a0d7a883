import { test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { H5Appender } from "@cryptostream/common/hdf5/appender";
import { withFile } from "@cryptostream/common/hdf5/reader";
import { ORIGIN_COLUMNS } from "@cryptostream/common/sink/origin";
import { readWrittenRows, WrittenWindows } from "@cryptostream/common/store/written-windows";

test("a table with a key column (several sources' windows) is read back per key", async () => {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "ww-")), "w.h5");
  const columns = [
    { name: "window_start", type: "<i8" as const },
    { name: "source", type: "S8" as const },
    { name: "complete", type: "|u1" as const },
    ...ORIGIN_COLUMNS,
  ];
  await new H5Appender(file).append([
    {
      spec: { path: "/s", columns, chunkRows: 8, gzip: 1, attrs: {} },
      data: new Map<string, Array<number | bigint | string>>([
        ["window_start", [0n, 0n, 60n]],
        ["source", ["twitter", "bluesky", "bluesky"]],
        ["complete", [1, 0, 1]],
        ["log_partition", [0, 0, 0]],
        ["log_offset_first", [1n, 2n, 5n]],
        ["log_offset_last", [3n, 4n, 6n]],
      ]),
    },
  ]);
  const w = new WrittenWindows();
  await withFile(file, (f) => readWrittenRows(f, "/s", "none", w, 100, "source"));
  assert.deepEqual([...w.keys()].sort(), ["bluesky", "twitter"]);
  assert.equal(w.state("twitter", 0, 0, 2), "counted");
  assert.equal(w.state("bluesky", 0, 0, 3), "counted");
  assert.equal(w.state("bluesky", 0, 0, 9), "open", "Bluesky's window 0 has only a partial row");
  assert.equal(w.state("twitter", 0, 0, 9), "closed");
  assert.equal(w.newestComplete("bluesky"), 60);
  assert.equal(w.newestComplete("twitter"), 0);
});
