import { test } from "node:test";
import assert from "node:assert/strict";
import { ConfigError, bool, int, list, num, oneOf, readEnv, secret, str, url, withHint } from "./env.js";

test("defaults apply when variables are unset or blank", () => {
  const c = readEnv({ A: int(5), B: str("x"), C: list(["a", "b"]) }, { B: "  " });
  assert.deepEqual(c, { A: 5, B: "x", C: ["a", "b"] });
});

test("values are parsed and validated", () => {
  const c = readEnv(
    {
      A: int(undefined, 1, 10),
      B: num(),
      C: bool(),
      D: oneOf(["zmq", "kafka"] as const),
      E: list(),
      F: url(undefined, ["ws", "wss"]),
    },
    { A: "7", B: "2.5", C: "yes", D: "KAFKA", E: "x, y,,z", F: "wss://h:9443/" },
  );
  assert.deepEqual(c, { A: 7, B: 2.5, C: true, D: "kafka", E: ["x", "y", "z"], F: "wss://h:9443" });
});

test("every problem is reported at once, naming the variable and what it expects", () => {
  try {
    readEnv(
      { PORT: int(undefined, 1, 65535), MODE: oneOf(["a", "b"]), NEED: withHint(str(), "set it to the token") },
      { PORT: "99999", MODE: "c" },
    );
    assert.fail("expected a ConfigError");
  } catch (err) {
    assert.ok(err instanceof ConfigError);
    assert.equal(err.problems.length, 3);
    assert.match(err.problems[0]!, /^PORT="99999" is invalid: expected an integer from 1 to 65535$/);
    assert.match(err.problems[1]!, /^MODE="c" is invalid: expected one of a, b$/);
    assert.match(err.problems[2]!, /^NEED is not set: expected a non-empty string \(set it to the token\)$/);
  }
});

test("a secret's value never appears in the error", () => {
  try {
    readEnv({ TOKEN: secret(int()) }, { TOKEN: "hunter2-secret" });
    assert.fail("expected a ConfigError");
  } catch (err) {
    assert.ok(err instanceof ConfigError);
    assert.doesNotMatch(err.message, /hunter2/);
    assert.match(err.message, /TOKEN=<secret> is invalid/);
  }
});
