/** Parses Prometheus' text exposition format (what every service's /metrics serves). Pure. */

export interface Sample {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;
const unescape = (v: string) => v.replace(/\\(.)/g, (_m, c: string) => (c === "n" ? "\n" : c));

export function parsePrometheus(text: string): Sample[] {
  const out: Sample[] = [];
  for (const raw of text.split("\n")) {
    const line = raw.trim();
    if (line === "" || line.startsWith("#")) continue;
    const brace = line.indexOf("{");
    const space = line.lastIndexOf(" ");
    if (space < 0) continue;
    const name = line.slice(0, brace >= 0 && brace < space ? brace : line.indexOf(" "));
    const labels: Record<string, string> = {};
    if (brace >= 0 && brace < space) {
      const body = line.slice(brace + 1, line.lastIndexOf("}"));
      for (const m of body.matchAll(LABEL)) labels[m[1]!] = unescape(m[2]!);
    }
    const value = Number(line.slice(space + 1));
    if (name !== "") out.push({ name, labels, value });
  }
  return out;
}

/** The sum of a metric's samples over every label set (0 when absent). */
export function total(samples: readonly Sample[], name: string): number {
  return samples.reduce((a, s) => (s.name === name ? a + s.value : a), 0);
}

/** A metric's samples summed per value of one label. */
export function byLabel(samples: readonly Sample[], name: string, label: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const s of samples) {
    if (s.name !== name) continue;
    const k = s.labels[label] ?? "";
    out[k] = (out[k] ?? 0) + s.value;
  }
  return out;
}
