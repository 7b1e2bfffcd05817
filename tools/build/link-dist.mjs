// Makes `require('@fleet/<lib>')` resolve inside dist/ after `tsc -p tsconfig.build.json`:
// writes dist/node_modules/@fleet/<lib>/package.json pointing at the compiled entry point.
// Node looks in the nearest node_modules first, so compiled services and tools load the
// compiled libs, never the TypeScript sources.
import { mkdirSync, readdirSync, writeFileSync, existsSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const dist = join(root, 'dist');
let linked = 0;
for (const lib of readdirSync(join(root, 'libs'))) {
  const entry = join(dist, 'libs', lib, 'src', 'index.js');
  if (!existsSync(entry)) continue;
  const target = join(dist, 'node_modules', '@fleet', lib);
  mkdirSync(target, { recursive: true });
  const exportsMap = { '.': `../../../libs/${lib}/src/index.js` };
  writeFileSync(
    join(target, 'package.json'),
    JSON.stringify({ name: `@fleet/${lib}`, private: true, main: exportsMap['.'] }, null, 2) + '\n',
  );
  linked += 1;
}
console.log(`linked ${linked} compiled libs under dist/node_modules/@fleet`);
