/**
 * Twitter markup that carries no sentiment of the author's: the leading
 * "RT @user:" marker, links and @mentions. Shared by preprocessing (cleaned
 * text) and sentiment scoring (which keeps everything else: casing,
 * punctuation, emoji). Case-insensitive, so it works on either.
 */

// Only at the very start: that is where the retweet prefix sits ("RT @user: ...").
const RETWEET_MARKER = /^\s*rt\s+@\w+\s*:?/i;
// URLs in tweet text are t.co links and other ASCII URLs; stop at whitespace or at
// the first non-ASCII character so text glued to a link ("見てhttps://...") survives.
// "www." must not be inside a word ("awww.").
const URL = /https?:\/\/[!-~]*|(?<![\p{L}\p{N}])www\.[!-~]*/giu;
const BARE_TCO = /(?<![\p{L}\p{N}./])t\.co\/[!-~]*/giu;
// Twitter handles are ASCII [A-Za-z0-9_]; not after a word character (e-mail addresses).
const MENTION = /(?<![\p{L}\p{N}_])@\w+/gu;

/** Replaces the retweet marker, links and mentions with a space each. */
export function stripTweetMarkup(text: string): string {
  return text.replace(RETWEET_MARKER, " ").replace(URL, " ").replace(BARE_TCO, " ").replace(MENTION, " ");
}

/** The placeholders `neutralizeTweetMarkup` puts in: tokens no lexicon knows. */
export const LINK_PLACEHOLDER = "http://link";
export const MENTION_PLACEHOLDER = "@user";

/**
 * Replaces each link and @mention with a placeholder token, so that a handle
 * ("@happy") or a link's path ("...?great!") cannot score, while the text keeps
 * its tokens where they were (VADER's rules look up to three tokens back, and
 * its ALL-CAPS emphasis depends on the share of capitalised tokens).
 */
export function neutralizeTweetMarkup(text: string): string {
  return text.replace(URL, linkPlaceholder).replace(BARE_TCO, linkPlaceholder).replace(MENTION, MENTION_PLACEHOLDER);
}

// Punctuation right after a link is the author's ("see https://t.co/x!"), not the link's.
const TRAILING_PUNCTUATION = /[!?.,;:'")\]]+$/;
const linkPlaceholder = (link: string): string => LINK_PLACEHOLDER + (TRAILING_PUNCTUATION.exec(link)?.[0] ?? "");
