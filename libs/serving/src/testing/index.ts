export { capturedLogger } from './captured-logger';
