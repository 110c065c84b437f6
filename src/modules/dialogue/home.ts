import type { HomeFigures } from '../../platform/modules.ts'
import { formatNumber } from '../../platform/i18n/index.ts'
import { dialogueStatistics, statisticsPeriod } from './statistics/service.ts'
import { countPetitionLists, listPetitions } from './petitions/service.ts'

/** The home page's figures of the dialogue: the share of this year's questions answered on time, and the petitions collecting signatures, the most supported first. */
export const dialogueHome: HomeFigures = {
  portal: 'dialogue',
  topics: ['dialogue', 'petitions'],
  async figures(db, request) {
    const { lang, t } = request
    const { all } = await dialogueStatistics(db, statisticsPeriod({}))
    const due = all.answered + all.overdue
    const collecting = (await countPetitionLists(db)).collecting
    const petitions = (await listPetitions(db, { list: 'collecting', limit: 100 })).sort((a, b) => b.signatures - a.signatures).slice(0, 3)
    return [
      ...(due > 0 ? [{ value: `${formatNumber(lang, Math.round((all.answeredOnTime / due) * 100))} %`, label: t('dialogue.home.onTime', { count: due }), href: `/${lang}/dialogue/statistics` }] : []),
      {
        value: formatNumber(lang, collecting), label: t('dialogue.home.collecting', { count: collecting }), href: `/${lang}/dialogue/petitions`,
        items: petitions.map((p) => ({ text: p.title, href: `/${lang}/dialogue/petitions/${p.id}`, note: t('dialogue.home.signatures', { count: p.signatures }) })),
      },
    ]
  },
}
