/**
 * The core's testing entry point (`@fleet/core/testing`): a test clock, scenario builders,
 * stub policies and small fixtures for services' and the core's own tests.
 */
export * from './test-clock';
export * from './scenario-builder';
export * from './stub-policies';
export * from './fixtures';
