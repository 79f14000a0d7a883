/**
 * A fixed-window request budget, like the app-auth limit of recent search
 * (450 requests per 15 minutes). The window opens with the first counted
 * request; x-rate-limit-reset is the window's end in epoch seconds.
 */
export interface RateLimitState {
  readonly limit: number;
  readonly remaining: number;
  /** Epoch seconds at which the budget refills. */
  readonly reset: number;
}

export class FixedWindowRateLimiter {
  private windowStart: number | undefined;
  private used = 0;

  constructor(
    readonly limit: number,
    readonly windowMs: number,
    private readonly now: () => number,
  ) {}

  private roll(): void {
    if (this.windowStart !== undefined && this.now() >= this.windowStart + this.windowMs) {
      this.windowStart = undefined;
      this.used = 0;
    }
  }

  state(): RateLimitState {
    this.roll();
    const end = (this.windowStart ?? this.now()) + this.windowMs;
    return { limit: this.limit, remaining: Math.max(0, this.limit - this.used), reset: Math.ceil(end / 1000) };
  }

  /** Counts one request; false when the budget is spent (the caller answers 429). */
  tryConsume(): boolean {
    this.roll();
    if (this.used >= this.limit) return false;
    this.windowStart ??= this.now();
    this.used++;
    return true;
  }

  /** Refills the budget (control API, for tests). */
  reset(): void {
    this.windowStart = undefined;
    this.used = 0;
  }
}
