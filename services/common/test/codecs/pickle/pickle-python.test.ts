/**
 * Round trips through the reference implementation: Debian's /usr/bin/python3 and its pickle.
 * JS -> Python: our bytes go to pickle.loads. Python -> JS: pickle.dumps with protocols 2-5
 * comes back to decodePickle. Both sides compare the tagged form from pickle-fixtures.ts.
 */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { test } from "node:test";
import assert from "node:assert/strict";
import { CodecError } from "@cryptostream/common/codecs/codec";
import { decodePickle, encodePickle, type PickleValue } from "@cryptostream/common/codecs/pickle/index";
import { containsBytes, roundTripCorpus, tag, type Tagged } from "./pickle-fixtures.js";

const PYTHON = "/usr/bin/python3";

// Mirrors tag()/untag in Python. Reads one JSON request on stdin, writes one JSON answer.
const PYTHON_SIDE = String.raw`
import json, pickle, pickletools, struct, sys

def tag(v):
    if v is None or isinstance(v, bool):
        return v
    if isinstance(v, int):
        return {"int": str(v)}
    if isinstance(v, float):
        return {"float": struct.pack(">d", v).hex()}
    if isinstance(v, str):
        return {"str": v}
    if isinstance(v, (bytes, bytearray)):
        return {"bytes": bytes(v).hex()}
    if isinstance(v, (list, tuple)):
        return {"list": [tag(x) for x in v]}
    if isinstance(v, dict):
        return {"dict": [[k, tag(x)] for k, x in v.items()]}
    raise TypeError("unexpected type %r" % type(v))

def untag(t):
    if t is None or isinstance(t, bool):
        return t
    (kind, v), = t.items()
    if kind == "int":
        return int(v)
    if kind == "float":
        return struct.unpack(">d", bytes.fromhex(v))[0]
    if kind == "str":
        return v
    if kind == "bytes":
        return bytes.fromhex(v)
    if kind == "list":
        return [untag(x) for x in v]
    if kind == "dict":
        return {k: untag(x) for k, x in v}
    raise ValueError(kind)

req = json.loads(sys.stdin.buffer.read().decode("utf-8"))
if req["mode"] == "load":
    out = []
    for h in req["pickles"]:
        try:
            out.append({"ok": tag(pickle.loads(bytes.fromhex(h)))})
        except Exception as e:
            out.append({"error": repr(e)})
elif req["mode"] == "dump":
    out = [{str(p): pickle.dumps(untag(t), protocol=p).hex() for p in req["protocols"]} for t in req["values"]]
elif req["mode"] == "canonical":
    # CPython's protocol 4 bytes without the optional parts: unused memo entries and FRAMEs.
    out = []
    for t in req["values"]:
        data = pickletools.optimize(pickle.dumps(untag(t), protocol=4))
        ops = list(pickletools.genops(data))
        ends = [pos for _, _, pos in ops[1:]] + [len(data)]
        out.append(b"".join(data[pos:end] for (op, _, pos), end in zip(ops, ends) if op.name != "FRAME").hex())
elif req["mode"] == "eval":
    out = [{str(p): pickle.dumps(eval(src), protocol=p).hex() for p in req["protocols"]} for src in req["exprs"]]
sys.stdout.write(json.dumps(out))
`;

function runPython<T>(request: unknown): T {
  if (!existsSync(PYTHON)) {
    assert.fail(
      `${PYTHON} is missing: the pickle round-trip test needs Debian's python3 package (apt-get install python3)`,
    );
  }
  const result = spawnSync(PYTHON, ["-c", PYTHON_SIDE], {
    input: JSON.stringify(request),
    maxBuffer: 256 * 1024 * 1024,
    env: { ...process.env, PYTHONHASHSEED: "0" },
  });
  if (result.error) assert.fail(`${PYTHON} could not run: ${result.error.message}`);
  assert.equal(result.status, 0, `${PYTHON} failed:\n${result.stderr.toString()}`);
  return JSON.parse(result.stdout.toString("utf8")) as T;
}

const corpus = roundTripCorpus();

test("Python's pickle.loads reads our protocol 4 and 5 output as the same values", () => {
  const pickles = corpus.flatMap(({ value }) => [encodePickle(value), encodePickle(value, { protocol: 5 })]);
  const answers = runPython<({ ok: Tagged } | { error: string })[]>({
    mode: "load",
    pickles: pickles.map((p) => p.toString("hex")),
  });
  assert.equal(answers.length, pickles.length);
  corpus.forEach(({ name, value }, i) => {
    for (const [j, protocol] of [4, 5].entries()) {
      const answer = answers[i * 2 + j]!;
      assert.ok(
        "ok" in answer,
        `${name} (protocol ${protocol}): Python raised ${"error" in answer ? answer.error : "?"}`,
      );
      assert.deepEqual(answer.ok, tag(value), `${name} (protocol ${protocol}) differs after pickle.loads`);
    }
  });
});

