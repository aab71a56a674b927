import { runClusterBench } from './cluster.js';
import { runCoreBench } from './core.js';
import { runCostBench } from './cost.js';
import { runProfile } from './profile.js';
import { runPushBench } from './push.js';
import { runStreamBench } from './stream.js';

/** `npm run bench [-- <suite>]`: benchmark programs, never tests. Exit 1 when a target is missed. */
const suites: Record<string, () => Promise<boolean>> = {
  core: runCoreBench,
  stream: runStreamBench,
  cluster: runClusterBench,
  push: runPushBench,
  profile: runProfile,
  cost: runCostBench,
};

const name = process.argv[2] ?? 'core';
const suite = suites[name];
if (!suite) {
  console.error(`unknown benchmark "${name}"; known: ${Object.keys(suites).join(', ')}`);
  process.exit(2);
}
const met = await suite();
process.exit(met ? 0 : 1);
