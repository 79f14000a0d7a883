/**
 * Entities (hashtags, cashtags, mentions, urls) found in a tweet's text, with
 * start/end offsets in code points as the v2 API reports them. Used both for
 * `tweet.fields=entities` and by the query matcher (#tag, $cash, @user, has:links).
 */

export interface TagEntity {
  start: number;
  end: number;
  tag: string;
}
export interface MentionEntity {
  start: number;
  end: number;
  username: string;
}
export interface UrlEntity {
  start: number;
  end: number;
  url: string;
  expanded_url: string;
  display_url: string;
}
export interface TweetEntities {
  hashtags?: TagEntity[];
  cashtags?: TagEntity[];
  mentions?: MentionEntity[];
  urls?: UrlEntity[];
}

const HASHTAG_RE = /(?<![\p{L}\p{N}_&])[#＃]([\p{L}\p{M}\p{N}_]+)/gu;
const CASHTAG_RE = /(?<![\p{L}\p{N}_$])\$([A-Za-z]{1,6}(?:[._][A-Za-z]{1,2})?)(?![\p{L}\p{N}_])/gu;
const MENTION_RE = /(?<![A-Za-z0-9_!#$%&*@＠])[@＠]([A-Za-z0-9_]{1,15})(?![A-Za-z0-9_])/gu;
const URL_RE = /https?:\/\/t\.co\/[A-Za-z0-9]+/gu;

/** Converts a UTF-16 offset into a code-point offset. */
function cp(text: string, utf16Index: number): number {
  let n = 0;
  for (let i = 0; i < utf16Index; i++) {
    const c = text.charCodeAt(i);
    if (c < 0xdc00 || c > 0xdfff) n++;
  }
  return n;
}

function spans(text: string, re: RegExp): { start: number; end: number; whole: string; group: string }[] {
  const out: { start: number; end: number; whole: string; group: string }[] = [];
  for (const m of text.matchAll(re)) {
    const at = m.index ?? 0;
    out.push({ start: cp(text, at), end: cp(text, at + m[0].length), whole: m[0], group: m[1] ?? m[0] });
  }
  return out;
}

export function extractEntities(text: string): TweetEntities {
  const hashtags = spans(text, HASHTAG_RE)
    .filter((s) => /\p{L}/u.test(s.group)) // "#1" is not a hashtag
    .map(({ start, end, group }) => ({ start, end, tag: group }));
  const cashtags = spans(text, CASHTAG_RE).map(({ start, end, group }) => ({ start, end, tag: group }));
  const mentions = spans(text, MENTION_RE).map(({ start, end, group }) => ({ start, end, username: group }));
  const urls = spans(text, URL_RE).map(({ start, end, whole }) => {
    const code = whole.slice(whole.lastIndexOf("/") + 1);
    // t.co hides the real target; the simulator points every link at a reserved domain.
    return { start, end, url: whole, expanded_url: `https://example.com/${code}`, display_url: `example.com/${code}` };
  });
  const out: TweetEntities = {};
  if (hashtags.length) out.hashtags = hashtags;
  if (cashtags.length) out.cashtags = cashtags;
  if (mentions.length) out.mentions = mentions;
  if (urls.length) out.urls = urls;
  return out;
}
