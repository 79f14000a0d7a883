/** The parsed form of a search query (see parse.ts for the grammar). */
export type QueryNode =
  | { readonly kind: "and"; readonly items: readonly QueryNode[] }
  | { readonly kind: "or"; readonly items: readonly QueryNode[] }
  | { readonly kind: "not"; readonly item: QueryNode }
  | { readonly kind: "keyword"; readonly value: string }
  | { readonly kind: "phrase"; readonly value: string }
  | { readonly kind: "hashtag"; readonly value: string }
  | { readonly kind: "cashtag"; readonly value: string }
  | { readonly kind: "mention"; readonly value: string }
  | { readonly kind: "operator"; readonly name: string; readonly value: string };

export class QuerySyntaxError extends Error {
  constructor(
    readonly detail: string,
    /** 1-based position in the query, as the real API reports it. */
    readonly position: number,
  ) {
    super(`${detail} (at position ${position})`);
    this.name = "QuerySyntaxError";
  }
}
