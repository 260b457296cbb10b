import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    environment: 'node',
    // The server and activation tests wait for a real plancheck process.
    testTimeout: 30000,
    hookTimeout: 60000,
  },
});
