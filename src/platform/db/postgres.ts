import pg from 'pg'
import { from as copyFromStdin } from 'pg-copy-streams'
import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import type { Db, Queryable, SqlValue } from './types.ts'
import { LoginRefused, copyParts, copyStatement, quoteIdentifier } from './types.ts'
import { isReplicaRead, replicaReadsAllowed } from './read-routing.ts'

// bigint columns (counts, ids) come back as numbers: every id and count here fits in 2^53.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number(value))

const RECONNECT_MS = 5_000
const IDLE_MS = 60_000
const CONNECT_MS = 5_000

// Every type read as the server wrote it.
const AS_TEXT = { getTypeParser: () => (value: string) => value } as unknown as pg.CustomTypesConfig

function wrap(target: pg.Pool | pg.PoolClient): Queryable {
  return {
    async query<T>(text: string, params: readonly SqlValue[] = []) {
      const result = await target.query(text, params as unknown[])
      return result.rows as T[]
    },
    async queryText(text: string, params: readonly SqlValue[] = []) {
      const result = await target.query<Array<string | null>>({ text, values: params as unknown[], rowMode: 'array', types: AS_TEXT })
      return result.rows
    },
    async describe(text: string, params: readonly SqlValue[] = []) {
      const result = await target.query({ text, values: params as unknown[], rowMode: 'array' })
      return result.fields.map((f) => ({ name: f.name, typeId: f.dataTypeID }))
    },
    async exec(text: string) {
      await target.query(text)
    },
  }
}

// pg's connection string takes settings as "-c name=value", spaces and backslashes escaped.
function connectionOptions(settings: Readonly<Record<string, string>>): string {
  return Object.entries(settings).map(([name, value]) => `-c ${name}=${value.replaceAll(/[\s\\]/g, (c) => `\\${c}`)}`).join(' ')
}

// SQLSTATEs of a login the server refuses: no such role or no LOGIN (28000), a wrong password
// (28P01), too many connections for the role (53300).
const LOGIN_REFUSED = new Set(['28000', '28P01', '53300'])

export interface PostgresOptions {
  /** The URL each reader role logs in with (a password of its own); by default the site's URL with the role as its user and no password. */
  readerUrls?: Readonly<Record<string, string>>
  /**
   * A replica's URL (ASHYQ_DATABASE_READ_URL): plain SELECTs outside transactions, the read-only
   * statements and the public's datastore queries go there while `withReplicaReads(true)` says
   * they may; everything else to the primary.
   */
  readUrl?: string
}

/** The URL a reader role logs in with: the site's own, with the role as its user. */
export function readerUrl(url: string, role: string, given: Readonly<Record<string, string>> = {}): string {
  if (given[role]) return given[role]
  const reader = new URL(url)
  reader.username = role
  reader.password = ''
  return reader.toString()
}

