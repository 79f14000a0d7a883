/**
 * Fixed byte vectors written by CPython 3.11's pickle.dumps (generated once with
 * /usr/bin/python3 and pasted here), so these tests need no Python at run time.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { CodecError } from "../codec.js";
import { decodePickle, encodePickle, type PickleValue } from "./index.js";
import { tag } from "./test-support.js";

const hex = (h: string): Buffer => Buffer.from(h, "hex");

/** pickle.dumps(value, protocol).hex() for the value named in each key. */
const FROM_PYTHON = {
  // {'id': '1', 'n': 42, 'f': 1.5, 'ok': True, 'none': None, 'l': [1, 'two', 3.0], 't': (1, 2),
  //  'b': b'\x00\xff', 'big': 2**70, 'neg': -2**70} with protocols 3, 4, 5
  record_p3:
    "80037d710028580200000069647101580100000031710258010000006e71034b2a5801000000667104473ff800000000000058020000006f6b71058858040000006e6f6e6571064e58010000006c71075d7108284b01580300000074776f710947400800000000000065580100000074710a4b014b0286710b580100000062710c430200ff710d5803000000626967710e8a0900000000000000004058030000006e6567710f8a090000000000000000c0752e",
  record_p4:
    "8004957d000000000000007d94288c026964948c0131948c016e944b2a8c016694473ff80000000000008c026f6b94888c046e6f6e65944e8c016c945d94284b018c0374776f94474008000000000000658c0174944b014b0286948c016294430200ff948c03626967948a090000000000000000408c036e6567948a090000000000000000c0752e",
  record_p5:
    "8005957d000000000000007d94288c026964948c0131948c016e944b2a8c016694473ff80000000000008c026f6b94888c046e6f6e65944e8c016c945d94284b018c0374776f94474008000000000000658c0174944b014b0286948c016294430200ff948c03626967948a090000000000000000408c036e6567948a090000000000000000c0752e",
  // {'id': '1', 'n': 42, 'f': 1.5, 'ok': False, 'l': [1, 'two', 3.0], 't': (1, 2, 3), 'big': 2**70}, protocol 2
  record_p2:
    "80027d710028580200000069647101580100000031710258010000006e71034b2a5801000000667104473ff800000000000058020000006f6b71058958010000006c71065d7107284b01580300000074776f71084740080000000000006558010000007471094b014b024b0387710a5803000000626967710b8a09000000000000000040752e",
  // {'a': [1, 2.5, True, None], 'k': 'v'}, protocol 1 (True as the text INT "01")
  record_p1: "7d71002858010000006171015d7102284b014740040000000000004930310a4e6558010000006b71035801000000767104752e",
  // [1, 2.5, False, None, 2**70, -7], protocol 0 (all text opcodes, PUT, LIST)
  list_p0: "286c70300a49310a6146322e350a614930300a614e614c313138303539313632303731373431313330333432344c0a61492d370a612e",
  unicode_p4: "80049510000000000000008c0cc3a9f09f9880e4b8ade69687942e", // 'é😀中文'
  lone_surrogate_p4: "80049509000000000000008c0561eda08062942e", // 'a\ud800b'
  // [0, 255, 256, 65535, 65536, -1, -2**31, 2**31 - 1, 2**31, 2**53, -2**64, 2**200], protocol 2
  ints_p2:
    "80025d7100284b004bff4d00014dffff4a000001004affffffff4a000000804affffff7f8a0500000080008a07000000000000208a090000000000000000ff8a1a0000000000000000000000000000000000000000000000000001652e",
  // [0.0, -0.0, 2.0, inf, -inf, nan, 1e-300]
  floats_p4:
    "80049544000000000000005d9428470000000000000000478000000000000000474000000000000000477ff000000000000047fff0000000000000477ff80000000000004701a56e1fc2f8f359652e",
  tuples_p4: "80049523000000000000005d9428294b0185944b014b0286944b014b024b038794284b014b024b034b047494652e", // [(), (1,), (1, 2), (1, 2, 3), (1, 2, 3, 4)]
  empties_p4: "8004950f000000000000005d94285d947d948c0094430094652e", // [[], {}, '', b'']
  bytearray_p5: "8005950d000000000000009602000000000000006162942e", // bytearray(b'ab')
  shared_p4: "8004950c000000000000005d94285d944b01616801652e", // x = [1]; [x, x]
  cycle_p4: "80049506000000000000005d946800612e", // l = []; l.append(l)
  intkey_p4: "80049508000000000000007d944b014b02732e", // {1: 2}
  set_p4: "80049507000000000000008f94284b01902e", // {1}
  datetime_p4: "80049520000000000000008c086461746574696d65948c0464617465949394430407e8010294859452942e", // date(2024, 1, 2)
  bytes_p2: "8002635f636f646563730a656e636f64650a710058020000006162710158060000006c6174696e3171028671035271042e", // b'ab'
  ordereddict_p4: "80049529000000000000008c0b636f6c6c656374696f6e73948c0b4f726465726564446963749493942952948c0161944b01732e",
} as const;

