import { createServer, type Server } from 'node:http';
import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { collectDefaultMetrics, Counter, Gauge, Registry } from 'prom-client';
import { sendError } from '../errors.js';

/** What a scrape asks of the rest of the service (read at scrape time, never on a request). */
export interface MetricSources {
  openStreams(): number;
  /** Keys looked up in the database so far (the key cache's misses). */
  keyLookups(): number;
  outbox(): Promise<{ pending: number; oldestDueAgeSeconds: number }>;
  /** null when the database has no pool (SQLite's one connection). */
  pool(): { inUse: number; idle: number; waiting: number } | null;
}

type RequestLabels = { method: string; route: string; status: string };

/** One (method, route, status) series of the request histogram. */
interface RequestSeries {
  labels: RequestLabels;
  /** Observations per bucket (not cumulative); the last slot is above every bound. */
  counts: number[];
  sum: number;
  count: number;
}

const REQUEST_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];
/** Past this many series, new (method, route, status) combinations share one overflow series. */
const MAX_REQUEST_SERIES = 1000;

/**
 * Requests by method, route template and status: `http_requests_total` and the histogram
 * `http_request_duration_seconds`, exported through prom-client's registry. Kept by hand
 * rather than with prom-client's Histogram, whose observe() hashes the label set on every
 * call: this runs once per request, and a series found by one Map lookup costs a fraction.
 */
class RequestMetrics {
  readonly #series = new Map<string, RequestSeries>();

  observe(method: string, route: string, status: number, seconds: number): void {
    const key = `${method} ${status} ${route}`;
    let series = this.#series.get(key);
    if (!series) {
      const overflow = this.#series.size >= MAX_REQUEST_SERIES;
      const labels = overflow ? { method: 'other', route: 'other', status: 'other' } : { method, route, status: String(status) };
      const shared = overflow ? this.#series.get('other') : undefined;
      series = shared ?? { labels, counts: new Array<number>(REQUEST_BUCKETS.length + 1).fill(0), sum: 0, count: 0 };
      this.#series.set(overflow ? 'other' : key, series);
    }
    let bucket = 0;
    while (bucket < REQUEST_BUCKETS.length && seconds > REQUEST_BUCKETS[bucket]!) bucket++;
    series.counts[bucket]! += 1;
    series.sum += seconds;
    series.count += 1;
  }

