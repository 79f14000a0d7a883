/** Starting and stopping a node:http server the way every service does. */
import type http from "node:http";
import type { AddressInfo } from "node:net";

/** Listens on host:port (0 = a free port); resolves to the port, rejects when it cannot bind. */
export async function listenOn(server: http.Server, port: number, host: string): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => resolve());
  });
  return (server.address() as AddressInfo).port;
}

/** Closes the server and every open connection (keep-alive and event streams too). */
export async function closeServer(server: http.Server | undefined): Promise<void> {
  if (!server) return;
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
}
