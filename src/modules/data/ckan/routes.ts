import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { Type, type TSchema } from 'typebox'
import type { Db } from '../../../platform/db/index.ts'
import { FileTooLarge, type FileStore } from '../../../platform/files/index.ts'
import { actorOf } from '../../../platform/auth/index.ts'
import type { ModuleConfig } from '../../../platform/modules.ts'
import { SQL_LOGIN } from '../datastore/sql.ts'
import { AppError, Busy, Gate, Forbidden, NotFound, TooManyRequests, Unauthorized, ValidationError, siteOrigin, type FieldError } from '../../../platform/http/index.ts'
import { schemaErrorsToFields } from '../../../platform/http/validation.ts'
import { acceptUploads } from '../../../platform/files/uploads.ts'
import { defineAction, readActions, type ActionContext, type CkanAction } from './read-actions.ts'
import { writeActions } from './write-actions.ts'
import { groupActions } from './group-actions.ts'
import { SearchQueryError } from './solr-query.ts'
import { datastoreActions } from './datastore-actions.ts'

// The actions that take a file (multipart "upload"), as CKAN's do.
const UPLOAD_ACTIONS = new Set(['resource_create', 'resource_update', 'resource_patch'])

const HelpParams = Type.Object({ name: Type.String({ maxLength: 100 }) }, { additionalProperties: false })

// help_show: what an action does, as every answer's "help" link promises.
const helpShow: CkanAction = defineAction({
  name: 'help_show',
  summary: 'What an action does',
  params: HelpParams,
  async run(_ctx, params) {
    const action = CKAN_ACTIONS.find((a) => a.name === params.name)
    if (!action) throw new NotFound('action', params.name)
    return `${action.summary}.${action.write ? ' Needs an API token of an editor of the body.' : ''} Parameters: ${Object.keys((action.params as { properties?: object }).properties ?? {}).join(', ') || 'none'}.`
  },
})

/** Every action of the CKAN-compatible API. */
export const CKAN_ACTIONS: readonly CkanAction[] = [...readActions, helpShow, ...writeActions, ...groupActions, ...datastoreActions]

/** A request CKAN itself would refuse as malformed (400 "Bad request"). */
class CkanBadRequest extends AppError {
  readonly status = 400
  readonly code = 'bad-request'
}

// The catalog's own names of fields, and CKAN's names a client sent them by.
const CKAN_FIELD_NAMES: Record<string, string> = {
  licenceId: 'license_id', keywords: 'tags', themeCode: 'groups', extraThemeCodes: 'groups', description: 'notes',
  contactName: 'maintainer', contactEmail: 'maintainer_email', authorEmail: 'author_email', sourceUrl: 'url',
  temporalStart: 'temporal_start', temporalEnd: 'temporal_end', regionCode: 'region', agencySlug: 'owner_org',
  mediaTypeInner: 'mimetype_inner', lastModified: 'last_modified', sheet: 'datastore_sheet', checksum: 'hash',
}
// Texts in several languages: "title.kk" is title_translated's kk.
const TRANSLATED: Record<string, string> = { title: 'title_translated', description: 'notes_translated', name: 'name_translated', contactName: 'maintainer_translated' }

/** A field as CKAN names it: "license_id" for licenceId, "notes_translated.kk" for description.kk. */
export function ckanFieldName(field: string): string {
  const [head = field, ...rest] = field.split('.')
  // A keyword of any language is one of the tags.
  if (head === 'keywords') return 'tags'
  if (rest.length > 0 && TRANSLATED[head]) return [TRANSLATED[head], ...rest].join('.')
  return [CKAN_FIELD_NAMES[head] ?? head, ...rest].join('.')
}

function validationBody(request: FastifyRequest, fields: FieldError[]) {
  const errors: Record<string, string[]> = {}
  for (const f of fields) (errors[ckanFieldName(f.field)] ??= []).push(request.t(f.messageKey, f.values))
  return { __type: 'Validation Error', ...errors }
}