  /** The two metrics in the shape prom-client's registry prints. */
  metrics() {
    const all = () => [...new Set(this.#series.values())];
    return [
      {
        name: 'http_requests_total',
        help: 'HTTP requests answered, by method, route template and status',
        type: 'counter',
        aggregator: 'sum',
        get: async () => ({
          name: 'http_requests_total',
          help: 'HTTP requests answered, by method, route template and status',
          type: 'counter',
          aggregator: 'sum',
          values: all().map((series) => ({ labels: series.labels, value: series.count })),
        }),
      },
      {
        name: 'http_request_duration_seconds',
        help: 'Time to answer HTTP requests, by method, route template and status',
        type: 'histogram',
        aggregator: 'sum',
        get: async () => ({
          name: 'http_request_duration_seconds',
          help: 'Time to answer HTTP requests, by method, route template and status',
          type: 'histogram',
          aggregator: 'sum',
          values: all().flatMap((series) => {
            let cumulative = 0;
            const buckets = REQUEST_BUCKETS.map((bound, i) => {
              cumulative += series.counts[i]!;
              return { metricName: 'http_request_duration_seconds_bucket', labels: { ...series.labels, le: bound }, value: cumulative };
            });
            return [
              ...buckets,
              { metricName: 'http_request_duration_seconds_bucket', labels: { ...series.labels, le: '+Inf' }, value: series.count },
              { metricName: 'http_request_duration_seconds_sum', labels: series.labels, value: series.sum },
              { metricName: 'http_request_duration_seconds_count', labels: series.labels, value: series.count },
            ];
          }),
        }),
      },
    ];
  }
}

/**
 * The service's Prometheus metrics. They are always collected (cheaply: a counter add, a
 * histogram bucket); whether anyone may read them is the operator's choice (see exposeMetrics).
 * Each app has its own registry, so several apps in one process (tests) never mix.
 */
export class ServiceMetrics {
  readonly registry = new Registry();
  readonly #requests = new RequestMetrics();
  readonly presenceEvents = new Counter({
    name: 'inbox_presence_events_total',
    help: 'Presence events announced (written to the event log) by this instance',
    registers: [this.registry],
  });
  readonly slowStreamsDropped = new Counter({
    name: 'inbox_stream_clients_dropped_total',
    help: 'Stream clients disconnected because they read too slowly',
    registers: [this.registry],
  });
  readonly pushDeliveries = new Counter<'kind' | 'outcome'>({
    name: 'inbox_push_deliveries_total',
    help: 'Push attempts by device kind (webpush, fcm) and outcome (sent, retried, failed, expired, skipped)',
    labelNames: ['kind', 'outcome'],
    registers: [this.registry],
  });
  readonly rateLimited = new Counter<'class'>({
    name: 'inbox_rate_limited_total',
    help: 'Requests refused with 429 rate_limited, by route class',
    labelNames: ['class'],
    registers: [this.registry],
  });

  constructor(sources: MetricSources) {
    for (const metric of this.#requests.metrics()) this.registry.registerMetric(metric as never);
    collectDefaultMetrics({ register: this.registry });
    new Gauge({
      name: 'inbox_open_streams',
      help: 'Presence streams open on this instance',
      registers: [this.registry],
      collect() {
        this.set(sources.openStreams());
      },
    });
    new Counter({
      name: 'inbox_key_lookups_total',
      help: 'API keys looked up in the database because the key cache did not know them (a flood of unknown keys shows here)',
      registers: [this.registry],
      collect() {
        this.reset();
        this.inc(sources.keyLookups());
      },
    });
    const pending = new Gauge({ name: 'inbox_outbox_pending', help: 'Push deliveries waiting to be sent (all instances)', registers: [this.registry] });
    new Gauge({
      name: 'inbox_outbox_oldest_due_age_seconds',
      help: 'How long the oldest push delivery that is due has waited (0: none due)',
      registers: [this.registry],
      async collect() {
        const outbox = await sources.outbox();
        pending.set(outbox.pending);
        this.set(outbox.oldestDueAgeSeconds);
      },
    });
    new Gauge<'state'>({
      name: 'inbox_db_pool_connections',
      help: 'Database connections of this instance: in_use, idle, and waiting (requests queued for a connection)',
      labelNames: ['state'],
      registers: [this.registry],
      collect() {
        const pool = sources.pool();
        if (!pool) return;
        this.set({ state: 'in_use' }, pool.inUse);
        this.set({ state: 'idle' }, pool.idle);
        this.set({ state: 'waiting' }, pool.waiting);
      },
    });
  }

  /** Records one answered request (route is the template, e.g. /v1/inbox/:chatbotId/agents/online). */
  observeRequest(method: string, route: string, status: number, seconds: number): void {
    this.#requests.observe(method, route, status, seconds);
  }
}

const bearerMatches = (header: string | undefined, token: string): boolean => {
  const given = Buffer.from(header?.startsWith('Bearer ') ? header.slice(7) : '');
  const expected = Buffer.from(token);
  return given.length === expected.length && timingSafeEqual(given, expected);
};

/**
 * Serves GET /metrics where the operator chose: on the main port behind a bearer token
 * (`METRICS_TOKEN`), and/or on a port of its own (`METRICS_PORT`, bound to `METRICS_HOST`).
 * With neither, /metrics does not exist on the main port (404). Returns the separate server,
 * if any, for closing.
 */
export async function exposeMetrics(app: FastifyInstance, metrics: ServiceMetrics, options: { token: string | null; port: number | null; host: string }): Promise<Server | null> {
  if (options.token) {
    const token = options.token;
    // Public to the gate: it checks the metrics token itself.
    app.get('/metrics', { config: { public: true }, schema: { hide: true } }, async (request, reply) => {
      if (!bearerMatches(request.headers.authorization, token)) {
        reply.header('www-authenticate', 'Bearer realm="metrics"');
        return sendError(reply, 'missing_key', 'GET /metrics needs the metrics token: Authorization: Bearer <METRICS_TOKEN>');
      }
      return reply.type(metrics.registry.contentType).send(await metrics.registry.metrics());
    });
  }
  if (options.port === null) return null;
  const server = createServer((request, response) => {
    const path = (request.url ?? '/').split('?')[0];
    if (request.method !== 'GET' || path !== '/metrics') {
      const body = JSON.stringify({ error: `no route ${request.method} ${path}; this port serves GET /metrics`, code: 'not_found' });
      response.writeHead(404, { 'content-type': 'application/json; charset=utf-8' }).end(body);
      return;
    }
    metrics.registry.metrics().then(
      (text) => response.writeHead(200, { 'content-type': metrics.registry.contentType }).end(text),
      (error: unknown) => {
        app.log.error({ err: error }, 'collecting metrics failed');
        response.writeHead(500, { 'content-type': 'application/json; charset=utf-8' }).end(JSON.stringify({ error: 'collecting metrics failed', code: 'internal_error' }));
      },
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port!, options.host, () => resolve());
  });
  return server;
}
