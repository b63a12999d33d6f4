/**
 * Test settings every package shares. CI runs on 2 cores with two packages testing at once, so
 * a test that takes 1 s alone can take 10 s there: timeouts leave that room, and a test that
 * hangs still fails.
 */
export const sharedTest = {
  include: ['src/**/*.test.ts'],
  testTimeout: 60_000,
  hookTimeout: 120_000,
} as const;
