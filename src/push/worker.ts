import { performance } from 'node:perf_hooks';
import type { FastifyBaseLogger } from 'fastify';
import { backoffMillis, nextAttempt } from '../delivery/retry.js';
import type { PushHealth } from './health.js';
import type { Finish, Job, OutboxStore } from './outbox.js';
import type { DeviceAddress, Outcome, Outgoing } from './outcome.js';

export interface Sender {
  send(device: DeviceAddress, message: Outgoing): Promise<Outcome>;
}

/** The host a device's pushes go to, as logs name it (never the endpoint's path, which identifies the subscription). */
function hostOf(device: DeviceAddress, fcmHost: string): string {
  if (device.kind === 'fcm') return fcmHost;
  try {
    return new URL(device.address).host;
  } catch {
    return 'unknown';
  }
}

export interface WorkerSettings {
  /** Pushes in flight at once. */
  concurrency: number;
  /** How long a claim holds a delivery; longer than any send (sends time out after 10 s). */
  claimMillis: number;
  /** Idle check for work made elsewhere (other instances, retries coming due). */
  pollMillis: number;
  /** First retry delay; doubled per attempt, with jitter, up to backoffMaxMillis. */
  backoffBaseMillis: number;
  backoffMaxMillis: number;
  /** How long a finished notification stays readable (and its Idempotency-Key remembered). */
  keepMillis: number;
  /**
   * How long a turn of the event loop may take (what an API request waits for) before the
   * worker waits to start the next push: the API comes first, so a draining outbox does not
   * slow the agent list or status updates much, and pushes use the rest of the loop.
   */
  maxLoopDelayMillis: number;
}

const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

export const DEFAULT_WORKER_SETTINGS: WorkerSettings = {
  concurrency: 64,
  claimMillis: 60_000,
  pollMillis: 1_000,
  backoffBaseMillis: 1_000,
  backoffMaxMillis: 5 * 60_000,
  keepMillis: 7 * 24 * 3600_000,
  maxLoopDelayMillis: 5,
};

/** How long a sent push waits for others to be recorded with it (its claim holds it for a minute). */
const SENT_GATHER_MILLIS = 10;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Drains the outbox: claims due deliveries in batches, keeps up to `concurrency` pushes in
 * flight, and records each result as it comes. Woken at once by notifications made here (and,
 * through the change link, on other instances); otherwise polls.
 */
export class PushWorker {
  #running = false;
  #inFlight = new Map<string, Job>();
  #wake: (() => void) | null = null;
  #loop: Promise<void> | null = null;
  #retryTimer: NodeJS.Timeout | null = null;
  #retryAt = Infinity;
  /** Set while stop() waits: called when the last push in flight finishes. */
  #drained: (() => void) | null = null;
  #lastPrune = 0;
  /** Attempts by outcome on this instance (tests read which instance sent what). */
  readonly stats = { sent: 0, failed: 0, retried: 0, expired: 0, skipped: 0 };

  constructor(
    private readonly outbox: OutboxStore,
    private readonly senders: { webpush: Sender; fcm: (Sender & { host: string }) | null },
    private readonly health: PushHealth,
    private readonly settings: WorkerSettings,
    private readonly now: () => number,
    private readonly log: FastifyBaseLogger,
    /** Told of every recorded outcome (metrics). */
    private readonly onOutcome: (kind: 'webpush' | 'fcm' | 'none', outcome: keyof PushWorker['stats']) => void = () => {},
  ) {}

