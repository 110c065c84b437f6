import { datastorePreview } from '../datastore/pages.ts'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { Type, type Static } from 'typebox'
import type { Db } from '../../../platform/db/index.ts'
import type { FileStore } from '../../../platform/files/index.ts'
import { sendStoredFile } from '../../../platform/files/download.ts'
import { registerPages } from '../../../platform/html/pages.ts'
import type { PageCacheRule } from '../../../platform/html/page-cache.ts'
import { NotFound, siteOrigin } from '../../../platform/http/index.ts'
import { paginationFor, queryHref } from '../../../platform/html/pagination.ts'
import { choiceOf, LoosePage, pageAsked, pageWithin, QueryNotes, searchWithin } from '../../../platform/html/forgiving.ts'
import { can } from '../../../platform/auth/policies.ts'
import { collatorFor, formatBytes, type Lang } from '../../../platform/i18n/index.ts'
import { localize } from '../../../platform/i18n/multilingual.ts'
import { FACETS, SORTS, searchCatalog, type Facet, type FacetValue } from './search.ts'
import { showDataset, showResource } from './service.ts'
import { catalogGeneration, datasetVersion } from './generation.ts'
import { mediaTypeOf } from './vocabularies.ts'
import { findDataset } from '../publishing/dataset.ts'
import { countDemand, demandOf } from '../demand/service.ts'
import { CKAN_FACETS } from '../ckan/read-actions.ts'
import { preferredRdf, sendRdf } from '../dcat/routes.ts'
import { datasetQuads } from '../dcat/service.ts'

const Values = Type.Array(Type.String({ maxLength: 100 }), { maxItems: 20 })

export const CatalogPageQuery = Type.Object(
  {
    // Longer searches, unknown sorts and pages past the last are corrected on the page, with a note.
    q: Type.Optional(Type.String({ maxLength: 4000 })),
    ...Object.fromEntries(FACETS.map((facet) => [facet, Type.Optional(Values)])) as Record<Facet, ReturnType<typeof Type.Optional<typeof Values>>>,
    sort: Type.Optional(Type.String({ maxLength: 100 })),
    page: LoosePage,
    // The facet whose values are all shown, not just the most frequent (a link, so no JavaScript).
    all: Type.Optional(Type.String({ maxLength: 40 })),
  },
  { additionalProperties: false },
)
type CatalogPageQuery = Static<typeof CatalogPageQuery>

const PER_PAGE = 20
/** The catalog's search box takes this many characters (its maxlength); a longer address is cut. */
export const SEARCH_LIMIT = 200
const FACET_SHOWN = 10

const NameParams = Type.Object({ name: Type.String({ pattern: '^[a-z0-9_-]{2,100}$' }) }, { additionalProperties: false })

function facetLabel(request: FastifyRequest, facet: Facet, value: FacetValue): string {
  if (facet === 'frequency') return request.t(`data.frequency.${value.value}`)
  return localize(value.name, request.lang)?.text ?? value.value
}

// Uploads are served with the type of their format; anything else is bytes to save (an uploaded
// script is never served as JavaScript, whatever the uploader's browser said it was). HTML is a
// download too: a publisher's page must not run as a page of this site.
const NEVER_SERVED_AS = new Set(['text/html'])

/** The Content-Type a stored file of this format is served with. */
export function downloadType(format: string): string {
  const type = mediaTypeOf(format)
  if (!type || NEVER_SERVED_AS.has(type)) return 'application/octet-stream'
  return type.startsWith('text/') ? `${type}; charset=utf-8` : type
}

