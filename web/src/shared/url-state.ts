import { useCallback, useState } from "react";

/**
 * A page's view state in its URL's query string, so that a view can be bookmarked, shared and opened
 * again exactly. Each piece of state is one named parameter (or a repeated one, for lists); reading a
 * value that does not parse gives the default (a hand-edited or stale URL never breaks a page), and
 * writing the default removes the parameter (short URLs). Writes replace the history entry
 * (history.replaceState): moving through a view's settings does not fill the Back button.
 */

/** How one parameter reads (null: absent or invalid, so the default applies) and writes (null: remove it). */
export interface UrlParam<T> {
  name: string;
  read: (params: URLSearchParams) => T | null;
  write: (value: T, params: URLSearchParams) => void;
}

/** A value of a closed set (e.g. a network level): anything else in the URL reads as absent. */
export function choiceParam<T extends string>(name: string, choices: readonly T[]): UrlParam<T> {
  return {
    name,
    read: (params) => {
      const value = params.get(name);
      return value !== null && (choices as readonly string[]).includes(value) ? (value as T) : null;
    },
    write: (value, params) => params.set(name, value),
  };
}

/** A whole number from min to max (inclusive): anything else in the URL reads as absent. */
export function integerParam(name: string, min: number, max: number): UrlParam<number> {
  return {
    name,
    read: (params) => {
      const value = params.get(name);
      if (value === null || !/^-?\d{1,9}$/.test(value)) return null;
      const number = Number(value);
      return number >= min && number <= max ? number : null;
    },
    write: (value, params) => params.set(name, String(value)),
  };
}

/** A flag: present as `name=1`, absent otherwise. */
export function flagParam(name: string): UrlParam<boolean> {
  return {
    name,
    read: (params) => (params.get(name) === "1" ? true : null),
    write: (value, params) => {
      if (value) params.set(name, "1");
    },
  };
}

/** An id (e.g. consortium:permed): any non-empty text of at most 300 characters. */
export function idParam(name: string): UrlParam<string> {
  return {
    name,
    read: (params) => {
      const value = params.get(name);
      return value && value.length <= 300 ? value : null;
    },
    write: (value, params) => params.set(name, value),
  };
}

/** The current query string with `param` set to `value` (removed when it is the default). */
export function withParam<T>(search: string, param: UrlParam<T>, value: T, fallback: T): string {
  const params = new URLSearchParams(search);
  params.delete(param.name);
  if (value !== fallback) param.write(value, params);
  const query = params.toString();
  return query ? `?${query}` : "";
}

/** Replaces the current history entry's query string, keeping path and fragment. */
export function replaceSearch(search: string): void {
  const { pathname, hash } = window.location;
  window.history.replaceState(window.history.state, "", `${pathname}${search}${hash}`);
}

/**
 * useState whose value lives in the URL: it starts from the URL's parameter (or `fallback` when that is
 * absent or invalid) and every change is written back to the URL.
 */
export function useUrlState<T>(param: UrlParam<T>, fallback: T): [T, (value: T) => void] {
  const [value, setValue] = useState<T>(
    () => param.read(new URLSearchParams(window.location.search)) ?? fallback,
  );
  const set = useCallback(
    (next: T) => {
      setValue(next);
      replaceSearch(withParam(window.location.search, param, next, fallback));
    },
    [param, fallback],
  );
  return [value, set];
}
