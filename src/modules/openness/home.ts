import type { HomeFigures } from '../../platform/modules.ts'
import { formatNumber } from '../../platform/i18n/index.ts'
import { localize } from '../../platform/i18n/multilingual.ts'
import { agencyNames } from '../agencies/service.ts'
import { latestSnapshot, snapshotScores } from './service.ts'

/** The home page's figures of openness: the most and the least open bodies of the latest snapshot, each linking to its explained score. */
export const opennessHome: HomeFigures = {
  portal: 'openness',
  topics: ['openness', 'agencies'],
  async figures(db, request) {
    const { lang, t } = request
    const snapshot = await latestSnapshot(db)
    if (!snapshot) return []
    const scored = (await snapshotScores(db, snapshot.id)).filter((s) => s.score !== null)
    if (scored.length === 0) return []
    const names = new Map((await agencyNames(db, lang)).map((a) => [a.id, a]))
    const item = (s: (typeof scored)[number]) => {
      const agency = names.get(s.agencyId)
      return { text: localize(agency?.name ?? null, lang)?.text ?? agency?.slug ?? '', href: `/${lang}/openness/agencies/${agency?.slug ?? ''}`, note: formatNumber(lang, s.score!) }
    }
    const count = Math.min(3, Math.floor(scored.length / 2))
    return [
      { value: formatNumber(lang, scored.length), label: t('openness.home.scored', { count: scored.length }), href: `/${lang}/openness` },
      ...(count > 0 ? [
        { value: '', label: t('openness.home.most'), href: `/${lang}/openness`, items: scored.slice(0, count).map(item) },
        { value: '', label: t('openness.home.least'), href: `/${lang}/openness`, items: scored.slice(-count).reverse().map(item) },
      ] : []),
    ]
  },
}
