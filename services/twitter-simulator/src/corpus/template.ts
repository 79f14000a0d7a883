/**
 * A hand-written tweet template. Placeholders are filled per tweet by compose.ts:
 *   {coin} full coin name, {sym} ticker without "$", {cash} cashtag ("$BTC"),
 *   {price} a plausible price for that coin, {pct} a percentage, {n} a small count,
 *   {user} an @mention, {url} a t.co link, {tag} a hashtag, {emoji} an emoji.
 * One tweet uses one coin throughout, so "{coin}" and "{cash}" agree.
 * Texts are stored as the API serves them: "&", "<", ">" already escaped.
 */
export type Sentiment = "positive" | "negative" | "neutral";

export interface TextTemplate {
  readonly lang: string;
  readonly sentiment: Sentiment;
  readonly text: string;
}

export const make =
  (lang: string, sentiment: Sentiment) =>
  (text: string): TextTemplate => ({ lang, sentiment, text });
