import type { ModuleConfig } from '../../../platform/modules.ts'
import { RecordId } from '../../../platform/http/validation.ts'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import type { Db } from '../../../platform/db/index.ts'
import { registerPages } from '../../../platform/html/pages.ts'
import { authorize } from '../../../platform/auth/policies.ts'
import { handleForm } from '../../../platform/auth/forms.ts'
import { NotFound } from '../../../platform/http/index.ts'
import { agencyNames } from '../../agencies/service.ts'
import { agencyOptions } from '../../agencies/options.ts'
import { createSource, listSources, runSource, showSource } from './service.ts'

const FormBody = Type.Record(Type.String({ maxLength: 40 }), Type.String({ maxLength: 2000 }), { maxProperties: 20 })
type FormBody = Record<string, string>
const IdParams = Type.Object({ id: RecordId }, { additionalProperties: false })

/** Administrators' page of harvest sources: add one, see how each run went, run one now. */
export async function harvestPages(app: FastifyInstance, db: Db, config: ModuleConfig): Promise<void> {
  await registerPages(app, async (pages) => {
    const typed = pages.withTypeProvider<TypeBoxTypeProvider>()
    const view = 'data/harvest/views/harvest.njk'
    const context = async (request: FastifyRequest, values: FormBody) => {
      const sources = await listSources(db)
      return {
        title: request.t('data.harvest.title'),
        breadcrumbs: [{ text: request.t('platform.home'), href: `/${request.lang}/` }, { text: request.t('data.catalog.title'), href: `/${request.lang}/data` }],
        sources: sources.map((s) => ({ ...s, report: s.lastStatus === 'ok' && s.lastMessage ? JSON.parse(s.lastMessage) as Record<string, unknown> : null })),
        values,
        agencies: agencyOptions(request, await agencyNames(db, request.lang), values.agencySlug, request.t('data.edit.choosePublisher')),
        kinds: ['ckan', 'dcat'].map((k) => ({ value: k, text: request.t(`data.harvest.kinds.${k}`), checked: (values.kind ?? 'ckan') === k })),
        langs: ['kk', 'ru', 'en'].map((l) => ({ value: l, text: request.t(`data.edit.in.${l}`), selected: (values.lang ?? 'ru') === l })),
      }
    }

    typed.get('/data/harvest', { schema: { hide: true } }, async (request, reply) => {
      authorize(request.user, 'harvest.manage')
      return reply.render(view, await context(request, { intervalHours: '24' }))
    })

    typed.post('/data/harvest', { schema: { hide: true, body: FormBody } }, async (request, reply) => {
      authorize(request.user, 'harvest.manage')
      const body = request.body
      return handleForm(reply, view, await context(request, body), async () => {
        await createSource(db, {
          name: body.name ?? '', url: (body.url ?? '').trim(), kind: body.kind ?? '', agencySlug: body.agencySlug ?? '', lang: body.lang ?? 'ru',
          intervalHours: Number(body.intervalHours),
        })
        return reply.redirect(`/${request.lang}/data/harvest`, 303)
      })
    })

    typed.post('/data/harvest/:id/run', { schema: { hide: true, params: IdParams, body: FormBody } }, async (request, reply) => {
      authorize(request.user, 'harvest.manage')
      const source = await showSource(db, request.params.id)
      if (!source) throw new NotFound('harvest-source', String(request.params.id))
      await runSource(db, source, { privateNetworks: config.harvestPrivateNetworks })
      return reply.redirect(`/${request.lang}/data/harvest#source-${source.id}`, 303)
    })
  })
}
