// SSRF guard for subscriber-given URLs: https only (http on loopback where the local stack allows it), and
// no private, link-local, metadata or otherwise internal address, checked when subscribing and again on every
// connection (the delivery pins the address it checked, so DNS rebinding cannot swap it afterwards).
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { BlockList, isIP } from 'node:net';

export class ForbiddenEndpoint extends Error {
  override readonly name = 'ForbiddenEndpoint';
}

export interface EndpointPolicy {
  /** The local stack only: loopback addresses are allowed, over http or https. */
  allowLoopback: boolean;
}

const loopback = new BlockList();
loopback.addSubnet('127.0.0.0', 8, 'ipv4');
loopback.addAddress('::1', 'ipv6');

// Everything a public webhook receiver never is. 169.254.0.0/16 holds the EC2/ECS metadata endpoints
// (169.254.169.254, 169.254.170.2); fd00:ec2::254 (IMDS over IPv6) is inside fc00::/7.
const internal = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const) {
  internal.addSubnet(network, prefix, 'ipv4');
}
for (const [network, prefix] of [
  ['::', 128],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
  ['64:ff9b::', 96],
  ['2001:db8::', 32],
] as const) {
  internal.addSubnet(network, prefix, 'ipv6');
}

/** IPv4-mapped IPv6 (`::ffff:10.0.0.1`) is checked as the IPv4 address it is. */
function unmapped(address: string): { address: string; family: 'ipv4' | 'ipv6' } {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped?.[1]) return { address: mapped[1], family: 'ipv4' };
  return { address, family: isIP(address) === 6 ? 'ipv6' : 'ipv4' };
}

export function isLoopback(address: string): boolean {
  const { address: plain, family } = unmapped(address);
  return loopback.check(plain, family);
}

/** Why `address` may not be connected to, or undefined when it may. */
export function forbiddenAddress(address: string, policy: EndpointPolicy): string | undefined {
  const { address: plain, family } = unmapped(address);
  if (loopback.check(plain, family)) return policy.allowLoopback ? undefined : 'a loopback address';
  if (internal.check(plain, family)) return 'a private, link-local or reserved address';
  return undefined;
}

function hostOf(url: URL): string {
  return url.hostname.replace(/^\[|\]$/g, '');
}

/** Checks the URL's form; the addresses it resolves to are checked by `checkResolved` and on connect. */
export function checkEndpointUrl(raw: string, policy: EndpointPolicy): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ForbiddenEndpoint('endpoint must be an absolute https:// URL');
  }
  if (raw.length > 2048) throw new ForbiddenEndpoint('endpoint must be at most 2048 characters');
  if (url.username || url.password) throw new ForbiddenEndpoint('endpoint must not carry credentials');
  const host = hostOf(url);
  const loopbackHost = host === 'localhost' || (isIP(host) !== 0 && isLoopback(host));
  if (url.protocol === 'http:' && !(policy.allowLoopback && loopbackHost)) {
    throw new ForbiddenEndpoint(
      policy.allowLoopback ? 'endpoint must use https, or http on loopback' : 'endpoint must use https',
    );
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    throw new ForbiddenEndpoint('endpoint must use https');
  if (host === 'localhost' && !policy.allowLoopback)
    throw new ForbiddenEndpoint('endpoint must not be loopback');
  if (isIP(host) !== 0) {
    const why = forbiddenAddress(host, policy);
    if (why) throw new ForbiddenEndpoint(`endpoint must not be ${why}`);
  }
  return url;
}

type Lookup = typeof dnsLookup;

/** Every address the host resolves to must be allowed (a host with one internal address is refused). */
export async function checkResolved(
  url: URL,
  policy: EndpointPolicy,
  lookup: Lookup = dnsLookup,
): Promise<void> {
  const host = hostOf(url);
  if (isIP(host) !== 0) return;
  const addresses = await new Promise<LookupAddress[]>((resolve, reject) =>
    lookup(host, { all: true }, (error, found) => (error ? reject(error) : resolve(found))),
  ).catch(() => {
    throw new ForbiddenEndpoint('endpoint host does not resolve');
  });
  for (const { address } of addresses) {
    const why = forbiddenAddress(address, policy);
    if (why) throw new ForbiddenEndpoint(`endpoint resolves to ${why}`);
  }
}

/** A `lookup` for http.request that refuses forbidden addresses: the check and the connection use one answer. */
export function guardedLookup(policy: EndpointPolicy, lookup: Lookup = dnsLookup) {
  return (
    hostname: string,
    options: { all?: boolean },
    callback: (
      error: NodeJS.ErrnoException | null,
      address: string | LookupAddress[],
      family?: number,
    ) => void,
  ): void => {
    lookup(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) return callback(error, '');
      const bad = addresses.find(({ address }) => forbiddenAddress(address, policy) !== undefined);
      if (bad) return callback(new ForbiddenEndpoint(`${hostname} resolves to a forbidden address`), '');
      if (options.all) return callback(null, addresses);
      const first = addresses[0];
      if (!first) return callback(new ForbiddenEndpoint(`${hostname} has no address`), '');
      callback(null, first.address, first.family);
    });
  };
}
