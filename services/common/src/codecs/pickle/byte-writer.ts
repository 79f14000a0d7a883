/** An append-only byte buffer that grows by doubling; the encoder's only output sink. */
export class ByteWriter {
  private buf: Buffer;
  private pos = 0;

  constructor(initialCapacity = 4096) {
    this.buf = Buffer.allocUnsafe(initialCapacity);
  }

  get length(): number {
    return this.pos;
  }

  /** Makes room for n more bytes. */
  reserve(n: number): void {
    const needed = this.pos + n;
    if (needed <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < needed) size *= 2;
    const grown = Buffer.allocUnsafe(size);
    this.buf.copy(grown, 0, 0, this.pos);
    this.buf = grown;
  }

  byte(b: number): void {
    this.reserve(1);
    this.buf[this.pos++] = b;
  }

  /** Opcode followed by a one-byte argument. */
  byte2(op: number, arg: number): void {
    this.reserve(2);
    this.buf[this.pos++] = op;
    this.buf[this.pos++] = arg;
  }

  u16le(op: number, value: number): void {
    this.reserve(3);
    this.buf[this.pos++] = op;
    this.pos = this.buf.writeUInt16LE(value, this.pos);
  }

  i32le(op: number, value: number): void {
    this.reserve(5);
    this.buf[this.pos++] = op;
    this.pos = this.buf.writeInt32LE(value, this.pos);
  }

  u32le(op: number, value: number): void {
    this.reserve(5);
    this.buf[this.pos++] = op;
    this.pos = this.buf.writeUInt32LE(value, this.pos);
  }

  u64le(op: number, value: number): void {
    this.reserve(9);
    this.buf[this.pos++] = op;
    this.pos = this.buf.writeBigUInt64LE(BigInt(value), this.pos);
  }

  f64be(op: number, value: number): void {
    this.reserve(9);
    this.buf[this.pos++] = op;
    this.pos = this.buf.writeDoubleBE(value, this.pos);
  }

  bytes(data: Uint8Array): void {
    this.reserve(data.length);
    this.buf.set(data, this.pos);
    this.pos += data.length;
  }

  /** Writes well-formed text as UTF-8 at the current position (room must be reserved). */
  utf8At(text: string, at: number): number {
    return this.buf.write(text, at, "utf8");
  }

  /** The current backing buffer, for writers that fill a reserved region themselves. Only
   *  valid until the next reserve(), which may replace it. */
  get raw(): Buffer {
    return this.buf;
  }

  /** Raw access for writers that fill a reserved region themselves. */
  get position(): number {
    return this.pos;
  }

  set position(at: number) {
    this.pos = at;
  }

  setByte(at: number, b: number): void {
    this.buf[at] = b;
  }

  /** A fresh Buffer of exactly the written bytes. */
  toBuffer(): Buffer {
    const out = Buffer.allocUnsafe(this.pos);
    this.buf.copy(out, 0, 0, this.pos);
    return out;
  }
}
