import { readFileSync } from 'node:fs';
import { JWT } from 'google-auth-library';
import { retryAfterSeconds } from '../delivery/retry.js';
import type { PushHttp } from './http.js';
import { clip, networkOutcome, type DeviceAddress, type Outcome, type Outgoing } from './outcome.js';

export interface ServiceAccount {
  project_id: string;
  client_email: string;
  private_key: string;
}

/** The service account from FCM_SERVICE_ACCOUNT_FILE or _JSON, checked; null when neither is set. */
export function loadServiceAccount(config: { fcmServiceAccountFile: string | null; fcmServiceAccountJson: string | null }): ServiceAccount | null {
  const source = config.fcmServiceAccountFile ? 'FCM_SERVICE_ACCOUNT_FILE' : 'FCM_SERVICE_ACCOUNT_JSON';
  let text = config.fcmServiceAccountJson;
  if (config.fcmServiceAccountFile) {
    try {
      text = readFileSync(config.fcmServiceAccountFile, 'utf8');
    } catch (error) {
      throw new Error(`FCM_SERVICE_ACCOUNT_FILE cannot be read: ${(error as Error).message}`);
    }
  }
  if (!text) return null;
  let parsed: Record<string, unknown>;
  try {
    parsed = JSON.parse(text) as Record<string, unknown>;
  } catch {
    throw new Error(`${source} is not JSON: it must be the service account key file from the Firebase console`);
  }
  const missing = ['project_id', 'client_email', 'private_key'].filter((field) => typeof parsed[field] !== 'string' || parsed[field] === '');
  if (missing.length > 0) throw new Error(`${source} lacks ${missing.join(', ')}: it must be a service account key file`);
  return parsed as unknown as ServiceAccount;
}

const SCOPE = 'https://www.googleapis.com/auth/firebase.messaging';
/** Where google-auth-library sends the JWT-bearer grant; rewritten when FCM_TOKEN_URL differs. */
const LIBRARY_TOKEN_URL = 'https://oauth2.googleapis.com/token';

interface FcmError {
  error?: { code?: number; message?: string; status?: string; details?: Array<{ '@type'?: string; errorCode?: string; fieldViolations?: Array<{ field?: string }> }> };
}

/**
 * FCM HTTP v1: `messages:send` with a `webpush` block, authorised by an OAuth2 access token
 * from the service account (JWT-bearer grant, google-auth-library, which caches the token
 * until five minutes before it expires).
 */
export class FcmSender {
  readonly #auth: JWT;
  readonly #sendUrl: string;
  /** Where pushes go, as logs name it. */
  readonly host: string;

  constructor(
    account: ServiceAccount,
    endpoint: string,
    tokenUrl: string,
    private readonly http: PushHttp,
    private readonly now: () => number,
    private readonly timeoutMs = 10_000,
  ) {
    this.host = new URL(endpoint).host;
    this.#auth = new JWT({ email: account.client_email, key: account.private_key, scopes: [SCOPE] });
    if (tokenUrl !== LIBRARY_TOKEN_URL) {
      this.#auth.transporter.interceptors.request.add({
        resolved: async (options) => {
          if (String(options.url) === LIBRARY_TOKEN_URL) options.url = new URL(tokenUrl);
          return options;
        },
      });
    }
    this.#sendUrl = `${endpoint}/v1/projects/${encodeURIComponent(account.project_id)}/messages:send`;
  }

  async #accessToken(): Promise<string | Outcome> {
    try {
      const { token } = await this.#auth.getAccessToken();
      if (!token) return { kind: 'retry', error: 'the OAuth2 token endpoint gave no access token' };
      return token;
    } catch (error) {
      const status = (error as { response?: { status?: number } }).response?.status;
      const text = clip((error as Error).message);
      if (status === 400 || status === 401 || status === 403) return { kind: 'misconfigured', error: `the service account was refused by the token endpoint (${status}): ${text}` };
      return { kind: 'retry', error: `no access token from the token endpoint: ${text}` };
    }
  }

  async send(device: DeviceAddress, message: Outgoing): Promise<Outcome> {
    const token = await this.#accessToken();
    if (typeof token !== 'string') return token;
    const ttl = Math.max(0, Math.ceil((message.expiresAt - this.now()) / 1000));
    const body = JSON.stringify({
      message: {
        token: device.address,
        webpush: {
          headers: { TTL: String(ttl), Urgency: message.urgency, Topic: message.topic },
          notification: { title: message.title, body: message.body, tag: message.topic },
          data: { notificationId: message.notificationId, type: message.type, chatbotId: message.chatbotId, payload: message.payload },
          ...(message.url?.startsWith('https://') ? { fcm_options: { link: message.url } } : {}),
        },
      },
    });
    let answer: Awaited<ReturnType<PushHttp['post']>>;
    try {
      answer = await this.http.post(
        this.#sendUrl,
        { authorization: `Bearer ${token}`, 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body) },
        body,
        this.timeoutMs,
      );
    } catch (error) {
      return networkOutcome(error);
    }
    if (answer.status === 401) {
      // A revoked or rotated token: fetch a new one next time.
      this.#auth.credentials = {};
    }
    return fcmOutcome(answer.status, answer.body, retryAfterSeconds(answer.headers['retry-after'], this.now()));
  }
}

/** FCM v1 answers and error codes (google.firebase.fcm.v1.FcmError) as outcomes. */
export function fcmOutcome(status: number, text: string, retryAfter: number | null): Outcome {
  if (status >= 200 && status < 300) return { kind: 'sent' };
  let parsed: FcmError = {};
  try {
    parsed = JSON.parse(text) as FcmError;
  } catch {
    // Not FCM's JSON (a proxy's page): judged by the status alone.
  }
  const details = parsed.error?.details ?? [];
  const errorCode = details.find((detail) => detail.errorCode)?.errorCode ?? parsed.error?.status ?? String(status);
  const message = clip(parsed.error?.message ?? text);
  const said = `FCM answered ${status} ${errorCode}${message ? `: ${message}` : ''}`;
  const aboutToken =
    details.some((detail) => detail.fieldViolations?.some((violation) => violation.field === 'message.token')) || /registration token|message\.token/i.test(message);
  if (errorCode === 'UNREGISTERED' || errorCode === 'SENDER_ID_MISMATCH' || (errorCode === 'INVALID_ARGUMENT' && aboutToken)) {
    return { kind: 'gone', error: `${said}; the device was removed` };
  }
  if (status === 401 || status === 403 || errorCode === 'THIRD_PARTY_AUTH_ERROR') return { kind: 'misconfigured', error: said };
  if (status === 429 || status >= 500) return { kind: 'retry', error: said, ...(retryAfter !== null ? { retryAfterSeconds: retryAfter } : {}) };
  return { kind: 'failed', error: said };
}
