import type { FastifyRequest } from 'fastify'

/** A query's values as a link keeps them: empty values and the schema's defaults left out. */
export function queryHref(path: string, query: Record<string, unknown>, defaults: Record<string, unknown> = {}): string {
  const params = new URLSearchParams()
  for (const [key, value] of Object.entries(query)) {
    for (const item of [value].flat()) {
      if (item !== undefined && item !== null && item !== '' && defaults[key] !== item) params.append(key, String(item))
    }
  }
  const search = params.toString()
  return `${path}${search ? `?${search}` : ''}`
}

/** GOV.UK pagination for a list page: previous, next and numbered links (gaps marked with an ellipsis). */
export function paginationFor(request: FastifyRequest, path: string, query: Record<string, unknown>, page: number, pages: number, defaults: Record<string, unknown> = { page: 1 }) {
  const { t } = request
  const href = (n: number) => queryHref(path, { ...query, page: n }, defaults)
  const shown = [...new Set([1, page - 1, page, page + 1, pages])].filter((n) => n >= 1 && n <= pages).sort((a, b) => a - b)
  const items: ({ number: number; href: string; current: boolean; visuallyHiddenText: string } | { ellipsis: true })[] = []
  for (const [index, n] of shown.entries()) {
    if (index > 0 && n - shown[index - 1]! > 1) items.push({ ellipsis: true })
    items.push({ number: n, href: href(n), current: n === page, visuallyHiddenText: t('platform.pagination.pageNumber', { page: n }) })
  }
  return {
    previous: page > 1 ? { href: href(page - 1), text: t('platform.pagination.previous') } : undefined,
    next: page < pages ? { href: href(page + 1), text: t('platform.pagination.next') } : undefined,
    items,
    landmarkLabel: t('platform.pagination.page', { page, pages }),
  }
}
