/** The colours of GOV.UK Frontend's tag (`govuk-tag--<colour>`), the only ones a state's tag may take. */
export const TAG_COLOURS = ['grey', 'green', 'turquoise', 'blue', 'light-blue', 'purple', 'pink', 'red', 'orange', 'yellow'] as const
export type TagColour = (typeof TAG_COLOURS)[number]

/** The colour of each state of one kind of item, kept beside its states in the module's state model. */
export type StateColours<S extends string = string> = Readonly<Record<S, TagColour>>
