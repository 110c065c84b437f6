import type { SqlValue } from './types.ts'

/** Adds a value to a query's parameters and gives its placeholder ($1, $2, …). */
export type Bind = (value: SqlValue) => string

/** A query's parameters, and the function that adds one: for a query built from optional parts (filters). */
export function parameters(): { params: SqlValue[]; bind: Bind } {
  const params: SqlValue[] = []
  return {
    params,
    bind: (value) => {
      params.push(value)
      return `$${params.length}`
    },
  }
}

/** Text put inside a LIKE pattern taken as itself: its %, _ and \ escaped (the default escape character). */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`)
}
