import { isUtf8 } from "node:buffer";
import { type Codec, CodecError } from "./codec.js";

/** JSON text in UTF-8, as the Binance producer publishes it. */
export const jsonCodec: Codec<unknown> = {
  name: "json",
  encode(value) {
    const text = JSON.stringify(value);
    if (text === undefined) throw new CodecError("json", "value has no JSON form");
    return Buffer.from(text, "utf8");
  },
  decode(bytes) {
    // isUtf8 is a native check; it keeps bad bytes from turning into U+FFFD silently.
    if (!isUtf8(bytes)) throw new CodecError("json", "not valid UTF-8");
    try {
      const buf = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      return JSON.parse(buf.toString("utf8")) as unknown;
    } catch (err) {
      throw new CodecError("json", `not valid JSON (${(err as Error).message})`);
    }
  },
};
