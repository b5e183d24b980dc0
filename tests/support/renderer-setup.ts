// Runs in every renderer test file (jsdom): what each test rendered is unmounted after it.
import { cleanup } from '@testing-library/react';
import { afterEach } from 'vitest';
import './dialog-polyfill';

afterEach(cleanup);
