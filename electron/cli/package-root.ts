// The package root: out/main/cli.js once built, electron/cli/*.ts when run from source in tests.
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const packageRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
