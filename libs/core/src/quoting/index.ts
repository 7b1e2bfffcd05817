export * from './quote-types';
export * from './avellaneda-stoikov';
export * from './size-model';
export * from './compute-quotes';
export * from './order-management';
