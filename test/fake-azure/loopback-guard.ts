/**
 * Vitest setup file: no test may open a TCP connection beyond loopback.
 *
 * Every Node client (http, https, tls, undici's fetch) ends in
 * `net.Socket.prototype.connect`, so refusing there catches an SDK falling
 * back to a metadata address or a public endpoint before any DNS lookup or
 * packet leaves the machine. The refused socket fails with an error naming
 * the host, which fails the test that caused it.
 */
import net from "node:net";

const LOOPBACK_HOSTS = new Set(["127.0.0.1", "::1", "localhost", "::ffff:127.0.0.1"]);

/** Hosts a test tried to reach, for tests that assert nothing leaked. */
export const refusedConnections: string[] = [];

type ConnectArgs = unknown[];

function readTarget(args: ConnectArgs): { host: string | undefined; path: string | undefined } {
  const first = Array.isArray(args[0]) ? (args[0] as unknown[])[0] : args[0];

  if (typeof first === "object" && first !== null) {
    const options = first as { host?: unknown; path?: unknown };

    return {
      host: typeof options.host === "string" ? options.host : undefined,
      path: typeof options.path === "string" ? options.path : undefined,
    };
  }

  if (typeof first === "string" && Number.isNaN(Number(first))) {
    return { host: undefined, path: first };
  }

  return { host: typeof args[1] === "string" ? args[1] : undefined, path: undefined };
}

function isAllowed(host: string | undefined, path: string | undefined): boolean {
  if (path !== undefined) {
    return true;
  }

  // Node's default host for a bare port is localhost.
  return host === undefined || LOOPBACK_HOSTS.has(host.toLowerCase());
}

const originalConnect = net.Socket.prototype.connect;

function guardedConnect(this: net.Socket, ...args: ConnectArgs): net.Socket {
  const { host, path } = readTarget(args);

  if (!isAllowed(host, path)) {
    refusedConnections.push(String(host));
    const error = new Error(`Test tried to reach ${String(host)}; only loopback is allowed.`);
    process.nextTick(() => this.destroy(error));

    return this;
  }

  return (originalConnect as (...a: ConnectArgs) => net.Socket).apply(this, args);
}

net.Socket.prototype.connect = guardedConnect as typeof net.Socket.prototype.connect;