test("our bytes equal CPython's protocol 4 output once its optional memo and FRAME opcodes are dropped", () => {
  // Holds only because the corpus never repeats a 0/1-character string: CPython shares one
  // object for those and would write memo GETs where we repeat the value.
  const expected = runPython<string[]>({ mode: "canonical", values: corpus.map(({ value }) => tag(value)) });
  corpus.forEach(({ name, value }, i) => {
    assert.equal(encodePickle(value).toString("hex"), expected[i], `${name}: bytes differ from CPython's`);
  });
});

test("we decode what Python's pickle.dumps writes with protocols 2, 3, 4 and 5", () => {
  const protocols = [2, 3, 4, 5];
  const dumps = runPython<Record<string, string>[]>({
    mode: "dump",
    protocols,
    values: corpus.map(({ value }) => tag(value)),
  });
  let decoded = 0;
  corpus.forEach(({ name, value }, i) => {
    for (const protocol of protocols) {
      const bytes = Buffer.from(dumps[i]![String(protocol)]!, "hex");
      if (protocol === 2 && containsBytes(value)) {
        // Protocol 2 has no bytes opcode: Python pickles bytes as a call to _codecs.encode.
        assert.throws(
          () => decodePickle(bytes),
          (err: unknown) => err instanceof CodecError && /GLOBAL/.test(err.message),
          name,
        );
        continue;
      }
      assert.deepEqual(tag(decodePickle(bytes)), tag(value), `${name} (protocol ${protocol})`);
      decoded++;
    }
  });
  assert.ok(decoded >= corpus.length * 3, `only ${decoded} pickles were compared`);
});

// Shapes Python produces that JS cannot: tuples, whole floats, shared objects (memo GETs),
// plus ones the decoder must refuse.
const pythonOnly: { expr: string; expect: PickleValue | RegExp }[] = [
  { expr: "(1, (2, 'a'), (), (None,), (1, 2, 3, 4))", expect: [1, [2, "a"], [], [null], [1, 2, 3, 4]] },
  { expr: "{'whole': 2.0, 'neg': -3.0, 'big': 1e20}", expect: { whole: 2, neg: -3, big: 1e20 } },
  { expr: "(lambda x: [x, x, {'a': x}])([1, 'two'])", expect: [[1, "two"], [1, "two"], { a: [1, "two"] }] },
  {
    expr: "[{'id': str(i), 'text': 'tweet %d' % i, 'lang': 'en'} for i in range(300)]",
    expect: Array.from({ length: 300 }, (_, i) => ({ id: String(i), text: `tweet ${i}`, lang: "en" })),
  },
  { expr: "'interned' if False else ['same', 'same', 'same']", expect: ["same", "same", "same"] },
  { expr: "True + 0 == 1 and [True, False, 1, 0]", expect: [true, false, 1, 0] },
  { expr: "(lambda l: (l.append(l), l)[1])([])", expect: /cyclic/ },
  { expr: "{1: 'int key'}", expect: /only str keys/ },
  { expr: "{('a', 1): 'tuple key'}", expect: /only str keys/ },
  { expr: "{'set'}", expect: /(EMPTY_SET|GLOBAL)/ },
  { expr: "frozenset()", expect: /(FROZENSET|GLOBAL)/ },
  { expr: "1j", expect: /GLOBAL/ },
  { expr: "__import__('datetime').datetime(2024, 1, 2, 3, 4, 5)", expect: /GLOBAL/ },
  { expr: "__import__('collections').OrderedDict(a=1)", expect: /GLOBAL/ },
];

test("Python-only shapes decode as documented, unsafe or unrepresentable ones are refused", () => {
  const protocols = [2, 3, 4, 5];
  const dumps = runPython<Record<string, string>[]>({ mode: "eval", protocols, exprs: pythonOnly.map((c) => c.expr) });
  pythonOnly.forEach(({ expr, expect }, i) => {
    for (const protocol of protocols) {
      const bytes = Buffer.from(dumps[i]![String(protocol)]!, "hex");
      const label = `${expr} (protocol ${protocol})`;
      if (expect instanceof RegExp) {
        assert.throws(
          () => decodePickle(bytes),
          (err: unknown) => err instanceof CodecError && expect.test(err.message),
          label,
        );
      } else {
        assert.deepEqual(tag(decodePickle(bytes)), tag(expect), label);
      }
    }
  });
});
