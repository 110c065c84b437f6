import type { FastifyInstance } from 'fastify'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { Type, type Static } from 'typebox'
import type { Db } from '../../../platform/db/index.ts'
import type { ModuleConfig } from '../../../platform/modules.ts'
import { siteOrigin } from '../../../platform/http/index.ts'
import { ACT_KINDS, TOPICS } from '../kinds.ts'
import { EXTERNAL_ID, importDraft } from './service.ts'

const Text = (description: string, maxLength: number) => Type.Object({
  kk: Type.Optional(Type.String({ maxLength })), ru: Type.Optional(Type.String({ maxLength })), en: Type.Optional(Type.String({ maxLength })),
}, { additionalProperties: false, description })

/** The import format: one draft as the drafting system holds it. */
export const DraftImportBody = Type.Object({
  agency: Type.String({ maxLength: 100, description: 'the developing body\'s slug, as in /api/agencies' }),
  kind: Type.Enum([...ACT_KINDS]),
  topic: Type.Enum([...TOPICS]),
  title: Text('the title: kk and ru required, en optional', 500),
  summary: Type.Optional(Text('what the act changes, in a few sentences', 5000)),
  publicService: Type.Optional(Type.Boolean({ description: 'it sets a public service\'s procedure: its discussion is at least 10 working days' })),
  text: Text('the text as it would be pasted, one paragraph per line: "Глава 1. …"/"1-тарау. …" starts a chapter, "Статья 5"/"5-бап" an article, "3." a numbered paragraph, "1)" a subparagraph. kk and ru must have the same chapters and paragraphs.', 1_000_000),
  note: Type.Optional(Text('what changed, shown with a new version', 5000)),
  discussion: Type.Optional(Type.Object({
    start: Type.String({ format: 'date', description: 'its first day (Kazakhstan\'s date)' }),
    end: Type.String({ format: 'date', description: 'its last day: comments are taken to its end' }),
  }, { additionalProperties: false })),
}, { additionalProperties: false })
export type DraftImportBody = Static<typeof DraftImportBody>

/** The import endpoint for the government's legislation drafting system. */
export async function importRoutes(app: FastifyInstance, db: Db, config: ModuleConfig): Promise<void> {
  app.withTypeProvider<TypeBoxTypeProvider>().put('/api/legal-acts/imports/:externalId', {
    bodyLimit: 4 * 1024 * 1024,
    schema: {
      tags: ['Open legal acts'],
      security: [{ bearerAuth: [] }],
      summary: 'Bring a draft from the legislation drafting system, keyed by its id there (the body\'s editors)',
      description: 'The first PUT creates the draft (in preparation, or open for discussion on the days sent). A later one changes its details, '
        + 'publishes a new version when the text differs from the latest, and opens the discussion if it is not open yet. The same PUT again changes nothing '
        + '(changed is empty), so it may be retried. A discussion shorter than the minimum is taken and marked belowMinimum; once open, its days do not change (400).',
      params: Type.Object({ externalId: Type.String({ pattern: EXTERNAL_ID, description: 'the draft\'s id in the drafting system' }) }),
      body: DraftImportBody,
      response: {
        '2xx': Type.Object({
          id: Type.Integer(),
          externalId: Type.String(),
          created: Type.Boolean(),
          changed: Type.Array(Type.Union([Type.Literal('details'), Type.Literal('version'), Type.Literal('discussion')])),
          url: Type.String({ description: 'the draft in the JSON API' }),
        }),
      },
    },
  }, async (request, reply) => {
    const { externalId } = request.params
    const result = await importDraft(db, request.user, externalId, request.body, config.legalActs, siteOrigin(request))
    return reply.code(result.created ? 201 : 200).send({ ...result, externalId, url: `/api/legal-acts/drafts/${result.id}` })
  })
}
