// Runs in every vitest test file: the temp folders a file made are removed once its tests are done.
import { afterAll } from 'vitest';
import { removeTempDirs } from './temp';

afterAll(removeTempDirs);
