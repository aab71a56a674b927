/**
 * Configuration from the environment, validated once at start. Every bad variable is reported
 * together so an operator fixes them in one go rather than one restart at a time.
 */

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

type Parser<T> = (raw: string, name: string) => T;

function integer(min: number, max: number): Parser<number> {
  return (raw, name) => {
    if (!/^\d+$/.test(raw.trim())) throw new Error(`${name} must be a whole number, got "${raw}"`);
    const value = Number(raw.trim());
    if (value < min || value > max) throw new Error(`${name} must be between ${min} and ${max}, got ${value}`);
    return value;
  };
}

const text: Parser<string> = (raw, name) => {
  if (raw.trim() === '') throw new Error(`${name} must not be empty`);
  return raw.trim();
};

const databaseUrl: Parser<string> = (raw, name) => {
  const value = text(raw, name);
  if (/^postgres(ql)?:\/\//i.test(value)) return value;
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) {
    throw new Error(`${name} must be a postgres:// (or postgresql://) URL or a SQLite file path (e.g. ./data/inbox-agents.db), got a "${value.split(':')[0]}" URL`);
  }
  return value;
};

const redisUrl: Parser<string | null> = (raw, name) => {
  const value = raw.trim();
  if (value === '') return null;
  if (!/^rediss?:\/\/[^\s]+$/i.test(value)) throw new Error(`${name} must be a redis:// (or rediss://) URL, or empty for a single instance`);
  return value;
};

