/** Start-up: the ids of the last stored tweets, and where their messages sat in the log, read back from the file. */
import type { H5Dataset, H5File } from "@cryptostream/common/hdf5/h5";
import { readMembers } from "@cryptostream/common/hdf5/read-members";
import { logPosition, type RecentIds } from "./recent-ids.js";

/** Reads the newest `ids.capacity` rows of `tweetsPath` into `ids`; returns how many rows the table has and were read. */
export function readRecentIds(
  file: H5File,
  tweetsPath: string,
  ids: RecentIds,
): { storedRows: number; readRows: number } {
  const ds = file.get(tweetsPath) as H5Dataset | null;
  if (ds === null) return { storedRows: 0, readRows: 0 };
  const n = ds.shape?.[0] ?? 0;
  const from = Math.max(0, n - ids.capacity);
  // Oldest first, so the ring ends holding the newest ids. Files of schema 1 have no log columns.
  const names = (ds.dtype as Array<[string, string]>).map(([name]) => name);
  const hasLog = names.includes("log_offset");
  const hasWindow = names.includes("window_start");
  const members = [
    { name: "id", kind: "string" },
    ...(hasLog
      ? ([
          { name: "log_partition", kind: "int" },
          { name: "log_offset", kind: "int" },
        ] as const)
      : []),
    ...(hasWindow ? ([{ name: "window_start", kind: "int" }] as const) : []),
  ] as const;
  let row = from;
  readMembers(file, ds, members, from, n, (v) => {
    const position = hasLog ? logPosition(v[1] as number, v[2] as number) : -1;
    const time = hasWindow ? Number(v[hasLog ? 3 : 1]) : undefined;
    ids.add(v[0] as string, position, row++, time);
  });
  return { storedRows: n, readRows: n - from };
}

/** Start-up: the ids of posts whose delete is recorded in `deletesPath`, newest `ids.capacity` of them. */
export function readDeletedIds(file: H5File, deletesPath: string, ids: RecentIds): number {
  const ds = file.get(deletesPath) as H5Dataset | null;
  if (ds === null) return 0;
  const n = ds.shape?.[0] ?? 0;
  readMembers(file, ds, [{ name: "id", kind: "string" }], Math.max(0, n - ids.capacity), n, ([id]) =>
    ids.add(id as string),
  );
  return n;
}