/** The error as CKAN 2.10 returns it: the status, and `error` with its __type and message or fields. */
function ckanError(request: FastifyRequest, error: FastifyError | Error): { status: number; error: Record<string, unknown> } {
  const fastifyError = error as FastifyError
  if (fastifyError.validation) {
    return { status: 409, error: validationBody(request, schemaErrorsToFields(fastifyError.validation, fastifyError.validationContext ?? 'request')) }
  }
  if (error instanceof ValidationError) return { status: 409, error: validationBody(request, error.fields) }
  if (error instanceof NotFound) return { status: 404, error: { __type: 'Not Found Error', message: request.t('data.ckan.notFound', { entity: error.entity, key: error.key }) } }
  if (error instanceof Forbidden || error instanceof Unauthorized) {
    return { status: 403, error: { __type: 'Authorization Error', message: request.t('data.ckan.accessDenied') } }
  }
  if (error instanceof FileTooLarge || fastifyError.code === 'FST_REQ_FILE_TOO_LARGE') {
    return { status: 413, error: validationBody(request, [{ field: 'upload', messageKey: 'data.errors.fileTooLarge' }]) }
  }
  if (error instanceof Busy || error instanceof TooManyRequests) {
    return { status: error.status, error: { __type: error instanceof Busy ? 'Service Unavailable' : 'Too Many Requests', message: request.t(error instanceof Busy ? 'platform.errors.busy.body' : 'platform.errors.tooManyRequests.body') } }
  }
  if (error instanceof SearchQueryError) {
    return { status: 400, error: { __type: 'Search Query Error', message: request.t('data.ckan.search.invalid', { reason: request.t(error.messageKey, error.values) }) } }
  }
  if (error instanceof CkanBadRequest) return { status: 400, error: { __type: 'Bad Request', message: error.message } }
  const status = fastifyError.statusCode && fastifyError.statusCode >= 400 && fastifyError.statusCode < 500 ? fastifyError.statusCode : 500
  if (status >= 500) request.log.error({ err: error }, 'CKAN action failed')
  return { status, error: { __type: status >= 500 ? 'Internal Server Error' : 'Bad Request', message: status >= 500 ? request.t('platform.errors.server.title') : error.message } }
}

/** The schema requests are checked against: unknown keys are let through unless the action refuses them. */
function paramsSchema(action: CkanAction): TSchema {
  return (action.unknownKeys ?? 'ignore') === 'refuse' ? action.params : { ...action.params, additionalProperties: true } as TSchema
}

/** The parameters the action names, without the keys CKAN would ignore. */
function knownKeys(action: CkanAction, given: unknown): unknown {
  const known = (action.params as { properties?: Record<string, unknown> }).properties ?? {}
  if (typeof given !== 'object' || given === null) return given
  return Object.fromEntries(Object.entries(given).filter(([key]) => Object.hasOwn(known, key)))
}

// CKAN reads a flag with asbool (ckan/common.py): these words, in any case, and numbers by their truth.
const TRUE_WORDS = new Set(['true', 'yes', 'on', 'y', 't', '1'])
const FALSE_WORDS = new Set(['false', 'no', 'off', 'n', 'f', '0'])

/** The names of an action's parameters that are flags. */
function flagsOf(action: CkanAction): string[] {
  const properties = (action.params as { properties?: Record<string, { type?: unknown }> }).properties ?? {}
  return Object.entries(properties).filter(([, schema]) => schema.type === 'boolean').map(([key]) => key)
}

/** The flags of a query string or JSON body as CKAN reads them: "True", "yes", "on", 1 are true; what asbool cannot read is left for the schema to refuse. */
function readFlags(flags: string[], given: unknown): void {
  if (typeof given !== 'object' || given === null) return
  const params = given as Record<string, unknown>
  for (const key of flags) {
    const value = params[key]
    if (typeof value === 'number') params[key] = value !== 0
    if (typeof value !== 'string') continue
    const word = value.trim().toLowerCase()
    if (TRUE_WORDS.has(word)) params[key] = true
    else if (FALSE_WORDS.has(word)) params[key] = false
  }
}

function helpUrl(request: FastifyRequest): string {
  const name = request.url.split('?')[0]!.split('/').pop()
  return `${siteOrigin(request)}/api/3/action/help_show?name=${name}`
}

