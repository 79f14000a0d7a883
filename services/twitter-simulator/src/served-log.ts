/**
 * Every tweet the simulator has put in a 200 response, once per id, in the
 * order first served, with the exact text, so an end-to-end test can check that
 * each one arrived downstream exactly once. Bounded to protect memory in
 * long demo runs; `dropped` says how many early entries were forgotten.
 */
export interface ServedTweet {
  readonly id: string;
  readonly text: string;
  readonly lang: string;
  readonly created_at: string;
  readonly author_id: string;
  /** How many responses carried it (more than 1 when a client re-reads). */
  timesServed: number;
}

export class ServedLog {
  private readonly byId = new Map<string, ServedTweet>();
  private total = 0;
  private dropped = 0;

  constructor(private readonly capacity: number) {}

  record(tweets: readonly { id: string; text: string; lang: string; createdAt: string; authorId: string }[]): void {
    for (const t of tweets) {
      this.total++;
      const seen = this.byId.get(t.id);
      if (seen) {
        seen.timesServed++;
        continue;
      }
      this.byId.set(t.id, {
        id: t.id,
        text: t.text,
        lang: t.lang,
        created_at: t.createdAt,
        author_id: t.authorId,
        timesServed: 1,
      });
      if (this.byId.size > this.capacity) {
        const oldest = this.byId.keys().next().value as string;
        this.byId.delete(oldest);
        this.dropped++;
      }
    }
  }

  list(): ServedTweet[] {
    return [...this.byId.values()].map((s) => ({ ...s }));
  }

  counts(): { unique: number; total: number; dropped: number } {
    return { unique: this.byId.size, total: this.total, dropped: this.dropped };
  }
}
