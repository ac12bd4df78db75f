// A TCP proxy between the code under test and PostgreSQL that a test can cut, to produce a real database outage
// (connections reset, new ones refused) without stopping the shared database server.
import { createServer as createHttpServer, type Server as HttpServer } from "node:http";
import { connect, createServer, type Server, type Socket } from "node:net";

export interface TcpProxy {
  port: number;
  controlPort: number;
  close(): Promise<void>;
}

export async function startTcpProxy(target: { host: string; port: number }): Promise<TcpProxy> {
  let down = false;
  const open = new Set<Socket>();
  const server: Server = createServer((client) => {
    if (down) return client.destroy();
    const upstream = connect(target.port, target.host);
    for (const socket of [client, upstream]) {
      open.add(socket);
      socket.on("close", () => open.delete(socket));
      socket.on("error", () => {
        client.destroy();
        upstream.destroy();
      });
    }
    client.pipe(upstream).pipe(client);
  });
  // POST /down cuts every connection and refuses new ones until POST /up.
  const control: HttpServer = createHttpServer((req, res) => {
    if (req.method === "POST" && (req.url === "/down" || req.url === "/up")) {
      down = req.url === "/down";
      if (down) for (const socket of open) socket.destroy();
      res.end(down ? "down" : "up");
    } else {
      res.statusCode = 404;
      res.end();
    }
  });
  const listen = (s: Server | HttpServer) =>
    new Promise<number>((resolve) => s.listen(0, "127.0.0.1", () => resolve((s.address() as { port: number }).port)));
  const port = await listen(server);
  const controlPort = await listen(control);
  return {
    port,
    controlPort,
    close: async () => {
      for (const socket of open) socket.destroy();
      await Promise.all([new Promise((r) => server.close(r)), new Promise((r) => control.close(r))]);
    },
  };
}

/** From a spec: cut or restore the app's database connection. */
export async function setDatabaseReachable(controlPort: number, reachable: boolean): Promise<void> {
  const res = await fetch(`http://127.0.0.1:${controlPort}/${reachable ? "up" : "down"}`, { method: "POST" });
  if (!res.ok) throw new Error(`proxy control answered ${res.status}`);
}
