// Resident memory and CPU time of a whole process (every thread: ZeroMQ's I/O threads and
// Python's too), read from /proc so every contender is measured the same way.
import fs from "node:fs";

export function rssMb(pid) {
  try {
    return Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"))[1]) / 1024;
  } catch {
    return NaN;
  }
}

/** utime + stime of all the process's threads, in seconds (clock ticks of 10 ms). */
export function cpuSeconds(pid) {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return NaN;
  }
}
