import { readdirSync, existsSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import type { Db, Queryable } from './db/index.ts'
import type { Topic } from './html/page-versions.ts'
import type { SearchProvider } from './search/index.ts'
import type { SitemapSource } from './html/sitemap.ts'
import type { FileStore } from './files/index.ts'
import type { Job } from './jobs/index.ts'
import type { Config } from './config.ts'
import type { StateColours } from './states/tags.ts'
import type { EventKind } from './notifications/events.ts'
import { accountPolicies, definePolicies, type Policies } from './auth/policies.ts'
import { commentPolicies } from './comments/policies.ts'
import { calendarPolicies } from './calendar/policies.ts'
import { outboxPolicies } from './notifications/policies.ts'
import { defineCommentable, type CommentableKind } from './comments/service.ts'
import { defineFollowable, type Followable } from './notifications/subscriptions.ts'

/** What of the site's configuration modules read. */
export type ModuleConfig = Pick<Config, 'datastoreSql' | 'harvestPrivateNetworks' | 'legalActs' | 'dialogue' | 'petitions' | 'publicUrl' | 'opennessPublisher'>

/**
 * A link a body's page gives to what another portal keeps of the body (its budget), shown when the
 * body has some: the body's page is kept under the topics the answer reads.
 */
export interface AgencyLink {
  topics: readonly Topic[]
  /** The link's text (a message key) and path after the language, or null when the body has nothing there. */
  find(db: Queryable, agency: { id: number; slug: string }): Promise<{ textKey: string; path: string } | null>
}

/** A figure the home page shows of a portal, live: a number with what it counts, linking to the page behind it, and a few items. */
export interface HomeFigure {
  value: string
  label: string
  href: string
  items?: ReadonlyArray<{ text: string; href: string; note?: string }>
}

/** What a module shows on the home page, read from its own facts: the page is kept under its topics. */
export interface HomeFigures {
  portal: string
  topics: readonly Topic[]
  figures(db: Db, request: FastifyRequest): Promise<HomeFigure[]>
}

declare module 'fastify' {
  interface FastifyInstance {
    /** The links every loaded module gives a body's page. */
    agencyLinks: readonly AgencyLink[]
    /** What every loaded module shows on the home page. */
    homeFigures: readonly HomeFigures[]
  }
}

/** What each folder under src/modules/ exports by default from its index.ts, to register itself. */
export interface ModuleDefinition {
  name: string
  /** The header's portal this module serves: the header and the home page offer it once it is loaded. */
  portal?: string
  /** What this module adds to the site search in the header. */
  search?: SearchProvider
  /** Its public pages, listed for search engines in /sitemap.xml. */
  sitemaps?: readonly SitemapSource[]
  /** The rules of its actions, registered when the module is loaded (never by importing a file). */
  policies?: Policies
  /** The colours of its items' states, by kind of item, for the one state tag (platform/states/views/tag.njk). */
  tags?: Readonly<Record<string, StateColours>>
  /** The events its items tell people of (notifications/events.ts), each with its messages in kk, ru and en. */
  events?: readonly EventKind<never>[]
  /** The kinds of its objects that take the platform's comments (the body owning each moderates). */
  commentables?: readonly CommentableKind[]
  /** The kinds of its topics people may follow (`<prefix>:<key>`), for the platform's subscriptions. */
  followables?: readonly Followable[]
  /** Links a body's page gives to what this module keeps of the body. */
  agencyLinks?: readonly AgencyLink[]
  /** What the home page shows of this module, live. */
  home?: HomeFigures
  /** Work this module wants done on a schedule, in the server process. */
  jobs?: Job[]
  register(app: FastifyInstance, deps: { db: Db; files: FileStore; config: ModuleConfig }): Promise<void>
}

const MODULES_DIR = fileURLToPath(new URL('../modules/', import.meta.url))
// index.ts as the source runs, index.js once built (npm run build): whatever this file itself is.
const INDEX = `index${path.extname(fileURLToPath(import.meta.url))}`

/** Every module under src/modules/, in name order: no hand-kept list of routers. */
export async function loadModules(dir = MODULES_DIR): Promise<ModuleDefinition[]> {
  const names = readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(path.join(dir, entry.name, INDEX)))
    .map((entry) => entry.name)
    .sort()
  // The platform's own actions first: no rule is registered by importing a file, so that no import is
  // ever needed for its side effect.
  for (const policies of [accountPolicies, commentPolicies, calendarPolicies, outboxPolicies]) definePolicies(policies)
  const modules: ModuleDefinition[] = []
  for (const name of names) {
    const imported = (await import(pathToFileURL(path.join(dir, name, INDEX)).href)) as { default: ModuleDefinition }
    const module = imported.default
    modules.push(module)
    definePolicies(module.policies ?? {})
    for (const kind of module.commentables ?? []) defineCommentable(kind)
    for (const followable of module.followables ?? []) defineFollowable(followable)
  }
  return modules
}
