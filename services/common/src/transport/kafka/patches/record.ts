/**
 * One Kafka record (the v2 "magic 2" format inside a record batch), encoded
 * into a buffer of exactly its size. kafkajs's own encoder starts every
 * record in a fresh zero-filled 512-byte buffer (growing it by doubling for
 * larger ones); for ~450-byte market events that allocation was the
 * producer's largest single cost. The bytes are the same (record.test.ts
 * compares them with kafkajs's encoder); records with headers, or numbers
 * outside what this handles exactly, go to kafkajs's own function.
 *
 * Layout (all varints zigzag-encoded, as Kafka's protocol defines them):
 *   length varint, attributes int8 (0), timestampDelta varlong,
 *   offsetDelta varint, key length varint (-1: null) + bytes,
 *   value length varint (-1: null) + bytes, header count varint.
 */

/** What kafkajs's Record(...) returns, as far as the record batch uses it. */
export interface EncodedRecord {
  readonly buf: Buffer;
  readonly buffer: Buffer;
}

export interface RecordInput {
  readonly offsetDelta?: number;
  readonly timestampDelta?: number;
  readonly key?: Buffer | string | null;
  readonly value?: Buffer | string | null;
  readonly headers?: Record<string, unknown>;
}

type RecordFn = (input: RecordInput) => EncodedRecord;

/** Zigzag-encoded varints stay exact in doubles up to here. */
const MAX_EXACT = 2 ** 51;

class ExactRecord implements EncodedRecord {
  constructor(readonly buf: Buffer) {}
  get buffer(): Buffer {
    return this.buf;
  }
}

const zigzag = (n: number): number => (n >= 0 ? n * 2 : -n * 2 - 1);

function varintSize(n: number): number {
  let z = zigzag(n);
  let size = 1;
  while (z >= 128) {
    z = Math.floor(z / 128);
    size++;
  }
  return size;
}

function writeVarint(buf: Buffer, at: number, n: number): number {
  let z = zigzag(n);
  while (z >= 128) {
    buf[at++] = z % 128 | 0x80;
    z = Math.floor(z / 128);
  }
  buf[at++] = z;
  return at;
}

const byteLength = (v: Buffer | string | null | undefined): number =>
  v == null ? -1 : Buffer.isBuffer(v) ? v.length : Buffer.byteLength(String(v), "utf8");

function writeBytes(buf: Buffer, at: number, v: Buffer | string | null | undefined, length: number): number {
  at = writeVarint(buf, at, length);
  if (v == null) return at;
  if (Buffer.isBuffer(v)) return at + v.copy(buf, at);
  return at + buf.write(String(v), at, length, "utf8");
}

/** kafkajs's Record(...), with the same bytes, in one exact allocation. */
export function exactRecord(original: RecordFn): RecordFn {
  return (input) => {
    const { offsetDelta = 0, timestampDelta = 0, key, value, headers } = input;
    if (
      (headers && Object.keys(headers).length > 0) ||
      !Number.isSafeInteger(timestampDelta) ||
      Math.abs(timestampDelta) > MAX_EXACT ||
      !Number.isInteger(offsetDelta) ||
      Math.abs(offsetDelta) > 2 ** 30
    )
      return original(input);
    const keyLength = byteLength(key);
    const valueLength = byteLength(value);
    const body =
      1 +
      varintSize(timestampDelta) +
      varintSize(offsetDelta) +
      varintSize(keyLength) +
      Math.max(keyLength, 0) +
      varintSize(valueLength) +
      Math.max(valueLength, 0) +
      1; // no headers: count 0
    // allocUnsafe: small sizes come from Node's shared pool; every byte is written below.
    const buf = Buffer.allocUnsafe(varintSize(body) + body);
    let at = writeVarint(buf, 0, body);
    buf[at++] = 0; // attributes
    at = writeVarint(buf, at, timestampDelta);
    at = writeVarint(buf, at, offsetDelta);
    at = writeBytes(buf, at, key, keyLength);
    at = writeBytes(buf, at, value, valueLength);
    buf[at++] = 0; // header count
    if (at !== buf.length) return original(input); // cannot happen; never send a wrong record
    return new ExactRecord(buf);
  };
}
