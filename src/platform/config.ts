import path from 'node:path'
import { parseNetworks } from './http/networks.ts'
import { parseS3Url, type S3Location } from './files/s3-location.ts'

/**
 * The embedded database's shared buffers by default, in megabytes (PGlite's own default is 128). The
 * engine writes all of them as it starts, and a WebAssembly memory never shrinks: 32 MB held the idle
 * server 18 MB higher than 16, for no faster datastore (a 1M-row table: datastore_search 311 and 308
 * req/s, with the total 282 and 299; 2026-12-04, `BENCH_ONLY=pglite BENCH_ROUNDS=3 BENCH_SECONDS=5
 * npm run bench:datastore` with ASHYQ_PGLITE_BUFFERS_MB 32 and 16): pages past them come from the
 * system's file cache.
 */
export const PGLITE_BUFFERS_MB = 16

/** Everything the server reads from its environment, validated once at start. */
export interface Config {
  port: number
  host: string
  /** Folder of the embedded PGlite database, used when no DATABASE_URL is given. */
  dataDir: string
  /** A PostgreSQL server's URL; when set, the server is used instead of PGlite. */
  databaseUrl: string | undefined
  /**
   * A replica of that server (ASHYQ_DATABASE_READ_URL): anonymous readers' pages, searches and
   * datastore queries read from it; writes, signed-in readers, API clients and whoever wrote in the
   * last ASHYQ_READ_AFTER_WRITE_SECONDS (30 by default) read the primary.
   */
  databaseReadUrl: string | undefined
  readAfterWriteSeconds: number
  /** The embedded database's shared buffers, in megabytes (PGlite only). */
  pgliteBuffersMb: number
  /** Folder of uploaded files (resources of datasets), when they are kept on this machine. */
  filesDir: string
  /**
   * The S3-compatible bucket uploaded files are kept in instead (ASHYQ_FILES_URL=s3://bucket/prefix),
   * which every server of the site shares; the service's address and region from AWS_ENDPOINT_URL_S3
   * (or AWS_ENDPOINT_URL) and AWS_REGION, the credentials from the usual AWS variables.
   */
  filesS3: S3Location | undefined
  /** The largest upload accepted, in bytes. */
  uploadLimitBytes: number
  /** Memory for pages kept for anonymous readers, in bytes (0: none kept). */
  pageCacheBytes: number
  /** After SIGTERM, how long the server goes on answering while readiness says it is shutting down (ASHYQ_SHUTDOWN_DELAY_SECONDS, 0 by default). */
  shutdownDelaySeconds: number
  /** Then how long requests and jobs in flight have to finish before the process stops anyway (ASHYQ_SHUTDOWN_GRACE_SECONDS, 20 by default). */
  shutdownGraceSeconds: number
  /** Fill an empty database with the demo data at start. */
  demo: boolean
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent'
  /** Take the client's address and protocol from X-Forwarded-* (only behind a proxy that sets them). */
  trustProxy: boolean
  production: boolean
  /**
   * datastore_search_sql answers (the public's own SELECTs). On by default on a server; off on the
   * embedded database, where one heavy query would stop every request (PGlite runs on the server's
   * own thread and cannot cut a query off).
   */
  datastoreSql: boolean
  /** URLs that reader roles log in with, by role (ASHYQ_DATASTORE_READER_URL: its user is the role). */
  readerUrls: Record<string, string>
  /** Private networks (CIDR) harvest sources may be in; everything else a harvest fetches must be public. */
  harvestPrivateNetworks: string[]
  /** Who may read /metrics (ASHYQ_METRICS_NETWORKS, CIDR): this machine unless told. */
  metricsNetworks: string[]
  /** Where mail is sent (smtp:// or smtps://, with user and password if the server wants them); without it, mail waits in the outbox. */
  smtpUrl: string | undefined
  /** The sender of the site's mail: "Name <address>". */
  mailFrom: string
  /** The rules of public discussions of draft regulations. */
  legalActs: LegalActRules
  dialogue: DialogueRules
  petitions: PetitionRules
  /**
   * The body that publishes the openness index's results in the open data catalog, by its slug
   * (ASHYQ_OPENNESS_PUBLISHER): the Commission on access to information's working body, the Ministry
   * of Culture and Information by default. When no body of the register has it, the results are
   * published on the index's own pages only.
   */
  opennessPublisher: string
  /**
   * The site's address as its readers reach it (ASHYQ_PUBLIC_URL): every absolute link in mail,
   * feeds, sitemaps and RDF is built from it, never from a request's Host header.
   */
  publicUrl: string
  /**
   * Host names (with the port when not the scheme's) the site answers to in production: the public
   * address's and those of ASHYQ_HOSTS. A request for any other host is refused.
   */
  allowedHosts: string[]
}