/**
 * CKAN's Action API under /api/3/action/ (and /api/action/): the same requests and answers as CKAN
 * 2.10, by GET (query string) or POST (JSON or multipart), so CKAN clients and harvesters work.
 */
export async function ckanRoutes(app: FastifyInstance, db: Db, files: FileStore, config: ModuleConfig): Promise<void> {
  // The public's queries, whose cost the asker decides, each pass a gate of their own (per process):
  // SQL as many at once as the reader role's pool has connections. A client that opens sixteen
  // connections to datastore_search (as load tools and parallel downloaders do) waits its turn in a
  // line of its own rather than being refused.
  const gates: Partial<Record<string, Gate>> = {
    datastore_search_sql: new Gate({ running: SQL_LOGIN.connections, waiting: 8, perAddress: 2, perAddressWaiting: 0, retryAfterSeconds: 10 }),
    datastore_search: new Gate({ running: 8, waiting: 64, perAddress: 8, perAddressWaiting: 16, retryAfterSeconds: 5 }),
  }
  await app.register(async (scope) => {
    // Files come only with the actions that take one, signed with a token.
    await acceptUploads(scope, files, {
      field: 'upload',
      mayUpload: (request) => request.user !== null && UPLOAD_ACTIONS.has(String(request.routeOptions.url).split('/').pop() ?? ''),
    })

    scope.setErrorHandler((error: FastifyError, request, reply) => {
      const { status, error: body } = ckanError(request, error)
      if (error instanceof Busy || error instanceof TooManyRequests) reply.header('retry-after', String(error.retryAfterSeconds))
      return reply.code(status).type('application/json').send({ help: helpUrl(request), success: false, error: body })
    })

    // A write without a valid token is refused before its body (and any file in it) is read.
    const requireUser = async (request: FastifyRequest) => {
      if (!request.user) throw new Forbidden(request.url)
    }

    const run = async (action: CkanAction, request: FastifyRequest, reply: FastifyReply, given: unknown) => {
      if (action.write && !request.user) throw new Forbidden(action.name)
      const params = (action.unknownKeys ?? 'ignore') === 'ignore' ? knownKeys(action, given) : given
      const ctx: ActionContext = {
        db, files, user: request.user, actor: actorOf(request), lang: request.lang, baseUrl: siteOrigin(request), upload: request.upload,
        datastoreSql: config.datastoreSql, address: request.ip,
      }
      const gate = gates[action.name]
      const result = gate ? await gate.run(request.ip, () => action.run(ctx, params as never)) : await action.run(ctx, params as never)
      return reply.send({ help: helpUrl(request), success: true, result })
    }

    const tags = ['CKAN Action API']
    for (const prefix of ['/api/3/action/', '/api/action/']) {
      const hide = prefix !== '/api/3/action/'
      for (const action of CKAN_ACTIONS) {
        const security = action.write ? [{ bearerAuth: [] }] : undefined
        const params = paramsSchema(action)
        const flags = flagsOf(action)
        const preValidation = flags.length === 0 ? undefined : async (request: FastifyRequest) => {
          readFlags(flags, request.query)
          readFlags(flags, request.body)
        }
        if (!action.write) {
          scope.get(`${prefix}${action.name}`, { schema: { hide, tags, summary: action.summary, querystring: params }, preValidation },
            (request, reply) => run(action, request, reply, request.query))
        } else {
          scope.get(`${prefix}${action.name}`, { schema: { hide: true } }, async (request) => {
            throw new CkanBadRequest(request.t('data.ckan.usePost'))
          })
        }
        scope.post(`${prefix}${action.name}`, { schema: { hide, tags, summary: action.summary, body: params, security }, onRequest: action.write ? requireUser : undefined, preValidation },
          (request, reply) => run(action, request, reply, request.body ?? {}))
      }
      scope.route({
        method: ['GET', 'POST'],
        url: `${prefix}:action`,
        schema: { hide: true, params: Type.Object({ action: Type.String({ maxLength: 100 }) }) },
        handler: async (request) => {
          throw new CkanBadRequest(request.t('data.ckan.unknownAction', { action: (request.params as { action: string }).action }))
        },
      })
    }
  })
}
