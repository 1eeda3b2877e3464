const compactEur = new Intl.NumberFormat("en", {
  style: "currency",
  currency: "EUR",
  notation: "compact",
  maximumFractionDigits: 1,
});
const fullEur = new Intl.NumberFormat("en", { style: "currency", currency: "EUR", maximumFractionDigits: 0 });
const compactNumber = new Intl.NumberFormat("en", { notation: "compact", maximumFractionDigits: 1 });
const decimal = new Intl.NumberFormat("en", { maximumFractionDigits: 3 });

export const eur = (value: number): string => compactEur.format(value);
export const eurExact = (value: number): string => fullEur.format(value);
export const count = (value: number): string => compactNumber.format(value);
export const number = (value: number): string => decimal.format(value);

/** Ten colours that stay apart for the first communities; later ones cycle. */
const PALETTE = [
  "#1f77b4",
  "#ff7f0e",
  "#2ca02c",
  "#d62728",
  "#9467bd",
  "#8c564b",
  "#e377c2",
  "#7f7f7f",
  "#bcbd22",
  "#17becf",
];

export const communityColour = (community: number): string => PALETTE[community % PALETTE.length]!;
export const seriesColour = communityColour;

/** The heat scale's colour at t as [r, g, b] (0-255). */
function heatRgb(t: number): number[] {
  const s = Math.sqrt(Math.min(1, Math.max(0, t)));
  const from = [222, 235, 247];
  const to = [8, 48, 107];
  return from.map((start, i) => Math.round(start + (to[i]! - start) * s));
}

/** A sequential blue scale for 0 < t <= 1 (square-root spread so that small values still show). */
export function heat(t: number): string {
  const [r, g, b] = heatRgb(t);
  return `rgb(${r}, ${g}, ${b})`;
}

/** WCAG 2 relative luminance of an sRGB colour given as 0-255 channels. */
function luminance(rgb: number[]): number {
  const [r, g, b] = rgb.map((channel) => {
    const c = channel / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
}

/**
 * The text colour on the heat scale at t: black or white, whichever contrasts more. Either is at least
 * 4.58:1 on every colour of the scale (WCAG AA asks 4.5:1 for normal text); the dashboard's dark blue
 * ink fell to 3.8:1 in the middle of the scale.
 */
export function heatText(t: number): string {
  const background = luminance(heatRgb(t));
  return 1.05 / (background + 0.05) >= (background + 0.05) / 0.05 ? "#fff" : "#000";
}

/** Round axis steps: 1, 2 or 5 times a power of ten, for about `count` ticks up to at least max. */
export function niceTicks(max: number, count = 5): number[] {
  if (!(max > 0)) return [0, 1];
  const raw = max / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * power).find((candidate) => candidate >= raw)!;
  const ticks: number[] = [];
  for (let value = 0; value < max + step; value += step) ticks.push(value);
  return ticks;
}

const amountFormats = new Map<string, Intl.NumberFormat>();

/** The currency's usual decimals (2 for EUR and USD, 0 for JPY or CLP) as Intl knows them; 2 for a code it does not know. */
function currencyDigits(currency: string): number {
  try {
    return (
      new Intl.NumberFormat("en", { style: "currency", currency }).resolvedOptions().maximumFractionDigits ??
      2
    );
  } catch {
    return 2;
  }
}

/**
 * An amount with its ISO 4217 code in front, e.g. "USD 1,234,567.89" or "CLP 45,000,000": every money
 * figure of the money-by-funder panel states its currency, since it shows several side by side. The
 * currency's usual decimals, and cents wherever the amount has them (the API's sums are exact to the
 * cent: a CLP amount of 1000.5 shows as "CLP 1,000.5", not rounded away).
 */
export function amountIn(value: number, currency: string): string {
  let format = amountFormats.get(currency);
  if (!format) {
    const digits = currencyDigits(currency);
    format = new Intl.NumberFormat("en", {
      minimumFractionDigits: digits,
      maximumFractionDigits: Math.max(2, digits),
    });
    amountFormats.set(currency, format);
  }
  return `${currency} ${format.format(value)}`;
}
