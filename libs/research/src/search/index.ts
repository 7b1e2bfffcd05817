export * from './pareto';
export * from './cem';
