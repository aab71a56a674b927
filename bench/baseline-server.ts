import { createServer } from 'node:http';

/**
 * The baseline: a bare node:http server answering a GET with the same bytes the service sends
 * for the agent list (read from BASELINE_BODY_FILE), and any other request with the bytes of
 * the service's answer to a status update (BASELINE_POST_BODY_FILE; the list's when not given),
 * a DELETE with 204 and no body (as the service answers a release),
 * so that under each load the generator reads what it reads from the service. It reads request
 * bodies fully, as the service must, but does no routing, auth, validation or database work.
 */
const { readFileSync } = await import('node:fs');
const body = readFileSync(process.env.BASELINE_BODY_FILE ?? '', 'utf8');
const length = String(Buffer.byteLength(body));
const postBody = process.env.BASELINE_POST_BODY_FILE ? readFileSync(process.env.BASELINE_POST_BODY_FILE, 'utf8') : body;
const postLength = String(Buffer.byteLength(postBody));

const server = createServer((request, response) => {
  request.resume();
  request.on('end', () => {
    // A DELETE as the service answers a release: 204, no body.
    if (request.method === 'DELETE') {
      response.writeHead(204);
      response.end();
      return;
    }
    const get = request.method === 'GET';
    response.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': get ? length : postLength });
    response.end(get ? body : postBody);
  });
});
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  process.stdout.write(`${JSON.stringify({ msg: 'baseline listening', url: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}` })}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
