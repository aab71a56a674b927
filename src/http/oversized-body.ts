import type { FastifyReply, FastifyRequest } from 'fastify';

/** How much of an oversized body is read and dropped after its 413 before the connection closes instead. */
export const DISCARD_LIMIT_BYTES = 16 * 1024 * 1024;

/**
 * After a 413, reads and drops the rest of the body (up to DISCARD_LIMIT_BYTES) and keeps the
 * connection, so the client, still sending, can read the answer. Fastify answers a body too
 * large with `Connection: close`: the server then shuts the socket while the client writes, the
 * client's next bytes meet a reset, and the client often loses the 413 unread. A body declared
 * or found larger than the bound still closes the connection: nobody's gigabytes are read.
 */
export function drainAfterRefusal(request: FastifyRequest, reply: FastifyReply): void {
  const raw = request.raw;
  if (raw.complete || Number(request.headers['content-length']) > DISCARD_LIMIT_BYTES) return;
  reply.removeHeader('connection');
  let dropped = 0;
  raw.on('data', (chunk: Buffer) => {
    dropped += chunk.length;
    if (dropped > DISCARD_LIMIT_BYTES) raw.socket?.destroy();
  });
  raw.resume();
}
