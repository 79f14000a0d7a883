/** The metrics of a windowed sink, the same names in every processor. */
import type { Registry } from "../metrics/registry.js";

export function sinkMetrics(registry: Registry) {
  return {
    flushFailures: registry.counter(
      "pipeline_flush_failures_total",
      "Output file writes that failed (rows kept, retried).",
    ),
    pendingRows: registry.gauge("pipeline_pending_rows", "Rows (windows, tweets) waiting to be written."),
    openWindows: registry.gauge("pipeline_open_windows", "Windows still open, over all keys."),
    intakePaused: registry.gauge("pipeline_intake_paused", "1 while intake is paused behind failing writes."),
    filesSetAside: registry.counter(
      "pipeline_files_set_aside_total",
      "Output files that could not be read or appended to and were renamed aside, by reason.",
    ),
    logPosition: registry.gauge(
      "pipeline_log_position",
      "Log transports (Kafka): the next offset to read, per partition (highest offset taken in + 1); lag is the end offset minus this.",
    ),
    commits: registry.counter("pipeline_commits_total", "Offset commits accepted by the transport."),
    commitFailures: registry.counter("pipeline_commit_failures_total", "Offset commits that failed (retried later)."),
    rebuilds: registry.counter(
      "pipeline_rebuilds_total",
      "Times memory was reset and rebuilt from the file and the log, by reason (rebalance, rejoin, restart).",
    ),
    storePartitions: registry.gauge(
      "store_partitions",
      "Partition files of this processor in the store folder, by state (open: may take rows; sealed: never written again).",
    ),
    storeBytes: registry.gauge("store_bytes", "Bytes of this processor's partition files."),
    diskFreeBytes: registry.gauge("store_disk_free_bytes", "Free bytes on the store folder's file system."),
    oldestRow: registry.gauge(
      "store_oldest_row_seconds",
      "Start (Unix seconds) of the oldest partition this processor keeps: the oldest row's period.",
    ),
    storeDegraded: registry.gauge(
      "store_degraded",
      "1 when the disk fills soon: free space below what the current growth fills in a day, or below 1 GB.",
    ),
    lateRows: registry.gauge(
      "store_late_rows",
      "Rows since start whose partition was already sealed, written to the oldest open partition instead.",
    ),
    partitionsRemoved: registry.counter(
      "store_partitions_removed_total",
      "Sealed partitions removed because they were older than the retention.",
    ),
  };
}

export type SinkMetrics = ReturnType<typeof sinkMetrics>;
