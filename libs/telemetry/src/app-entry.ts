// What every built app runs first (dist/apps/<app>/main.mjs, bundled by tools/build): tracing,
// when an OTLP endpoint is set, then the app itself (service.mjs beside it), imported only now so
// that the instrumentations see the modules it loads. The app's folder names the service.
import { basename, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startTracing } from './start-tracing';

await startTracing(basename(dirname(fileURLToPath(import.meta.url))));
// @ts-expect-error the app's bundle, built beside this one: nothing to type-check here
await import('./service.mjs');