/** How long drafts of regulations are discussed, and how soon their developers answer. */
export interface LegalActRules {
  /** The shortest discussion, in calendar days (ASHYQ_DISCUSSION_MIN_DAYS, 10 by default). */
  minimumDays: number
  /**
   * The shortest discussion of a draft that sets a public service's procedure, in working days
   * (ASHYQ_PUBLIC_SERVICE_DISCUSSION_MIN_WORKING_DAYS, 10: the Law "On public services").
   */
  publicServiceMinimumWorkingDays: number
  /** Working days after a discussion closes by which every proposal is answered (ASHYQ_ANSWERS_DUE_WORKING_DAYS, 10). */
  answersDueWorkingDays: number
}

export const DEFAULT_LEGAL_ACT_RULES: LegalActRules = { minimumDays: 10, publicServiceMinimumWorkingDays: 10, answersDueWorkingDays: 10 }

/** The deadlines of citizens' questions to heads of bodies (the Administrative Procedural Code). */
export interface DialogueRules {
  /** Working days to answer from the day a question is received (ASHYQ_QUESTION_DUE_WORKING_DAYS, 15: art. 76). */
  answerWorkingDays: number
  /** Working days for the body's editors to publish, reject or forward a question (ASHYQ_QUESTION_MODERATION_WORKING_DAYS, 2). */
  moderationWorkingDays: number
  /** Working days to forward a question to the competent body (ASHYQ_QUESTION_FORWARD_WORKING_DAYS, 3: art. 65). */
  forwardWorkingDays: number
  /** The longest a deadline may be extended to, in months from the day received (ASHYQ_QUESTION_EXTENSION_MONTHS, 2). */
  extensionMonths: number
  /** Working days before the deadline when the body is reminded (ASHYQ_QUESTION_REMINDER_WORKING_DAYS, 3). */
  reminderWorkingDays: number
}

export const DEFAULT_DIALOGUE_RULES: DialogueRules = { answerWorkingDays: 15, moderationWorkingDays: 2, forwardWorkingDays: 3, extensionMonths: 2, reminderWorkingDays: 3 }

/**
 * The numbers of citizens' online petitions (src/modules/dialogue/petitions/rules.ts reads them): the
 * Law "On public control" (2023) and the Administrative Procedural Code set them.
 */
export interface PetitionRules {
  /** Working days for moderators to publish or reject a submitted petition (ASHYQ_PETITION_MODERATION_WORKING_DAYS, 20). */
  moderationWorkingDays: number
  /** Signatures from which a published petition is listed publicly; before, it is reached by its link alone (ASHYQ_PETITION_PUBLIC_AT, 50). */
  publicAt: number
  /** Calendar days a petition collects signatures from its publication (ASHYQ_PETITION_COLLECTING_DAYS, 90: the portal's rule). */
  collectingDays: number
  /** Working days a supported petition is considered in: by a central body (ASHYQ_PETITION_CENTRAL_WORKING_DAYS, 40) and a local one (ASHYQ_PETITION_LOCAL_WORKING_DAYS, 20). */
  centralWorkingDays: number
  localWorkingDays: number
  /** Signatures a petition needs, by the level of the body it addresses: a number, or a percentage of the region's population. */
  governmentSignatures: number
  regionalAkimatPercent: number
  regionalMaslikhatPercent: number
  districtAkimatSignatures: number
  districtMaslikhatSignatures: number
  /**
   * Co-authors who must join a draft, by its invitation link, before it may be submitted
   * (ASHYQ_PETITION_CO_AUTHORS, 0: the Law "On public control" lets one citizen start a petition; a
   * rule asking for an initiative group is this number).
   */
  coAuthors: number
}

