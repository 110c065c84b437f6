import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import type { Db } from '../../../platform/db/index.ts'
import { registerPages } from '../../../platform/html/pages.ts'
import { RecordId } from '../../../platform/http/validation.ts'
import { siteOrigin } from '../../../platform/http/index.ts'
import { ValidationError } from '../../../platform/http/errors.ts'
import { handleForm } from '../../../platform/auth/forms.ts'
import { attachmentDisposition } from '../../../platform/files/download.ts'
import { tableXlsx, XLSX_TYPE } from '../../../platform/files/spreadsheet.ts'
import { doneHref } from '../../../platform/html/done.ts'
import { translate } from '../../../platform/notifications/messages.ts'
import { can } from '../../../platform/auth/policies.ts'
import { fromFormFields, localize } from '../../../platform/i18n/multilingual.ts'
import { DECISIONS } from '../kinds.ts'
import { findDraft, type DraftSummary } from '../drafts/service.ts'
import { publishAnswers } from '../drafts/lifecycle.ts'
import { answerProposal, listProposals, proposalsCsv, proposalsPdf, proposalsSheet, type Proposal } from './service.ts'
import { keptUnder } from '../../../platform/html/page-versions.ts'
import { LEGAL_ACTS_TOPICS } from '../page-topics.ts'

const IdParams = Type.Object({ id: RecordId })
const AnswerParams = Type.Object({ id: RecordId, commentId: RecordId })
const FormBody = Type.Record(Type.String({ maxLength: 40 }), Type.String({ maxLength: 20_000 }), { maxProperties: 10 })

/** Whether the public may read the answers: once they are published (the draft may be adopted or withdrawn since). */
export async function answersArePublic(db: Db, draft: DraftSummary): Promise<boolean> {
  if (draft.status === 'answered' || draft.status === 'adopted') return true
  if (draft.status !== 'withdrawn') return false
  const [row] = await db.query<{ answered: boolean }>("select exists (select 1 from legal_act_events where draft_id = $1 and kind = 'answered') as answered", [draft.id])
  return row?.answered ?? false
}

/** The summary table of proposals and answers (page and CSV), and the developer's forms to answer and to publish the answers. */
export async function answerPages(app: FastifyInstance, db: Db): Promise<void> {
  await registerPages(app, async (pages) => {
    const keptPages = keptUnder(db, LEGAL_ACTS_TOPICS)
    const typed = pages.withTypeProvider<TypeBoxTypeProvider>()
    const view = 'legal-acts/answers/views/proposals.njk'

    // What a reader may see of the proposals: the developer sees their answers before they are published.
    const visible = async (request: FastifyRequest, draft: DraftSummary) => {
      const mayManage = can(request.user, 'legal-act.manage', { agencyId: draft.agency.id })
      const published = await answersArePublic(db, draft)
      const proposals = (await listProposals(db, draft.id)).map((p): Proposal => (published || mayManage ? p : { ...p, answer: null }))
      return { mayManage, published, proposals }
    }

    const show = async (request: FastifyRequest, reply: FastifyReply, id: number, extra: Record<string, unknown> = {}) => {
      const { lang, t } = request
      const draft = await findDraft(db, id, request.user)
      const seen = await visible(request, draft)
      return reply.render(view, {
        title: t('legalActs.proposals.title'),
        breadcrumbs: [
          { text: t('platform.home'), href: `/${lang}/` },
          { text: t('legalActs.title'), href: `/${lang}/legal-acts` },
          { text: localize(draft.title, lang)?.text ?? '', href: `/${lang}/legal-acts/drafts/${draft.id}` },
        ],
        draft,
        ...seen,
        answering: seen.mayManage && draft.status === 'closed',
        unanswered: seen.proposals.filter((p) => !p.answer).length,
        decisions: DECISIONS,
        counts: Object.fromEntries(DECISIONS.map((d) => [d, seen.proposals.filter((p) => p.answer?.decision === d).length])),
        ...extra,
      })
    }

    typed.get('/legal-acts/drafts/:id/proposals', { config: { pageCache: keptPages }, schema: { hide: true, params: IdParams } }, async (request, reply) => show(request, reply, request.params.id))

    typed.get('/legal-acts/drafts/:id/proposals.csv', { schema: { hide: true, params: IdParams } }, async (request, reply) => {
      const draft = await findDraft(db, request.params.id, request.user)
      const seen = await visible(request, draft)
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', attachmentDisposition(`legal-act-${draft.id}-proposals-${request.lang}.csv`))
        .send(proposalsCsv(seen.proposals, request.lang))
    })

    typed.get('/legal-acts/drafts/:id/proposals.xlsx', { schema: { hide: true, params: IdParams } }, async (request, reply) => {
      const draft = await findDraft(db, request.params.id, request.user)
      const seen = await visible(request, draft)
      const { header, rows } = proposalsSheet(seen.proposals, request.lang)
      return reply
        .type(XLSX_TYPE)
        .header('content-disposition', attachmentDisposition(`legal-act-${draft.id}-proposals-${request.lang}.xlsx`))
        .send(await tableXlsx(translate(request.lang, 'legalActs.proposals.title'), header, rows))
    })

    typed.get('/legal-acts/drafts/:id/proposals.pdf', { schema: { hide: true, params: IdParams } }, async (request, reply) => {
      const draft = await findDraft(db, request.params.id, request.user)
      const seen = await visible(request, draft)
      return reply
        .type('application/pdf')
        .header('content-disposition', attachmentDisposition(`legal-act-${draft.id}-proposals-${request.lang}.pdf`))
        .send(await proposalsPdf(draft, seen.proposals, request.lang, seen.published))
    })

    typed.post('/legal-acts/drafts/:id/proposals/:commentId/answer', { schema: { hide: true, params: AnswerParams, body: FormBody } }, async (request, reply) => {
      const { id, commentId } = request.params
      return handleForm(reply, (found) => show(request, reply, id, { ...found, values: { [commentId]: request.body } }), {}, async () => {
        await answerProposal(db, request.user, id, commentId, { decision: request.body.decision ?? '', reason: fromFormFields(request.body, 'reason') })
        return reply.redirect(doneHref(`/${request.lang}/legal-acts/drafts/${id}/proposals`, 'answered', `proposal-${commentId}`), 303)
      })
    })

    typed.post('/legal-acts/drafts/:id/answers/publish', { schema: { hide: true, params: IdParams } }, async (request, reply) => {
      const { id } = request.params
      try {
        await publishAnswers(db, request.user, id, siteOrigin(request))
      } catch (error) {
        if (!(error instanceof ValidationError)) throw error
        const errors = error.fields.map((f) => ({ field: f.field, text: request.t(f.messageKey, f.values), href: '#proposals' }))
        return show(request, reply.code(400), id, { errors })
      }
      return reply.redirect(`/${request.lang}/legal-acts/drafts/${id}/proposals`, 303)
    })
  })
}
