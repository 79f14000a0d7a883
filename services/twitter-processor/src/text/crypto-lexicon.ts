/**
 * The crypto supplement to VADER's lexicon (assets/crypto_lexicon.tsv): words
 * and phrases of crypto posts that the general lexicon lacks ("hodl",
 * "rekt") or scores for another sense ("moon", "dump", "fire"). Pure.
 *
 * File format: `term TAB valence TAB why`, valence on VADER's -4..4 scale;
 * lines starting with "#" and blank lines are ignored. A term of several words
 * ("rug pull") is matched as a phrase: the words may be separated by spaces or
 * hyphens, and are joined with "_" into one token before scoring
 * (`joinPhrases`), under which key the merged lexicon holds its valence.
 */

export interface SupplementEntry {
  readonly term: string;
  readonly valence: number;
  readonly why: string;
}

export function parseSupplement(text: string): SupplementEntry[] {
  const out: SupplementEntry[] = [];
  const seen = new Set<string>();
  text.split("\n").forEach((raw, n) => {
    const line = raw.trim();
    if (!line || line.startsWith("#")) return;
    const [term, value, why] = line.split("\t").map((f) => f.trim());
    const valence = Number(value);
    const where = `crypto lexicon line ${n + 1}`;
    if (!term || term !== term.toLowerCase()) throw new Error(`${where}: the term must be lowercase`);
    if (!Number.isFinite(valence) || valence < -4 || valence > 4 || value === "")
      throw new Error(`${where}: valence must be a number in [-4, 4]`);
    if (!why) throw new Error(`${where}: every term needs a justification`);
    if (seen.has(term)) throw new Error(`${where}: ${term} is listed twice`);
    seen.add(term);
    out.push({ term, valence, why });
  });
  return out;
}

/** The lexicon key of a term: its words joined with "_". */
export const phraseKey = (term: string): string => term.split(/\s+/).join("_");

/** VADER's lexicon with the supplement's values added or put in place. */
export function mergeLexicon(
  base: ReadonlyMap<string, number>,
  supplement: readonly SupplementEntry[],
): Map<string, number> {
  const out = new Map(base);
  for (const e of supplement) out.set(phraseKey(e.term), e.valence);
  return out;
}

const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/**
 * Rewrites every multi-word term of the supplement into its joined token,
 * keeping the text's casing ("RUG PULL" -> "RUG_PULL", still ALL CAPS).
 * Returns the identity when there are none.
 */
export function phraseJoiner(supplement: readonly SupplementEntry[]): (text: string) => string {
  const phrases = supplement
    .map((e) => e.term)
    .filter((t) => t.includes(" "))
    .sort((a, b) => b.length - a.length);
  if (phrases.length === 0) return (t) => t;
  // Phrases are ASCII, so an ASCII regex does (about 3x faster than a Unicode one); a letter of
  // another script right before or after a phrase counts as a word boundary.
  const pattern = new RegExp(
    `(?<![A-Za-z0-9_])(?:${phrases.map((p) => p.split(" ").map(escape).join("[ \\t-]+")).join("|")})(?![A-Za-z0-9_])`,
    "gi",
  );
  return (text) => text.replace(pattern, (m) => m.split(/[ \t-]+/).join("_"));
}
