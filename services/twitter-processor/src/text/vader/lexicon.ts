/**
 * Parsing VADER's lexicon files. Pure: the caller reads the files
 * (text/lexicon-files.ts).
 *
 *   vader_lexicon.txt       token TAB mean-valence TAB sd TAB [ten ratings]
 *   emoji_utf8_lexicon.txt  emoji TAB English description
 *
 * A token listed twice keeps its last value, as the reference's dict does
 * ("lol" and "lmao" are listed twice in 3.3.2).
 */

export type Valences = Map<string, number>;

export function parseValenceLexicon(text: string): Valences {
  const out: Valences = new Map();
  for (const raw of text.split("\n")) {
    const line = raw.trim();
    if (!line) continue;
    const [token, value] = line.split("\t");
    const v = Number(value);
    if (token === undefined || value === undefined || !Number.isFinite(v))
      throw new Error(`bad lexicon line: ${JSON.stringify(raw.slice(0, 80))}`);
    out.set(token, v);
  }
  return out;
}

export function parseEmojiLexicon(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const raw of text.split("\n")) {
    const line = raw.trim();
    if (!line) continue;
    const [emoji, description] = line.split("\t");
    if (emoji === undefined || description === undefined)
      throw new Error(`bad emoji lexicon line: ${JSON.stringify(raw.slice(0, 80))}`);
    out.set(emoji, description);
  }
  return out;
}
