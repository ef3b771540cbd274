import dns from 'node:dns';
import { isIP, type LookupFunction } from 'node:net';
import { refusalReason, type RefusalReason } from './address-policy.js';

/** Resolves a host name to every address it has (dns.lookup with `all: true` by default). */
export type Resolver = (hostname: string, options: { family?: number; hints?: number }) => Promise<dns.LookupAddress[]>;

export interface OutboundPolicy {
  /** OUTBOUND_ALLOW_PRIVATE: reach loopback, private, link-local… addresses too. */
  allowPrivate: boolean;
  /** Tests inject a resolver; production uses the system's (dns.lookup). */
  resolve?: Resolver;
}

const systemResolver: Resolver = (hostname, options) =>
  dns.promises.lookup(hostname, { all: true, family: options.family ?? 0, hints: options.hints });

/** An outbound request aimed at an address the policy refuses. */
export class RefusedAddressError extends Error {
  readonly code = 'ERR_OUTBOUND_REFUSED_ADDRESS';

  constructor(
    readonly hostname: string,
    readonly address: string,
    readonly reason: RefusalReason,
  ) {
    const target = hostname === address ? address : `${hostname} (${address})`;
    super(
      `${target} is not a public address (${reason}); outbound requests may not reach it (OUTBOUND_ALLOW_PRIVATE=true allows it)`,
    );
    this.name = 'RefusedAddressError';
  }
}

/** The URL's host without IPv6 brackets. WHATWG URL has already normalised IPv4 forms (`127.1`, `0x7f.0.0.1`). */
export function urlHost(url: URL): string {
  return url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
}

/**
 * Throws RefusedAddressError when the URL names a refused IP address literally. Sockets skip the
 * `lookup` step for literal addresses, so this check must run before connecting.
 */
export function assertLiteralHostAllowed(url: URL, policy: OutboundPolicy): void {
  const host = urlHost(url);
  if (policy.allowPrivate || isIP(host) === 0) return;
  const reason = refusalReason(host);
  if (reason) throw new RefusedAddressError(host, host, reason);
}

/**
 * A `lookup` for net/tls/http(s) requests (their `lookup` option): it resolves the host once,
 * refuses it if ANY of its addresses is refused, and hands the socket exactly the addresses it
 * checked. The connection therefore goes to a vetted address, and there is no second resolution
 * that a rebinding DNS server could answer differently.
 */
export function guardedLookup(policy: OutboundPolicy): LookupFunction {
  const resolve = policy.resolve ?? systemResolver;
  return (hostname, options, callback) => {
    vet(hostname, options, resolve, policy.allowPrivate).then(
      (addresses) => {
        if (options.all) callback(null, addresses);
        else callback(null, addresses[0].address, addresses[0].family);
      },
      (error: NodeJS.ErrnoException) => callback(error, options.all ? [] : ''),
    );
  };
}

async function vet(
  hostname: string,
  options: dns.LookupOptions,
  resolve: Resolver,
  allowPrivate: boolean,
): Promise<dns.LookupAddress[]> {
  const literal = isIP(hostname);
  const addresses = literal
    ? [{ address: hostname, family: literal }]
    : await resolve(hostname, {
        family: typeof options.family === 'number' ? options.family : 0,
        hints: options.hints,
      });
  if (addresses.length === 0) throw Object.assign(new Error(`${hostname} has no addresses`), { code: 'ENOTFOUND' });
  if (!allowPrivate) {
    for (const { address } of addresses) {
      const reason = refusalReason(address);
      if (reason) throw new RefusedAddressError(hostname, address, reason);
    }
  }
  return addresses;
}
