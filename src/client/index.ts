export * from './api-keys-client';
export * from './types';
