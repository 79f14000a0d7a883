/**
 * The pause/resume state both ZeroMQ readers share: while paused, `held` is a
 * promise the intake loop awaits; `resume` settles it.
 */
export class PauseGate {
  private waiting: Promise<void> | undefined;
  private release: (() => void) | undefined;

  /** Set while paused: await it before handing on more. */
  get held(): Promise<void> | undefined {
    return this.waiting;
  }

  pause(): void {
    if (this.waiting) return;
    this.waiting = new Promise((resolve) => (this.release = resolve));
  }

  resume(): void {
    const release = this.release;
    this.waiting = undefined;
    this.release = undefined;
    release?.();
  }
}