  start(): void {
    if (this.#running) return;
    this.#running = true;
    this.#loop = this.#run();
  }

  /** There may be work: claim now rather than at the next poll. */
  poke(): void {
    const wake = this.#wake;
    this.#wake = null;
    wake?.();
  }

  /**
   * Stops claiming, lets pushes in flight finish (up to `graceMillis`), and gives back any
   * claims still open so another instance (or the next start) sends them.
   */
  async stop(graceMillis = 5_000): Promise<void> {
    if (!this.#running) return;
    this.#running = false;
    this.poke();
    if (this.#retryTimer) clearTimeout(this.#retryTimer);
    await this.#loop;
    if (this.#inFlight.size > 0) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([new Promise<void>((resolve) => (this.#drained = resolve)), new Promise<void>((resolve) => (timer = setTimeout(resolve, graceMillis)))]);
      clearTimeout(timer);
      this.#drained = null;
    }
    if (this.#inFlight.size > 0) {
      await this.outbox.release([...this.#inFlight.values()], this.now()).catch((error: unknown) => this.log.warn({ err: error }, 'could not give back push claims'));
    }
  }

  async #run(): Promise<void> {
    while (this.#running) {
      const room = this.settings.concurrency - this.#inFlight.size;
      if (room >= Math.ceil(this.settings.concurrency / 2)) {
        try {
          const jobs = await this.outbox.claim(room, this.now(), this.settings.claimMillis);
          for (const job of jobs) {
            this.#inFlight.set(job.id, job);
            void this.#deliver(job).finally(() => {
              this.#inFlight.delete(job.id);
              if (this.#inFlight.size === 0) this.#drained?.();
              // Refill once half the slots are free: one claim query per half batch, not per push.
              if (this.#inFlight.size <= this.settings.concurrency / 2) this.poke();
            });
            // Encrypting a push is synchronous work: let API requests in between pushes, and
            // hold back while they wait longer than a turn may take.
            await this.#pace();
          }
          if (jobs.length === room) continue;
          await this.#pruneNow();
        } catch (error) {
          this.log.warn({ err: error }, 'could not claim push deliveries; retrying shortly');
        }
      }
      if (!this.#running) break;
      await this.#idle();
    }
  }

  /**
   * Gives the event loop a turn, and while a turn takes longer than maxLoopDelayMillis (API
   * requests and answers queued behind pushes), waits a little before the next (at most 1 s).
   */
  async #pace(): Promise<void> {
    // Pushes started within a millisecond share a turn: a turn per push cost more than the wait it saved.
    if (performance.now() - this.#turnStarted < 1) return;
    const deadline = performance.now() + 1_000;
    while (this.#running) {
      const started = performance.now();
      await yieldToEventLoop();
      this.#turnStarted = performance.now();
      if (this.#turnStarted - started <= this.settings.maxLoopDelayMillis || this.#turnStarted >= deadline) return;
      await sleep(2);
    }
  }

  #turnStarted = 0;

  /** Waits for a poke (work made here, a slot freed, a retry due) or the poll interval. */
  #idle(): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.#wake = null;
        resolve();
      }, this.settings.pollMillis);
      this.#wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }

  /** A retry due before the next poll gets its own wake-up. */
  #wakeAt(at: number): void {
    if (at >= this.#retryAt) return;
    if (this.#retryTimer) clearTimeout(this.#retryTimer);
    this.#retryAt = at;
    this.#retryTimer = setTimeout(
      () => {
        this.#retryAt = Infinity;
        this.#retryTimer = null;
        this.poke();
      },
      Math.max(0, at - this.now()),
    );
    this.#retryTimer.unref();
  }

  async #pruneNow(): Promise<void> {
    const now = this.now();
    if (now - this.#lastPrune < 3600_000) return;
    this.#lastPrune = now;
    const pruned = await this.outbox.prune(now - this.settings.keepMillis);
    if (pruned > 0) this.log.info({ pruned }, 'forgot expired notifications');
  }

  /**
   * Records a push sent, with the others sent about now: gathered for up to 10 ms, then one
   * transaction for all of them (a worker sends dozens at once), one transaction at a time.
   * Whether the claim still held the delivery.
   */
  #recordSent(job: Job, deviceId: string, at: number): Promise<boolean> {
    return new Promise((resolve, reject) => {
      this.#sent.push({ job, deviceId, at, resolve, reject });
      this.#flushSentSoon();
    });
  }

  #sent: Array<{ job: Job; deviceId: string; at: number; resolve: (held: boolean) => void; reject: (error: unknown) => void }> = [];
  #flushingSent = false;

  #flushSentSoon(): void {
    if (this.#flushingSent || this.#sent.length === 0) return;
    this.#flushingSent = true;
    // Answers come back one per turn of the event loop: waiting a few milliseconds gathers
    // dozens into one transaction, where the next turn held one (a transaction per push). Half
    // the slots already waiting (a transaction just ended) go at once.
    const gather = this.#sent.length >= this.settings.concurrency / 2 ? 0 : SENT_GATHER_MILLIS;
    setTimeout(() => {
      const batch = this.#sent.splice(0);
      this.outbox
        .sentMany(batch)
        .then(
          (recorded) => {
            for (const item of batch) item.resolve(recorded.has(item.job.id));
          },
          (error: unknown) => {
            for (const item of batch) item.reject(error);
          },
        )
        .finally(() => {
          this.#flushingSent = false;
          this.#flushSentSoon();
        });
    }, gather);
  }

  async #deliver(job: Job): Promise<void> {
    try {
      const result = await this.#attempt(job);
      const at = this.now();
      const counter = result.state === 'pending' ? 'retried' : result.state;
      this.stats[counter] += 1;
      this.onOutcome(job.device?.kind ?? 'none', counter);
      const held = result.state === 'sent' && job.device ? await this.#recordSent(job, job.device.id, result.sentAt ?? at) : await this.outbox.finish(job, result, at);
      if (!held) {
        this.log.warn({ delivery: job.id }, 'a push claim lapsed before its result was recorded (the send took longer than the claim)');
      }
      if (result.nextAttemptAt !== undefined) this.#wakeAt(result.nextAttemptAt);
    } catch (error) {
      // The claim lapses and the delivery is tried again.
      this.log.error({ err: error, delivery: job.id }, 'push delivery could not be recorded');
    }
  }

  async #attempt(job: Job): Promise<Finish> {
    const now = this.now();
    if (!job.device) return { state: 'skipped', reason: 'device_removed', lastError: 'the device was removed before the push was sent', untried: true };
    if (job.message.expiresAt <= now) {
      // A retry that came due too late keeps what the last attempt met: that is why it expired.
      const lastError = job.lastError ? `${job.lastError}; the notification expired before another attempt` : 'the notification expired before it could be delivered';
      return { state: 'expired', lastError, untried: true };
    }
    const sender = job.device.kind === 'fcm' ? this.senders.fcm : this.senders.webpush;
    if (!sender) return { state: 'skipped', reason: 'fcm_not_configured', lastError: 'FCM is not configured on this service', untried: true };
    const service = job.device.kind;
    const outcome = await sender.send(job.device, job.message);
    const at = this.now();
    const failure = (error: string) => ({ deviceId: job.device!.id, host: hostOf(job.device!, this.senders.fcm?.host ?? ''), error });
    switch (outcome.kind) {
      case 'sent':
        this.health.answered(service);
        // Recorded with the device's success by #deliver, together with the others sent now.
        return { state: 'sent', sentAt: at };
      case 'gone':
        this.health.answered(service);
        await this.outbox.removeDevice(job.device.id);
        this.log.info({ device: job.device.id, problem: outcome.error }, 'removed a dead push device');
        return { state: 'failed', reason: 'device_gone', lastError: outcome.error };
      case 'misconfigured':
        this.health.broken(service, outcome.error, at);
        await this.outbox.deviceFailed(job.device.id, outcome.error);
        return { state: 'failed', reason: 'configuration', lastError: outcome.error };
      case 'failed':
        this.health.sendFailed(service, failure(outcome.error), at);
        await this.outbox.deviceFailed(job.device.id, outcome.error);
        return { state: 'failed', lastError: outcome.error };
      case 'retry': {
        this.health.sendFailed(service, failure(outcome.error), at);
        await this.outbox.deviceFailed(job.device.id, outcome.error);
        const backoff = backoffMillis(job.attempts, this.settings.backoffBaseMillis, this.settings.backoffMaxMillis);
        const next = nextAttempt(at, job.message.expiresAt, backoff, (outcome.retryAfterSeconds ?? 0) * 1000);
        // No attempt fits before the TTL: the delivery stays pending, with no next attempt, until
        // the TTL ends; then it is expired, keeping this error (the report says so meanwhile).
        return { state: 'pending', lastError: outcome.error, nextAttemptAt: next ?? job.message.expiresAt };
      }
    }
  }
}
