import { type Codec, CodecError } from "./codec.js";

const decoder = new TextDecoder("utf-8", { fatal: true });

/** JSON text in UTF-8, as the Binance producer publishes it. */
export const jsonCodec: Codec<unknown> = {
  name: "json",
  encode(value) {
    const text = JSON.stringify(value);
    if (text === undefined) throw new CodecError("json", "value has no JSON form");
    return Buffer.from(text, "utf8");
  },
  decode(bytes) {
    let text: string;
    try {
      text = decoder.decode(bytes);
    } catch {
      throw new CodecError("json", "not valid UTF-8");
    }
    try {
      return JSON.parse(text) as unknown;
    } catch (err) {
      throw new CodecError("json", `not valid JSON (${(err as Error).message})`);
    }
  },
};