export const DEFAULT_PETITION_RULES: PetitionRules = {
  moderationWorkingDays: 20, publicAt: 50, collectingDays: 90, centralWorkingDays: 40, localWorkingDays: 20,
  governmentSignatures: 50_000, regionalAkimatPercent: 1, regionalMaslikhatPercent: 2, districtAkimatSignatures: 2_500, districtMaslikhatSignatures: 5_000, coAuthors: 0,
}

/** Thrown when an environment variable holds a value the server cannot run with. */
export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    readonly reason: string,
  ) {
    super(`Invalid configuration: ${variable} ${reason}`)
    this.name = 'ConfigError'
  }
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const





/** A whole number from the environment, within its bounds, or its fallback when unset. */
function readWholeNumber(env: NodeJS.ProcessEnv, name: string, bounds: { fallback: number; min: number; max?: number; what: string }): number {
  const raw = env[name]?.trim()
  if (!raw) return bounds.fallback
  const value = Number(raw)
  if (!/^\d+$/.test(raw) || value < bounds.min || (bounds.max !== undefined && value > bounds.max)) throw new ConfigError(name, `must be ${bounds.what}, got "${raw}"`)
  return value
}

const MB = 1024 * 1024
const readPort = (env: NodeJS.ProcessEnv) => readWholeNumber(env, 'PORT', { fallback: 3000, min: 1, max: 65535, what: 'a whole number from 1 to 65535' })
const readPageCache = (env: NodeJS.ProcessEnv) => readWholeNumber(env, 'ASHYQ_PAGE_CACHE_MB', { fallback: 32, min: 0, what: 'a whole number of megabytes (0 keeps no pages)' }) * MB
const readPgliteBuffers = (env: NodeJS.ProcessEnv) => readWholeNumber(env, 'ASHYQ_PGLITE_BUFFERS_MB', { fallback: PGLITE_BUFFERS_MB, min: 1, what: 'a whole number of megabytes' })
const readUploadLimit = (env: NodeJS.ProcessEnv) => readWholeNumber(env, 'ASHYQ_UPLOAD_LIMIT_MB', { fallback: 1024, min: 1, what: 'a whole number of megabytes' }) * MB
const readDays = (env: NodeJS.ProcessEnv, name: string, fallback: number) => readWholeNumber(env, name, { fallback, min: 1, max: 365, what: 'a whole number of days from 1 to 365' })