const publicUrl: Parser<string | null> = (raw, name) => {
  const value = raw.trim().replace(/\/+$/, '');
  if (value === '') return null;
  if (!/^https?:\/\/[^/\s?#]+(\/[^\s?#]*)?$/.test(value))
    throw new Error(`${name} must be the service's address as browsers reach it, like https://inbox.example.com (no query), or empty`);
  return value;
};

const origins: Parser<string[]> = (raw, name) => {
  const list = raw
    .split(',')
    .map((origin) => origin.trim())
    .filter(Boolean);
  for (const origin of list) {
    if (origin !== '*' && !/^https?:\/\/[^/\s]+$/.test(origin)) {
      throw new Error(`${name} must list origins like https://inbox.example.com (scheme and host, no path), or *; got "${origin}"`);
    }
  }
  return list;
};

const flag: Parser<boolean> = (raw, name) => {
  const value = raw.trim().toLowerCase();
  if (['1', 'true', 'yes', 'on'].includes(value)) return true;
  if (['0', 'false', 'no', 'off'].includes(value)) return false;
  throw new Error(`${name} must be true or false, got "${raw}"`);
};

const optionalText: Parser<string | null> = (raw) => (raw.trim() === '' ? null : raw.trim());

const httpsUrl: Parser<string> = (raw, name) => {
  const value = raw.trim().replace(/\/+$/, '');
  if (!/^https?:\/\/[^\s/]+(\/[^\s]*)?$/.test(value)) throw new Error(`${name} must be an http(s):// URL, got "${raw}"`);
  return value;
};

const hostList: Parser<string[]> = (raw, name) => {
  const list = raw
    .split(',')
    .map((host) => host.trim().toLowerCase())
    .filter(Boolean);
  for (const host of list) {
    if (!/^[a-z0-9.:[\]-]+$/.test(host)) throw new Error(`${name} must list host names or IP addresses, got "${host}"`);
  }
  return list.map((host) => host.replace(/^\[|\]$/g, ''));
};

const vapidSubject: Parser<string | null> = (raw, name) => {
  const value = raw.trim();
  if (value === '') return null;
  if (!/^(mailto:[^\s@]+@[^\s@]+|https:\/\/[^\s]+)$/.test(value)) throw new Error(`${name} must be a mailto: address or an https:// URL, got "${raw}"`);
  return value;
};

const onOff: Parser<boolean> = (raw, name) => {
  const value = raw.trim().toLowerCase();
  if (value === 'on') return true;
  if (value === 'off') return false;
  throw new Error(`${name} must be on or off, got "${raw}"`);
};

const optionalPort: Parser<number | null> = (raw, name) => (raw.trim() === '' ? null : integer(0, 65535)(raw, name));

const metricsToken: Parser<string | null> = (raw, name) => {
  const value = raw.trim();
  if (value === '') return null;
  if (value.length < 16 || !/^[\x21-\x7E]+$/.test(value)) throw new Error(`${name} must be at least 16 visible characters (a random string), or empty`);
  return value;
};

/** Fastify's trustProxy: false, true, a hop count, or addresses/CIDRs of the proxies. */
const trustProxy: Parser<boolean | number | string[]> = (raw, name) => {
  const value = raw.trim().toLowerCase();
  if (['', '0', 'false', 'no', 'off'].includes(value)) return false;
  if (['true', 'yes', 'on'].includes(value)) return true;
  if (/^\d{1,2}$/.test(value)) return Number(value);
  const list = value
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);
  for (const item of list)
    if (!/^[0-9a-f.:]+(\/\d{1,3})?$/.test(item)) throw new Error(`${name} must be true, false, a hop count, or proxy addresses (CIDR allowed); got "${item}"`);
  return list;
};

/** A rate-limit budget: `max` requests per `seconds`, counted in fixed windows. */
export interface RateBudget {
  max: number;
  seconds: number;
}

/** A budget such as `3000/10s`, or `off`. */
const budget: Parser<RateBudget | null> = (raw, name) => {
  const value = raw.trim().toLowerCase();
  if (value === 'off') return null;
  const match = /^(\d{1,9})\s*\/\s*(\d{1,6})\s*s$/.exec(value);
  if (!match || Number(match[1]) < 1 || Number(match[2]) < 1) {
    throw new Error(`${name} must be a budget such as 3000/10s (requests per seconds), or off; got "${raw}"`);
  }
  return { max: Number(match[1]), seconds: Number(match[2]) };
};

const logLevel: Parser<LogLevel> = (raw, name) => {
  const value = raw.trim().toLowerCase();
  if (!(LOG_LEVELS as readonly string[]).includes(value)) {
    throw new Error(`${name} must be one of ${LOG_LEVELS.join(', ')}, got "${raw}"`);
  }
  return value as LogLevel;
};

/** The one description of the environment: variable, default, parser, and what it means. */
const variables = {
  port: { env: 'PORT', default: '3000', parse: integer(0, 65535), doc: 'TCP port to listen on (0 picks a free one)' },
  host: { env: 'HOST', default: '127.0.0.1', parse: text, doc: 'Address to bind' },
  databaseUrl: {
    env: 'DATABASE_URL',
    default: './data/inbox-agents.db',
    parse: databaseUrl,
    doc: 'postgres://… for PostgreSQL, or a SQLite file path (the file and its folder are created on first start)',
  },
  databaseMustExist: {
    env: 'DATABASE_MUST_EXIST',
    default: 'false',
    parse: flag,
    doc: 'Refuse to start when the SQLite file does not exist yet (instead of creating an empty one): a typo in DATABASE_URL then fails loudly',
  },
  databasePoolSize: {
    env: 'DATABASE_POOL_SIZE',
    default: '10',
    parse: integer(1, 1000),
    doc: 'PostgreSQL: the most connections one instance opens',
  },
  publicUrl: {
    env: 'PUBLIC_URL',
    default: '',
    parse: publicUrl,
    doc: "The service's address as browsers reach it (https://inbox.example.com), for the sign-in links it makes. Empty: the address the request came to (the CLI: http://localhost:PORT)",
  },
  redisUrl: {
    env: 'REDIS_URL',
    default: '',
    parse: redisUrl,
    doc: 'redis://… to run several instances on one PostgreSQL database: changes, events and liveness signals travel between them through Redis. Empty: one instance',
  },
  instanceLeaseSeconds: {
    env: 'INSTANCE_LEASE_SECONDS',
    default: '10',
    parse: integer(1, 3600),
    doc: 'An instance renews its lease 4 times per lease; when one dies without a goodbye, the others release its streams once its lease has lapsed',
  },
  presenceTtlSeconds: {
    env: 'PRESENCE_TTL_SECONDS',
    default: '150',
    parse: integer(0, 86_400),
    doc: 'An agent with no sign of life for this long is listed offline; 0 turns auto-offline off',
  },
  presenceGraceSeconds: {
    env: 'PRESENCE_GRACE_SECONDS',
    default: '20',
    parse: integer(0, 3600),
    doc: "After an agent's last stream closes, it stays listed this long (a page reload fits in it)",
  },
  presenceEventsKept: {
    env: 'PRESENCE_EVENTS_KEPT',
    default: '1000',
    parse: integer(1, 1_000_000),
    doc: 'Events kept per chatbot for stream resume; a client further behind gets a fresh snapshot',
  },
  historyDays: {
    env: 'HISTORY_DAYS',
    default: '400',
    parse: integer(1, 36_500),
    doc: 'Availability history (and so reports) is kept this many days after each interval ended',
  },
  maxClockAheadSeconds: {
    env: 'MAX_CLIENT_CLOCK_AHEAD_SECONDS',
    default: '300',
    parse: integer(0, 86_400),
    doc: 'A clientTimestamp further ahead of the server clock than this is refused',
  },
  corsOrigins: {
    env: 'CORS_ORIGINS',
    default: '',
    parse: origins,
    doc: 'Comma-separated origins allowed to call the API from a browser, or *; none by default',
  },
  vapidPublicKey: {
    env: 'VAPID_PUBLIC_KEY',
    default: '',
    parse: optionalText,
    doc: 'Web Push: the VAPID public key (base64url, 65 bytes). With VAPID_PRIVATE_KEY; when both are empty a pair is generated once and kept in the database',
  },
  vapidPrivateKey: { env: 'VAPID_PRIVATE_KEY', default: '', parse: optionalText, doc: 'Web Push: the VAPID private key (base64url, 32 bytes)' },
  vapidSubject: {
    env: 'VAPID_SUBJECT',
    default: '',
    parse: vapidSubject,
    doc: 'Web Push: a mailto: address or https:// URL push services can reach the operator at (some services refuse pushes without a real one)',
  },
  fcmServiceAccountFile: {
    env: 'FCM_SERVICE_ACCOUNT_FILE',
    default: '',
    parse: optionalText,
    doc: "FCM: path of the Firebase project's service account JSON; without it (or FCM_SERVICE_ACCOUNT_JSON) FCM devices are skipped",
  },
  fcmServiceAccountJson: { env: 'FCM_SERVICE_ACCOUNT_JSON', default: '', parse: optionalText, doc: 'FCM: the service account JSON itself, instead of a file' },
  fcmEndpoint: { env: 'FCM_ENDPOINT', default: 'https://fcm.googleapis.com', parse: httpsUrl, doc: 'FCM: base URL of the HTTP v1 API' },
  fcmTokenUrl: { env: 'FCM_TOKEN_URL', default: 'https://oauth2.googleapis.com/token', parse: httpsUrl, doc: 'FCM: the OAuth2 token endpoint' },
  pushAllowHttp: {
    env: 'PUSH_ALLOW_HTTP',
    default: 'false',
    parse: flag,
    doc: 'Accept http:// Web Push endpoints (tests only; browsers always give https)',
  },
  pushAllowedHosts: {
    env: 'PUSH_ALLOWED_HOSTS',
    default: '',
    parse: hostList,
    doc: 'Hosts allowed as push endpoints even though they are (or resolve to) loopback, private or link-local addresses; none by default',
  },
  pushWorker: {
    env: 'PUSH_WORKER',
    default: 'true',
    parse: flag,
    doc: 'Whether this instance sends pushes from the outbox; false makes an API-only instance',
  },
  pushConcurrency: { env: 'PUSH_CONCURRENCY', default: '64', parse: integer(1, 1000), doc: 'Pushes one instance has in flight at once' },
  trustProxy: {
    env: 'TRUST_PROXY',
    default: 'false',
    parse: trustProxy,
    doc: "Behind a load balancer: true, a hop count, or the proxies' addresses, so the client address (rate limits, logs) comes from X-Forwarded-For",
  },
  rateLimitReads: { env: 'RATE_LIMIT_READS', default: '6000/10s', parse: budget, doc: 'Per key: the agent list, streams opened and other reads' },
  rateLimitStatus: { env: 'RATE_LIMIT_STATUS', default: '3000/10s', parse: budget, doc: 'Per key: status updates' },
  rateLimitSettings: { env: 'RATE_LIMIT_SETTINGS', default: '300/10s', parse: budget, doc: 'Per key: notification settings and device changes' },
  rateLimitNotify: { env: 'RATE_LIMIT_NOTIFY', default: '1000/10s', parse: budget, doc: 'Per key: notifications sent' },
  rateLimitTestPush: { env: 'RATE_LIMIT_TEST_PUSH', default: '5/60s', parse: budget, doc: 'Per key: test notifications an agent sends to its own devices' },
  rateLimitAssignments: { env: 'RATE_LIMIT_ASSIGNMENTS', default: '3000/10s', parse: budget, doc: 'Per key: assignments made, released and moved' },
  rateLimitTickets: { env: 'RATE_LIMIT_TICKETS', default: '600/10s', parse: budget, doc: 'Per key: stream tickets made' },
  rateLimitAdmin: {
    env: 'RATE_LIMIT_ADMIN',
    default: '1000/10s',
    parse: budget,
    doc: 'Per key: administrative changes (chatbots, agents, members, keys); their reads count as reads',
  },
  rateLimitUnauthenticated: {
    env: 'RATE_LIMIT_UNAUTHENTICATED',
    default: '120/60s',
    parse: budget,
    doc: 'Per client address: requests with a missing, unknown or revoked key; past it, keys the service has not seen lately are refused without a database lookup',
  },
  metrics: {
    env: 'METRICS',
    default: 'on',
    parse: onOff,
    doc: 'on: collect request and service metrics (cheap; exposing them is METRICS_PORT or METRICS_TOKEN); off: collect none, to measure what they cost',
  },
  metricsPort: {
    env: 'METRICS_PORT',
    default: '',
    parse: optionalPort,
    doc: 'Serve GET /metrics (Prometheus) on this port of its own (0 picks a free one); empty: not on a port of its own',
  },
  metricsHost: { env: 'METRICS_HOST', default: '127.0.0.1', parse: text, doc: 'Address the metrics port binds to' },
  metricsToken: {
    env: 'METRICS_TOKEN',
    default: '',
    parse: metricsToken,
    doc: 'Serve GET /metrics on the main port to requests with Authorization: Bearer <token>; empty: /metrics is 404 there',
  },
  logLevel: { env: 'LOG_LEVEL', default: 'info', parse: logLevel, doc: 'Log level (fatal … trace, or silent)' },
} as const;

type Variables = typeof variables;
export type Config = { [K in keyof Variables]: ReturnType<Variables[K]['parse']> };

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}

