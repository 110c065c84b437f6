// Solr's dates in queries: an ISO instant in UTC ("2024-05-01T10:00:00Z", fractions allowed) or NOW,
// followed by date math: "+3DAYS", "-1MONTH" add or take away, "/DAY" rounds down to the unit.

const UNITS = new Map<string, 'year' | 'month' | 'day' | 'hour' | 'minute' | 'second' | 'milli'>([
  ['YEAR', 'year'], ['YEARS', 'year'], ['MONTH', 'month'], ['MONTHS', 'month'], ['DAY', 'day'], ['DAYS', 'day'], ['DATE', 'day'],
  ['HOUR', 'hour'], ['HOURS', 'hour'], ['MINUTE', 'minute'], ['MINUTES', 'minute'], ['SECOND', 'second'], ['SECONDS', 'second'],
  ['MILLI', 'milli'], ['MILLIS', 'milli'], ['MILLISECOND', 'milli'], ['MILLISECONDS', 'milli'],
])

function add(date: Date, unit: string, amount: number): void {
  switch (unit) {
    case 'year': date.setUTCFullYear(date.getUTCFullYear() + amount); break
    case 'month': date.setUTCMonth(date.getUTCMonth() + amount); break
    case 'day': date.setUTCDate(date.getUTCDate() + amount); break
    case 'hour': date.setUTCHours(date.getUTCHours() + amount); break
    case 'minute': date.setUTCMinutes(date.getUTCMinutes() + amount); break
    case 'second': date.setUTCSeconds(date.getUTCSeconds() + amount); break
    default: date.setUTCMilliseconds(date.getUTCMilliseconds() + amount)
  }
}

function roundDown(date: Date, unit: string): void {
  const order = ['year', 'month', 'day', 'hour', 'minute', 'second', 'milli']
  const keep = order.indexOf(unit)
  if (keep < 1) date.setUTCMonth(0)
  if (keep < 2) date.setUTCDate(1)
  if (keep < 3) date.setUTCHours(0)
  if (keep < 4) date.setUTCMinutes(0)
  if (keep < 5) date.setUTCSeconds(0)
  if (keep < 6) date.setUTCMilliseconds(0)
}

const isDigit = (ch: string | undefined) => ch !== undefined && ch >= '0' && ch <= '9'
const isLetter = (ch: string | undefined) => ch !== undefined && ch >= 'A' && ch <= 'Z'

/** The instant a Solr date expression names, or null when it is not one. */
export function solrDate(expression: string, now: Date): Date | null {
  const text = expression.trim().toUpperCase()
  let date: Date
  let i: number
  if (text.startsWith('NOW')) {
    date = new Date(now.getTime())
    i = 3
  } else {
    const end = text.indexOf('Z')
    if (end < 0 || !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?$/.test(text.slice(0, end))) return null
    // JavaScript keeps milliseconds: further digits of the fraction are dropped.
    const [whole, fraction = ''] = text.slice(0, end).split('.')
    date = new Date(`${whole}.${fraction.padEnd(3, '0').slice(0, 3)}Z`)
    if (Number.isNaN(date.getTime())) return null
    i = end + 1
  }
  while (i < text.length) {
    const op = text[i]!
    if (op !== '+' && op !== '-' && op !== '/') return null
    i++
    let digits = ''
    while (isDigit(text[i])) digits += text[i++]
    let name = ''
    while (isLetter(text[i])) name += text[i++]
    const unit = UNITS.get(name)
    if (!unit) return null
    if (op === '/') {
      if (digits) return null
      roundDown(date, unit)
    } else {
      if (!digits || digits.length > 6) return null
      add(date, unit, op === '+' ? Number(digits) : -Number(digits))
    }
  }
  return Number.isNaN(date.getTime()) ? null : date
}
