export * from './market-data';
export * from './fair-value-state';
export * from './kalman-fair-value';
export * from './volatility';
