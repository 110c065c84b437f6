import { Type, type Static } from 'typebox'
import { Nullable } from '../../platform/http/validation.ts'

export const AGENCY_KINDS = ['central', 'local', 'quasi'] as const
export type AgencyKind = (typeof AGENCY_KINDS)[number]

const SLUG_PATTERN = '^[a-z0-9]+(-[a-z0-9]+)*$'

export const MultilingualTextSchema = Type.Object(
  { kk: Type.Optional(Type.String()), ru: Type.Optional(Type.String()), en: Type.Optional(Type.String()) },
  { additionalProperties: false, description: 'Text in Kazakh, Russian and English; a language may be missing' },
)

export const AgencyListQuery = Type.Object(
  {
    q: Type.Optional(Type.String({ maxLength: 200, description: 'Name in any language; typos tolerated' })),
    kind: Type.Optional(Type.Enum([...AGENCY_KINDS], { description: 'central, local (akimat) or quasi (quasi-state)' })),
    region: Type.Optional(Type.String({ pattern: SLUG_PATTERN, maxLength: 50, description: 'Region code, as in /api/regions' })),
    page: Type.Optional(Type.Integer({ minimum: 1, maximum: 10000, default: 1 })),
    perPage: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20 })),
  },
  { additionalProperties: false },
)
export type AgencyListQuery = Static<typeof AgencyListQuery>

export const SlugParams = Type.Object({ slug: Type.String({ pattern: SLUG_PATTERN, maxLength: 100 }) }, { additionalProperties: false })

export const RegionSchema = Type.Object({
  code: Type.String(),
  kind: Type.Enum(['region', 'city']),
  name: MultilingualTextSchema,
})
export type Region = Static<typeof RegionSchema>

const AgencyRef = Type.Object({ slug: Type.String(), kind: Type.Enum([...AGENCY_KINDS]), name: MultilingualTextSchema })

export const AgencySummarySchema = Type.Object({
  id: Type.Integer(),
  slug: Type.String(),
  kind: Type.Enum([...AGENCY_KINDS]),
  name: MultilingualTextSchema,
  shortName: MultilingualTextSchema,
  region: Type.Union([RegionSchema, Type.Null()]),
  parent: Type.Union([AgencyRef, Type.Null()]),
  updatedAt: Type.String({ format: 'date-time' }),
})
export type AgencySummary = Static<typeof AgencySummarySchema>

export const AgencySchema = Type.Object({
  ...AgencySummarySchema.properties,
  head: Type.Object({
    name: MultilingualTextSchema, title: MultilingualTextSchema,
    since: Type.Union([Type.String({ format: 'date' }), Type.Null()], { description: 'the first day in the position; null when not known' }),
  }, { description: 'the current head, kept once for the body\'s page, its head\'s blog and the API' }),
  address: MultilingualTextSchema,
  phone: Type.Union([Type.String(), Type.Null()]),
  email: Type.Union([Type.String(), Type.Null()]),
  website: Type.Union([Type.String(), Type.Null()]),
  children: Type.Array(AgencyRef),
})
export type Agency = Static<typeof AgencySchema>

export const AgencyPageSchema = Type.Object({
  items: Type.Array(AgencySummarySchema),
  total: Type.Integer(),
  page: Type.Integer(),
  perPage: Type.Integer(),
  pages: Type.Integer(),
})
export type AgencyPage = Static<typeof AgencyPageSchema>

const Text = (max = 500) => Type.Object(
  { kk: Type.Optional(Type.String({ maxLength: max })), ru: Type.Optional(Type.String({ maxLength: max })), en: Type.Optional(Type.String({ maxLength: max })) },
  { additionalProperties: false },
)

const AgencyFieldsProperties = {
  kind: Type.Enum([...AGENCY_KINDS]),
  name: Text(),
  shortName: Type.Optional(Text(100)),
  headName: Type.Optional(Text(200)),
  headTitle: Type.Optional(Text(200)),
  address: Type.Optional(Text()),
  phone: Type.Optional(Nullable(Type.String({ maxLength: 30 }))),
  email: Type.Optional(Nullable(Type.String({ maxLength: 254 }))),
  website: Type.Optional(Nullable(Type.String({ maxLength: 500 }))),
  regionCode: Type.Optional(Nullable(Type.String({ maxLength: 50 }))),
  parentSlug: Type.Optional(Nullable(Type.String({ maxLength: 100 }))),
}

export const AgencyCreateBody = Type.Object(
  { slug: Type.String({ pattern: SLUG_PATTERN, maxLength: 100 }), ...AgencyFieldsProperties },
  { additionalProperties: false },
)
export type AgencyCreateBody = Static<typeof AgencyCreateBody>

export const AgencyPatchBody = Type.Object(
  Object.fromEntries(Object.entries(AgencyFieldsProperties).map(([key, schema]) => [key, Type.Optional(schema)])) as {
    [K in keyof typeof AgencyFieldsProperties]: ReturnType<typeof Type.Optional<(typeof AgencyFieldsProperties)[K]>>
  },
  { additionalProperties: false },
)
export type AgencyPatchBody = Static<typeof AgencyPatchBody>

export const AuditEntrySchema = Type.Object({
  id: Type.Integer(),
  at: Type.String({ format: 'date-time' }),
  actor: Type.Union([Type.Object({ name: Type.String(), role: Type.Union([Type.String(), Type.Null()]) }), Type.Null()], { description: 'Who made the change (null: the system), by name and role' }),
  action: Type.String(),
  before: Type.Unknown(),
  after: Type.Unknown(),
})
