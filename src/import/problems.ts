/** A problem found in input, located so that a user can open the file at the line and fix it. */
export interface InputProblem {
  file: string;
  line: number | undefined;
  field: string;
  reason: string;
}

export function formatProblem(problem: InputProblem): string {
  const where = problem.line === undefined ? problem.file : `${problem.file}:${problem.line}`;
  return `${where}: ${problem.field}: ${problem.reason}`;
}

/** Thrown before anything is written: the graph is unchanged. */
export class InputValidationError extends Error {
  constructor(readonly problems: InputProblem[]) {
    const shown = problems.slice(0, 50).map(formatProblem);
    const more = problems.length > 50 ? [`… and ${problems.length - 50} more`] : [];
    super(
      `${problems.length} problem(s) in the input; nothing was written:\n${[...shown, ...more].join("\n")}`,
    );
    this.name = "InputValidationError";
  }
}
