import { QuerySyntaxError, type QueryNode } from "./ast.js";

/**
 * A parser for the subset of the v2 search query language the simulator
 * understands:
 *   query  := or
 *   or     := and ("OR" and)*          AND binds tighter than OR, as on Twitter
 *   and    := unary+                    terms separated by spaces are ANDed
 *   unary  := "-" atom | atom
 *   atom   := "(" or ")" | "quoted phrase" | #tag | $cash | @user | name:value | keyword
 * Supported operators: lang:, is:retweet|reply|quote|verified, has:links|hashtags|
 * mentions|cashtags|media|images|videos|geo, from:, to:, conversation_id:, url:,
 * retweets_of:. Any other `name:` is an error, as on Twitter.
 */

export const MAX_QUERY_LENGTH = 512;

const STANDALONE_OPERATORS = new Set(["from", "to", "url", "conversation_id", "retweets_of"]);
const CONJUNCTION_OPERATORS = new Set(["lang", "is", "has"]);
const IS_VALUES = new Set(["retweet", "reply", "quote", "verified", "nullcast"]);
const HAS_VALUES = new Set(["links", "hashtags", "mentions", "cashtags", "media", "images", "videos", "geo"]);

type Token = { type: "(" | ")" | "OR" | "-"; pos: number } | { type: "word" | "quoted"; value: string; pos: number };

function tokenize(q: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < q.length) {
    const c = q[i] as string;
    if (/\s/u.test(c)) {
      i++;
    } else if (c === "(" || c === ")") {
      tokens.push({ type: c, pos: i + 1 });
      i++;
    } else if (c === '"') {
      const close = q.indexOf('"', i + 1);
      if (close < 0) throw new QuerySyntaxError("missing closing '\"'", i + 1);
      tokens.push({ type: "quoted", value: q.slice(i + 1, close), pos: i + 1 });
      i = close + 1;
    } else if (c === "-" && i + 1 < q.length && !/\s/u.test(q[i + 1] as string)) {
      tokens.push({ type: "-", pos: i + 1 });
      i++;
    } else {
      const start = i;
      while (i < q.length && !/[\s()"]/u.test(q[i] as string)) i++;
      const value = q.slice(start, i);
      tokens.push(value === "OR" ? { type: "OR", pos: start + 1 } : { type: "word", value, pos: start + 1 });
    }
  }
  return tokens;
}

function classifyWord(value: string, pos: number): QueryNode {
  if (value === "-") throw new QuerySyntaxError("no viable alternative at input '-'", pos);
  const first = value[0];
  if ((first === "#" || first === "＃") && value.length > 1) return { kind: "hashtag", value: value.slice(1) };
  if (first === "$" && /^\$[A-Za-z]/u.test(value)) return { kind: "cashtag", value: value.slice(1) };
  if ((first === "@" || first === "＠") && value.length > 1) return { kind: "mention", value: value.slice(1) };
  const op = /^([a-z_]+):(.+)$/iu.exec(value);
  if (op && !/^https?$/iu.test(op[1] as string)) {
    const name = (op[1] as string).toLowerCase();
    const arg = op[2] as string;
    if (!STANDALONE_OPERATORS.has(name) && !CONJUNCTION_OPERATORS.has(name)) {
      throw new QuerySyntaxError(
        `Reference to invalid operator '${name}'. Operator is not available in current product or product packaging.`,
        pos,
      );
    }
    if (name === "is" && !IS_VALUES.has(arg.toLowerCase())) {
      throw new QuerySyntaxError(`Reference to invalid field '${arg}'`, pos + name.length + 1);
    }
    if (name === "has" && !HAS_VALUES.has(arg.toLowerCase())) {
      throw new QuerySyntaxError(`Reference to invalid field '${arg}'`, pos + name.length + 1);
    }
    return { kind: "operator", name, value: arg };
  }
  return { kind: "keyword", value };
}

class Parser {
  private i = 0;
  constructor(
    private readonly tokens: Token[],
    private readonly length: number,
  ) {}

  private peek(): Token | undefined {
    return this.tokens[this.i];
  }

  private posHere(): number {
    return this.peek()?.pos ?? this.length + 1;
  }

  parseQuery(): QueryNode {
    const node = this.parseOr();
    const rest = this.peek();
    if (rest) throw new QuerySyntaxError(`extraneous input '${rest.type === ")" ? ")" : rest.type}'`, rest.pos);
    return node;
  }

  private parseOr(): QueryNode {
    const items = [this.parseAnd()];
    while (this.peek()?.type === "OR") {
      this.i++;
      items.push(this.parseAnd());
    }
    return items.length === 1 ? (items[0] as QueryNode) : { kind: "or", items };
  }

  private parseAnd(): QueryNode {
    const items: QueryNode[] = [];
    for (let t = this.peek(); t && t.type !== ")" && t.type !== "OR"; t = this.peek()) {
      items.push(this.parseUnary());
    }
    if (items.length === 0) {
      const t = this.peek();
      const what = t ? (t.type === "OR" ? "OR" : ")") : "<EOF>";
      throw new QuerySyntaxError(`no viable alternative at input '${what}'`, this.posHere());
    }
    return items.length === 1 ? (items[0] as QueryNode) : { kind: "and", items };
  }

  private parseUnary(): QueryNode {
    if (this.peek()?.type === "-") {
      this.i++;
      return { kind: "not", item: this.parseAtom() };
    }
    return this.parseAtom();
  }

  private parseAtom(): QueryNode {
    const t = this.peek();
    if (!t) throw new QuerySyntaxError("no viable alternative at input '<EOF>'", this.length + 1);
    this.i++;
    switch (t.type) {
      case "(": {
        const inner = this.parseOr();
        if (this.peek()?.type !== ")") throw new QuerySyntaxError("missing ')'", this.posHere());
        this.i++;
        return inner;
      }
      case "quoted":
        if (t.value.trim() === "") throw new QuerySyntaxError("empty quoted phrase", t.pos);
        return { kind: "phrase", value: t.value };
      case "word":
        return classifyWord(t.value, t.pos);
      default:
        throw new QuerySyntaxError(`no viable alternative at input '${t.type}'`, t.pos);
    }
  }
}

/** True if some non-negated branch has a term that can stand alone (Twitter rejects e.g. "lang:en" alone). */
function hasPositiveStandalone(node: QueryNode): boolean {
  switch (node.kind) {
    case "and":
    case "or":
      return node.items.some(hasPositiveStandalone);
    case "not":
      return false;
    case "operator":
      return STANDALONE_OPERATORS.has(node.name);
    default:
      return true;
  }
}

export function parseQuery(query: string): QueryNode {
  const node = new Parser(tokenize(query), query.length).parseQuery();
  if (!hasPositiveStandalone(node)) {
    throw new QuerySyntaxError("Rules must contain at least one positive, non-stopword clause", 1);
  }
  return node;
}
