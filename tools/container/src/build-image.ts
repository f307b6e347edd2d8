// `nx run <app>:container`: builds one app's image (after `container:runtime` and `<app>:build`):
//
//   tsx tools/container/src/build-image.ts <app> [more docker build options]
//   → docker build -f docker/Dockerfile --target app --build-arg APP=<app> -t image-pipeline/<app>:latest .
import { requireEngine } from './docker';
import { appNames, buildAppImage } from './images';

const [app, ...buildOptions] = process.argv.slice(2);
const apps = appNames();
if (!app || app.startsWith('-')) usage(`usage: build-image.ts <app> [docker build options]\napps: ${apps.join(', ')}`);
if (!apps.includes(app)) usage(`no app "${app}" in apps/ (apps: ${apps.join(', ')})`);

requireEngine(`the ${app} image`);
console.log(`built ${buildAppImage(app, buildOptions)}`);

function usage(message: string): never {
  console.error(message);
  process.exit(2);
}
