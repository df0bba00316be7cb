import { lookup } from 'node:dns/promises';
import net, { type LookupFunction } from 'node:net';

/**
 * Addresses a webhook must not reach unless the deployment allows it: loopback, private,
 * link-local, carrier-grade NAT, unspecified, multicast and reserved ranges, in IPv4 and IPv6
 * (including IPv4-mapped IPv6), so an endpoint URL cannot be used to probe the server's network.
 */
const blocked = new net.BlockList();
for (const [prefix, bits] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
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
] as const)
  blocked.addSubnet(prefix, bits, 'ipv4');
for (const [prefix, bits] of [
  ['::', 128],
  ['::1', 128],
  ['64:ff9b::', 96],
  ['100::', 64],
  ['2001:db8::', 32],
  ['fc00::', 7],
  ['fe80::', 10],
  ['fec0::', 10],
  ['ff00::', 8],
] as const)
  blocked.addSubnet(prefix, bits, 'ipv6');

export function isPublicAddress(address: string): boolean {
  const family = net.isIP(address);
  if (family === 0) return false;
  if (family === 6) {
    // IPv4-mapped (::ffff:a.b.c.d, or ::ffff:7f00:1 as URLs normalise it) is judged as IPv4.
    const dotted = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
    if (dotted?.[1]) return isPublicAddress(dotted[1]);
    const hex = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/i.exec(address);
    if (hex?.[1] && hex[2]) {
      const [hi, lo] = [parseInt(hex[1], 16), parseInt(hex[2], 16)];
      return isPublicAddress(`${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`);
    }
    // Any other ::ffff: form is refused rather than guessed at.
    if (/^::ffff:/i.test(address)) return false;
  }
  return !blocked.check(address, family === 4 ? 'ipv4' : 'ipv6');
}

/** Thrown when a host resolves to an address the policy refuses. */
export class AddressRefused extends Error {
  override name = 'AddressRefused';
}

function hostOf(url: URL): string {
  return url.hostname.replace(/^\[|\]$/g, '');
}

/**
 * Resolves the URL's host and refuses it if any address is not public. Raises AddressRefused, or
 * the resolver's error for a name that does not resolve.
 */
export async function checkEndpointHost(url: URL): Promise<void> {
  const host = hostOf(url);
  const addresses = net.isIP(host)
    ? [host]
    : (await lookup(host, { all: true })).map((a) => a.address);
  const bad = addresses.find((a) => !isPublicAddress(a));
  if (bad) throw new AddressRefused(`${host} resolves to ${bad}, a private or local address`);
}

/**
 * A `lookup` for http.request that refuses private addresses at connect time, so a name that
 * resolved to a public address when the endpoint was registered cannot be rebound to an inside
 * one later. IP-literal hosts skip lookup: check them with `checkEndpointHost` before sending.
 */
export const publicOnlyLookup: LookupFunction = (hostname, options, callback) => {
  void lookup(hostname, { ...options, all: true })
    .then((addresses) => {
      const bad = addresses.find((a) => !isPublicAddress(a.address));
      if (bad) {
        callback(
          new AddressRefused(`${hostname} resolves to ${bad.address}, a private or local address`),
          '',
          4,
        );
        return;
      }
      if (options.all) callback(null, addresses);
      else callback(null, addresses[0]!.address, addresses[0]!.family);
    })
    .catch((error: NodeJS.ErrnoException) => callback(error, '', 4));
};
