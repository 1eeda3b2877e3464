import "./analytics.css";
import type { ReactNode } from "react";
import type { UrlParam } from "../shared/url-state.js";
import { idWords } from "../shared/words.js";

/**
 * What the network-analytics panels (co-funding, portfolio similarity, communities, year windows) share:
 * the network levels in words, a decimal URL parameter, and names by id.
 */

export type AnalyticsLevel = "COUNTRY" | "ORGANISATION" | "FUNDER";

export const LEVEL_WORDS: Record<AnalyticsLevel, string> = {
  COUNTRY: "Countries",
  ORGANISATION: "Organisations",
  FUNDER: "Funders",
};
export const LEVELS = Object.keys(LEVEL_WORDS) as AnalyticsLevel[];

/** A decimal number from min to max (e.g. a resolution, `?cres=0.5`): anything else reads as absent. */
export function decimalParam(name: string, min: number, max: number): UrlParam<number> {
  return {
    name,
    read: (params) => {
      const value = params.get(name);
      if (value === null || !/^\d{1,6}(\.\d{1,6})?$/.test(value)) return null;
      const number = Number(value);
      return number >= min && number <= max ? number : null;
    },
    write: (value, params) => params.set(name, String(value)),
  };
}

/** Names by id from a list of {key, label}; an id without one reads as words (idWords), never as an id. */
export function namesBy(items: readonly { key: string; label: string }[]): (key: string) => string {
  const names = new Map(items.map((item) => [item.key, item.label]));
  return (key) => names.get(key) ?? idWords(key);
}

/** A select of the network levels, labelled. */
export function LevelSelect({
  value,
  onChange,
  testId,
  levels = LEVELS,
}: {
  value: string;
  onChange: (level: AnalyticsLevel) => void;
  testId: string;
  levels?: readonly AnalyticsLevel[];
}) {
  return (
    <label>
      Of{" "}
      <select
        value={value}
        onChange={(event) => onChange(event.target.value as AnalyticsLevel)}
        data-testid={testId}
      >
        {levels.map((level) => (
          <option key={level} value={level}>
            {LEVEL_WORDS[level].toLowerCase()}
          </option>
        ))}
      </select>
    </label>
  );
}

/**
 * Names, the first `shown` of them, then "and N more" opening the rest: a community of 300 organisations
 * stays readable, and every name is still there to read.
 */
export function NameList({ names, shown = 12 }: { names: string[]; shown?: number }) {
  if (names.length <= shown) return <>{names.join(", ")}</>;
  return (
    <details>
      <summary>
        {names.slice(0, shown).join(", ")} and {names.length - shown} more
      </summary>
      {names.slice(shown).join(", ")}
    </details>
  );
}

/**
 * A table's sideways (and, `tall`, downward) scroller that the keyboard reaches: a region that scrolls
 * and holds no link would otherwise be out of a keyboard user's reach (axe scrollable-region-focusable).
 */
export function ScrollRegion({
  label,
  tall = false,
  children,
}: {
  label: string;
  tall?: boolean;
  children: ReactNode;
}) {
  return (
    <section
      className={tall ? "table-scroll analytics-tall" : "table-scroll"}
      // biome-ignore lint/a11y/noNoninteractiveTabindex: a region that scrolls must be reachable by keyboard
      tabIndex={0}
      aria-label={label}
    >
      {children}
    </section>
  );
}
