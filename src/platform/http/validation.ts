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
