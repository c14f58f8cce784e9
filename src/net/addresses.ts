import { BlockList, isIP } from 'node:net';

// Addresses no tenant-supplied URL may reach unless HERALD_ALLOW_PRIVATE_TARGETS is on: loopback,
// private, link-local (cloud metadata at 169.254.169.254), unique-local, shared (CGNAT),
// multicast, documentation and reserved ranges. IPv6 forms that carry an IPv4 address
// (mapped ::ffff:a.b.c.d, NAT64 64:ff9b::a.b.c.d) are judged by that IPv4 address.

const V4: Array<[string, number, string]> = [
  ['0.0.0.0', 8, 'this-network'],
  ['10.0.0.0', 8, 'private'],
  ['100.64.0.0', 10, 'shared (carrier-grade NAT)'],
  ['127.0.0.0', 8, 'loopback'],
  ['169.254.0.0', 16, 'link-local'],
  ['172.16.0.0', 12, 'private'],
  ['192.0.0.0', 24, 'reserved'],
  ['192.0.2.0', 24, 'documentation'],
  ['192.88.99.0', 24, 'reserved'],
  ['192.168.0.0', 16, 'private'],
  ['198.18.0.0', 15, 'benchmarking'],
  ['198.51.100.0', 24, 'documentation'],
  ['203.0.113.0', 24, 'documentation'],
  ['224.0.0.0', 4, 'multicast'],
  ['240.0.0.0', 4, 'reserved'],
];

const V6: Array<[string, number, string]> = [
  ['::1', 128, 'loopback'],
  ['::', 96, 'reserved'], // unspecified and IPv4-compatible
  ['100::', 64, 'discard'],
  ['64:ff9b:1::', 48, 'private (local NAT64)'],
  ['2001::', 23, 'reserved'],
  ['2001:db8::', 32, 'documentation'],
  ['2002::', 16, '6to4'],
  ['fc00::', 7, 'unique-local'],
  ['fe80::', 10, 'link-local'],
  ['fec0::', 10, 'site-local'],
  ['ff00::', 8, 'multicast'],
];

const lists = [
  ...V4.map(([a, p, why]) => ({ a, p, why, type: 'ipv4' as const })),
  ...V6.map(([a, p, why]) => ({ a, p, why, type: 'ipv6' as const })),
].map((r) => {
  const list = new BlockList();
  list.addSubnet(r.a, r.p, r.type);
  return { ...r, list };
});

/** The eight 16-bit groups of an IPv6 address (an embedded dotted IPv4 tail included). */
function hextets(ip: string): number[] {
  let text = ip.toLowerCase().split('%')[0]!;
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted) {
    const [a, b, c, d] = dotted[1]!.split('.').map(Number) as [number, number, number, number];
    text = `${text.slice(0, -dotted[1]!.length)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head = '', tail] = text.split('::');
  const parse = (s: string) => (s ? s.split(':').map((h) => parseInt(h, 16)) : []);
  const left = parse(head);
  const right = tail === undefined ? [] : parse(tail);
  return [...left, ...new Array<number>(8 - left.length - right.length).fill(0), ...right];
}

const v4From = (hi: number, lo: number): string => `${hi >> 8}.${hi & 0xff}.${lo >> 8}.${lo & 0xff}`;

/** Why an address is not public (e.g. "loopback"), or undefined when it may be fetched. */
export function nonPublicReason(address: string): string | undefined {
  const family = isIP(address);
  if (family === 0) return 'not an IP address';
  if (family === 6) {
    const h = hextets(address);
    const zeros = (n: number) => h.slice(0, n).every((x) => x === 0);
    // ::ffff:a.b.c.d (mapped) and 64:ff9b::a.b.c.d (NAT64) reach an IPv4 address.
    if (zeros(5) && h[5] === 0xffff) return nonPublicReason(v4From(h[6]!, h[7]!));
    if (h[0] === 0x64 && h[1] === 0xff9b && h.slice(2, 6).every((x) => x === 0))
      return nonPublicReason(v4From(h[6]!, h[7]!));
  }
  const type = family === 4 ? 'ipv4' : 'ipv6';
  return lists.find((r) => r.type === type && r.list.check(address, type))?.why;
}
