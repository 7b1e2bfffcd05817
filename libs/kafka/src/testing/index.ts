/** Stubs of the Kafka layer's ports for unit specs of services (hand-written, no mocking framework). */
export * from './stub-client';
