import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type autocannon from 'autocannon';
import { machine, measureRounds, report, seedChatbot, startProcess } from './harness.js';

/**
 * The core benchmark: one chatbot of 50 agents on a temporary SQLite file, the service in its
 * own process, and in the same run a bare node:http server answering the same bytes.
 *
 * The status-update load builds every request (a different agent's key, a rising timestamp),
 * which costs the load generator far more than replaying one GET. So the baseline is measured
 * under both loads: the same GET as the list, and the same POSTs as the updates. Each figure
 * is divided by the baseline under its own load; the ratio to the GET baseline is shown too.
 */
const AGENTS = 50;
const CONNECTIONS = 100;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const ROUND_SECONDS = Number(process.env.BENCH_DURATION_SECONDS ?? 10);
const WARMUP_SECONDS = Number(process.env.BENCH_WARMUP_SECONDS ?? 3);

export async function runCoreBench(): Promise<boolean> {
  const { dir, dbPath, chatbotId, agentKeys: keys } = await seedChatbot({ agents: AGENTS, setStatus: true });
  const chatbot = { id: chatbotId };

  const service = await startProcess('src/server.ts', { DATABASE_URL: dbPath, PORT: '0', LOG_LEVEL: 'info', PRESENCE_TTL_SECONDS: '0' }, 'inbox-agents listening');
  const listPath = `/v1/inbox/${chatbot.id}/agents/online`;
  const updatePath = `/v1/inbox/${chatbot.id}/agents/me/online`;
  const listBody = await (await fetch(`${service.url}${listPath}`, { headers: { 'x-chatcaptain-key': keys[0]! } })).text();
  const bodyFile = join(dir, 'list.json');
  writeFileSync(bodyFile, listBody);
  const baselineServer = await startProcess('bench/baseline-server.ts', { BASELINE_BODY_FILE: bodyFile }, 'baseline listening');

  let sequence = 0;
  const lastTimestamps = new Array<number>(AGENTS).fill(0);
  /**
   * 50 agents' keys in turn, each agent's timestamps rising, as real clients send: every update
   * applies. Rising per agent (not one shared counter) keeps them close to real time.
   */
  const updateLoad = (url: string): autocannon.Options => ({
    url,
    connections: CONNECTIONS,
    requests: [
      {
        method: 'POST',
        path: updatePath,
        setupRequest: (request) => {
          sequence++;
          const agent = sequence % AGENTS;
          const timestamp = Math.max(lastTimestamps[agent]! + 1, Date.now());
          lastTimestamps[agent] = timestamp;
          return {
            ...request,
            headers: { 'content-type': 'application/json', 'x-chatcaptain-key': keys[agent]! },
            body: JSON.stringify({ online: sequence % 2 === 0, clientTimestamp: String(timestamp) }),
          };
        },
      },
    ],
  });

  console.log(`inbox-agents core benchmark — ${machine()}`);
  console.log(
    `${AGENTS} agents in one chatbot (list body ${listBody.length} bytes), ${CONNECTIONS} connections; ${ROUNDS} interleaved rounds of ${ROUND_SECONDS} s per scenario after a ${WARMUP_SECONDS} s warm-up round; median round shown\n`,
  );

  try {
    const names = {
      baselineGet: 'raw node:http baseline, GET load',
      baselinePost: 'raw node:http baseline, update load',
      list: 'GET agents/online (agent key)',
      update: 'POST agents/me/online (50 agents)',
    };
    const results = await measureRounds(
      [
        { name: names.baselineGet, options: () => ({ url: `${baselineServer.url}${listPath}`, connections: CONNECTIONS }) },
        { name: names.list, options: () => ({ url: `${service.url}${listPath}`, connections: CONNECTIONS, headers: { 'x-chatcaptain-key': keys[0]! } }) },
        { name: names.baselinePost, options: () => updateLoad(baselineServer.url) },
        { name: names.update, options: () => updateLoad(service.url) },
      ],
      ROUNDS,
      ROUND_SECONDS,
      WARMUP_SECONDS,
    );
    const get = (name: string) => results.get(name)!;
    console.log('');
    const met = report([
      { measurement: get(names.baselineGet), baseline: get(names.baselineGet) },
      { measurement: get(names.baselinePost), baseline: get(names.baselinePost) },
      { measurement: get(names.list), baseline: get(names.baselineGet), target: 0.6 },
      { measurement: get(names.update), baseline: get(names.baselinePost), target: 0.4 },
      { measurement: get(names.update), baseline: get(names.baselineGet) },
    ]);
    console.log(`\n${met ? 'All targets met.' : 'Some targets were missed.'} (targets: list ≥ 0.6×, status update ≥ 0.4× the baseline, zero errors)`);
    return met;
  } finally {
    await baselineServer.stop();
    await service.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
