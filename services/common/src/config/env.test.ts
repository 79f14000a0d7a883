import { test } from "node:test";
import assert from "node:assert/strict";
import { createLogger } from "../log/logger.js";
import {
  ConfigError,
  SERVICE_ENV,
  bool,
  int,
  list,
  num,
  oneOf,
  peekEnv,
  readEnv,
  secret,
  str,
  url,
  withHint,
} from "./env.js";

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

test("every readEnv also checks LOG_LEVEL, the variable every service reads", () => {
  assert.deepEqual(readEnv({ A: int(5) }, { LOG_LEVEL: "WARN" }), { A: 5 }, "valid in any case; not returned");
  assert.deepEqual(readEnv({ A: int(5) }, { LOG_LEVEL: " " }), { A: 5 }, "blank means the default");
  assert.throws(
    () => readEnv({ A: int(5) }, { A: "x", LOG_LEVEL: "verbose" }),
    (err: unknown) =>
      err instanceof ConfigError &&
      err.problems.length === 2 &&
      err.problems[1] === 'LOG_LEVEL="verbose" is invalid: expected one of debug, info, warn, error',
  );
  // A service that lists it itself gets it parsed, and it is reported once.
  assert.deepEqual(readEnv(SERVICE_ENV, { LOG_LEVEL: "debug" }), { LOG_LEVEL: "debug" });
  assert.throws(
    () => readEnv(SERVICE_ENV, { LOG_LEVEL: "loud" }),
    (err: unknown) => err instanceof ConfigError && err.problems.length === 1,
  );
});

test("peekEnv reads one variable as readEnv does, without throwing", () => {
  assert.equal(peekEnv("N", int(3), {}), 3);
  assert.equal(peekEnv("N", int(3), { N: " 7 " }), 7);
  assert.equal(peekEnv("N", int(3), { N: "seven" }), undefined);
  assert.equal(peekEnv("T", secret(str()), {}), undefined);
  assert.equal(peekEnv("T", secret(str()), { T: " abcd " }), "abcd");
});

test("the logger starts at info on an invalid LOG_LEVEL (readEnv reports it), else at the level given", () => {
  const logged = (level: string) => {
    const lines: string[] = [];
    const log = createLogger({}, { level, sink: (l) => lines.push(l) });
    log.debug("d");
    log.info("i");
    log.warn("w");
    return lines.map((l) => (JSON.parse(l) as { msg: string }).msg);
  };
  assert.deepEqual(logged("verbose"), ["i", "w"]);
  assert.deepEqual(logged(" WARN "), ["w"]);
  assert.deepEqual(logged("debug"), ["d", "i", "w"]);
});
