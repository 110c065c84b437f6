import type { FastifyInstance, FastifyRequest } from 'fastify'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { registerPages } from './pages.ts'
import { LocalPath, localPath } from '../http/redirects.ts'

/** The version for the visually impaired: what the visitor chose, kept in a cookie. */
export interface AccessibilitySettings {
  on: boolean
  size: 'normal' | 'large' | 'larger'
  contrast: 'normal' | 'light' | 'dark'
  images: 'show' | 'hide'
  spacing: 'normal' | 'wide'
}

export const ACCESSIBILITY_COOKIE = 'ashyq_a11y'

const OPTIONS = {
  size: ['normal', 'large', 'larger'],
  contrast: ['normal', 'light', 'dark'],
  images: ['show', 'hide'],
  spacing: ['normal', 'wide'],
} as const

const DEFAULTS: AccessibilitySettings = { on: false, size: 'normal', contrast: 'normal', images: 'show', spacing: 'normal' }

// When the mode is switched on, it starts with what most people with poor sight need.
const TURNED_ON: AccessibilitySettings = { on: true, size: 'large', contrast: 'light', images: 'show', spacing: 'normal' }

/** Reads the cookie ("on.large.light.show.normal"); anything unexpected means the usual version. */
export function parseSettings(cookie: string | undefined): AccessibilitySettings {
  const [on, size, contrast, images, spacing] = (cookie ?? '').split('.')
  if (on !== 'on') return DEFAULTS
  const pick = <K extends keyof typeof OPTIONS>(key: K, value: string | undefined) =>
    ((OPTIONS[key] as readonly string[]).includes(value ?? '') ? value : TURNED_ON[key]) as AccessibilitySettings[K]
  return { on: true, size: pick('size', size), contrast: pick('contrast', contrast), images: pick('images', images), spacing: pick('spacing', spacing) }
}

const settingsOfRequest = new WeakMap<FastifyRequest, AccessibilitySettings>()

/** The version a request asks for, read from its cookie once however many parts of its page ask. */
export function settingsOf(request: FastifyRequest): AccessibilitySettings {
  let settings = settingsOfRequest.get(request)
  if (!settings) settingsOfRequest.set(request, (settings = parseSettings(request.cookies?.[ACCESSIBILITY_COOKIE])))
  return settings
}

export function serializeSettings(s: AccessibilitySettings): string {
  return s.on ? ['on', s.size, s.contrast, s.images, s.spacing].join('.') : 'off'
}

/** The classes the page's <html> gets, which the stylesheet turns into the chosen version. */
export function settingsClasses(s: AccessibilitySettings): string {
  if (!s.on) return ''
  return ['ashyq-vi', `ashyq-vi--size-${s.size}`, `ashyq-vi--contrast-${s.contrast}`, `ashyq-vi--images-${s.images}`, `ashyq-vi--spacing-${s.spacing}`].join(' ')
}

/** The link that applies one change to the current settings and comes back to this page. */
export function settingsHref(request: FastifyRequest, change: Record<string, string>): string {
  const params = new URLSearchParams({ ...change, return: request.url })
  return `/${request.lang}/accessibility?${params.toString()}`
}

/** What the layout shows: the classes, and the toolbar's choices with the current one marked. */
export function accessibilityContext(request: FastifyRequest) {
  const settings = settingsOf(request)
  const choices = (Object.keys(OPTIONS) as (keyof typeof OPTIONS)[]).map((key) => ({
    key,
    items: OPTIONS[key].map((value) => ({ value, href: settingsHref(request, { [key]: value }), current: settings[key] === value })),
  }))
  return {
    a11y: settings,
    a11yClasses: settingsClasses(settings),
    a11yChoices: choices,
    a11yOnHref: settingsHref(request, { mode: 'on' }),
    a11yOffHref: settingsHref(request, { mode: 'off' }),
  }
}

const Query = Type.Object({
  mode: Type.Optional(Type.Enum(['on', 'off'])),
  size: Type.Optional(Type.Enum([...OPTIONS.size])),
  contrast: Type.Optional(Type.Enum([...OPTIONS.contrast])),
  images: Type.Optional(Type.Enum([...OPTIONS.images])),
  spacing: Type.Optional(Type.Enum([...OPTIONS.spacing])),
  return: Type.Optional(LocalPath),
}, { additionalProperties: false })

/**
 * /{lang}/accessibility: plain links (no JavaScript) that switch the version for the visually
 * impaired on or off or change one of its settings, keep the choice in a cookie for a year, and
 * return to the page they came from.
 */
export async function accessibilityPages(app: FastifyInstance): Promise<void> {
  await registerPages(app, async (pages) => {
    pages.withTypeProvider<TypeBoxTypeProvider>().get('/accessibility', { schema: { hide: true, querystring: Query } }, async (request, reply) => {
      const { mode, return: back, ...change } = request.query
      let settings = parseSettings(request.cookies[ACCESSIBILITY_COOKIE])
      if (mode === 'on') settings = settings.on ? settings : TURNED_ON
      if (mode === 'off') settings = { ...settings, on: false }
      if (Object.keys(change).length > 0) settings = { ...(settings.on ? settings : TURNED_ON), ...change, on: true }
      reply.setCookie(ACCESSIBILITY_COOKIE, serializeSettings(settings), {
        path: '/', sameSite: 'lax', httpOnly: true, secure: request.protocol === 'https', maxAge: 365 * 24 * 3600,
      })
      return reply.redirect(localPath(back, `/${request.lang}/`), 303)
    })
  })
}
