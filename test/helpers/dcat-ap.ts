import { readFileSync, existsSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import N3 from 'n3'
import SHACLValidator from 'rdf-validate-shacl'
import datasetFactory from '@rdfjs/dataset'
import type { Quad } from '@rdfjs/types'

// The official DCAT-AP 3.0.1 shapes and the EU vocabularies they check against live beside the
// checkout, in ../shared/dcat-ap/ (its README says what each file is); ASHYQ_SHARED_DIR moves it.
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')
export const DCAT_AP_DIR = path.join(process.env.ASHYQ_SHARED_DIR ?? path.resolve(ROOT, '../shared'), 'dcat-ap')

function turtle(file: string): Quad[] {
  const location = path.join(DCAT_AP_DIR, file)
  if (!existsSync(location)) throw new Error(`${location} is missing: the DCAT-AP shapes are read from ../shared/dcat-ap/ (or $ASHYQ_SHARED_DIR/dcat-ap/)`)
  return new N3.Parser().parse(readFileSync(location, 'utf8'))
}

let validator: SHACLValidator | undefined
let vocabularies: Quad[] | undefined

export interface Violation {
  focus: string
  path: string
  message: string
  severity: string
}

/**
 * Validates triples against DCAT-AP 3.0.1 (the shapes and their ranges), together with the EU data
 * themes and file types the shapes expect named things to be; returns the violations.
 */
export async function dcatApViolations(quads: Quad[]): Promise<Violation[]> {
  validator ??= new SHACLValidator(datasetFactory.dataset([...turtle('dcat-ap-3.0.1-SHACL.ttl'), ...turtle('dcat-ap-3.0.1-ranges.ttl')]) as never)
  vocabularies ??= [...turtle('eu-data-theme.ttl'), ...turtle('eu-filetypes.ttl')]
  const report = await validator.validate(datasetFactory.dataset([...quads, ...vocabularies]) as never)
  return report.results
    .map((r) => ({
      focus: r.focusNode?.value ?? '',
      path: r.path?.value ?? '',
      message: r.message.map((m) => m.value).join(' '),
      severity: r.severity?.value.split('#').pop() ?? '',
    }))
    .filter((v) => v.severity === 'Violation')
}
