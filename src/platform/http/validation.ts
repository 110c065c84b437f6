import { Type } from 'typebox'
import type { FastifySchemaValidationError } from 'fastify'
import type { FieldError } from './errors.ts'

// ajv's keywords that have a message of their own in the catalogs (platform.validation.*).
const KNOWN_KEYWORDS = new Set([
  'type', 'required', 'additionalProperties', 'minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum',
  'minLength', 'maxLength', 'pattern', 'enum', 'format', 'minItems', 'maxItems', 'const', 'anyOf',
])

function fieldOf(error: FastifySchemaValidationError, context: string): string {
  const params = error.params as Record<string, unknown>
  const base = error.instancePath.replace(/^\//, '').replaceAll('/', '.')
  const extra =
    error.keyword === 'required' ? params.missingProperty : error.keyword === 'additionalProperties' ? params.additionalProperty : undefined
  const name = [base, extra].filter((part) => typeof part === 'string' && part !== '').join('.')
  return name || context
}

function valuesOf(error: FastifySchemaValidationError): Record<string, unknown> {
  const params = error.params as Record<string, unknown>
  if (error.keyword === 'enum') return { allowed: (params.allowedValues as unknown[]).join(', ') }
  if (error.keyword === 'type') return { type: String(params.type) }
  if (error.keyword === 'format') return { format: String(params.format) }
  if (error.keyword === 'const') return { allowed: String(params.allowedValue) }
  if ('limit' in params) return { limit: Number(params.limit) }
  return {}
}

/** Turns the schema validator's errors into failing fields with translatable reasons, one per field. */
export function schemaErrorsToFields(errors: FastifySchemaValidationError[], context: string): FieldError[] {
  const byField = new Map<string, FieldError>()
  for (const error of errors) {
    const field = fieldOf(error, context)
    if (byField.has(field)) continue
    const keyword = KNOWN_KEYWORDS.has(error.keyword) ? error.keyword : 'invalid'
    byField.set(field, { field, messageKey: `platform.validation.${keyword}`, values: valuesOf(error) })
  }
  return [...byField.values()]
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/** Something@somewhere.tld: the shape of an address, which only a sent mail can prove. */
export function isEmail(text: string): boolean {
  return EMAIL.test(text)
}

/** A day that exists, written YYYY-MM-DD (2024-02-29 yes, 2023-02-29 no). */
export function isIsoDate(text: string): boolean {
  if (!ISO_DATE.test(text)) return false
  const day = new Date(`${text}T00:00:00Z`)
  return !Number.isNaN(day.getTime()) && day.toISOString().startsWith(text)
}

export function isUuid(text: string): boolean {
  return UUID.test(text)
}

/** A schema's value, or null. */
export const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) => Type.Union([schema, Type.Null()])

/** A text in Kazakh, Russian and English as the API gives it. */
export const MultilingualSchema = Type.Record(Type.String(), Type.String(), { description: 'in kk, ru and en (any may be missing)' })

/** A text in Kazakh, Russian and English as the API takes it: each language optional, none longer than maxLength. */
export const MultilingualInput = (maxLength = 20_000) => Type.Object({
  kk: Type.Optional(Type.String({ maxLength })), ru: Type.Optional(Type.String({ maxLength })), en: Type.Optional(Type.String({ maxLength })),
}, { additionalProperties: false, description: 'Text in Kazakh, Russian and English (each may be left out)' })

/** A record's number in a path or form: a whole number the database's bigint and JavaScript both hold. */
export const RecordId = Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER })

/**
 * A web address as a browser reads it (WHATWG URL), http or https with a host, written out in its
 * normal form (spaces, quotes, < and > percent-encoded); null for anything else, control characters
 * included (a browser drops a tab or newline inside an address, so it would go elsewhere than it reads).
 */
export function webUrl(value: unknown): string | null {
  if (typeof value !== 'string' || value.length > 2000 || /[\u0000-\u001f\u007f]/.test(value)) return null
  let url: URL
  try {
    url = new URL(value.trim())
  } catch {
    return null
  }
  return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '' ? url.href : null
}
