import { type CsvValue, toCsv } from "./csv-text.js";

/** Offers the text as a file download named `filename` (UTF-8 CSV). */
export function downloadCsv(filename: string, csv: string): void {
  const url = URL.createObjectURL(new Blob([csv], { type: "text/csv;charset=utf-8" }));
  const link = document.createElement("a");
  link.href = url;
  link.download = filename;
  document.body.append(link);
  link.click();
  link.remove();
  // The download has started from the object URL by now; free it on the next turn.
  setTimeout(() => URL.revokeObjectURL(url), 0);
}

/** A "CSV" button that downloads exactly the rows it is given (what the panel or list shows). */
export function CsvButton({
  filename,
  header,
  rows,
  testId,
}: {
  filename: string;
  header: string[];
  rows: () => CsvValue[][];
  testId?: string;
}) {
  return (
    <button
      type="button"
      className="csv-button"
      data-testid={testId ?? "csv-download"}
      title={`Download ${filename}: the figures shown here, as CSV`}
      onClick={() => downloadCsv(filename, toCsv(header, rows()))}
    >
      CSV
    </button>
  );
}
