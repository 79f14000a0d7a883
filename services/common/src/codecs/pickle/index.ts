/**
 * The pickle codec: what the Twitter producer publishes, byte-compatible with Python's
 * pickle.loads (protocol 4 by default) and safe to decode from untrusted peers.
 */
import type { Codec } from "../codec.js";
import { decodePickle } from "./decode.js";
import { encodePickle } from "./encode.js";

export { decodePickle, DEFAULT_DECODE_LIMITS, type DecodeOptions } from "./decode.js";
export { encodePickle, type EncodeOptions } from "./encode.js";
export type { PickleDict, PickleValue } from "./value.js";

/** Default options both ways; encode throws CodecError for values with no pickle form. */
export const pickleCodec: Codec<unknown> = {
  name: "pickle",
  encode: (value) => encodePickle(value),
  decode: (bytes) => decodePickle(bytes),
};
