/**
 * A small table as an XLSX workbook, for readers whose spreadsheet opens a CSV in one column (Excel
 * set to Russian or Kazakh takes the semicolon, not the comma, as a CSV's separator): one sheet, its
 * header row bold and frozen, numbers as numbers, dates as dates, columns as wide as their text.
 */
export async function tableXlsx(sheetName: string, header: string[], rows: Array<Array<string | number | Date | null>>): Promise<Buffer> {
  // exceljs (some 20 MB in memory) is loaded the first time a spreadsheet is asked for.
  const { default: Excel } = await import('exceljs')
  const book = new Excel.Workbook()
  // A sheet's name is at most 31 characters, without : \ / ? * [ ].
  const sheet = book.addWorksheet(sheetName.replace(/[:\\/?*[\]]/g, ' ').slice(0, 31), { views: [{ state: 'frozen', ySplit: 1 }] })
  sheet.addRow(header).font = { bold: true }
  for (const row of rows) sheet.addRow(row)
  sheet.columns.forEach((column, i) => {
    const longest = Math.max(header[i]?.length ?? 0, ...rows.map((row) => {
      const value = row[i]
      return value instanceof Date ? 10 : String(value ?? '').length
    }))
    column.width = Math.min(60, Math.max(8, longest + 2))
    if (rows.some((row) => row[i] instanceof Date)) column.numFmt = 'yyyy-mm-dd'
    column.alignment = { wrapText: longest > 60, vertical: 'top' }
  })
  return Buffer.from(await book.xlsx.writeBuffer())
}

/** The media type of an XLSX workbook. */
export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'
