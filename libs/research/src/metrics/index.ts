export * from './quantile';
export * from './wilson';
export * from './tail-risk';
export * from './bootstrap';