const record = {
  id: "1",
  n: 42,
  f: 1.5,
  ok: true,
  none: null,
  l: [1, "two", 3],
  t: [1, 2],
  b: Buffer.from([0x00, 0xff]),
  big: 2n ** 70n,
  neg: -(2n ** 70n),
};

const DECODES_TO: [keyof typeof FROM_PYTHON, PickleValue][] = [
  ["record_p3", record],
  ["record_p4", record],
  ["record_p5", record],
  ["record_p2", { id: "1", n: 42, f: 1.5, ok: false, l: [1, "two", 3], t: [1, 2, 3], big: 2n ** 70n }],
  ["record_p1", { a: [1, 2.5, true, null], k: "v" }],
  ["list_p0", [1, 2.5, false, null, 2n ** 70n, -7]],
  ["unicode_p4", "é😀中文"],
  ["lone_surrogate_p4", "a\ud800b"],
  ["ints_p2", [0, 255, 256, 65535, 65536, -1, -(2 ** 31), 2 ** 31 - 1, 2 ** 31, 2n ** 53n, -(2n ** 64n), 2n ** 200n]],
  ["floats_p4", [0, -0, 2, Infinity, -Infinity, NaN, 1e-300]],
  ["tuples_p4", [[], [1], [1, 2], [1, 2, 3], [1, 2, 3, 4]]],
  ["empties_p4", [[], {}, "", Buffer.alloc(0)]],
  ["bytearray_p5", Buffer.from("ab")],
  ["shared_p4", [[1], [1]]],
];

for (const [name, expected] of DECODES_TO) {
  test(`decodes CPython vector ${name}`, () => {
    assert.deepEqual(tag(decodePickle(hex(FROM_PYTHON[name]))), tag(expected));
  });
}

test("decoded types: bigint only beyond 2^53, bytes as a Buffer copy, whole floats as numbers", () => {
  const input = hex(FROM_PYTHON.record_p4);
  const value = decodePickle(input) as typeof record;
  assert.equal(typeof value.n, "number");
  assert.equal(typeof value.big, "bigint");
  assert.equal(value.big, 2n ** 70n);
  assert.ok(Buffer.isBuffer(value.b));
  input.fill(0); // transports reuse receive buffers: decoded bytes must not alias the input
  assert.deepEqual([...value.b], [0x00, 0xff]);
  const ints = decodePickle(hex(FROM_PYTHON.ints_p2)) as unknown[];
  assert.equal(ints[8], 2 ** 31);
  assert.equal(typeof ints[8], "number");
  assert.equal(typeof ints[9], "bigint"); // 2**53 is one past Number.MAX_SAFE_INTEGER
  const floats = decodePickle(hex(FROM_PYTHON.floats_p4)) as number[];
  assert.ok(Object.is(floats[1], -0));
  assert.equal(floats[2], 2);
  assert.deepEqual(Object.keys(value), ["id", "n", "f", "ok", "none", "l", "t", "b", "big", "neg"]);
});

test("a memo GET yields the same object twice, as Python shares it", () => {
  const value = decodePickle(hex(FROM_PYTHON.shared_p4)) as unknown[];
  assert.equal(value[0], value[1]);
});

const REFUSED: [keyof typeof FROM_PYTHON, RegExp][] = [
  ["cycle_p4", /cyclic reference/],
  ["intkey_p4", /SETITEM .*int dict key; only str keys/],
  ["set_p4", /EMPTY_SET \(0x8f\) is not supported/],
  ["datetime_p4", /STACK_GLOBAL \(0x93\) is refused/],
  ["ordereddict_p4", /STACK_GLOBAL \(0x93\) is refused/],
  ["bytes_p2", /at byte 2, opcode GLOBAL \(0x63 'c'\) is refused/],
];

for (const [name, message] of REFUSED) {
  test(`refuses CPython vector ${name}`, () => {
    assert.throws(() => decodePickle(hex(FROM_PYTHON[name])), (err: unknown) => err instanceof CodecError && message.test(err.message));
  });
}

test("our encoder's bytes for a small record are pinned", () => {
  // Checked with pickletools.dis and pickle.loads under /usr/bin/python3.
  const bytes = encodePickle({ a: [1, "b"], c: [2], f: 1.5, s: "é😀", by: Buffer.from("xy"), t: true, n: null, big: -(2n ** 64n) });
  assert.equal(
    bytes.toString("hex"),
    "80047d288c01615d284b018c0162658c01635d4b02618c0166473ff80000000000008c01738c06c3a9f09f98808c02627943027879" +
      "8c0174888c016e4e8c03626967" + "8a090000000000000000ff" + "752e",
  );
  assert.equal(encodePickle(null, { protocol: 5 }).toString("hex"), "80054e2e");
});
