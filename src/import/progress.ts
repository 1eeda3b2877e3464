import cliProgress from "cli-progress";

/**
 * Where a file is read: an import reads its export twice, first to `validate` it (nothing written),
 * then to `write` it in its transaction; each pass has its own progress.
 */
export type ImportPhase = "validate" | "write";

const PHASE_WORD: Record<ImportPhase, string> = { validate: "validating", write: "writing" };

export interface ProgressReporter {
  update(progress: {
    file: string;
    bytes: number;
    totalBytes: number;
    rows: number;
    phase?: ImportPhase;
  }): void;
  stop(): void;
}

/** A bar on a terminal; plain lines every 10 % otherwise (CI logs, pipes), both on stderr. */
export function createProgressReporter(stream: NodeJS.WriteStream = process.stderr): ProgressReporter {
  if (stream.isTTY) {
    const bar = new cliProgress.SingleBar(
      {
        stream,
        format: "{file} [{bar}] {percentage}% | {rows} rows",
        hideCursor: true,
        clearOnComplete: false,
      },
      cliProgress.Presets.shades_classic,
    );
    let current = "";
    return {
      update({ file, bytes, totalBytes, rows, phase }) {
        const label = phase ? `${PHASE_WORD[phase]} ${file}` : file;
        if (label !== current) {
          if (current) bar.stop();
          current = label;
          bar.start(Math.max(totalBytes, 1), 0, { file: label, rows: 0 });
        }
        bar.update(Math.min(bytes, totalBytes), { file: label, rows });
      },
      stop: () => bar.stop(),
    };
  }
  const lastDecile = new Map<string, number>();
  return {
    update({ file, bytes, totalBytes, rows, phase }) {
      const label = phase ? `${PHASE_WORD[phase]} ${file}` : file;
      const decile = totalBytes > 0 ? Math.floor((bytes / totalBytes) * 10) : 10;
      if ((lastDecile.get(label) ?? -1) < decile) {
        lastDecile.set(label, decile);
        stream.write(`${label}: ${decile * 10}% (${rows} rows)\n`);
      }
    },
    stop: () => {},
  };
}
