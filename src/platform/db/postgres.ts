import pg from 'pg'
import { from as copyFromStdin } from 'pg-copy-streams'
import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import type { Db, Queryable, SqlValue } from './types.ts'
import { copyParts, copyStatement } from './types.ts'

// bigint columns (counts, ids) come back as numbers: every id and count here fits in 2^53.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number(value))

const IDLE_MS = 60_000

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

/** Connects to a PostgreSQL server through a pool. */
export async function openPostgres(url: string, poolSize = 10): Promise<Db> {
  // Idle connections are kept a minute (pg's default is 10 s): a new one costs the server a process
  // and its first statements a cold catalog cache, which a site under steady load should not pay.
  const pool = new pg.Pool({ connectionString: url, max: poolSize, idleTimeoutMillis: IDLE_MS })
  // An idle connection the server closes (a restart, an administrator) is dropped from the pool and
  // replaced on the next query; unheard, its error would bring the whole process down.
  pool.on('error', (error) => {
    process.emitWarning(`PostgreSQL closed an idle connection: ${error.message}`)
  })
  // Fail at start, with the server's reason, rather than on the first request.
  await pool.query('select 1')
  // Read-only pools, one per set of settings, made on first use; their connections start read-only.
  const readers = new Map<string, pg.Pool>()
  const readerFor = (settings: Readonly<Record<string, string>>) => {
    const options = Object.entries({ ...settings, default_transaction_read_only: 'on' })
      .map(([name, value]) => `-c ${name}=${value.replaceAll(/[\s\\]/g, (c) => `\\${c}`)}`).join(' ')
    let reader = readers.get(options)
    if (!reader) {
      reader = new pg.Pool({ connectionString: url, max: poolSize, options, idleTimeoutMillis: IDLE_MS })
      reader.on('error', (error) => process.emitWarning(`PostgreSQL closed an idle connection: ${error.message}`))
      readers.set(options, reader)
    }
    return reader
  }
  return {
    kind: 'postgres',
    ...wrap(pool),
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
    async close() {
      await Promise.all([pool.end(), ...[...readers.values()].map((reader) => reader.end())])
    },
  }
}
