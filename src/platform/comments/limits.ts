/** The longest comment, in characters: the forms count down to it, the service refuses past it. */
export const COMMENT_MAX_LENGTH = 5000