function readPetitionRules(env: NodeJS.ProcessEnv): PetitionRules {
  const d = DEFAULT_PETITION_RULES
  const count = (name: string, fallback: number) => readWholeNumber(env, name, { fallback, min: 1, max: 10_000_000, what: 'a whole number of signatures from 1' })
  const percent = (name: string, fallback: number) => {
    const raw = env[name]?.trim()
    if (!raw) return fallback
    const value = Number(raw)
    if (!/^\d+(\.\d{1,3})?$/.test(raw) || value <= 0 || value > 100) throw new ConfigError(name, `must be a percentage above 0 and at most 100 (0.5, 2), got "${raw}"`)
    return value
  }
  return {
    moderationWorkingDays: readDays(env, 'ASHYQ_PETITION_MODERATION_WORKING_DAYS', d.moderationWorkingDays),
    publicAt: readWholeNumber(env, 'ASHYQ_PETITION_PUBLIC_AT', { fallback: d.publicAt, min: 0, max: 1_000_000, what: 'a whole number of signatures from 0' }),
    collectingDays: readDays(env, 'ASHYQ_PETITION_COLLECTING_DAYS', d.collectingDays),
    centralWorkingDays: readDays(env, 'ASHYQ_PETITION_CENTRAL_WORKING_DAYS', d.centralWorkingDays),
    localWorkingDays: readDays(env, 'ASHYQ_PETITION_LOCAL_WORKING_DAYS', d.localWorkingDays),
    governmentSignatures: count('ASHYQ_PETITION_GOVERNMENT_SIGNATURES', d.governmentSignatures),
    regionalAkimatPercent: percent('ASHYQ_PETITION_REGIONAL_AKIMAT_PERCENT', d.regionalAkimatPercent),
    regionalMaslikhatPercent: percent('ASHYQ_PETITION_REGIONAL_MASLIKHAT_PERCENT', d.regionalMaslikhatPercent),
    districtAkimatSignatures: count('ASHYQ_PETITION_DISTRICT_AKIMAT_SIGNATURES', d.districtAkimatSignatures),
    districtMaslikhatSignatures: count('ASHYQ_PETITION_DISTRICT_MASLIKHAT_SIGNATURES', d.districtMaslikhatSignatures),
    coAuthors: readWholeNumber(env, 'ASHYQ_PETITION_CO_AUTHORS', { fallback: d.coAuthors, min: 0, max: 30, what: 'a whole number of co-authors from 0 to 30' }),
  }
}

function readPostgresUrl(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const raw = env[name]?.trim()
  if (!raw) return undefined
  let url: URL
  try {
    url = new URL(raw)
  } catch {
    throw new ConfigError(name, 'is not a URL (expected postgres://user@host:port/database)')
  }
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') {
    throw new ConfigError(name, `must start with postgres:// or postgresql://, got "${url.protocol}//"`)
  }
  return raw
}

function readNetworks(env: NodeJS.ProcessEnv, name: string): string[] {
  const list = (env[name] ?? '').split(',').map((entry) => entry.trim()).filter(Boolean)
  try {
    parseNetworks(list)
  } catch {
    throw new ConfigError(name, `must be a comma-separated list of addresses or networks (10.20.0.0/16, 192.0.2.7), got "${env[name]}"`)
  }
  return list
}

function readReaderUrls(env: NodeJS.ProcessEnv): Record<string, string> {
  const raw = readPostgresUrl(env, 'ASHYQ_DATASTORE_READER_URL')
  if (!raw) return {}
  const role = decodeURIComponent(new URL(raw).username)
  if (!role) throw new ConfigError('ASHYQ_DATASTORE_READER_URL', 'must name the reader role as its user (postgres://ashyq_datastore_reader:password@host/database)')
  return { [role]: raw }
}

