import { rngFor, type Rng } from "../prng.js";
import { MAX_WEIGHTED_LENGTH, truncateToFit, weightedLength } from "../tweet-length.js";
import type { Author } from "./authors.js";
import { COINS, EMOJI, HASHTAGS, formatPrice, tcoUrl, type Coin } from "./pools.js";
import type { Sentiment, TextTemplate } from "./template.js";
import { ENGLISH_TEMPLATES } from "./texts-en.js";
import { INTERNATIONAL_TEMPLATES } from "./texts-intl.js";

export const ALL_TEMPLATES: readonly TextTemplate[] = [...ENGLISH_TEMPLATES, ...INTERNATIONAL_TEMPLATES];

export interface PublicMetrics {
  retweet_count: number;
  reply_count: number;
  like_count: number;
  quote_count: number;
  bookmark_count: number;
  impression_count: number;
}

/** Everything about a synthetic tweet except its id and time (the store assigns those). */
export interface ComposedTweet {
  readonly text: string;
  readonly lang: string;
  readonly sentiment: Sentiment;
  readonly author: Author;
  readonly isRetweet: boolean;
  /** Set for replies: the user replied to (also the leading @mention). */
  readonly inReplyTo?: Author;
  readonly retweetOf?: Author;
  readonly publicMetrics: PublicMetrics;
  readonly possiblySensitive: boolean;
}

const TWEET_STREAM = 0;

/** Probabilities of the decorations added on top of a template. */
const P_RETWEET = 0.12;
const P_REPLY = 0.1;
const P_EXTRA_TAG = 0.2;
const P_EXTRA_URL = 0.08;

function fill(template: string, rng: Rng, coin: Coin, authors: readonly Author[]): string {
  return template.replace(/\{(coin|sym|cash|price|pct|n|user|url|tag|emoji)\}/g, (_m, key: string) => {
    switch (key) {
      case "coin":
        return coin.name;
      case "sym":
        return coin.sym;
      case "cash":
        return "$" + coin.sym;
      case "price":
        return formatPrice(coin.price * (0.8 + rng.next() * 0.4));
      case "pct":
        return `${(rng.next() * 25 + 0.1).toFixed(rng.chance(0.5) ? 1 : 0)}%`;
      case "n":
        return String(2 + rng.int(98));
      case "user":
        return "@" + rng.pick(authors).username;
      case "url":
        return tcoUrl(rng.int);
      case "tag":
        return rng.pick(HASHTAGS);
      default:
        return rng.pick(EMOJI);
    }
  });
}

/** A heavy-tailed count: most tweets get little engagement, a few get a lot. */
function heavyTail(rng: Rng, scale: number): number {
  const u = Math.max(rng.next(), 1e-9);
  return Math.floor(scale * (Math.pow(u, -0.8) - 1));
}

function metricsFor(rng: Rng, isRetweet: boolean): PublicMetrics {
  const impressions = heavyTail(rng, 120) + rng.int(40);
  const likes = Math.floor(impressions * rng.next() * 0.05);
  const retweets = Math.floor(likes * rng.next() * 0.3);
  if (isRetweet) {
    // A retweet has no engagement of its own; the API reports the original's retweets.
    return {
      retweet_count: retweets + 1,
      reply_count: 0,
      like_count: 0,
      quote_count: 0,
      bookmark_count: 0,
      impression_count: 0,
    };
  }
  return {
    retweet_count: retweets,
    reply_count: Math.floor(likes * rng.next() * 0.2),
    like_count: likes,
    quote_count: Math.floor(retweets * rng.next() * 0.3),
    bookmark_count: Math.floor(likes * rng.next() * 0.1),
    impression_count: impressions,
  };
}

/** Tweet number `index` of the stream for `seedHash`: a pure function. */
export function composeTweet(seedHash: number, index: number, authors: readonly Author[]): ComposedTweet {
  const rng = rngFor(seedHash, TWEET_STREAM, index);
  const template = rng.pick(ALL_TEMPLATES);
  const coin = rng.pick(COINS);
  const author = rng.pick(authors);
  let text = fill(template.text, rng, coin, authors);
  if (rng.chance(P_EXTRA_TAG)) text += " " + rng.pick(HASHTAGS);
  if (rng.chance(P_EXTRA_URL)) text += " " + tcoUrl(rng.int);

  const isRetweet = rng.chance(P_RETWEET);
  let inReplyTo: Author | undefined;
  let retweetOf: Author | undefined;
  if (isRetweet) {
    retweetOf = rng.pick(authors);
    // Truncate the quoted body, never the "RT @user: " prefix.
    const prefix = `RT @${retweetOf.username}: `;
    text = prefix + truncateToFit(text, MAX_WEIGHTED_LENGTH - weightedLength(prefix));
  } else if (rng.chance(P_REPLY)) {
    inReplyTo = rng.pick(authors);
    text = `@${inReplyTo.username} ${text}`;
  }
  text = truncateToFit(text);
  return {
    text,
    lang: template.lang,
    sentiment: template.sentiment,
    author,
    isRetweet,
    inReplyTo,
    retweetOf,
    publicMetrics: metricsFor(rng, isRetweet),
    possiblySensitive: rng.chance(0.02),
  };
}
