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
  };
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
