/**
 * Runs in every integration test file before its tests: the real stack needs longer than
 * jest's default 5 s (jest 30 ignores testTimeout in a project's configuration).
 */
jest.setTimeout(180_000);
