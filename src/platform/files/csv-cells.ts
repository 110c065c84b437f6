// What a spreadsheet program reads as the start of a formula in a CSV cell (OWASP, "CSV Injection").
const FORMULA_START = /^[=+\-@\t\r]/

/**
 * A text cell for a CSV that people open in a spreadsheet program: one that would start a formula
 * (=HYPERLINK(…), +cmd|…) gets a leading apostrophe, as OWASP advises, so it shows as the text it is.
 * Only for text columns: numbers (-5) are written as they are.
 */
export function safeCsvText(value: string): string {
  return FORMULA_START.test(value) ? `'${value}` : value
}

/** A row's values as CSV cells: null as empty, the text columns' values through safeCsvText. */
export function csvCells(values: readonly unknown[], isText: readonly boolean[]): string[] {
  return values.map((value, i) => (value === null ? '' : isText[i] ? safeCsvText(String(value)) : String(value)))
}
