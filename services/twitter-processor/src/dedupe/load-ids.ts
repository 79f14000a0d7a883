/** Start-up: the ids of the last stored tweets, read back from the HDF5 file. */
import type { H5Dataset } from "@cryptostream/common/hdf5/h5";
import { withFile } from "@cryptostream/common/hdf5/reader";
import { readMembers } from "@cryptostream/common/hdf5/read-members";
import { RecentIds } from "./recent-ids.js";

export interface LoadedIds {
  readonly ids: RecentIds;
  /** Rows in /tweets. */
  readonly storedRows: number;
  /** Rows whose ids were read (the tail, at most the capacity). */
  readonly readRows: number;
}

export async function loadRecentIds(filePath: string, tweetsPath: string, capacity: number): Promise<LoadedIds> {
  const ids = new RecentIds(capacity);
  const counts = await withFile(filePath, (file) => {
    const ds = file.get(tweetsPath) as H5Dataset | null;
    if (ds === null) return { storedRows: 0, readRows: 0 };
    const n = ds.shape?.[0] ?? 0;
    const from = Math.max(0, n - capacity);
    // Oldest first, so the ring ends holding the newest ids.
    readMembers(file, ds, [{ name: "id", kind: "string" }], from, n, ([id]) => ids.add(id as string));
    return { storedRows: n, readRows: n - from };
  });
  return { ids, ...(counts ?? { storedRows: 0, readRows: 0 }) };
}
