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

export function tokenizeText(text: string): string[] {
  return text
    .toLowerCase()
    .split(TOKEN_SPLIT)
    .filter((t) => t.length > 0);
}

const indexCache = new WeakMap<Matchable, TextIndex>();

function indexOf(t: Matchable): TextIndex {
  let idx = indexCache.get(t);
  if (!idx) {
    const e = extractEntities(t.text);
    idx = {
      lower: t.text.toLowerCase(),
      tokens: tokenizeText(t.text),
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

function matchesText(idx: TextIndex, value: string): boolean {
  if (UNSPACED_SCRIPT.test(value)) return idx.lower.includes(value.toLowerCase());
  return containsSequence(idx.tokens, tokenizeText(value));
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

export function matchesQuery(node: QueryNode, t: Matchable): boolean {
  const idx = indexOf(t);
  const test = (n: QueryNode): boolean => {
    switch (n.kind) {
      case "and":
        return n.items.every(test);
      case "or":
        return n.items.some(test);
      case "not":
        return !test(n.item);
      case "keyword":
      case "phrase":
        return matchesText(idx, n.value);
      case "hashtag":
        return idx.hashtags.has(n.value.toLowerCase());
      case "cashtag":
        return idx.cashtags.has(n.value.toLowerCase());
      case "mention":
        return idx.mentions.has(n.value.toLowerCase());
      case "operator":
        return matchesOperator(t, idx, n.name, n.value);
    }
  };
  return test(node);
}
