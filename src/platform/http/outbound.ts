import { lookup, type LookupAddress, type LookupAllOptions } from 'node:dns'
import ipaddr from 'ipaddr.js'
import { Agent, fetch, type Response } from 'undici'
import { isFetchable, parseNetworks, type Network } from './networks.ts'

/** An address the site will not fetch from: not public, and not on the administrator's list. */
export class AddressRefused extends Error {
  constructor(
    readonly url: string,
    readonly address: string,
  ) {
    super(`${url} was not fetched: ${address} is not a public address (an administrator may allow a private network with ASHYQ_HARVEST_PRIVATE_NETWORKS)`)
    this.name = 'AddressRefused'
  }
}

const MAX_REDIRECTS = 5

/**
 * Fetches from other sites (a harvest source and the pages it leads to) only at public addresses:
 * every name is checked as it is resolved, at connection time (no second lookup to rebind), every
 * address written in a URL before it is tried, and every redirect is followed by hand and checked
 * the same way. `allowed` lists private networks an administrator opened (an internal catalog).
 */
export class OutboundFetch {
  private readonly allowed: Network[]
  private readonly agent: Agent

  constructor(allowedNetworks: readonly string[] = []) {
    this.allowed = parseNetworks(allowedNetworks)
    this.agent = new Agent({
      connect: {
        lookup: (hostname: string, options: LookupAllOptions | object, callback: (error: Error | null, address: string | LookupAddress[], family?: number) => void) => {
          lookup(hostname, { ...options, all: true }, (error, addresses) => {
            if (error) return callback(error, [])
            const refused = addresses.find((a) => !isFetchable(a.address, this.allowed))
            if (refused || addresses.length === 0) return callback(new AddressRefused(hostname, refused?.address ?? hostname), [])
            if ((options as { all?: boolean }).all) return callback(null, addresses)
            return callback(null, addresses[0]!.address, addresses[0]!.family)
          })
        },
      },
    })
  }

  /** GET of url, following at most MAX_REDIRECTS redirects, each checked; throws AddressRefused. */
  async get(url: string, init: { headers: Record<string, string>; signal: AbortSignal }): Promise<Response> {
    let target = url
    for (let hop = 0; hop <= MAX_REDIRECTS; hop += 1) {
      const parsed = new URL(target)
      if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new AddressRefused(target, parsed.protocol)
      // An address written in the URL is never looked up: it is checked here (URL has already
      // written 2130706433 or 0x7f.1 as 127.0.0.1).
      const host = parsed.hostname.replace(/^\[|\]$/g, '')
      if (ipaddr.isValid(host) && !isFetchable(host, this.allowed)) throw new AddressRefused(target, host)
      let response: Response
      try {
        response = await fetch(target, { ...init, redirect: 'manual', dispatcher: this.agent })
      } catch (error) {
        const cause = (error as { cause?: unknown }).cause
        throw cause instanceof AddressRefused ? new AddressRefused(target, cause.address) : error
      }
      const location = response.headers.get('location')
      if (response.status < 300 || response.status >= 400 || !location) return response
      await response.body?.cancel()
      target = new URL(location, target).toString()
    }
    throw new Error(`${url} redirects more than ${MAX_REDIRECTS} times`)
  }

  close(): Promise<void> {
    return this.agent.close()
  }
}
