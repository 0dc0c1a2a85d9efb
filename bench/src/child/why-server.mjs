// A collector of this checkout serving one viewer build, as a process of its own, for
// why-views.mjs: in real use the collector never shares an event loop with the browser or its
// driver, and a comparison being serialized must not hold up what the driver observes.
// Prints `listening on <url>`; stops on SIGTERM.   node child/why-server.mjs <db file> <viewer dir>
import { startServer } from '@flowtrace/collector';

const [dbPath, viewerDir] = process.argv.slice(2);
const server = await startServer({ port: 0, host: '127.0.0.1', dbPath, viewerDir, grpc: false });
process.stdout.write(`listening on ${server.url}\n`);
process.once('SIGTERM', () => void server.close().then(() => process.exit(0)));
