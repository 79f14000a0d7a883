/** A value codec: what travels on the wire is always bytes. */
export interface Codec<T> {
  readonly name: string;
  encode(value: T): Buffer;
  /** Throws CodecError on anything that is not a valid encoding. */
  decode(bytes: Uint8Array): T;
}

export class CodecError extends Error {
  constructor(
    readonly codec: string,
    message: string,
  ) {
    super(`${codec}: ${message}`);
    this.name = "CodecError";
  }
}
