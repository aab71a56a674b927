import type { FastifyBaseLogger } from 'fastify';
import { Webhook } from 'standardwebhooks';
import { PushHttp } from '../push/http.js';
import { clip } from '../push/outcome.js';
import { backoffMillis, nextAttempt, retryAfterSeconds } from '../delivery/retry.js';
import type { ClaimedDelivery, WebhookStore } from './store.js';

const SEND_TIMEOUT_MS = 10_000;
const CLAIM_MS = 60_000;
const POLL_MS = 500;
const BATCH = 32;
const BACKOFF_BASE_MS = 1_000;
const BACKOFF_MAX_MS = 10 * 60_000;

/** What one answer means for a delivery, pure: sent, a retry, or failed for good. */
export function webhookOutcome(status: number): 'sent' | 'retry' | 'failed' {
  if (status >= 200 && status < 300) return 'sent';
  // The receiver's own trouble, or "slow down": worth trying again. Other refusals are final.
  if (status >= 500 || status === 408 || status === 429) return 'retry';
  return 'failed';
}

/**
 * Sends the webhook outbox: claims due messages, signs each as Standard Webhooks says
 * (webhook-id, webhook-timestamp, webhook-signature: HMAC-SHA256 of "id.timestamp.body" with the
 * webhook's secret, through the specification's own library), and retries with backoff until a
 * message's 24 h run out. Connections go through the same SSRF guard as pushes.
 */
export class WebhookWorker {
  readonly #http: PushHttp;
  #timer: NodeJS.Timeout | undefined;
  #running = false;
  #stopped = false;
  #again = false;

  constructor(
    private readonly store: WebhookStore,
    allowedHosts: readonly string[],
    private readonly now: () => number,
    private readonly log: FastifyBaseLogger,
  ) {
    this.#http = new PushHttp(allowedHosts, 16);
  }

  start(): void {
    this.#timer = setInterval(() => this.poke(), POLL_MS);
    this.#timer.unref();
  }

  /** Work may be due: drain now (or once more after the current round). */
  poke(): void {
    if (this.#stopped) return;
    if (this.#running) {
      this.#again = true;
      return;
    }
    this.#running = true;
    void this.#drain()
      .catch((error: unknown) => this.log.error({ err: error }, 'webhook delivery round failed'))
      .finally(() => {
        this.#running = false;
        if (this.#again) {
          this.#again = false;
          this.poke();
        }
      });
  }

  async #drain(): Promise<void> {
    for (;;) {
      const at = this.now();
      const claimed = await this.store.claimDue(at, at + CLAIM_MS, BATCH);
      if (claimed.length === 0) return;
      await Promise.all(claimed.map((delivery) => this.#deliver(delivery)));
      if (this.#stopped) return;
    }
  }

  async #deliver(delivery: ClaimedDelivery): Promise<void> {
    const at = this.now();
    if (at >= Number(delivery.expires_at)) return void (await this.store.finish(delivery.id, { state: 'expired', reason: 'ttl' }));
    // Debounced: a change that flapped back to what the receiver last got is no news.
    // Events (`assignment.*`) are each news: only an availability state (a JSON array key) can flap back.
    const isState = delivery.state_key.startsWith('[');
    if (
      isState &&
      Number(delivery.debounce_seconds) > 0 &&
      Number(delivery.attempts) === 1 &&
      (await this.store.lastSent(delivery.webhook_id, delivery.agent_id)) === delivery.state_key
    ) {
      return void (await this.store.finish(delivery.id, { state: 'skipped', reason: 'unchanged' }));
    }
    let status: number | null = null;
    let error: string | null = null;
    let retryAfter: number | null = null;
    try {
      const timestamp = new Date(at);
      const signature = new Webhook(delivery.secret).sign(delivery.id, timestamp, delivery.payload);
      const answer = await this.#http.post(
        delivery.url,
        {
          'content-type': 'application/json',
          'user-agent': 'inbox-agents-webhooks',
          'webhook-id': delivery.id,
          'webhook-timestamp': String(Math.floor(at / 1000)),
          'webhook-signature': signature,
        },
        delivery.payload,
        SEND_TIMEOUT_MS,
      );
      status = answer.status;
      if (webhookOutcome(status) !== 'sent') error = clip(`HTTP ${status}: ${answer.body}`);
      // "Slow down" (429) or "down for a while" (503) with a time: not sooner, as pushes do.
      retryAfter = retryAfterSeconds(answer.headers['retry-after'], at);
    } catch (caught) {
      error = clip(`${(caught as NodeJS.ErrnoException).code ?? 'error'}: ${(caught as Error).message}`);
    }
    const outcome = status === null ? 'retry' : webhookOutcome(status);
    if (outcome === 'sent') return void (await this.store.finish(delivery.id, { state: 'sent', reason: null, last_status: status, last_error: null, sent_at: this.now() }));
    if (outcome === 'failed') return void (await this.store.finish(delivery.id, { state: 'failed', reason: 'refused', last_status: status, last_error: error }));
    const next = nextAttempt(at, Number(delivery.expires_at), backoffMillis(Number(delivery.attempts), BACKOFF_BASE_MS, BACKOFF_MAX_MS), (retryAfter ?? 0) * 1000);
    if (next === null) return void (await this.store.finish(delivery.id, { state: 'expired', reason: 'ttl', last_status: status, last_error: error }));
    await this.store.finish(delivery.id, { last_status: status, last_error: error, next_attempt_at: next });
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    clearInterval(this.#timer);
    this.#http.close();
  }
}
