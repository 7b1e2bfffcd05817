// Minimal typings for the `ws` package (installed with ccxt; no @types/ws in the tree):
// only what the fake venue uses.
declare module 'ws' {
  import type { Server as HttpServer } from 'node:http';
  import type { EventEmitter } from 'node:events';

  class WebSocket extends EventEmitter {
    static readonly OPEN: number;
    readonly readyState: number;
    send(data: string): void;
    close(code?: number, reason?: string): void;
    terminate(): void;
  }

  class WebSocketServer extends EventEmitter {
    constructor(options: { server: HttpServer });
    readonly clients: Set<WebSocket>;
    close(callback?: (err?: Error) => void): void;
  }

  export { WebSocket, WebSocketServer };
}
