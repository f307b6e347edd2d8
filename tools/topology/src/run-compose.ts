// `npx nx run topology:compose --protocol grpc|rest [--topology local|distributed] [--json FILE]`:
// the compose files on this machine's Docker engine, for real (images from `nx run-many -t
// container`, which Nx builds first). local: docker/compose.local.<protocol>.yml, results in
// results/compose/<protocol>/. distributed: every role file of docker/distributed/<protocol>/ as
// its own project on one engine, results in results/compose-distributed/<protocol>/. Prints each
// service's image size, time to ready and memory as a Markdown table; --json writes them too.
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { requireEngine, runDistributedCompose, runLocalCompose, statsTable } from '@imagepipeline/container';

const USAGE = `usage: nx run topology:compose --protocol grpc|rest [--topology local|distributed] [--json FILE]
  --protocol grpc|rest            which compose files (default grpc)
  --topology local|distributed    docker/compose.local.<protocol>.yml, or every role file of
                                  docker/distributed/<protocol>/ on one engine (default local)
  --json FILE                     also write each service's image size, time to ready and memory`;

const { values } = parseArgs({
  options: {
    protocol: { type: 'string', default: 'grpc' },
    topology: { type: 'string', default: 'local' },
    json: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  },
});
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}
const protocol = values.protocol;
const topology = values.topology;
if (protocol !== 'grpc' && protocol !== 'rest') usage(`--protocol must be grpc or rest, not "${protocol}"`);
if (topology !== 'local' && topology !== 'distributed') usage(`--topology must be local or distributed, not "${topology}"`);

requireEngine(`topology:compose --protocol ${protocol}`);
const run = await (topology === 'local' ? runLocalCompose : runDistributedCompose)(protocol);
console.log(`\ncompose ${topology} ${protocol}: results in ${run.resultsDir}`);
console.log(statsTable(run.services));
if (values.json) writeFileSync(values.json, `${JSON.stringify({ protocol, topology, at: new Date().toISOString(), services: run.services }, null, 2)}\n`);

function usage(message: string): never {
  console.error(`${message}\n${USAGE}`);
  process.exit(2);
}
