import { readdirSync, readFileSync, rmSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { coreLoads } from './core.js';
import { measure, seedChatbot, SERVICE_ENTRY, startProcess } from './harness.js';

/**
 * Where the service's time goes (npm run bench -- profile): the core bench's three loads, each
 * against its own service process started with --cpu-prof, then the self time of every
 * function summed by where it lives (this project's files, each package, Node's internals, the
 * kernel's share as "(program)"/"(garbage collector)").
 */
interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** Self time per place (package, project file or runtime bucket), as shares of all samples. */
export function selfTimeByPlace(profile: Profile, detail: (url: string) => boolean = () => false): Array<[string, number]> {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const totals = new Map<string, number>();
  for (let i = 0; i < profile.samples.length; i++) {
    const node = byId.get(profile.samples[i]!)!;
    const { url, functionName } = node.callFrame;
    let place: string;
    if (!url) place = functionName.startsWith('(') ? functionName : `(native) ${functionName}`;
    else if (url.startsWith('node:')) place = detail(url) ? `${url} ${functionName}` : `node: ${url.slice(5).split('/')[0]}`;
    else if (url.includes('/node_modules/')) {
      const rest = url.split('/node_modules/').pop()!;
      const name = rest.startsWith('@') ? rest.split('/').slice(0, 2).join('/') : rest.split('/')[0]!;
      place = detail(url) ? `${name} ${functionName || '(anonymous)'}` : name;
    } else place = `${url.replace(/^.*\/dist\//, 'dist/')} ${detail(url) ? functionName : ''}`.trim();
    totals.set(place, (totals.get(place) ?? 0) + (profile.timeDeltas[i] ?? 0));
  }
  const all = [...totals.values()].reduce((a, b) => a + b, 0);
  return [...totals.entries()].map(([place, time]) => [place, time / all] as [string, number]).sort((a, b) => b[1] - a[1]);
}

export async function runProfile(): Promise<boolean> {
  const seconds = Number(process.env.BENCH_DURATION_SECONDS ?? 10);
  const top = Number(process.env.PROFILE_TOP ?? 25);
  const detail = process.env.PROFILE_DETAIL ? new RegExp(process.env.PROFILE_DETAIL) : null;
  for (const load of ['list', 'heartbeats', 'changes'] as const) {
    if (process.env.PROFILE_LOAD && process.env.PROFILE_LOAD !== load) continue;
    const seeded = await seedChatbot({ agents: 20, keysPerAgent: 5, setStatus: true });
    const online = seeded.allAgentKeys.map((_, i) => i % 3 !== 0);
    const profileDir = mkdtempSync(join(tmpdir(), 'inbox-agents-profile-'));
    const service = await startProcess(SERVICE_ENTRY, { DATABASE_URL: seeded.dbPath, PORT: '0', LOG_LEVEL: 'info', ...(process.env.PROFILE_ENV ? (JSON.parse(process.env.PROFILE_ENV) as Record<string, string>) : {}) }, 'inbox-agents listening', ['--cpu-prof', `--cpu-prof-dir=${profileDir}`]);
    const loads = coreLoads(seeded.chatbotId, seeded.allAgentKeys, online);
    const result = await measure(load, { ...loads[load](service.url), duration: seconds });
    await service.stop();
    const file = readdirSync(profileDir).find((name) => name.endsWith('.cpuprofile'))!;
    const profile = JSON.parse(readFileSync(join(profileDir, file), 'utf8')) as Profile;
    console.log(`\n${load}: ${result.requestsPerSecond.toFixed(0)} req/s under the profiler; self time by place:`);
    for (const [place, share] of selfTimeByPlace(profile, (url) => detail?.test(url) ?? false).slice(0, top)) console.log(`  ${(share * 100).toFixed(1).padStart(5)} %  ${place}`);
    if (process.env.PROFILE_INCLUSIVE) {
      console.log(`  inclusive time of frames matching /${process.env.PROFILE_INCLUSIVE}/:`);
      for (const [label, share] of inclusiveTime(profile, new RegExp(process.env.PROFILE_INCLUSIVE)).slice(0, top)) console.log(`  ${(share * 100).toFixed(1).padStart(5)} %  ${label}`);
    }
    rmSync(profileDir, { recursive: true, force: true });
    rmSync(seeded.dir, { recursive: true, force: true });
  }
  return true;
}

/** Inclusive time (self and everything it called) of frames whose function or file matches, as shares of all samples. */
export function inclusiveTime(profile: Profile, match: RegExp): Array<[string, number]> {
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const totals = new Map<string, number>();
  let all = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    const delta = profile.timeDeltas[i] ?? 0;
    all += delta;
    const seen = new Set<string>();
    for (let id: number | undefined = profile.samples[i]; id !== undefined; id = parent.get(id)) {
      const { functionName, url } = byId.get(id)!.callFrame;
      const label = `${functionName || '(anonymous)'} ${url.replace(/^.*\/(node_modules|dist)\//, '')}`;
      if (!match.test(label) || seen.has(label)) continue;
      seen.add(label);
      totals.set(label, (totals.get(label) ?? 0) + delta);
    }
  }
  return [...totals.entries()].map(([label, time]) => [label, time / all] as [string, number]).sort((a, b) => b[1] - a[1]);
}
