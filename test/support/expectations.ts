/**
 * Soft assertions: a fault spec checks everything the contract promises and
 * then fails once, naming every broken promise, so one run against a
 * half-finished implementation shows all that is missing, not just the first.
 */
import assert from "node:assert/strict";

export class Expectations {
  private readonly broken: string[] = [];

  ok(condition: unknown, promise: string): void {
    if (!condition) this.broken.push(promise);
  }

  equal<T>(actual: T, expected: T, promise: string): void {
    if (!Object.is(actual, expected))
      this.broken.push(`${promise} (expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)})`);
  }

  get failures(): readonly string[] {
    return this.broken;
  }

  /** Throws one assertion error listing every broken promise. */
  verify(): void {
    assert.deepEqual(this.broken, [], `${this.broken.length} expectation(s) failed:\n- ${this.broken.join("\n- ")}`);
  }
}
