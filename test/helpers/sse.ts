import { request, type IncomingMessage } from 'node:http';

export interface SseEvent {
  id: string | null;
  event: string;
  data: string;
}

/**
 * A minimal server-sent-events client over real HTTP, as a browser's EventSource reads a stream
 * (id, event, data fields; comments), but under the test's control: headers such as
 * Last-Event-ID, and a reader that can stop reading altogether.
 */
export class SseClient {
  readonly events: SseEvent[] = [];
  readonly comments: string[] = [];
  #cursor = 0;
  #buffer = '';
  #waiters: Array<() => void> = [];
  #ended = false;
  readonly ended: Promise<void>;
  #markEnded!: () => void;

  private constructor(
    readonly response: IncomingMessage,
    readonly status: number,
    readonly body: string,
  ) {
    this.ended = new Promise((resolve) => {
      this.#markEnded = resolve;
    });
  }

  /** Opens the stream. A non-200 answer resolves too, with its status and body. */
  static open(url: string, headers: Record<string, string> = {}, options: { paused?: boolean } = {}): Promise<SseClient> {
    return new Promise((resolve, reject) => {
      const req = request(url, { headers: { accept: 'text/event-stream', ...headers } }, (response) => {
        if (response.statusCode !== 200) {
          let body = '';
          response.setEncoding('utf8');
          response.on('data', (chunk: string) => (body += chunk));
          response.on('end', () => resolve(new SseClient(response, response.statusCode ?? 0, body)));
          return;
        }
        const client = new SseClient(response, 200, '');
        response.setEncoding('utf8');
        if (options.paused) response.pause();
        response.on('data', (chunk: string) => client.#feed(chunk));
        const finish = () => client.#finish();
        response.on('end', finish);
        response.on('close', finish);
        response.on('error', finish);
        resolve(client);
      });
      req.on('error', reject);
      req.end();
    });
  }

  #feed(chunk: string): void {
    this.#buffer += chunk;
    let boundary: number;
    while ((boundary = this.#buffer.indexOf('\n\n')) >= 0) {
      const block = this.#buffer.slice(0, boundary);
      this.#buffer = this.#buffer.slice(boundary + 2);
      const event: SseEvent = { id: null, event: 'message', data: '' };
      let hasData = false;
      for (const line of block.split('\n')) {
        if (line.startsWith(':')) this.comments.push(line.slice(1).trim());
        else if (line.startsWith('id: ')) event.id = line.slice(4);
        else if (line.startsWith('event: ')) event.event = line.slice(7);
        else if (line.startsWith('data: ')) {
          event.data += (hasData ? '\n' : '') + line.slice(6);
          hasData = true;
        }
      }
      if (hasData) this.events.push(event);
    }
    this.#wake();
  }

  #finish(): void {
    if (this.#ended) return;
    this.#ended = true;
    this.#markEnded();
    this.#wake();
  }

  #wake(): void {
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const wake of waiters) wake();
  }

  get isEnded(): boolean {
    return this.#ended;
  }

  /** Resumes reading (for a reader that was opened paused). */
  resume(): void {
    this.response.resume();
  }

  /** The next event not yet taken that matches, waiting up to `timeoutMs`. */
  async next(match: (event: SseEvent) => boolean = () => true, timeoutMs = 5000): Promise<SseEvent> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      while (this.#cursor < this.events.length) {
        const event = this.events[this.#cursor++]!;
        if (match(event)) return event;
      }
      if (this.#ended) throw new Error('the stream ended while waiting for an event');
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no matching event within ${timeoutMs} ms; got ${JSON.stringify(this.events.slice(-5))}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.#waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  /**
   * Every event not yet taken up to and including the first that matches (a marker): what came
   * before the marker is all that came before it, so a test can check what did not happen.
   */
  async upTo(match: (event: SseEvent) => boolean, timeoutMs = 5000): Promise<SseEvent[]> {
    const from = this.#cursor;
    await this.next(match, timeoutMs);
    return this.events.slice(from, this.#cursor);
  }

  /** Events not yet taken, after waiting `ms` for any stragglers. */
  async drain(ms: number): Promise<SseEvent[]> {
    await new Promise((resolve) => setTimeout(resolve, ms));
    const rest = this.events.slice(this.#cursor);
    this.#cursor = this.events.length;
    return rest;
  }

  close(): void {
    this.response.destroy();
  }
}

export const presenceData = (event: SseEvent) => JSON.parse(event.data) as { agentId: string; online: boolean; connected: boolean; removed?: boolean; name?: string };
