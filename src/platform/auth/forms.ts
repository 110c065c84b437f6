import type { FastifyReply } from 'fastify'
import { ValidationError } from '../http/errors.ts'

/**
 * Runs a form's command; when it throws ValidationError, the form is rendered again with 400,
 * an error summary and each field's message in the page's language, and the values kept.
 */
export async function handleForm(
  reply: FastifyReply,
  view: string,
  context: Record<string, unknown>,
  command: () => Promise<FastifyReply | void>,
): Promise<FastifyReply | void> {
  try {
    return await command()
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error
    const t = reply.request.t
    const errors = error.fields.map((f) => ({ field: f.field, text: t(f.messageKey, f.values), href: `#${f.field}` }))
    const fieldErrors = Object.fromEntries(errors.map((e) => [e.field, { text: e.text }]))
    return reply.code(400).render(view, { ...context, errors, fieldErrors })
  }
}
