export type { ChatModel } from './chat-model';
export * from './chat-request';
export * from './chat-stream-part';
export * from './finish-reason';
export * from './usage';
