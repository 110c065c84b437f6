// What the benchmarks share: a load generator and a scratch database on the PostgreSQL server.
import { performance } from 'node:perf_hooks'
import pg from 'pg'

export const CONCURRENCY = 16

/** Requests pathFor(0), pathFor(1), … from base at CONCURRENCY for seconds; latencies and throughput. */
export async function loadTest(base: string, pathFor: (i: number) => string, seconds: number): Promise<{ p50: number; p95: number; rps: number; errors: number }> {
  const latencies: number[] = []
  let errors = 0
  let counter = 0
  const until = performance.now() + seconds * 1000
  // Each of the CONCURRENCY clients from an address of its own (the app trusts X-Forwarded-For
  // here), as many visitors are: limits per address would otherwise hold one client to its share.
  await Promise.all(Array.from({ length: CONCURRENCY }, async (_, client) => {
    const headers = { 'x-forwarded-for': `198.18.0.${client + 1}` }
    while (performance.now() < until) {
      const i = counter++
      const started = performance.now()
      const response = await fetch(`${base}${pathFor(i)}`, { headers })
      await response.arrayBuffer()
      if (!response.ok) errors += 1
      latencies.push(performance.now() - started)
    }
  }))
  latencies.sort((a, b) => a - b)
  const at = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * p))]!
  return { p50: at(0.5), p95: at(0.95), rps: latencies.length / seconds, errors }
}

/** A fresh database `name` on the server (DATABASE_URL, else the local one), or undefined when none answers. */
export async function scratchServerDatabase(name: string): Promise<string | undefined> {
  const url = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test'
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 })
  try {
    await client.connect()
    await client.query(`drop database if exists ${name} with (force)`)
    await client.query(`create database ${name}`)
    const scratch = new URL(url)
    scratch.pathname = `/${name}`
    return scratch.toString()
  } catch {
    return undefined
  } finally {
    await client.end().catch(() => undefined)
  }
}
