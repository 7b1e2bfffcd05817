export * from './lane-types';
export * from './lane-config';
export * from './lane-aligner';
export * from './raw-log';
export * from './lane-runtime';
export * from './lane-service';
export * from './lane-source';