function readPublicUrl(env: NodeJS.ProcessEnv): string {
  const raw = env.ASHYQ_PUBLIC_URL?.trim()
  if (!raw) return `http://localhost:${readPort(env)}`
  let url: URL
  try {
    url = new URL(raw)
  } catch {
    throw new ConfigError('ASHYQ_PUBLIC_URL', 'is not a URL (expected https://ashyq.example.kz)')
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new ConfigError('ASHYQ_PUBLIC_URL', `must start with http:// or https://, got "${url.protocol}//"`)
  return url.origin
}

function readAllowedHosts(env: NodeJS.ProcessEnv, publicUrl: string): string[] {
  const extra = (env.ASHYQ_HOSTS ?? '').split(',').map((entry) => entry.trim().toLowerCase()).filter(Boolean)
  for (const host of extra) {
    if (!/^[a-z0-9.-]+(:\d{1,5})?$|^\[[0-9a-f:.]+\](:\d{1,5})?$/.test(host)) {
      throw new ConfigError('ASHYQ_HOSTS', `must be a comma-separated list of host names with an optional port (gov.example.kz, 10.0.0.5:3000), got "${host}"`)
    }
  }
  return [...new Set([new URL(publicUrl).host, ...extra])]
}

function readFilesS3(env: NodeJS.ProcessEnv): S3Location | undefined {
  const raw = env.ASHYQ_FILES_URL?.trim()
  if (!raw) return undefined
  const parsed = parseS3Url(raw)
  if (!parsed) throw new ConfigError('ASHYQ_FILES_URL', `must be s3://bucket/prefix (a bucket name of 3 to 63 lowercase letters, digits, dots and hyphens), got "${raw}"`)
  const endpoint = env.AWS_ENDPOINT_URL_S3?.trim() || env.AWS_ENDPOINT_URL?.trim() || undefined
  if (endpoint && !/^https?:\/\/[^/]/.test(endpoint)) throw new ConfigError(env.AWS_ENDPOINT_URL_S3?.trim() ? 'AWS_ENDPOINT_URL_S3' : 'AWS_ENDPOINT_URL', `must be an http:// or https:// address, got "${endpoint}"`)
  return { ...parsed, endpoint, region: env.AWS_REGION?.trim() || env.AWS_DEFAULT_REGION?.trim() || 'us-east-1' }
}

function readSmtpUrl(env: NodeJS.ProcessEnv): string | undefined {
  const raw = env.ASHYQ_SMTP_URL?.trim()
  if (!raw) return undefined
  let url: URL
  try {
    url = new URL(raw)
  } catch {
    throw new ConfigError('ASHYQ_SMTP_URL', 'is not a URL (expected smtp://user:password@host:587 or smtps://host:465)')
  }
  if (url.protocol !== 'smtp:' && url.protocol !== 'smtps:') throw new ConfigError('ASHYQ_SMTP_URL', `must start with smtp:// or smtps://, got "${url.protocol}//"`)
  return raw
}

function readMailFrom(env: NodeJS.ProcessEnv): string {
  const raw = env.ASHYQ_MAIL_FROM?.trim()
  if (!raw) return 'Ашық <noreply@localhost>'
  if (!/^[^<>@]*<[^<>@\s]+@[^<>@\s]+>$|^[^<>@\s]+@[^<>@\s]+$/.test(raw)) throw new ConfigError('ASHYQ_MAIL_FROM', `must be an address or "Name <address>", got "${raw}"`)
  return raw
}

function readBoolean(env: NodeJS.ProcessEnv, name: string, fallback: boolean): boolean {
  const raw = env[name]?.trim().toLowerCase()
  if (!raw) return fallback
  if (['1', 'true', 'yes', 'on'].includes(raw)) return true
  if (['0', 'false', 'no', 'off'].includes(raw)) return false
  throw new ConfigError(name, `must be true or false, got "${env[name]}"`)
}

function readLogLevel(env: NodeJS.ProcessEnv): Config['logLevel'] {
  const raw = env.LOG_LEVEL?.trim().toLowerCase()
  if (!raw) return 'info'
  const level = LOG_LEVELS.find((l) => l === raw)
  if (!level) throw new ConfigError('LOG_LEVEL', `must be one of ${LOG_LEVELS.join(', ')}, got "${env.LOG_LEVEL}"`)
  return level
}

/** Reads and validates the configuration; throws ConfigError naming the variable at fault. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const host = env.HOST?.trim() || '0.0.0.0'
  const production = env.NODE_ENV === 'production'
  // Demo accounts have passwords printed on the console: never in production.
  const demo = readBoolean(env, 'ASHYQ_DEMO', !production)
  if (demo && production) throw new ConfigError('ASHYQ_DEMO', 'cannot be on when NODE_ENV=production: demo accounts have their passwords printed')
  const dataDir = path.resolve(env.ASHYQ_DATA_DIR?.trim() || 'data')
  const databaseUrl = readPostgresUrl(env, 'DATABASE_URL')
  const databaseReadUrl = readPostgresUrl(env, 'ASHYQ_DATABASE_READ_URL')
  if (databaseReadUrl && !databaseUrl) throw new ConfigError('ASHYQ_DATABASE_READ_URL', 'needs DATABASE_URL: a replica is of a PostgreSQL server, not of the embedded database')
  return {
    port: readPort(env),
    host,
    dataDir,
    databaseUrl,
    databaseReadUrl,
    readAfterWriteSeconds: readWholeNumber(env, 'ASHYQ_READ_AFTER_WRITE_SECONDS', { fallback: 30, min: 1, max: 3600, what: 'a whole number of seconds from 1 to 3600' }),
    pgliteBuffersMb: readPgliteBuffers(env),
    // Beside the database folder by default, not inside it: that folder belongs to PostgreSQL.
    filesDir: path.resolve(env.ASHYQ_FILES_DIR?.trim() || `${dataDir}-files`),
    filesS3: readFilesS3(env),
    uploadLimitBytes: readUploadLimit(env),
    pageCacheBytes: readPageCache(env),
    shutdownDelaySeconds: readWholeNumber(env, 'ASHYQ_SHUTDOWN_DELAY_SECONDS', { fallback: 0, min: 0, max: 300, what: 'a whole number of seconds from 0 to 300' }),
    shutdownGraceSeconds: readWholeNumber(env, 'ASHYQ_SHUTDOWN_GRACE_SECONDS', { fallback: 20, min: 1, max: 600, what: 'a whole number of seconds from 1 to 600' }),
    demo,
    logLevel: readLogLevel(env),
    trustProxy: readBoolean(env, 'ASHYQ_TRUST_PROXY', false),
    production,
    datastoreSql: readBoolean(env, 'ASHYQ_DATASTORE_SQL', databaseUrl !== undefined),
    readerUrls: readReaderUrls(env),
    harvestPrivateNetworks: readNetworks(env, 'ASHYQ_HARVEST_PRIVATE_NETWORKS'),
    metricsNetworks: env.ASHYQ_METRICS_NETWORKS?.trim() ? readNetworks(env, 'ASHYQ_METRICS_NETWORKS') : ['127.0.0.0/8', '::1/128'],
    smtpUrl: readSmtpUrl(env),
    mailFrom: readMailFrom(env),
    publicUrl: readPublicUrl(env),
    allowedHosts: readAllowedHosts(env, readPublicUrl(env)),
    legalActs: {
      minimumDays: readDays(env, 'ASHYQ_DISCUSSION_MIN_DAYS', DEFAULT_LEGAL_ACT_RULES.minimumDays),
      publicServiceMinimumWorkingDays: readDays(env, 'ASHYQ_PUBLIC_SERVICE_DISCUSSION_MIN_WORKING_DAYS', DEFAULT_LEGAL_ACT_RULES.publicServiceMinimumWorkingDays),
      answersDueWorkingDays: readDays(env, 'ASHYQ_ANSWERS_DUE_WORKING_DAYS', DEFAULT_LEGAL_ACT_RULES.answersDueWorkingDays),
    },
    dialogue: {
      answerWorkingDays: readDays(env, 'ASHYQ_QUESTION_DUE_WORKING_DAYS', DEFAULT_DIALOGUE_RULES.answerWorkingDays),
      moderationWorkingDays: readDays(env, 'ASHYQ_QUESTION_MODERATION_WORKING_DAYS', DEFAULT_DIALOGUE_RULES.moderationWorkingDays),
      forwardWorkingDays: readDays(env, 'ASHYQ_QUESTION_FORWARD_WORKING_DAYS', DEFAULT_DIALOGUE_RULES.forwardWorkingDays),
      extensionMonths: readWholeNumber(env, 'ASHYQ_QUESTION_EXTENSION_MONTHS', { fallback: DEFAULT_DIALOGUE_RULES.extensionMonths, min: 1, max: 12, what: 'a whole number of months from 1 to 12' }),
      reminderWorkingDays: readDays(env, 'ASHYQ_QUESTION_REMINDER_WORKING_DAYS', DEFAULT_DIALOGUE_RULES.reminderWorkingDays),
    },
    petitions: readPetitionRules(env),
    opennessPublisher: env.ASHYQ_OPENNESS_PUBLISHER?.trim() || 'ministry-of-culture-and-information',
  }
}
