import { isIP } from 'node:net';

/** Why an address is not a public internet address, as reported on a refused request. */
export type RefusalReason =
  | 'unspecified'
  | 'loopback'
  | 'private'
  | 'link-local'
  | 'cgnat'
  | 'metadata'
  | 'unique-local'
  | 'multicast'
  | 'broadcast'
  | 'reserved';

interface Block {
  base: bigint;
  prefixLength: number;
  /** 32 for an IPv4 block, 128 for IPv6. */
  width: number;
  reason: RefusalReason;
}

function block(cidr: string, reason: RefusalReason): Block {
  const [address, prefixLength] = cidr.split('/');
  return { base: toBigInt(address), prefixLength: Number(prefixLength), width: isIP(address) === 4 ? 32 : 128, reason };
}

// Cloud metadata endpoints come first so they are named as such (most also sit in a wider block).
const IPV4_BLOCKS: Block[] = [
  block('169.254.169.254/32', 'metadata'), // AWS, GCP, Azure, DigitalOcean, …
  block('169.254.170.2/32', 'metadata'), // AWS ECS task metadata
  block('100.100.100.200/32', 'metadata'), // Alibaba Cloud
  block('192.0.0.192/32', 'metadata'), // Oracle Cloud
  block('0.0.0.0/8', 'unspecified'),
  block('10.0.0.0/8', 'private'),
  block('100.64.0.0/10', 'cgnat'),
  block('127.0.0.0/8', 'loopback'),
  block('169.254.0.0/16', 'link-local'),
  block('172.16.0.0/12', 'private'),
  block('192.168.0.0/16', 'private'),
  block('192.0.0.0/24', 'reserved'), // IETF protocol assignments
  block('192.0.2.0/24', 'reserved'), // documentation
  block('192.88.99.0/24', 'reserved'), // 6to4 relay anycast
  block('198.18.0.0/15', 'reserved'), // benchmarking
  block('198.51.100.0/24', 'reserved'), // documentation
  block('203.0.113.0/24', 'reserved'), // documentation
  block('224.0.0.0/4', 'multicast'),
  block('255.255.255.255/32', 'broadcast'),
  block('240.0.0.0/4', 'reserved'),
];

const IPV6_BLOCKS: Block[] = [
  block('fd00:ec2::254/128', 'metadata'), // AWS over IPv6
  block('::/128', 'unspecified'),
  block('::1/128', 'loopback'),
  block('64:ff9b:1::/48', 'reserved'), // local-use NAT64
  block('100::/64', 'reserved'), // discard-only
  block('2001:db8::/32', 'reserved'), // documentation
  block('fc00::/7', 'unique-local'),
  block('fe80::/10', 'link-local'),
  block('fec0::/10', 'private'), // deprecated site-local
  block('ff00::/8', 'multicast'),
];

/** IPv6 forms that carry an IPv4 address, which is what the connection really reaches. */
const EMBEDDED_IPV4: { prefix: Block; extract: (value: bigint) => bigint }[] = [
  { prefix: block('::ffff:0:0/96', 'reserved'), extract: (v) => v & 0xffffffffn }, // IPv4-mapped
  { prefix: block('::ffff:0:0:0/96', 'reserved'), extract: (v) => v & 0xffffffffn }, // IPv4-translated (SIIT)
  { prefix: block('64:ff9b::/96', 'reserved'), extract: (v) => v & 0xffffffffn }, // NAT64
  { prefix: block('2002::/16', 'reserved'), extract: (v) => (v >> 80n) & 0xffffffffn }, // 6to4
  { prefix: block('::/96', 'reserved'), extract: (v) => v & 0xffffffffn }, // IPv4-compatible (deprecated)
];

function inBlock(value: bigint, { base, prefixLength, width }: Block): boolean {
  const shift = BigInt(width - prefixLength);
  return value >> shift === base >> shift;
}

/**
 * Why outbound requests must not reach this IP address (IPv4 or IPv6 text), or undefined for a
 * public address. IPv6 forms that embed an IPv4 address (mapped, compatible, NAT64, 6to4) are
 * judged by that IPv4 address.
 */
export function refusalReason(address: string): RefusalReason | undefined {
  const value = toBigInt(address);
  if (isIP(stripZone(address)) === 4) return ipv4Reason(value);
  const direct = IPV6_BLOCKS.find((b) => inBlock(value, b));
  if (direct) return direct.reason;
  const embedded = EMBEDDED_IPV4.find((form) => inBlock(value, form.prefix));
  return embedded ? ipv4Reason(embedded.extract(value)) : undefined;
}

function ipv4Reason(value: bigint): RefusalReason | undefined {
  return IPV4_BLOCKS.find((b) => inBlock(value, b))?.reason;
}

function stripZone(address: string): string {
  const bare = address.startsWith('[') && address.endsWith(']') ? address.slice(1, -1) : address;
  const zone = bare.indexOf('%');
  return zone === -1 ? bare : bare.slice(0, zone);
}

/** An IPv4 address becomes its 32-bit value; an IPv6 address its 128-bit value. */
function toBigInt(text: string): bigint {
  const address = stripZone(text);
  const version = isIP(address);
  if (version === 4) return ipv4Value(address);
  if (version !== 6) throw new TypeError(`"${text}" is not an IP address`);
  let groups = address;
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(address);
  if (dotted) {
    const v4 = ipv4Value(dotted[1]);
    groups = `${address.slice(0, dotted.index)}${(v4 >> 16n).toString(16)}:${(v4 & 0xffffn).toString(16)}`;
  }
  const [head, tail] = groups.includes('::') ? groups.split('::') : [groups, undefined];
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const missing = tail === undefined ? 0 : 8 - left.length - right.length;
  const all = [...left, ...Array<string>(missing).fill('0'), ...right];
  return all.reduce((value, group) => (value << 16n) | BigInt(parseInt(group, 16)), 0n);
}

function ipv4Value(address: string): bigint {
  return address.split('.').reduce((value, octet) => (value << 8n) | BigInt(Number(octet)), 0n);
}
