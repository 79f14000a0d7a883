import * as zmq from "zeromq";
import type { OutboundMessage, Producer } from "../transport.js";
import { type ZmqEndpoints, type ZmqOptions, defaultZmqOptions, endpointFor } from "./options.js";

/**
 * Producer side of ZeroMQ push-pull: binds one PUSH socket per topic. Each
 * message is one frame holding only the value, so a plain Python
 * `socket.recv()` (or `recv_pyobj` / `recv_json`) reads it; keys are not sent.
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
    for (const m of messages) await sock.send(m.value);
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
