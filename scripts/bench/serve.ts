/**
 * The bench's server process: the real `src/server/index.ts` main(), under a title of its
 * own, so that whoever stops "the dev server" by its command line on a shared machine does
 * not stop the bench's server mid-measurement too.
 */
import { main } from '../../src/server/index.js';

process.title = 'wangge-bench-server';
await main();
