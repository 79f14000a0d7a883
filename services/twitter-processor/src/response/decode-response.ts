/** Bytes from the transport -> a decoded search response, or the reason it was refused. */
import { CodecError } from "@cryptostream/common";
import { pickleCodec } from "@cryptostream/common/codecs/pickle/index";
import { decodedAhead } from "../score/scored-batch.js";

export type DecodedResponse =
  | { readonly ok: true; readonly value: unknown }
  | { readonly ok: false; readonly reason: "not_pickle" | "unsafe_pickle"; readonly detail: string };

// The codec names every opcode that would import or call code ("... opcode GLOBAL (0x63) is refused: ...").
const REFUSED_OPCODE = /opcode \S+ .*is refused/;

export function decodeResponse(bytes: Uint8Array): DecodedResponse {
  const ahead = decodedAhead.get(bytes);
  if (ahead !== undefined) {
    decodedAhead.delete(bytes);
    return ahead;
  }
  return decodeNow(bytes);
}

/** Decodes without looking at what was decoded ahead (score/scoring-consumer.ts). */
export function decodeNow(bytes: Uint8Array): DecodedResponse {
  try {
    return { ok: true, value: pickleCodec.decode(bytes) };
  } catch (err) {
    if (!(err instanceof CodecError)) throw err;
    return {
      ok: false,
      reason: REFUSED_OPCODE.test(err.message) ? "unsafe_pickle" : "not_pickle",
      detail: err.message,
    };
  }
}
