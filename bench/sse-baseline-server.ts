import { createServer, type ServerResponse } from 'node:http';

/**
 * The stream baseline: a bare node:http server-sent-events broadcaster. GET opens a stream
 * (sent the snapshot bytes the service would send); POST /broadcast writes the posted frame to
 * every open stream and answers once it has. No auth, no database, no versions.
 */
const snapshot = process.env.BASELINE_SNAPSHOT ?? '';
const streams = new Set<ServerResponse>();

const server = createServer((request, response) => {
  if (request.method === 'POST') {
    let frame = '';
    request.setEncoding('utf8');
    request.on('data', (chunk: string) => (frame += chunk));
    request.on('end', () => {
      for (const stream of streams) stream.write(frame);
      response.writeHead(204).end();
    });
    return;
  }
  response.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache, no-transform', connection: 'keep-alive' });
  response.write(snapshot);
  streams.add(response);
  response.on('close', () => streams.delete(response));
});
server.keepAliveTimeout = 0;
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  process.stdout.write(`${JSON.stringify({ msg: 'baseline listening', url: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}` })}\n`);
});
process.on('SIGTERM', () => {
  for (const stream of streams) stream.end();
  server.close(() => process.exit(0));
});
