// Types for socket.io-mock (it ships none): the parts the realtime handler tests use.
declare module 'socket.io-mock' {
  interface SocketClient {
    emit(event: string, ...args: unknown[]): void;
    on(event: string, listener: (...args: unknown[]) => void): void;
  }
  export default class SocketMock {
    socketClient: SocketClient;
    joinedRooms: string[];
    on(event: string, listener: (...args: never[]) => void): this;
    emit(event: string, ...args: unknown[]): void;
    join(room: string): void;
    leave(room: string): void;
    disconnect(): this;
  }
}
