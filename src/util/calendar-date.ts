/**
 * True when `text` is a real calendar date written YYYY-MM-DD: 2024-02-29 is one, 2023-02-29, 2023-02-30
 * and 2023-04-31 are not. `Date.parse` accepts those and moves them into the next month, so it cannot be
 * the check (issue 16): the date is rebuilt from its parts and must come back unchanged.
 */
export function isCalendarDate(text: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}
