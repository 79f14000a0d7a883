import type { SinkConfig } from "@cryptostream/common/sink/sink-config";

/**
 * The sink settings of processor specs: every batch is written at once, a failed write is
 * retried at the next chance, and no write-share bound spaces writes out (specs drive the
 * clock themselves). `overrides` changes single fields.
 */
export function specSinkConfig(overrides: Partial<SinkConfig> = {}): SinkConfig {
  return {
    flushMs: 0,
    maxPendingRows: 1_000,
    maxWriteShare: 1,
    transportHoldMs: 30_000,
    retry: { baseMs: 0, maxMs: 0, floorMs: 0 },
    ...overrides,
  };
}
