import { Type } from 'typebox'
import { MultilingualInput, MultilingualSchema, Nullable } from '../../platform/http/validation.ts'

/** The schemas Open Dialogue's API shares between its parts. */

/** A text in the site's languages, as the API gives it. */
export const Text = MultilingualSchema

/** A text in the site's languages, as the API takes it. */
export { MultilingualInput }


export const AgencySchema = Type.Object({ slug: Type.String(), name: Text })

export const AgencySlug = Type.String({ pattern: '^[a-z0-9]+(-[a-z0-9]+)*$', maxLength: 100 })

/** A page's or operation's address naming a body's blog: /dialogue/{slug}. */
export const SlugParams = Type.Object({ slug: AgencySlug })

/** The security of an operation that needs an API token. */
export const TOKEN = [{ bearerAuth: [] }]

export const TAGS = ['Open dialogue']

/** A multilingual text for JSON: the record TypeBox's Text describes. */
export const asText = (text: object | null) => text as Record<string, string>

export { Nullable }
