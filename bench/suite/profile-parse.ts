// Profiling aid for the parse target: parses the corpus 3 times under the V8 CPU profiler and writes the
// profile (`npx tsx bench/suite/profile-parse.ts [out.cpuprofile]`); bench/suite/hot-spots.ts summarizes it.
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseEventObject } from '../../shared/parse';
import { inputFiles } from './inputs';
import { planFor } from './modes';

const files = inputFiles(planFor([]).seed);
for (const file of files) parseEventObject(file.key, file.body);
const session = new Session();
session.connect();
await session.post('Profiler.enable');
await session.post('Profiler.start');
for (let round = 0; round < 3; round++) for (const file of files) parseEventObject(file.key, file.body);
const { profile } = await session.post('Profiler.stop');
const out = process.argv[2] ?? join(tmpdir(), 'parse.cpuprofile');
writeFileSync(out, JSON.stringify(profile));
console.log(`profile: ${out}`);
