// `nx run container:runtime`: what every app image shares, made once before the app images
// (`nx run-many -t container` runs it first). See buildRuntimeImage.
import { requireEngine } from './docker';
import { buildRuntimeImage } from './images';

requireEngine('container:runtime');
buildRuntimeImage();
