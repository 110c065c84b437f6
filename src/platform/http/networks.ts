import ipaddr from 'ipaddr.js'

/** A network: its first address and the length of its prefix. */
export type Network = [ipaddr.IPv4 | ipaddr.IPv6, number]

/** Parses "10.1.0.0/16, 127.0.0.1" (a CIDR list; a lone address is itself); throws on a bad entry. */
export function parseNetworks(list: readonly string[]): Network[] {
  return list.map((entry) => (entry.includes('/') ? ipaddr.parseCIDR(entry) : [ipaddr.parse(entry), ipaddr.parse(entry).kind() === 'ipv4' ? 32 : 128]))
}

/** Whether an IP address is inside one of the networks (an IPv4 address written as IPv6, ::ffff:10.0.0.1, as itself). */
export function isInNetworks(address: string, networks: readonly Network[]): boolean {
  if (!ipaddr.isValid(address)) return false
  let ip = ipaddr.parse(address)
  if (ip.kind() === 'ipv6' && (ip as ipaddr.IPv6).isIPv4MappedAddress()) ip = (ip as ipaddr.IPv6).toIPv4Address()
  return networks.some(([network, bits]) => network.kind() === ip.kind() && ip.match(network, bits))
}

/** Whether an IP address may be fetched from: public unicast, or inside one of the allowed networks. */
export function isFetchable(address: string, allowed: readonly Network[]): boolean {
  if (!ipaddr.isValid(address)) return false
  if (isInNetworks(address, allowed)) return true
  return ipaddr.process(address).range() === 'unicast'
}

