import { spawn, spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, rmSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AGENTS, coreLoads, KEYS_PER_AGENT } from './core.js';
import { measure, seedChatbot, SERVICE_ENTRY, startProcess, seededOnline } from './harness.js';

/**
 * Where the service's time goes (npm run bench -- profile): the core bench's loads, each
 * against its own service process started with --cpu-prof, then the self time of every
 * function summed by where it lives (this project's files, each package, Node's internals, the
 * kernel's share as "(program)"/"(garbage collector)").
 *
 * Settings: PROFILE_LOAD (list, heartbeats, changes or activity), PROFILE_TOP (rows), PROFILE_DETAIL (a
 * pattern of files to show by function). PROFILE_TOOL=perf samples with Linux perf instead, which
 * also sees native and kernel time; with it PROFILE_ATTRIBUTE charges each sample to the nearest
 * JavaScript frame, PROFILE_MATCH filters rows, and PROFILE_BASELINE profiles the bare baseline.
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

/**
 * With PROFILE_TOOL=perf: Linux perf (software cpu-clock sampling, so it works in VMs without
 * hardware counters) on the service process, with V8's perf map for JavaScript frames. It sees
 * native and kernel time that --cpu-prof cannot; the report lists inclusive time per frame.
 */
async function runPerf(load: 'list' | 'heartbeats' | 'changes' | 'activity', seconds: number, top: number): Promise<void> {
  const seeded = await seedChatbot({ agents: AGENTS, keysPerAgent: KEYS_PER_AGENT, setStatus: true });
  const online = seeded.allAgentKeys.map((_, i) => seededOnline(i));
  // PROFILE_BASELINE=1 profiles the bare node:http baseline instead, for comparison.
  const bodyFile = join(seeded.dir, 'list.json');
  writeFileSync(bodyFile, 'x'.repeat(3359));
  const service = process.env.PROFILE_BASELINE
    ? await startProcess('bench/baseline-server.ts', { BASELINE_BODY_FILE: bodyFile }, 'baseline listening', ['--perf-basic-prof-only-functions'])
    : await startProcess(SERVICE_ENTRY, { DATABASE_URL: seeded.dbPath, PORT: '0', LOG_LEVEL: 'info' }, 'inbox-agents listening', ['--perf-basic-prof-only-functions']);
  const loads = coreLoads(seeded.chatbotId, seeded.allAgentKeys, online);
  await measure(load, { ...loads[load](service.url), duration: 2 });
  const data = join(seeded.dir, 'perf.data');
  const perf = spawn('perf', ['record', '-e', 'cpu-clock', '-F', '1999', '-g', '-p', String(service.child.pid), '-o', data, '--', 'sleep', String(seconds)], { stdio: 'ignore' });
  const result = await measure(load, { ...loads[load](service.url), duration: seconds });
  await new Promise((resolve) => perf.on('exit', resolve));
  await service.stop();
  if (process.env.PROFILE_ATTRIBUTE) {
    // Each sample charged to the nearest JavaScript frame on its stack: a function's own time
    // plus the V8 runtime and native helpers it called (IC misses, allocation, hashing).
    const script = spawnSync('perf', ['script', '-i', data, '-F', 'ip,sym'], { encoding: 'utf8', maxBuffer: 512 * 1024 * 1024 });
    const totals = new Map<string, number>();
    let samples = 0;
    for (const block of script.stdout.split('\n\n')) {
      const frames = block
        .trim()
        .split('\n')
        .map((line) =>
          line
            .trim()
            .replace(/^\S+\s+/, '')
            .replace(/\+0x[0-9a-f]+.*$/, ''),
        );
      if (frames.length === 0 || frames[0] === '') continue;
      samples++;
      const js = frames.find((frame) => frame.startsWith('JS:')) ?? `(no JS) ${frames[0]}`;
      const label = js.replace(/file:\/\/\/.*?\/dist\//, 'dist/').replace(/\/\S*node_modules\//, '');
      totals.set(label, (totals.get(label) ?? 0) + 1);
    }
    console.log(`\n${load}: ${result.requestsPerSecond.toFixed(0)} req/s under perf; samples charged to the nearest JavaScript frame:`);
    for (const [label, count] of [...totals.entries()].sort((a, b) => b[1] - a[1]).slice(0, top))
      console.log(`  ${((count / samples) * 100).toFixed(1).padStart(5)} %  ${label.slice(0, 140)}`);
  } else {
    const report = spawnSync('perf', ['report', '-i', data, '--children', '--sort', 'sym', '--stdio', '-g', 'none'], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    const lines = report.stdout.split('\n').filter((line) => /^\s+\d/.test(line) && (process.env.PROFILE_MATCH ? new RegExp(process.env.PROFILE_MATCH).test(line) : true));
    console.log(`\n${load}: ${result.requestsPerSecond.toFixed(0)} req/s under perf; inclusive (children) and self time:`);
    for (const line of lines.slice(0, top))
      console.log(
        line
          .replace(/file:\/\/\/.*?\/dist\//, 'dist/')
          .replace(/\/\S*node_modules\//, '')
          .slice(0, 160),
      );
  }
  rmSync(seeded.dir, { recursive: true, force: true });
  for (const name of readdirSync('/tmp')) if (name === `perf-${service.child.pid}.map`) rmSync(join('/tmp', name), { force: true });
}

export async function runProfile(): Promise<boolean> {
  if (process.env.PROFILE_TOOL === 'perf') {
    for (const load of ['list', 'heartbeats', 'changes', 'activity'] as const) {
      if (!process.env.PROFILE_LOAD || process.env.PROFILE_LOAD === load)
        await runPerf(load, Number(process.env.BENCH_DURATION_SECONDS ?? 6), Number(process.env.PROFILE_TOP ?? 40));
    }
    return true;
  }
  const seconds = Number(process.env.BENCH_DURATION_SECONDS ?? 10);
  const top = Number(process.env.PROFILE_TOP ?? 25);
  const detail = process.env.PROFILE_DETAIL ? new RegExp(process.env.PROFILE_DETAIL) : null;
  for (const load of ['list', 'heartbeats', 'changes', 'activity'] as const) {
    if (process.env.PROFILE_LOAD && process.env.PROFILE_LOAD !== load) continue;
    const seeded = await seedChatbot({ agents: AGENTS, keysPerAgent: KEYS_PER_AGENT, setStatus: true });
    const online = seeded.allAgentKeys.map((_, i) => seededOnline(i));
    const profileDir = mkdtempSync(join(tmpdir(), 'inbox-agents-profile-'));
    const service = await startProcess(
      SERVICE_ENTRY,
      { DATABASE_URL: seeded.dbPath, PORT: '0', LOG_LEVEL: 'info', ...(process.env.PROFILE_ENV ? (JSON.parse(process.env.PROFILE_ENV) as Record<string, string>) : {}) },
      'inbox-agents listening',
      ['--cpu-prof', `--cpu-prof-dir=${profileDir}`],
    );
    const loads = coreLoads(seeded.chatbotId, seeded.allAgentKeys, online);
    const result = await measure(load, { ...loads[load](service.url), duration: seconds });
    await service.stop();
    const file = readdirSync(profileDir).find((name) => name.endsWith('.cpuprofile'))!;
    const profile = JSON.parse(readFileSync(join(profileDir, file), 'utf8')) as Profile;
    console.log(`\n${load}: ${result.requestsPerSecond.toFixed(0)} req/s under the profiler; self time by place:`);
    for (const [place, share] of selfTimeByPlace(profile, (url) => detail?.test(url) ?? false).slice(0, top)) console.log(`  ${(share * 100).toFixed(1).padStart(5)} %  ${place}`);
    if (process.env.PROFILE_INCLUSIVE) {
      console.log(`  inclusive time of frames matching /${process.env.PROFILE_INCLUSIVE}/:`);
      for (const [label, share] of inclusiveTime(profile, new RegExp(process.env.PROFILE_INCLUSIVE)).slice(0, top))
        console.log(`  ${(share * 100).toFixed(1).padStart(5)} %  ${label}`);
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
