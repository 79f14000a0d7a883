/**
 * One service's line on the health strip, from its /healthz answer and two /metrics scrapes
 * (pure): state, rates between the scrapes, rejects by reason, last event time.
 */
import { byLabel, type Sample, total } from "./prometheus-text.js";

export type ServiceState = "up" | "unhealthy" | "down";

export interface Scrape {
  /** When it was taken, ms. */
  readonly at: number;
  /** HTTP status of /healthz; undefined when the service did not answer. */
  readonly healthStatus?: number;
  /** /healthz body's "status" and, when unhealthy, a short reason. */
  readonly healthDetail?: string;
  /** /metrics samples; undefined when the service did not answer. */
  readonly samples?: readonly Sample[];
  /** Why the service could not be reached. */
  readonly error?: string;
  /** The /healthz body's `store` (a processor's disk), when it has one. */
  readonly store?: StoreHealth;
}

/** A processor's store as its /healthz reports it. */
export interface StoreHealth {
  /** "degraded": the disk fills soon (free space below a day of growth, or below 1 GB). */
  readonly state: "ok" | "degraded";
  readonly reason?: string;
  readonly freeBytes: number;
  readonly storeBytes: number;
  readonly growthBytesPerDay: number | null;
  readonly partitions: number;
  readonly oldestRow: string | null;
}

export interface ServiceStatus {
  readonly name: string;
  readonly state: ServiceState;
  readonly detail?: string;
  /** Messages in and out per second since the previous scrape (undefined on the first). */
  readonly inPerSecond?: number;
  readonly outPerSecond?: number;
  readonly messagesIn?: number;
  readonly messagesOut?: number;
  readonly rejects: Readonly<Record<string, number>>;
  /** pipeline_last_event_time_seconds as ms; undefined when the service has none yet. */
  readonly lastEventTime?: number;
  readonly pendingRows?: number;
  readonly intakePaused?: boolean;
  /** When the service last answered, ms. */
  readonly seenAt?: number;
  /** Its store, when it reports one; `storeWarning` says what is wrong with it for the strip. */
  readonly store?: StoreHealth;
  readonly storeWarning?: string;
}

const rate = (now: number, before: number, seconds: number) => (seconds > 0 ? Math.max(0, now - before) / seconds : 0);

export function serviceStatus(name: string, cur: Scrape, prev?: Scrape, lastSeen?: number): ServiceStatus {
  const s = cur.samples;
  if (cur.healthStatus === undefined || s === undefined)
    return { name, state: "down", detail: cur.error ?? "no answer", rejects: {}, seenAt: lastSeen };
  const state: ServiceState = cur.healthStatus >= 200 && cur.healthStatus < 300 ? "up" : "unhealthy";
  const messagesIn = total(s, "pipeline_messages_in_total");
  const messagesOut = total(s, "pipeline_messages_out_total");
  const seconds = prev?.samples ? (cur.at - prev.at) / 1000 : 0;
  const lastEvent = s.filter((x) => x.name === "pipeline_last_event_time_seconds" && x.value > 0);
  const has = (n: string) => s.some((x) => x.name === n);
  return {
    name,
    state,
    detail: state === "up" ? undefined : (cur.healthDetail ?? `healthz answered ${cur.healthStatus}`),
    inPerSecond: prev?.samples
      ? rate(messagesIn, total(prev.samples, "pipeline_messages_in_total"), seconds)
      : undefined,
    outPerSecond: prev?.samples
      ? rate(messagesOut, total(prev.samples, "pipeline_messages_out_total"), seconds)
      : undefined,
    messagesIn,
    messagesOut,
    rejects: Object.fromEntries(
      Object.entries(byLabel(s, "pipeline_rejects_total", "reason")).filter(([, v]) => v > 0),
    ),
    lastEventTime: lastEvent.length > 0 ? Math.max(...lastEvent.map((x) => x.value)) * 1000 : undefined,
    pendingRows: has("pipeline_pending_rows") ? total(s, "pipeline_pending_rows") : undefined,
    intakePaused: has("pipeline_intake_paused") ? total(s, "pipeline_intake_paused") > 0 : undefined,
    seenAt: cur.at,
    ...(cur.store ? { store: cur.store } : {}),
    ...(cur.store?.state === "degraded" ? { storeWarning: storeWarning(cur.store) } : {}),
  };
}

/** The /healthz body's `store`, when it is one (a processor that writes a store). */
export function storeHealth(body: Record<string, unknown>): StoreHealth | undefined {
  const s = body.store as Partial<StoreHealth> | undefined;
  if (!s || typeof s !== "object" || (s.state !== "ok" && s.state !== "degraded")) return undefined;
  const n = (v: unknown) => (typeof v === "number" && Number.isFinite(v) ? v : NaN);
  const growth = n(s.growthBytesPerDay);
  return {
    state: s.state,
    ...(typeof s.reason === "string" ? { reason: s.reason } : {}),
    freeBytes: n(s.freeBytes),
    storeBytes: n(s.storeBytes),
    growthBytesPerDay: Number.isNaN(growth) ? null : growth,
    partitions: n(s.partitions),
    oldestRow: typeof s.oldestRow === "string" ? s.oldestRow : null,
  };
}

/** Bytes for people: 812 MB, 0.8 GB... (decimal units, as df -H). */
export function bytesText(b: number): string {
  if (!Number.isFinite(b)) return "?";
  if (b < 1e8) return `${Math.round(b / 1e6)} MB`;
  return `${(b / 1e9).toFixed(b < 1e10 ? 1 : 0)} GB`;
}

/** A duration for people, rounded: ~40 min, ~10 h, ~3 days. */
function aboutText(ms: number): string {
  const min = ms / 60_000;
  if (min < 90) return `~${Math.max(1, Math.round(min))} min`;
  const h = min / 60;
  return h < 48 ? `~${Math.round(h)} h` : `~${Math.round(h / 24)} days`;
}

/** The strip's line for a degraded store: "disk: 0.8 GB free, fills in ~10 h at current growth". */
export function storeWarning(s: StoreHealth): string {
  const free = `disk: ${bytesText(s.freeBytes)} free`;
  const growth = s.growthBytesPerDay;
  if (growth !== null && growth > 0 && Number.isFinite(s.freeBytes))
    return `${free}, fills in ${aboutText((s.freeBytes / growth) * 86_400_000)} at current growth`;
  return `${free}${s.reason ? ` (${s.reason})` : ""}`;
}

/** A short reason from an unhealthy /healthz body: failing writes first, then a transport that is away. */
export function healthDetail(body: Record<string, unknown>): string {
  const sink = body.sink as { state?: string; reason?: string } | undefined;
  if (sink?.state && sink.state !== "ok") return `sink ${sink.state}${sink.reason ? `: ${sink.reason}` : ""}`;
  const transport = body.transport as { state?: string; since?: string; error?: string } | undefined;
  if (transport?.state === "reconnecting")
    return `transport reconnecting since ${transport.since ?? "?"}${transport.error ? `: ${transport.error}` : ""}`;
  if (body.stopping) return "stopping";
  return String(body.status ?? "unhealthy");
}
