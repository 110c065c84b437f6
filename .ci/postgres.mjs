// Creates or drops the fresh database CI runs the suite on, on the local PostgreSQL server.
// Usage: node .ci/postgres.mjs probe | create NAME | drop NAME  (exit 3 from probe: no server answers)
import pg from 'pg'

const server = process.env.CI_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres'
const [command, name] = process.argv.slice(2)
const client = new pg.Client({ connectionString: server, connectionTimeoutMillis: 3000 })
try {
  await client.connect()
} catch (error) {
  console.log(`No PostgreSQL server answers at ${server.replace(/\/\/[^@]*@/, '//')}: ${error.message}`)
  process.exit(3)
}
if (name && !/^[a-z0-9_]+$/.test(name)) throw new Error(`bad database name ${name}`)
if (command === 'create') await client.query(`create database ${name}`)
if (command === 'drop') await client.query(`drop database if exists ${name} with (force)`)
await client.end()
