import net from "node:net";

/** The HTTP port is taken (or not ours to take): said before anything slow starts. */
export class PortUnavailableError extends Error {
  constructor(
    readonly host: string,
    readonly port: number,
    readonly reason: string,
  ) {
    super(
      `The HTTP port ${port} on ${host} cannot be used (${reason}): stop what uses it, or set PORT to another port.`,
    );
    this.name = "PortUnavailableError";
  }
}

/**
 * Binds `host:port` for a moment and lets it go, so that a port in use (EADDRINUSE) or not allowed
 * (EACCES) fails start-up in milliseconds instead of after Neo4j's start and the schema set-up. Port 0
 * (any free port) is not checked. Another program can still take the port between this check and the
 * server's listen; that later failure is reported the same way by the server.
 *
 * @throws PortUnavailableError naming the port, the host and the system's reason.
 */
export async function assertPortFree(host: string, port: number): Promise<void> {
  if (port === 0) return;
  await new Promise<void>((resolve, reject) => {
    const probe = net.createServer();
    probe.once("error", (error: NodeJS.ErrnoException) =>
      reject(new PortUnavailableError(host, port, error.code ?? error.message)),
    );
    probe.listen({ host, port, exclusive: true }, () => probe.close(() => resolve()));
  });
}
