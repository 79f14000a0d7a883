import { extractEntities } from "../entities.js";
import type { SimTweet } from "../tweet.js";
import type { SearchRequest } from "./params.js";

/** The JSON object of one tweet with the fields requested (id, text, edit_history_tweet_ids always). */
export function renderTweet(t: SimTweet, fields: ReadonlySet<string>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const want = (f: string): boolean => fields.has(f);
  if (want("author_id")) out.author_id = t.authorId;
  if (want("conversation_id")) out.conversation_id = t.conversationId;
  if (want("created_at")) out.created_at = t.createdAt;
  if (want("display_text_range")) out.display_text_range = [0, [...t.text].length];
  if (want("edit_controls")) {
    const editableUntil = t.createdAtMs + 60 * 60 * 1000;
    out.edit_controls = {
      edits_remaining: 5,
      is_edit_eligible: !t.isRetweet,
      editable_until: new Date(editableUntil).toISOString(),
    };
  }
  if (want("entities")) {
    const e = extractEntities(t.text);
    if (Object.keys(e).length > 0) out.entities = e;
  }
  if (want("in_reply_to_user_id") && t.inReplyToUserId) out.in_reply_to_user_id = t.inReplyToUserId;
  if (want("lang")) out.lang = t.lang;
  if (want("possibly_sensitive")) out.possibly_sensitive = t.possiblySensitive;
  if (want("public_metrics")) out.public_metrics = { ...t.publicMetrics };
  if (want("referenced_tweets") && t.referencedTweets)
    out.referenced_tweets = t.referencedTweets.map((r) => ({ ...r }));
  if (want("reply_settings")) out.reply_settings = "everyone";
  // Fields the corpus has no data for (geo, attachments, note_tweet, ...) are
  // omitted, as the API omits fields a tweet does not have.
  out.edit_history_tweet_ids = [t.id];
  out.id = t.id;
  out.text = t.text;
  return out;
}

function renderUsers(page: readonly SimTweet[], req: SearchRequest): Record<string, unknown>[] {
  const users = new Map<string, Record<string, unknown>>();
  const add = (id: string, username: string, name: string): void => {
    if (users.has(id)) return;
    const u: Record<string, unknown> = { id, name, username };
    if (req.userFields.has("protected")) u.protected = false;
    if (req.userFields.has("verified")) u.verified = false;
    users.set(id, u);
  };
  for (const t of page) {
    if (req.expansions.has("author_id")) add(t.author.id, t.author.username, t.author.name);
    if (req.expansions.has("in_reply_to_user_id") && t.inReplyToUserId && t.inReplyToUsername) {
      add(t.inReplyToUserId, t.inReplyToUsername, t.inReplyToUsername);
    }
  }
  return [...users.values()];
}

/**
 * The 200 body: {"data":[...],"includes"?:{...},"meta":{newest_id, oldest_id, result_count, next_token?}},
 * or {"meta":{"result_count":0}} with no data key when nothing matched.
 */
export function renderSearchBody(
  page: readonly SimTweet[],
  req: SearchRequest,
  nextToken?: string,
): Record<string, unknown> {
  const newest = page[0];
  const oldest = page[page.length - 1];
  if (!newest || !oldest) return { meta: { result_count: 0 } };
  const body: Record<string, unknown> = { data: page.map((t) => renderTweet(t, req.tweetFields)) };
  const users = renderUsers(page, req);
  if (users.length > 0) body.includes = { users };
  const meta: Record<string, unknown> = { newest_id: newest.id, oldest_id: oldest.id, result_count: page.length };
  if (nextToken) meta.next_token = nextToken;
  body.meta = meta;
  return body;
}
