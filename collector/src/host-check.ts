/**
 * Host header check against DNS rebinding: a web page whose name an attacker points at
 * 127.0.0.1 reaches a loopback collector with the attacker's name in Host. A collector bound
 * to loopback answers only Host values that name loopback (localhost, 127.0.0.0/8, [::1], any
 * port) plus the names of --allowed-hosts; a collector bound elsewhere checks only when
 * --allowed-hosts is given. An absolute-form request target names a host too, and is checked
 * the same way.
 */
import { isIP } from 'node:net';

export interface HostPolicy {
  /** Names (lower case, no port) answered besides loopback; '*' answers any. */
  allowed: string[];
  /** Whether the check applies (bound to loopback, or names were given). */
  enforced: boolean;
}

/** Whether an address to bind is a loopback one. */
export function isLoopbackAddress(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, '').toLowerCase();
  if (bare === 'localhost' || bare === '::1') return true;
  return isIP(bare) === 4 && bare.startsWith('127.');
}

/** The policy for a collector bound to `bindHost` with --allowed-hosts `names`. */
export function hostPolicy(bindHost: string, names: string[] | undefined): HostPolicy {
  const allowed = (names ?? []).map((n) => n.trim().toLowerCase()).filter(Boolean);
  return { allowed, enforced: !allowed.includes('*') && (isLoopbackAddress(bindHost) || allowed.length > 0) };
}

/** The host name of a Host header value or URL authority, without port or brackets. */
function hostName(authority: string): string {
  const text = authority.trim().toLowerCase();
  if (text.startsWith('[')) return text.slice(1, text.indexOf(']') >>> 0);
  const colon = text.indexOf(':');
  return colon < 0 ? text : text.slice(0, colon);
}

/** The authority of an absolute-form request target ('http://h:1/x' → 'h:1'), if it is one. */
function targetAuthority(rawUrl: string): string | undefined {
  const match = /^[a-z][a-z0-9+.-]*:\/\/([^/?#]*)/i.exec(rawUrl);
  return match ? match[1].replace(/^[^@]*@/, '') : undefined;
}

/** The host a request names that the policy refuses, or undefined when it may be answered. */
export function refusedHost(policy: HostPolicy, hostHeader: string | undefined, rawUrl: string): string | undefined {
  if (!policy.enforced) return undefined;
  for (const authority of [hostHeader, targetAuthority(rawUrl)]) {
    if (authority === undefined) continue;
    const name = hostName(authority);
    if (!isLoopbackAddress(name) && !policy.allowed.includes(name)) return authority;
  }
  return undefined;
}
