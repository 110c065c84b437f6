import type { FastifyInstance } from 'fastify'
import { KEPT_AS_CODE } from '../html/page-versions.ts'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { negotiateLang } from '../i18n/index.ts'
import { registerPages } from '../html/pages.ts'
import { NotFound } from './errors.ts'

/**
 * The API reference as a page of the portal: every operation of the OpenAPI document generated from
 * the route schemas, grouped by tag (a page each), with its parameters, body fields and answers. Server-rendered,
 * so it reads without JavaScript, at any width and in the version for the visually impaired; the
 * machine-readable document stays at /api/openapi.json for tools (Swagger UI, Postman, code generators).
 */

interface Schema {
  type?: string | string[]
  format?: string
  enum?: unknown[]
  const?: unknown
  items?: Schema
  anyOf?: Schema[]
  oneOf?: Schema[]
  properties?: Record<string, Schema>
  required?: string[]
  description?: string
  maxLength?: number
  minimum?: number
  maximum?: number
  default?: unknown
  nullable?: boolean
}

interface Operation {
  summary?: string
  description?: string
  tags?: string[]
  security?: unknown[]
  parameters?: { name: string; in: string; required?: boolean; description?: string; schema?: Schema }[]
  requestBody?: { required?: boolean; content?: Record<string, { schema?: Schema }> }
  responses?: Record<string, { description?: string }>
}

export interface ReferenceField {
  name: string
  where?: string
  required: boolean
  type: string
  description: string
}

export interface ReferenceOperation {
  id: string
  method: string
  path: string
  summary: string
  description: string
  token: boolean
  parameters: ReferenceField[]
  body: ReferenceField[]
  bodyType: string
  responses: { code: string; description: string }[]
}

/** A schema in a few words: "integer, 1–100, default 20", "one of: a, b", "list of string". */
export function describeType(schema: Schema | undefined): string {
  if (!schema) return ''
  if (schema.anyOf ?? schema.oneOf) return (schema.anyOf ?? schema.oneOf)!.map(describeType).join(' | ')
  if (schema.enum) return `${schema.enum.map(String).join(' | ')}`
  if (schema.const !== undefined) return String(schema.const)
  const type = [schema.type ?? (schema.properties ? 'object' : 'any')].flat().join(' | ')
  const parts = [type === 'array' ? `array of ${describeType(schema.items)}` : type]
  if (schema.format) parts.push(schema.format)
  if (schema.minimum !== undefined || schema.maximum !== undefined) parts.push(`${schema.minimum ?? ''}…${schema.maximum ?? ''}`)
  if (schema.maxLength !== undefined) parts.push(`≤ ${schema.maxLength}`)
  if (schema.default !== undefined) parts.push(`= ${JSON.stringify(schema.default)}`)
  if (schema.nullable) parts.push('null')
  return parts.join(', ')
}

function fieldsOf(schema: Schema | undefined): ReferenceField[] {
  if (!schema?.properties) return []
  return Object.entries(schema.properties).map(([name, property]) => ({
    name, required: schema.required?.includes(name) ?? false, type: describeType(property), description: property.description ?? '',
  }))
}

/** The OpenAPI document's operations by tag, in the order the document lists them. */
export function referenceOf(document: { paths?: Record<string, Record<string, Operation>> }): { tag: string; id: string; operations: ReferenceOperation[] }[] {
  const tags = new Map<string, ReferenceOperation[]>()
  for (const [path, methods] of Object.entries(document.paths ?? {})) {
    for (const [method, op] of Object.entries(methods)) {
      const tag = op.tags?.[0] ?? 'Other'
      const body = Object.entries(op.requestBody?.content ?? {})[0]
      const operation: ReferenceOperation = {
        id: `${method}-${path}`.replace(/[^a-zA-Z0-9]+/g, '-').replace(/-+$/, ''),
        method: method.toUpperCase(),
        path,
        summary: op.summary ?? '',
        description: op.description ?? '',
        token: (op.security?.length ?? 0) > 0,
        parameters: (op.parameters ?? []).map((p) => ({
          name: p.name, where: p.in, required: p.required ?? false, type: describeType(p.schema), description: p.description ?? p.schema?.description ?? '',
        })),
        body: fieldsOf(body?.[1].schema),
        bodyType: body ? `${body[0]}${body[1].schema?.properties ? '' : `: ${describeType(body[1].schema)}`}` : '',
        responses: Object.entries(op.responses ?? {}).map(([code, r]) => ({ code, description: r.description === 'Default Response' ? '' : r.description ?? '' })),
      }
      tags.set(tag, [...(tags.get(tag) ?? []), operation])
    }
  }
  return [...tags].map(([tag, operations]) => ({ tag, id: tag.toLowerCase().replace(/[^a-z0-9]+/g, '-'), operations }))
}

/** /{lang}/api: the reference; /api/docs, an address people have bookmarked, leads there. */
export async function apiReferencePages(app: FastifyInstance): Promise<void> {
  let reference: ReturnType<typeof referenceOf> | undefined
  const redirect = async (request: import('fastify').FastifyRequest, reply: import('fastify').FastifyReply) =>
    reply.header('vary', 'Accept-Language').redirect(`/${negotiateLang(request.headers['accept-language'])}/api`, 301)
  app.get('/api/docs', { schema: { hide: true } }, redirect)
  app.get('/api/docs/*', { schema: { hide: true } }, redirect)
  const referenceNow = () => (reference ??= referenceOf(app.swagger() as Parameters<typeof referenceOf>[0]))
  await registerPages(app, async (pages) => {
    pages.get('/api', { schema: { hide: true }, config: { pageCache: KEPT_AS_CODE } }, async (request, reply) => {
      const { lang, t } = request
      return reply.render('api-reference.njk', {
        title: t('platform.apiReference.title'),
        tags: referenceNow(),
        breadcrumbs: [{ text: t('platform.home'), href: `/${lang}/` }],
      })
    })
    // Each part on a page of its own: the whole reference is thousands of elements, too many for a phone.
    pages.withTypeProvider<TypeBoxTypeProvider>().get('/api/:group', {
      schema: { hide: true, params: Type.Object({ group: Type.String({ pattern: '^[a-z0-9-]{1,80}$' }) }) },
      config: { pageCache: KEPT_AS_CODE },
    }, async (request, reply) => {
      const { lang, t } = request
      const group = referenceNow().find((g) => g.id === request.params.group)
      if (!group) throw new NotFound('api-group', request.params.group)
      return reply.render('api-group.njk', {
        title: `${group.tag}: ${t('platform.apiReference.title')}`,
        group,
        breadcrumbs: [{ text: t('platform.home'), href: `/${lang}/` }, { text: t('platform.apiReference.title'), href: `/${lang}/api` }],
      })
    })
  })
}
