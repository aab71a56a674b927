import { createServer } from 'node:http';

/**
 * The baseline: a bare node:http server answering every request with the same bytes the
 * service sends for the agent list (read from BASELINE_BODY_FILE). It reads request bodies
 * fully, as the service must, but does no routing, auth, validation or database work.
 */
const { readFileSync } = await import('node:fs');
const body = readFileSync(process.env.BASELINE_BODY_FILE ?? '', 'utf8');
const length = String(Buffer.byteLength(body));

const server = createServer((request, response) => {
  request.resume();
  request.on('end', () => {
    response.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': length });
    response.end(body);
  });
});
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  process.stdout.write(`${JSON.stringify({ msg: 'baseline listening', url: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}` })}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
