// Opens an HDF5 file read-only for the scripts, or ends the process with one line saying why.
// (h5wasm "opens" a file that is not HDF5 without an error, so the signature is checked first.)
import fs from "node:fs";
import path from "node:path";
import { loadH5 } from "@cryptostream/common/hdf5/h5";

const SIGNATURE = Buffer.from([0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a]);

/** Ends the process when `file` is missing or not HDF5. */
export function requireHdf5(file) {
  if (!fs.existsSync(file)) {
    console.error(`${file}: no such file`);
    process.exit(1);
  }
  const head = Buffer.alloc(SIGNATURE.length);
  const fd = fs.openSync(file, "r");
  try {
    fs.readSync(fd, head, 0, head.length, 0);
  } finally {
    fs.closeSync(fd);
  }
  if (!head.equals(SIGNATURE)) {
    console.error(`${file}: not an HDF5 file (no HDF5 signature at its start)`);
    process.exit(1);
  }
}

export async function openOrExit(file) {
  requireHdf5(file);
  const h5 = await loadH5();
  return new h5.File(path.resolve(file), "r");
}
