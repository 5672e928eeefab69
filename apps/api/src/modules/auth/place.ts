import net from 'node:net';

/**
 * Where a device signed in from, approximately: the start of its address ("203.0.*", "2001:db8:*"), enough for a
 * person to tell home from elsewhere without the service keeping where they are.
 */
export function approximatePlace(ip: string): string | null {
  const address = ip.startsWith('::ffff:') ? ip.slice('::ffff:'.length) : ip;
  if (net.isIPv4(address)) return `${address.split('.').slice(0, 2).join('.')}.*`;
  if (net.isIPv6(address)) return `${address.split(':').slice(0, 2).join(':')}:*`;
  return null;
}
