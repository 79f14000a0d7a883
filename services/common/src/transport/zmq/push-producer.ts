import * as zmq from "zeromq";
import type { OutboundMessage, Producer } from "../transport.js";
import { type ZmqEndpoints, type ZmqOptions, defaultZmqOptions, endpointFor } from "./options.js";

/**
 * Producer side of ZeroMQ push-pull: binds one PUSH socket per topic. Every
 * message travels as one frame holding only its value (keys are not sent),
 * so a plain Python `socket.recv()` / `recv_json()` / `recv_pyobj()` loop
 * reads one message per call. Messages published together are sent as one
 * multipart ZeroMQ message of up to `maxFrames` frames: ZeroMQ's per-message
 * cost is paid once per batch, which is what lets a processor ingest
 * 100k events/s, and a multipart message arrives whole or not at all.
 */
export class ZmqPushProducer implements Producer {
  private readonly sockets = new Map<string, zmq.Push>();

  constructor(
    private readonly endpoints: ZmqEndpoints,
    private readonly options: ZmqOptions = defaultZmqOptions,
  ) {}

  async start(): Promise<void> {
    for (const [topic, endpoint] of Object.entries(this.endpoints)) {
      const sock = new zmq.Push({
        sendHighWaterMark: this.options.sendHighWaterMark,
        linger: this.options.lingerMs,
        immediate: true,
      });
      await sock.bind(endpoint);
      this.sockets.set(topic, sock);
    }
  }

  async publish(topic: string, messages: readonly OutboundMessage[]): Promise<void> {
    const sock = this.sockets.get(topic);
    if (!sock) throw new Error(`topic "${topic}" is not bound (endpoint ${endpointFor(this.endpoints, topic)})`);
    const max = this.options.maxFrames;
    for (let i = 0; i < messages.length; i += max) {
      const frames = messages.slice(i, i + max).map((m) => m.value);
      await sock.send(frames.length === 1 ? frames[0]! : frames);
    }
  }

  /** The endpoints actually bound (resolves tcp://*:0 to the chosen port). */
  boundEndpoints(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [topic, sock] of this.sockets) out[topic] = sock.lastEndpoint ?? "";
    return out;
  }

  async stop(): Promise<void> {
    // close() honours linger: queued messages keep flowing for up to lingerMs.
    for (const sock of this.sockets.values()) sock.close();
    this.sockets.clear();
    await new Promise((r) => setTimeout(r, 0));
  }
}
