import { TimeSlicer } from "./time-slices.js";

/**
 * `JSON.stringify(value)` of a plain object, the same text, written in slices: the items of its
 * top-level arrays one by one, with a turn of the event loop whenever `slicer`'s slice is spent. A
 * curation report of a large workbook lists tens of thousands of changes, megabytes of JSON that one
 * `JSON.stringify` would write in one task. Other values (nested objects, scalars) are written whole;
 * a value that is not a plain object is passed to JSON.stringify as it is.
 */
export async function jsonInSlices(value: unknown, slicer = new TimeSlicer()): Promise<string> {
  if (value === null || typeof value !== "object" || Array.isArray(value) || "toJSON" in value)
    return JSON.stringify(value);
  const parts: string[] = [];
  for (const [key, inner] of Object.entries(value)) {
    if (!Array.isArray(inner)) {
      const text = JSON.stringify(inner);
      // As JSON.stringify: an undefined, function or symbol property is left out.
      if (text !== undefined) parts.push(`${JSON.stringify(key)}:${text}`);
      continue;
    }
    const items: string[] = [];
    for (const item of inner) {
      // As JSON.stringify: an undefined, function or symbol item is written null.
      items.push(JSON.stringify(item) ?? "null");
      await slicer.pause();
    }
    parts.push(`${JSON.stringify(key)}:[${items.join(",")}]`);
  }
  return `{${parts.join(",")}}`;
}
