import type { QueryNode } from "./ast.js";
import { extractEntities } from "../entities.js";

/** The facts about a tweet a query can test. */
export interface Matchable {
  readonly text: string;
  readonly lang: string;
  readonly isRetweet: boolean;
  readonly isReply: boolean;
  readonly authorUsername: string;
  readonly authorId: string;
  readonly inReplyToUsername?: string;
  readonly retweetOfUsername?: string;
  readonly conversationId: string;
}

/** Pre-computed lowercase tokens and entity sets of one text. */
interface TextIndex {
  readonly lower: string;
  readonly tokens: readonly string[];
  readonly tokenSet: ReadonlySet<string>;
  readonly hashtags: ReadonlySet<string>;
  readonly cashtags: ReadonlySet<string>;
  readonly mentions: ReadonlySet<string>;
  readonly urls: readonly string[];
}

// Twitter tokenises on punctuation, symbols and separators; "#bitcoin", "$BTC"
// and "bitcoin," therefore all contain the token "bitcoin".
const TOKEN_SPLIT = /[^\p{L}\p{M}\p{N}]+/u;
// Scripts written without spaces cannot be tokenised that way; keywords in
// them fall back to substring matching.
const UNSPACED_SCRIPT = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Thai}]/u;

// Where an unspaced script meets another ("DOGE三年了", "Bitcoinが"), a token boundary.
const SCRIPT_RUNS =
  /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Thai}]+|[^\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Thai}]+/gu;

export function tokenizeText(text: string): string[] {
  return text
    .toLowerCase()
    .split(TOKEN_SPLIT)
    .flatMap((t) => t.match(SCRIPT_RUNS) ?? []);
}

const indexCache = new WeakMap<Matchable, TextIndex>();

function indexOf(t: Matchable): TextIndex {
  let idx = indexCache.get(t);
  if (!idx) {
    const e = extractEntities(t.text);
    const tokens = tokenizeText(t.text);
    idx = {
      lower: t.text.toLowerCase(),
      tokens,
      tokenSet: new Set(tokens),
      hashtags: new Set((e.hashtags ?? []).map((h) => h.tag.toLowerCase())),
      cashtags: new Set((e.cashtags ?? []).map((h) => h.tag.toLowerCase())),
      mentions: new Set((e.mentions ?? []).map((m) => m.username.toLowerCase())),
      urls: (e.urls ?? []).flatMap((u) => [u.url.toLowerCase(), u.expanded_url.toLowerCase()]),
    };
    indexCache.set(t, idx);
  }
  return idx;
}

function containsSequence(haystack: readonly string[], needle: readonly string[]): boolean {
  if (needle.length === 0) return false;
  outer: for (let i = 0; i + needle.length <= haystack.length; i++) {
    for (let j = 0; j < needle.length; j++) if (haystack[i + j] !== needle[j]) continue outer;
    return true;
  }
  return false;
}

/** A keyword or phrase prepared once per query: token sequence, or a substring for unspaced scripts. */
function textMatcher(value: string): (idx: TextIndex) => boolean {
  if (UNSPACED_SCRIPT.test(value)) {
    const needle = value.toLowerCase();
    return (idx) => idx.lower.includes(needle);
  }
  const seq = tokenizeText(value);
  const single = seq.length === 1 ? (seq[0] as string) : undefined;
  if (single !== undefined) return (idx) => idx.tokenSet.has(single);
  return (idx) => containsSequence(idx.tokens, seq);
}

function matchesOperator(t: Matchable, idx: TextIndex, name: string, rawValue: string): boolean {
  const value = rawValue.toLowerCase();
  switch (name) {
    case "lang":
      return t.lang.toLowerCase() === value;
    case "is":
      if (value === "retweet") return t.isRetweet;
      if (value === "reply") return t.isReply;
      return false; // no quotes, verified authors or nullcasts in the corpus
    case "has":
      if (value === "links") return idx.urls.length > 0;
      if (value === "hashtags") return idx.hashtags.size > 0;
      if (value === "mentions") return idx.mentions.size > 0;
      if (value === "cashtags") return idx.cashtags.size > 0;
      return false; // no media or geo in the corpus
    case "from":
      return t.authorUsername.toLowerCase() === value.replace(/^@/u, "") || t.authorId === value;
    case "to":
      return (t.inReplyToUsername ?? "").toLowerCase() === value.replace(/^@/u, "");
    case "retweets_of":
      return (t.retweetOfUsername ?? "").toLowerCase() === value.replace(/^@/u, "");
    case "conversation_id":
      return t.conversationId === rawValue;
    case "url":
      return idx.urls.some((u) => u.includes(value.replace(/^"|"$/gu, "")));
    default:
      return false;
  }
}

type Predicate = (t: Matchable, idx: TextIndex) => boolean;

function compile(n: QueryNode): Predicate {
  switch (n.kind) {
    case "and": {
      const items = n.items.map(compile);
      return (t, idx) => items.every((p) => p(t, idx));
    }
    case "or": {
      const items = n.items.map(compile);
      return (t, idx) => items.some((p) => p(t, idx));
    }
    case "not": {
      const inner = compile(n.item);
      return (t, idx) => !inner(t, idx);
    }
    case "keyword":
    case "phrase": {
      const m = textMatcher(n.value);
      return (_t, idx) => m(idx);
    }
    case "hashtag": {
      const v = n.value.toLowerCase();
      return (_t, idx) => idx.hashtags.has(v);
    }
    case "cashtag": {
      const v = n.value.toLowerCase();
      return (_t, idx) => idx.cashtags.has(v);
    }
    case "mention": {
      const v = n.value.toLowerCase();
      return (_t, idx) => idx.mentions.has(v);
    }
    case "operator":
      return (t, idx) => matchesOperator(t, idx, n.name, n.value);
  }
}

/** Prepares a query once; the returned function tests one tweet (searches run it over thousands). */
export function compileQuery(node: QueryNode): (t: Matchable) => boolean {
  const p = compile(node);
  return (t) => p(t, indexOf(t));
}

export function matchesQuery(node: QueryNode, t: Matchable): boolean {
  return compileQuery(node)(t);
}
