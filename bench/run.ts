import { runAssignBench } from './assign.js';
import { runClusterBench } from './cluster.js';
import { runConsoleBench } from './console.js';
import { runCoreBench } from './core.js';
import { runCostBench } from './cost.js';
import { runIdleBench } from './idle.js';
import { runKeysBench } from './keys.js';
import { runProfile } from './profile.js';
import { runPushBench } from './push.js';
import { runQueueBench } from './queue.js';
import { runStreamBench } from './stream.js';

/** `npm run bench [-- <suite>]`: benchmark programs, never tests. Exit 1 when a target is missed. */
const suites: Record<string, () => Promise<boolean>> = {
  core: runCoreBench,
  stream: runStreamBench,
  cluster: runClusterBench,
  push: runPushBench,
  profile: runProfile,
  cost: runCostBench,
  keys: runKeysBench,
  idle: runIdleBench,
  console: runConsoleBench,
  assign: runAssignBench,
  queue: runQueueBench,
};

// Without a name: the core loads, then the key lookup under many keys (both measure the list).
const names = process.argv[2] ? [process.argv[2]] : ['core', 'keys'];
let met = true;
for (const name of names) {
  const suite = suites[name];
  if (!suite) {
    console.error(`unknown benchmark "${name}"; known: ${Object.keys(suites).join(', ')}`);
    process.exit(2);
  }
  if (names.length > 1) console.log(`\n=== ${name} ===\n`);
  if (!(await suite())) met = false;
}
process.exit(met ? 0 : 1);
