import type { HomeFigures } from '../../platform/modules.ts'
import { formatNumber } from '../../platform/i18n/index.ts'
import { catalogFreshness } from './catalog/service.ts'

/** The home page's figures of open data: the public datasets, and how many of those released on a schedule are up to date. */
export const dataHome: HomeFigures = {
  portal: 'data',
  topics: ['data'],
  async figures(db, request) {
    const { lang, t } = request
    const counts = await catalogFreshness(db)
    const scheduled = counts.fresh + counts.overdue
    return [
      { value: formatNumber(lang, counts.total), label: t('data.home.datasets', { count: counts.total }), href: `/${lang}/data` },
      ...(scheduled > 0 ? [{ value: `${formatNumber(lang, Math.round((counts.fresh / scheduled) * 100))} %`, label: t('data.home.fresh', { count: scheduled }), href: `/${lang}/data` }] : []),
    ]
  },
}