/** Connects to a PostgreSQL server through a pool. */
export async function openPostgres(url: string, poolSize = 10, options: PostgresOptions = {}): Promise<Db> {
  // Idle connections are kept a minute (pg's default is 10 s): a new one costs the server a process
  // and its first statements a cold catalog cache, which a site under steady load should not pay.
  // A server that does not answer at all fails a request within seconds (503), rather than holding it.
  const pool = new pg.Pool({ connectionString: url, max: poolSize, idleTimeoutMillis: IDLE_MS, connectionTimeoutMillis: CONNECT_MS })
  // An idle connection the server closes (a restart, an administrator) is dropped from the pool and
  // replaced on the next query; unheard, its error would bring the whole process down.
  pool.on('error', (error) => {
    process.emitWarning(`PostgreSQL closed an idle connection: ${error.message}`)
  })
  const replica = options.readUrl ? new pg.Pool({ connectionString: options.readUrl, max: poolSize, idleTimeoutMillis: IDLE_MS, connectionTimeoutMillis: CONNECT_MS }) : undefined
  replica?.on('error', (error) => process.emitWarning(`The PostgreSQL replica closed an idle connection: ${error.message}`))
  // Fail at start, with the server's reason, rather than on the first request.
  await pool.query('select 1')
  await replica?.query('select 1')
  const primaryQueries = wrap(pool)
  const replicaQueries = replica ? wrap(replica) : primaryQueries
  // The pool a statement goes to: the replica's for a read the work running now may take from it.
  const target = (text: string) => (replica && replicaReadsAllowed() && isReplicaRead(text) ? replicaQueries : primaryQueries)
  // Read-only pools, one per set of settings, made on first use; their connections start read-only.
  const readers = new Map<string, pg.Pool>()
  // The connections waiting for notifications (listen), each with the function that stops it.
  const listeners = new Set<() => Promise<void>>()
  // Half the site's connections at most: what the public asks of the datastore never takes them all.
  const readerConnections = Math.max(2, Math.floor(poolSize / 2))
  const readerFor = (settings: Readonly<Record<string, string>>, login?: { role: string; connections: number }) => {
    const connection = connectionOptions({ ...settings, default_transaction_read_only: 'on' })
    // Every statement here is a read: on the replica, when the work running now may read there
    // (a reader role given a URL of its own keeps it).
    const base = options.readUrl && replicaReadsAllowed() && !(login && options.readerUrls?.[login.role]) ? options.readUrl : url
    const key = `${base === url ? 'primary' : 'replica'} ${login?.role ?? ''} ${connection}`
    let reader = readers.get(key)
    if (!reader) {
      const connectionString = login ? readerUrl(base, login.role, options.readerUrls) : base
      reader = new pg.Pool({ connectionString, max: login?.connections ?? readerConnections, options: connection, idleTimeoutMillis: IDLE_MS })
      reader.on('error', (error) => process.emitWarning(`PostgreSQL closed an idle connection: ${error.message}`))
      readers.set(key, reader)
    }
    return reader
  }
  const db: Db = {
    kind: 'postgres',
    query: (text, params) => target(text).query(text, params),
    queryText: (text, params) => target(text).queryText(text, params),
    describe: (text, params) => target(text).describe(text, params),
    exec: (text) => primaryQueries.exec(text),
    poolUse: () => ({ total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount }),
    async transaction(fn) {
      const client = await pool.connect()
      try {
        await client.query('begin')
        const result = await fn(wrap(client))
        await client.query('commit')
        return result
      } catch (error) {
        await client.query('rollback').catch(() => undefined)
        throw error
      } finally {
        client.release()
      }
    },
    readOnly: (settings, fn) => fn(wrap(readerFor(settings))),
    async readAs(login, fn) {
      const reader = readerFor(login.settings, login)
      let client: pg.PoolClient
      try {
        client = await reader.connect()
      } catch (error) {
        const code = (error as { code?: unknown }).code
        if (typeof code === 'string' && LOGIN_REFUSED.has(code)) throw new LoginRefused(login.role, (error as Error).message)
        throw error
      }
      // One connection for all of fn's statements: the role's settings hold on it, and one asker
      // takes one of the pool's few connections, not several.
      try {
        const result = await fn(wrap(client))
        client.release()
        return result
      } catch (error) {
        // A statement's own error leaves the connection usable; anything else (a lost connection) drops it.
        client.release(typeof (error as { code?: unknown }).code === 'string' ? undefined : (error as Error))
        throw error
      }
    },
    async copyFrom(table, columns, csv, options) {
      const { copy, dateStyle } = copyStatement(table, columns, 'STDIN', options)
      const client = await pool.connect()
      try {
        // A piece of a load is not acknowledged to anyone: the load's last transaction, which makes
        // the table live, waits for its own commit and so for every piece's before it. Not waiting
        // for each piece's commit to reach the disk spares the load a flush per piece.
        await client.query(['begin', 'set local synchronous_commit = off', ...(dateStyle ? [dateStyle] : [])].join('; '))
        const stream = client.query(copyFromStdin(copy))
        await pipeline(Readable.from(copyParts(csv)), stream)
        await client.query('commit')
        return Number(stream.rowCount ?? 0)
      } catch (error) {
        await client.query('rollback').catch(() => undefined)
        throw error
      } finally {
        client.release()
      }
    },
    async listen(channel, onNotice) {
      let client: pg.Client | undefined
      let stopped = false
      let retry: NodeJS.Timeout | undefined
      // A connection of its own that waits for notifications; when the server drops it, another is
      // opened a few seconds later, and again until one opens (what was notified meanwhile is found
      // by the jobs' own rounds).
      const reconnect = () => {
        if (stopped || retry) return
        retry = setTimeout(() => {
          retry = undefined
          connect().catch(reconnect)
        }, RECONNECT_MS)
        retry.unref()
      }
      const connect = async (): Promise<void> => {
        const connection = new pg.Client({ connectionString: url })
        connection.on('notification', (message) => {
          if (message.channel === channel) onNotice()
        })
        connection.on('error', (error) => {
          process.emitWarning(`PostgreSQL closed the connection listening on ${channel}: ${error.message}`)
          reconnect()
        })
        await connection.connect()
        await connection.query(`listen ${quoteIdentifier(channel)}`)
        client = connection
      }
      await connect()
      const stop = async () => {
        stopped = true
        clearTimeout(retry)
        listeners.delete(stop)
        await client?.end().catch(() => undefined)
      }
      listeners.add(stop)
      return stop
    },
    async close() {
      await Promise.all([...listeners].map((stop) => stop()))
      await Promise.all([pool.end(), replica?.end(), ...[...readers.values()].map((reader) => reader.end())])
    },
    // Each connection is a server process of its own: a job's statements hold up no reader's.
    background: () => db,
  }
  return db
}