/** Reads and validates the environment; throws a ConfigError listing every problem at once. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const problems: string[] = [];
  const config: Record<string, unknown> = {};
  for (const [key, spec] of Object.entries(variables)) {
    const raw = env[spec.env];
    try {
      config[key] = (spec.parse as Parser<unknown>)(raw === undefined || raw === '' ? spec.default : raw, spec.env);
    } catch (error) {
      problems.push((error as Error).message);
    }
  }
  if (config.redisUrl && typeof config.databaseUrl === 'string' && !/^postgres(ql)?:\/\//i.test(config.databaseUrl)) {
    problems.push('REDIS_URL is for several instances sharing one PostgreSQL database; set DATABASE_URL to a postgres:// URL or leave REDIS_URL empty');
  }
  if (Boolean(config.vapidPublicKey) !== Boolean(config.vapidPrivateKey)) {
    problems.push('VAPID_PUBLIC_KEY and VAPID_PRIVATE_KEY go together: set both, or neither to have a pair generated');
  }
  if (config.metrics === false && (config.metricsPort !== null || config.metricsToken !== null)) {
    problems.push('METRICS=off collects no metrics, so there is nothing to serve: unset METRICS_PORT and METRICS_TOKEN, or set METRICS=on');
  }
  if (config.fcmServiceAccountFile && config.fcmServiceAccountJson) {
    problems.push('set FCM_SERVICE_ACCOUNT_FILE or FCM_SERVICE_ACCOUNT_JSON, not both');
  }
  const [ttl, grace] = [config.presenceTtlSeconds, config.presenceGraceSeconds];
  if (typeof ttl === 'number' && typeof grace === 'number' && ttl > 0 && ttl < grace) {
    // A heartbeat would then end a device's life sooner than closing its stream does.
    problems.push(
      `PRESENCE_TTL_SECONDS (${ttl}) must be at least PRESENCE_GRACE_SECONDS (${grace}), or 0: a device silent for the TTL is dead, and one whose stream closed stays alive for the grace`,
    );
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return config as Config;
}
