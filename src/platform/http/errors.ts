/** A failing field and the message key (with values) that explains why, translated when shown. */
export interface FieldError {
  field: string
  messageKey: string
  values?: Record<string, unknown>
}

/** The base of the errors services throw; the error handler maps each to a status. */
export abstract class AppError extends Error {
  abstract readonly status: number
  /** A stable id, the last part of the problem type URI. */
  abstract readonly code: string
}

/** A record that does not exist (or is not public). */
export class NotFound extends AppError {
  readonly status = 404
  readonly code = 'not-found'
  constructor(
    readonly entity: string,
    readonly key: string,
  ) {
    super(`${entity} "${key}" not found`)
  }
}

/** Input that passed the schema but breaks a rule of the domain. */
export class ValidationError extends AppError {
  readonly status = 400
  readonly code = 'validation'
  constructor(readonly fields: FieldError[]) {
    super(`Invalid input: ${fields.map((f) => f.field).join(', ')}`)
  }
}

export class Forbidden extends AppError {
  readonly status = 403
  readonly code = 'forbidden'
  constructor(readonly action: string) {
    super(`Not allowed: ${action}`)
  }
}

/** No signed-in user (pages send the visitor to sign in; the API answers 401). */
export class Unauthorized extends AppError {
  readonly status = 401
  readonly code = 'unauthorized'
  constructor() {
    super('Sign-in required')
  }
}

/** Too many attempts in a short time (sign-in). */
export class TooManyRequests extends AppError {
  readonly status = 429
  readonly code = 'too-many-requests'
  constructor(readonly retryAfterSeconds: number) {
    super('Too many attempts')
  }
}

/** The server has as much of this work in hand as it takes: the asker tries again later (503). */
export class Busy extends AppError {
  readonly status = 503
  readonly code = 'busy'
  constructor(readonly retryAfterSeconds: number) {
    super('Too busy, try again later')
  }
}

/** The database does not answer (a restart, a lost network): the asker tries again shortly (503). */
export class Unavailable extends AppError {
  readonly status = 503
  readonly code = 'unavailable'
  constructor(readonly retryAfterSeconds: number) {
    super('The database does not answer')
  }
}

/** The disk that keeps files is full: nothing of the file was kept (507). */
export class InsufficientStorage extends AppError {
  readonly status = 507
  readonly code = 'insufficient-storage'
  constructor(readonly fields: FieldError[]) {
    super(`No room to keep ${fields.map((f) => f.field).join(', ')}`)
  }
}