/** The open data portal's public pages: the catalog, each dataset, and file downloads. */
export async function dataPages(app: FastifyInstance, db: Db, files: FileStore): Promise<void> {
  // Downloads have one address in every language: the counted way to a file or a link.
  app.withTypeProvider<TypeBoxTypeProvider>().get('/data/resources/:id/download', {
    schema: { hide: true, params: Type.Object({ id: Type.String({ maxLength: 36 }) }) },
  }, async (request, reply) => {
    const resource = await showResource(db, request.params.id)
    await countDemand(db, resource.datasetId, 'downloads', { address: request.ip })
    // A table that lives only in the datastore downloads as its export.
    if (resource.kind === 'datastore') return reply.redirect(`/data/resources/${resource.id}/export.csv`, 302)
    if (resource.kind === 'link' || !resource.storageKey) return reply.redirect(resource.url!, 302)
    const fileName = resource.fileName ?? `${resource.id}.${resource.format.toLowerCase() || 'bin'}`
    return sendStoredFile(reply, files, { key: resource.storageKey, fileName, mediaType: downloadType(resource.format) })
  })

  await registerPages(app, async (pages) => {
    const typed = pages.withTypeProvider<TypeBoxTypeProvider>()

    // The catalog as it is at its generation; sorted by views, which do not move it, made afresh.
    const catalogAsItIs: PageCacheRule = {
      current: async (request) => ((request.query as CatalogPageQuery).sort?.startsWith('views') ? null : { version: await catalogGeneration(db) }),
    }
    typed.get('/data', { schema: { hide: true, querystring: CatalogPageQuery }, config: { pageCache: catalogAsItIs } }, async (request, reply) => {
      const { lang, t } = request
      const notes = new QueryNotes(request)
      const asked = request.query as CatalogPageQuery
      const sort = choiceOf(asked.sort, SORTS, notes, (s) => t(`data.sort.${s}`), t('data.catalog.sortBy'))
      const query = { ...asked, q: searchWithin(asked.q, SEARCH_LIMIT, notes), sort }
      let page = pageAsked(asked.page, notes)
      const filters = Object.fromEntries(FACETS.map((f) => [f, query[f] ?? []])) as Record<Facet, string[]>
      const search = (onPage: number) => searchCatalog(db, {
        q: query.q, filters, sort, offset: (onPage - 1) * PER_PAGE, limit: PER_PAGE, facetLimit: 200, lang,
      })
      let result = await search(page)
      const pages = Math.max(1, Math.ceil(result.total / PER_PAGE))
      if (page > pages) result = await search(page = pageWithin(page, pages, notes))
      const path = `/${lang}/data`
      // The most frequent values first, equal counts by their names in the reader's alphabet; the
      // rest behind a link to "all N", which lists every value by name.
      const collator = collatorFor(lang)
      const facets = FACETS.map((facet) => {
        const selected = filters[facet]
        const labelled = (result.facets[facet] ?? []).map((v) => ({ ...v, label: facetLabel(request, facet, v) }))
        const expanded = query.all === facet
        const ordered = expanded
          ? labelled.sort((a, b) => collator.compare(a.label, b.label))
          : labelled.sort((a, b) => b.count - a.count || collator.compare(a.label, b.label))
        const shown = ordered.filter((v, i) => expanded || i < FACET_SHOWN || selected.includes(v.value))
        // A chosen value the counts do not show (a keyword of another language, followed from its
        // page) stays a ticked box, so that sending the form again keeps it.
        const uncounted = selected.filter((value) => !ordered.some((v) => v.value === value)).map((value) => ({ value, text: value, checked: true }))
        return {
          facet,
          title: t(`data.facets.${facet}`),
          items: [...shown.map((v) => ({ value: v.value, text: `${v.label} (${v.count})`, checked: selected.includes(v.value) })), ...uncounted],
          more: !expanded && ordered.length > shown.length
            ? { href: `${queryHref(path, { ...query, all: facet, page: undefined })}#facet-${facet}`, text: t('data.catalog.allValues', { count: ordered.length, facet: t(`data.facets.${facet}`) }) }
            : null,
          fewer: expanded && ordered.length > FACET_SHOWN
            ? { href: `${queryHref(path, { ...query, all: undefined, page: undefined })}#facet-${facet}`, text: t('data.catalog.fewerValues') }
            : null,
        }
      }).filter((f) => f.items.length > 0)
      const chosenCount = FACETS.reduce((n, facet) => n + filters[facet].length, 0)
      // Each chosen filter, with a link that takes just it away.
      const chosen = FACETS.flatMap((facet) => filters[facet].map((value) => {
        const found = result.facets[facet]?.find((v) => v.value === value)
        return {
          label: `${t(`data.facets.${facet}`)}: ${found ? facetLabel(request, facet, found) : value}`,
          href: queryHref(path, { ...query, [facet]: filters[facet].filter((v) => v !== value), page: undefined }),
        }
      }))
      return reply.render('data/catalog/views/catalog.njk', {
        title: t('data.catalog.title'),
        breadcrumbs: [{ text: t('platform.home'), href: `/${lang}/` }],
        query,
        result: { ...result, datasets: result.datasets.map((d) => ({ ...d, formats: [...new Set(d.resources.map((r) => r.format).filter(Boolean))] })) },
        facets,
        chosen,
        chosenCount,
        pages,
        sorts: SORTS.map((value) => ({ value, text: t(`data.sort.${value}`), selected: (sort ?? 'relevance') === value })),
        pagination: paginationFor(request, path, query, page, pages),
        notes: notes.items,
        searchLimit: SEARCH_LIMIT,
        mayPublish: can(request.user, 'dataset.publish'),
        mayHarvest: can(request.user, 'harvest.manage'),
        apiSearch: `/api/3/action/package_search?${new URLSearchParams({
          ...(query.q ? { q: query.q } : {}),
          ...(chosen.length > 0 ? { fq: FACETS.flatMap((f) => filters[f].map((v) => `${Object.keys(CKAN_FACETS).find((k) => CKAN_FACETS[k] === f)}:"${v}"`)).join(' ') } : {}),
        }).toString()}`,
      })
    })

    // A dataset's page as it is at its version, its views counted still; its RDF is made afresh.
    const datasetAsItIs: PageCacheRule = {
      current: async (request) => {
        if (preferredRdf(request)) return null
        const found = await datasetVersion(db, (request.params as Static<typeof NameParams>).name)
        return found && { version: found.version, onHit: () => countDemand(db, found.id, 'views', { address: request.ip }) }
      },
    }
    typed.get('/data/datasets/:name', { schema: { hide: true, params: NameParams }, config: { pageCache: datasetAsItIs } }, async (request, reply) => {
      const { lang, t } = request
      const dataset = await showDataset(db, request.params.name).catch(async (error: unknown) => {
        // A private dataset is there for its body's editors and heads only.
        if (!(error instanceof NotFound) || !request.user) throw error
        const found = await findDataset(db, request.params.name)
        if (!can(request.user, 'dataset.update', { agencyId: found.agencyId })) throw error
        return showDataset(db, found.id, new Date(), { includePrivate: true })
      })
      // The same address serves DCAT to RDF clients (Accept: text/turtle or application/ld+json).
      const base = siteOrigin(request)
      const rdf = preferredRdf(request)
      if (rdf) return sendRdf(reply, datasetQuads(dataset, base), rdf)
      reply.header('vary', 'Accept')
      await countDemand(db, dataset.id, 'views', { address: request.ip })
      return reply.render('data/catalog/views/dataset.njk', {
        title: localize(dataset.title, lang)?.text ?? dataset.name,
        breadcrumbs: [
          { text: t('platform.home'), href: `/${lang}/` },
          { text: t('data.catalog.title'), href: `/${lang}/data` },
          { text: localize(dataset.agency.name, lang)?.text ?? dataset.agency.slug, href: `/${lang}/data?publisher=${dataset.agency.slug}` },
        ],
        dataset,
        demand: await demandOf(db, dataset.id),
        preview: await datastorePreview(request, db, dataset),
        sizes: Object.fromEntries(dataset.resources.map((r) => [r.id, formatBytes(lang, r.size)])),
        mayEdit: can(request.user, 'dataset.update', { agencyId: dataset.agency.id }),
        api: {
          show: `curl "${base}/api/3/action/package_show?id=${dataset.name}"`,
          search: `curl "${base}/api/3/action/package_search?fq=organization:${dataset.agency.slug}&rows=100"`,
          python: `from ckanapi import RemoteCKAN\nportal = RemoteCKAN("${base}")\ndataset = portal.action.package_show(id="${dataset.name}")`,
        },
      })
    })
  })
}
