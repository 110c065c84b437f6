/** What citizens ask heads of bodies about, for filters and statistics. */
export const TOPICS = [
  'economy', 'finance', 'health', 'education', 'social', 'labour', 'housing', 'transport', 'environment',
  'agriculture', 'digital', 'public-services', 'justice', 'security', 'culture', 'other',
] as const
export type Topic = (typeof TOPICS)[number]

/** Why a question is not published: the documented reasons, told to the asker. */
export const REJECTION_REASONS = ['abuse', 'personal-data', 'duplicate'] as const
export type RejectionReason = (typeof REJECTION_REASONS)[number]

/** Files a question may bring: documents and photos, their type read from their bytes. */
export const QUESTION_FILE_KINDS = ['pdf', 'docx', 'doc', 'odt', 'rtf', 'jpg', 'png'] as const
export const QUESTION_FILES_MAX = 3
/** The form's (and the API's) fields for a question's files: file1, file2, file3. */
export const QUESTION_FILE_FIELDS = Array.from({ length: QUESTION_FILES_MAX }, (_, i) => `file${i + 1}`)
export const QUESTION_FILE_LIMIT_BYTES = 10 * 1024 * 1024
export const QUESTION_MAX_LENGTH = 5000
