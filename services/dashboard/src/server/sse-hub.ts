/**
 * The pages connected over server-sent events, each with the market table it shows. Memory
 * stays bounded: at most `maxClients` pages, and a page that stops reading (more than
 * MAX_BUFFERED bytes waiting) is disconnected rather than buffered for.
 */
import type http from "node:http";

const MAX_BUFFERED = 4 * 1024 * 1024;

const frame = (event: string, data: unknown) => `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;

export interface SseClient {
  readonly res: http.ServerResponse;
  /** The market table the page shows. */
  dataset?: string;
}

export class SseHub {
  private readonly clients = new Set<SseClient>();

  constructor(private readonly maxClients: number) {}

  get size(): number {
    return this.clients.size;
  }

  /** Starts the event stream on `res`; undefined (and a 503 sent) when too many pages are open. */
  open(res: http.ServerResponse, dataset?: string): SseClient | undefined {
    if (this.clients.size >= this.maxClients) {
      res.writeHead(503, { "content-type": "text/plain" }).end("too many dashboard pages open\n");
      return undefined;
    }
    res.writeHead(200, {
      "content-type": "text/event-stream; charset=utf-8",
      "cache-control": "no-store",
      connection: "keep-alive",
    });
    // The page reconnects itself after a second when the stream breaks.
    res.write("retry: 1000\n\n");
    const client: SseClient = { res, dataset };
    this.clients.add(client);
    res.on("close", () => this.clients.delete(client));
    return client;
  }

  send(client: SseClient, event: string, data: unknown): void {
    this.write(client, frame(event, data));
  }

  broadcast(event: string, data: unknown, to: (c: SseClient) => boolean = () => true): void {
    const text = frame(event, data);
    for (const c of this.clients) if (to(c)) this.write(c, text);
  }

  private write(c: SseClient, text: string): void {
    if (c.res.writableLength > MAX_BUFFERED) {
      this.clients.delete(c);
      c.res.destroy();
      return;
    }
    c.res.write(text);
  }

  /** Datasets some page shows. */
  datasets(): Set<string> {
    return new Set([...this.clients].map((c) => c.dataset).filter((d): d is string => d !== undefined));
  }

  /** A comment line, so proxies and browsers keep idle streams open. */
  keepAlive(): void {
    for (const c of this.clients) this.write(c, ": keep-alive\n\n");
  }

  closeAll(): void {
    for (const c of this.clients) c.res.end();
    this.clients.clear();
  }
}
