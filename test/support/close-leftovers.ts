import { afterAll } from '@jest/globals';
import { closeLeftovers } from './leftovers.js';

// Set up for every test file (jest.config.js `setupFilesAfterEnv`): runs after the file's own hooks.
afterAll(closeLeftovers, 120_000);
