import { test } from 'node:test'
import assert from 'node:assert/strict'
import path from 'node:path'
import { ConfigError, loadConfig } from '../../src/platform/config.ts'

test('an empty environment gives the embedded defaults', () => {
  const config = loadConfig({})
  assert.equal(config.port, 3000)
  assert.equal(config.host, '0.0.0.0')
  assert.equal(config.dataDir, path.resolve('data'))
  assert.equal(config.databaseUrl, undefined)
  assert.equal(config.demo, true)
  assert.equal(config.filesDir, path.resolve('data-files'))
  assert.equal(config.uploadLimitBytes, 1024 * 1024 * 1024)
})

test('uploaded files go where ASHYQ_FILES_DIR says, up to ASHYQ_UPLOAD_LIMIT_MB', () => {
  const config = loadConfig({ ASHYQ_FILES_DIR: '/tmp/ashyq-uploads', ASHYQ_UPLOAD_LIMIT_MB: '5' })
  assert.equal(config.filesDir, '/tmp/ashyq-uploads')
  assert.equal(config.uploadLimitBytes, 5 * 1024 * 1024)
  assert.throws(() => loadConfig({ ASHYQ_UPLOAD_LIMIT_MB: 'lots' }), /ASHYQ_UPLOAD_LIMIT_MB/)
})

test('files go to the S3 bucket ASHYQ_FILES_URL names, at the address and region of the AWS variables', () => {
  assert.equal(loadConfig({}).filesS3, undefined)
  assert.deepEqual(loadConfig({ ASHYQ_FILES_URL: 's3://ashyq-files/site/', AWS_ENDPOINT_URL: 'http://127.0.0.1:9000', AWS_REGION: 'kz-1' }).filesS3,
    { bucket: 'ashyq-files', prefix: 'site/', endpoint: 'http://127.0.0.1:9000', region: 'kz-1' })
  assert.deepEqual(loadConfig({ ASHYQ_FILES_URL: 's3://ashyq-files', AWS_ENDPOINT_URL: 'http://x', AWS_ENDPOINT_URL_S3: 'https://s3.example.kz' }).filesS3,
    { bucket: 'ashyq-files', prefix: '', endpoint: 'https://s3.example.kz', region: 'us-east-1' })
  assert.equal(loadConfig({ ASHYQ_FILES_URL: 's3://ashyq-files' }).filesS3?.endpoint, undefined, "AWS's own")
  for (const wrong of ['ashyq-files', 's3://Ashyq', 's3://ab', 'file:///srv/files', 's3://under_score']) {
    assert.throws(() => loadConfig({ ASHYQ_FILES_URL: wrong }), (error: Error) => error instanceof ConfigError && /ASHYQ_FILES_URL/.test(error.message), wrong)
  }
  assert.throws(() => loadConfig({ ASHYQ_FILES_URL: 's3://ashyq-files', AWS_ENDPOINT_URL_S3: '127.0.0.1:9000' }), /AWS_ENDPOINT_URL_S3/)
})

test('a replica (ASHYQ_DATABASE_READ_URL) is of a PostgreSQL server; the primary is read for ASHYQ_READ_AFTER_WRITE_SECONDS after a write', () => {
  const config = loadConfig({ DATABASE_URL: 'postgres://app@db1/ashyq', ASHYQ_DATABASE_READ_URL: 'postgres://app@db2/ashyq', ASHYQ_READ_AFTER_WRITE_SECONDS: '10' })
  assert.equal(config.databaseReadUrl, 'postgres://app@db2/ashyq')
  assert.equal(config.readAfterWriteSeconds, 10)
  assert.equal(loadConfig({}).readAfterWriteSeconds, 30)
  assert.throws(() => loadConfig({ ASHYQ_DATABASE_READ_URL: 'postgres://app@db2/ashyq' }), /ASHYQ_DATABASE_READ_URL.*needs DATABASE_URL/)
  assert.throws(() => loadConfig({ DATABASE_URL: 'postgres://app@db1/ashyq', ASHYQ_DATABASE_READ_URL: 'mysql://db2' }), /ASHYQ_DATABASE_READ_URL/)
  assert.throws(() => loadConfig({ ASHYQ_READ_AFTER_WRITE_SECONDS: '0' }), /ASHYQ_READ_AFTER_WRITE_SECONDS/)
  assert.throws(() => loadConfig({ ASHYQ_SHUTDOWN_GRACE_SECONDS: '0' }), /ASHYQ_SHUTDOWN_GRACE_SECONDS/)
  assert.throws(() => loadConfig({ ASHYQ_METRICS_NETWORKS: 'everyone' }), /ASHYQ_METRICS_NETWORKS/)
})

