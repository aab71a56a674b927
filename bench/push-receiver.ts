import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';

/**
 * The push benchmark's receiver, in its own process so its work does not delay the load
 * generator's clock: answers every push 201 without decrypting, and counts arrivals by Topic
 * (the notification id) with their wall-clock times. Talks to the benchmark over IPC.
 */
const arrivals = new Map<string, number[]>();
let count = 0;
const server = createServer((request, response) => {
  request.resume();
  request.on('end', () => {
    const topic = String(request.headers.topic ?? '');
    const list = arrivals.get(topic) ?? [];
    list.push(performance.timeOrigin + performance.now());
    arrivals.set(topic, list);
    count += 1;
    response.writeHead(201).end();
  });
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => {
  process.send!({ kind: 'listening', origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}` });
});
process.on('message', (message: { kind: string }) => {
  if (message.kind === 'count') process.send!({ kind: 'count', count });
  else if (message.kind === 'report') process.send!({ kind: 'report', arrivals: Object.fromEntries(arrivals) });
  else if (message.kind === 'reset') {
    arrivals.clear();
    count = 0;
    process.send!({ kind: 'reset' });
  } else if (message.kind === 'stop') {
    server.closeAllConnections();
    server.close(() => process.exit(0));
  }
});
