import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { BlockList, isIP } from 'node:net';

/**
 * Server-side request forgery guard for push endpoints. A Web Push endpoint is a URL a browser
 * (or anyone holding an agent key) hands us, and the service then POSTs to it; without this an
 * endpoint could aim those requests at the database, a cloud metadata service or anything else
 * on the operator's network. Endpoints must be https, and must not be, or resolve to, a loopback,
 * private, link-local or otherwise non-public address, unless the operator allows the host.
 */
const blocked = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const) {
  blocked.addSubnet(network, prefix, 'ipv4');
}
for (const [network, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
  ['64:ff9b::', 96],
  ['2001:db8::', 32],
] as const) {
  blocked.addSubnet(network, prefix, 'ipv6');
}

/** Whether an IP address is one push requests must never reach (IPv4-mapped IPv6 included). */
export function isNonPublicAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 4) return blocked.check(address, 'ipv4');
  if (family === 6) {
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
    if (mapped) return blocked.check(mapped[1]!, 'ipv4');
    return blocked.check(address, 'ipv6');
  }
  return false;
}

export interface EndpointPolicy {
  /** Accept http:// (tests). */
  allowHttp: boolean;
  /** Host names or IP literals accepted even on non-public addresses. */
  allowedHosts: readonly string[];
}

/** The host part of a URL without IPv6 brackets, lower case. */
function bareHost(url: URL): string {
  return url.hostname.toLowerCase().replace(/^\[|\]$/g, '');
}

export interface EndpointProblem {
  /** invalid: not an https URL at all; not_allowed: a place push requests must not go. */
  kind: 'invalid' | 'not_allowed';
  message: string;
}

const invalid = (message: string): EndpointProblem => ({ kind: 'invalid', message });
const notAllowed = (message: string): EndpointProblem => ({ kind: 'not_allowed', message });

/**
 * Why an endpoint URL is refused, or null when it is acceptable. Checks what can be known
 * without the network; names are checked again when the connection is made (guardedLookup).
 */
export function endpointProblem(raw: string, policy: EndpointPolicy, field = 'pushSubscription.endpoint'): EndpointProblem | null {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return invalid(`${field} must be an absolute URL`);
  }
  if (url.protocol !== 'https:' && !(policy.allowHttp && url.protocol === 'http:')) {
    return invalid(`${field} must be an https:// URL`);
  }
  if (url.username || url.password) return notAllowed(`${field} must not carry a user name or password`);
  const host = bareHost(url);
  if (policy.allowedHosts.includes(host)) return null;
  if (host === 'localhost' || host.endsWith('.localhost') || host.endsWith('.local') || host.endsWith('.internal')) {
    return notAllowed(`${field} must be on a public host, not "${host}"`);
  }
  if (isNonPublicAddress(host)) {
    return notAllowed(`${field} must be on a public address, not a loopback, private or link-local one (${host})`);
  }
  if (isIP(host) === 0 && !host.includes('.')) return notAllowed(`${field} must be on a public host, not "${host}"`);
  return null;
}

type LookupCallback = (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/**
 * A `lookup` for sockets that refuses names resolving to non-public addresses (DNS rebinding
 * gets past a check made at registration) unless the host is allowed.
 */
export function guardedLookup(allowedHosts: readonly string[]) {
  return (hostname: string, options: { all?: boolean }, callback: LookupCallback): void => {
    dnsLookup(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) return callback(error, []);
      const list = addresses as LookupAddress[];
      if (!allowedHosts.includes(hostname.toLowerCase())) {
        const bad = list.find((entry) => isNonPublicAddress(entry.address));
        if (bad) {
          const refused: NodeJS.ErrnoException = new Error(`${hostname} resolves to a non-public address (${bad.address}); refused`);
          refused.code = 'ENONPUBLIC';
          return callback(refused, []);
        }
      }
      if (options.all) return callback(null, list);
      const first = list[0];
      if (!first) return callback(Object.assign(new Error(`${hostname} has no address`), { code: 'ENOTFOUND' }), []);
      callback(null, first.address, first.family);
    });
  };
}