test('the embedded database gets ASHYQ_PGLITE_BUFFERS_MB of shared buffers, 16 by default', () => {
  assert.equal(loadConfig({}).pgliteBuffersMb, 16)
  assert.equal(loadConfig({ ASHYQ_PGLITE_BUFFERS_MB: '128' }).pgliteBuffersMb, 128)
  assert.throws(() => loadConfig({ ASHYQ_PGLITE_BUFFERS_MB: '0' }), /ASHYQ_PGLITE_BUFFERS_MB/)
})

test('pages are kept in ASHYQ_PAGE_CACHE_MB of memory, 32 by default, none with 0', () => {
  assert.equal(loadConfig({}).pageCacheBytes, 32 * 1024 * 1024)
  assert.equal(loadConfig({ ASHYQ_PAGE_CACHE_MB: '0' }).pageCacheBytes, 0)
  assert.throws(() => loadConfig({ ASHYQ_PAGE_CACHE_MB: '-1' }), /ASHYQ_PAGE_CACHE_MB/)
})

test('PORT, HOST, ASHYQ_DATA_DIR and DATABASE_URL are read', () => {
  const config = loadConfig({ PORT: '8080', HOST: '127.0.0.1', ASHYQ_DATA_DIR: '/tmp/ashyq', DATABASE_URL: 'postgres://u@db:5432/ashyq' })
  assert.equal(config.port, 8080)
  assert.equal(config.host, '127.0.0.1')
  assert.equal(config.dataDir, '/tmp/ashyq')
  assert.equal(config.databaseUrl, 'postgres://u@db:5432/ashyq')
})

function assertConfigError(env: NodeJS.ProcessEnv, variable: string, reason: RegExp) {
  assert.throws(() => loadConfig(env), (error: unknown) => {
    assert.ok(error instanceof ConfigError)
    assert.equal(error.variable, variable)
    assert.match(error.message, new RegExp(variable))
    assert.match(error.reason, reason)
    return true
  })
}

test('a wrong PORT names the variable and the reason', () => {
  assertConfigError({ PORT: 'eighty' }, 'PORT', /whole number from 1 to 65535/)
  assertConfigError({ PORT: '70000' }, 'PORT', /65535/)
  assertConfigError({ PORT: '0' }, 'PORT', /1 to 65535/)
})

