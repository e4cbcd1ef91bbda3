/**
 * `npm start`: builds the app when the build is missing or older than its sources, then
 * serves it. A fresh clone needs nothing but `npm install` first.
 */
import { ensureBuilt } from './lib/build.js';

try {
	ensureBuilt();
} catch (error) {
	console.error(error instanceof Error ? error.message : error);
	process.exit(1);
}
const { main } = await import('../src/server/index.js');
await main();
