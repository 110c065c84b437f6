import type { HomeFigures } from '../../platform/modules.ts'
import { formatDate, formatNumber } from '../../platform/i18n/index.ts'
import { localize } from '../../platform/i18n/multilingual.ts'
import { listDrafts } from './drafts/service.ts'
import { CLOSING_SOON_DAYS } from './drafts/pages.ts'

/** The home page's figures of legal acts: the drafts open for discussion, and those whose discussion closes soonest. */
export const legalActsHome: HomeFigures = {
  portal: 'legal-acts',
  topics: ['legal-acts'],
  async figures(db, request) {
    const { lang, t } = request
    const open = await listDrafts(db, { open: true, perPage: 1 })
    const closing = await listDrafts(db, { closingWithin: CLOSING_SOON_DAYS, perPage: 3 })
    return [{
      value: formatNumber(lang, open.total), label: t('legalActs.home.open', { count: open.total }), href: `/${lang}/legal-acts?open=now`,
      items: closing.items.map((d) => ({ text: localize(d.title, lang)?.text ?? '', href: `/${lang}/legal-acts/drafts/${d.id}`, note: t('legalActs.home.closes', { date: formatDate(lang, d.discussionEnd!) }) })),
    }]
  },
}
