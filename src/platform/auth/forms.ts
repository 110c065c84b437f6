import type { FastifyReply } from 'fastify'
import { ValidationError } from '../http/errors.ts'

/** A form's errors as its page shows them: the summary's list (each linking to its field) and each field's message. */
export interface FormErrors {
  errors: Array<{ field: string; text: string; href: string }>
  fieldErrors: Record<string, { text: string }>
}

/** A ValidationError's fields, in the page's language, for GOV.UK's error summary and fields. */
export function formErrors(reply: FastifyReply, error: ValidationError): FormErrors {
  const t = reply.request.t
  const errors = error.fields.map((f) => ({ field: f.field, text: t(f.messageKey, f.values), href: `#${f.field}` }))
  return { errors, fieldErrors: Object.fromEntries(errors.map((e) => [e.field, { text: e.text }])) }
}

/**
 * Runs a form's command; when it throws ValidationError, the form is rendered again with 400,
 * an error summary and each field's message in the page's language, and the values kept: `view`
 * with `context`, or, for a form that lives on a page of its own kind (a question's actions),
 * whatever `view` renders with the errors.
 */
export async function handleForm(
  reply: FastifyReply,
  view: string | ((found: FormErrors) => Promise<FastifyReply>),
  context: Record<string, unknown>,
  command: () => Promise<FastifyReply | void>,
): Promise<FastifyReply | void> {
  try {
    return await command()
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error
    const found = formErrors(reply, error)
    reply.code(400)
    return typeof view === 'string' ? reply.render(view, { ...context, ...found }) : view(found)
  }
}