test('a DATABASE_URL that is not a postgres URL is refused', () => {
  assertConfigError({ DATABASE_URL: 'mysql://root@localhost/db' }, 'DATABASE_URL', /postgres:\/\//)
  assertConfigError({ DATABASE_URL: 'not a url' }, 'DATABASE_URL', /not a URL/)
})

test('ASHYQ_DEMO and LOG_LEVEL accept only known values', () => {
  assert.equal(loadConfig({ ASHYQ_DEMO: 'off' }).demo, false)
  assertConfigError({ ASHYQ_DEMO: 'maybe' }, 'ASHYQ_DEMO', /true or false/)
  assertConfigError({ LOG_LEVEL: 'loud' }, 'LOG_LEVEL', /one of/)
})

test('X-Forwarded-* is trusted only when ASHYQ_TRUST_PROXY says so', () => {
  assert.equal(loadConfig({}).trustProxy, false)
  assert.equal(loadConfig({ ASHYQ_TRUST_PROXY: 'true' }).trustProxy, true)
})

test('demo mode is off by default in production and refused there', () => {
  assert.equal(loadConfig({ NODE_ENV: 'production' }).demo, false)
  assertConfigError({ NODE_ENV: 'production', ASHYQ_DEMO: 'true' }, 'ASHYQ_DEMO', /NODE_ENV=production/)
})

test('SQL queries are on with a server and off with the embedded database unless ASHYQ_DATASTORE_SQL says; the reader\'s URL names its role', () => {
  assert.equal(loadConfig({}).datastoreSql, false)
  assert.equal(loadConfig({ DATABASE_URL: 'postgres://u@db/ashyq' }).datastoreSql, true)
  assert.equal(loadConfig({ ASHYQ_DATASTORE_SQL: 'on' }).datastoreSql, true)
  assert.equal(loadConfig({ DATABASE_URL: 'postgres://u@db/ashyq', ASHYQ_DATASTORE_SQL: 'off' }).datastoreSql, false)
  assert.deepEqual(loadConfig({ ASHYQ_DATASTORE_READER_URL: 'postgres://ashyq_datastore_reader:secret@db/ashyq' }).readerUrls,
    { ashyq_datastore_reader: 'postgres://ashyq_datastore_reader:secret@db/ashyq' })
  assert.throws(() => loadConfig({ ASHYQ_DATASTORE_READER_URL: 'postgres://db/ashyq' }), /ASHYQ_DATASTORE_READER_URL must name the reader role/)
})

test('ASHYQ_HARVEST_PRIVATE_NETWORKS lists the private networks harvests may reach', () => {
  assert.deepEqual(loadConfig({}).harvestPrivateNetworks, [])
  assert.deepEqual(loadConfig({ ASHYQ_HARVEST_PRIVATE_NETWORKS: '10.20.0.0/16, 192.0.2.7' }).harvestPrivateNetworks, ['10.20.0.0/16', '192.0.2.7'])
  assert.throws(() => loadConfig({ ASHYQ_HARVEST_PRIVATE_NETWORKS: 'intranet' }), /ASHYQ_HARVEST_PRIVATE_NETWORKS must be a comma-separated list/)
})

test('petitions\' numbers are the law\'s by default and configuration otherwise; a wrong one names its variable', () => {
  assert.deepEqual(loadConfig({}).petitions, {
    moderationWorkingDays: 20, publicAt: 50, collectingDays: 90, centralWorkingDays: 40, localWorkingDays: 20,
    governmentSignatures: 50_000, regionalAkimatPercent: 1, regionalMaslikhatPercent: 2, districtAkimatSignatures: 2_500, districtMaslikhatSignatures: 5_000, coAuthors: 0,
  })
  const changed = loadConfig({ ASHYQ_PETITION_GOVERNMENT_SIGNATURES: '100000', ASHYQ_PETITION_REGIONAL_AKIMAT_PERCENT: '0.5', ASHYQ_PETITION_PUBLIC_AT: '0', ASHYQ_PETITION_CO_AUTHORS: '5' }).petitions
  assert.deepEqual([changed.governmentSignatures, changed.regionalAkimatPercent, changed.publicAt, changed.coAuthors], [100_000, 0.5, 0, 5])
  assertConfigError({ ASHYQ_PETITION_CO_AUTHORS: '31' }, 'ASHYQ_PETITION_CO_AUTHORS', /from 0 to 30/)
  assertConfigError({ ASHYQ_PETITION_REGIONAL_MASLIKHAT_PERCENT: '0' }, 'ASHYQ_PETITION_REGIONAL_MASLIKHAT_PERCENT', /percentage above 0/)
  assertConfigError({ ASHYQ_PETITION_REGIONAL_MASLIKHAT_PERCENT: '2%' }, 'ASHYQ_PETITION_REGIONAL_MASLIKHAT_PERCENT', /percentage/)
  assertConfigError({ ASHYQ_PETITION_DISTRICT_AKIMAT_SIGNATURES: '0' }, 'ASHYQ_PETITION_DISTRICT_AKIMAT_SIGNATURES', /from 1/)
  assertConfigError({ ASHYQ_PETITION_COLLECTING_DAYS: '366' }, 'ASHYQ_PETITION_COLLECTING_DAYS', /1 to 365/)
})
