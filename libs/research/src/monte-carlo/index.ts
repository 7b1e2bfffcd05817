export * from './episode';
export * from './monte-carlo';
