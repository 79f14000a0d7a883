/** The wire format of this stream: whole search responses, pickled (what the Python consumers unpickle). */
export { pickleCodec } from "@cryptostream/common/codecs/pickle/index";
