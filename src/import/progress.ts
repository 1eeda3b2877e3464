import cliProgress from "cli-progress";

export interface ProgressReporter {
  update(progress: { file: string; bytes: number; totalBytes: number; rows: number }): void;
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
      update({ file, bytes, totalBytes, rows }) {
        if (file !== current) {
          if (current) bar.stop();
          current = file;
          bar.start(Math.max(totalBytes, 1), 0, { file, rows: 0 });
        }
        bar.update(Math.min(bytes, totalBytes), { file, rows });
      },
      stop: () => bar.stop(),
    };
  }
  const lastDecile = new Map<string, number>();
  return {
    update({ file, bytes, totalBytes, rows }) {
      const decile = totalBytes > 0 ? Math.floor((bytes / totalBytes) * 10) : 10;
      if ((lastDecile.get(file) ?? -1) < decile) {
        lastDecile.set(file, decile);
        stream.write(`${file}: ${decile * 10}% (${rows} rows)\n`);
      }
    },
    stop: () => {},
  };
}
