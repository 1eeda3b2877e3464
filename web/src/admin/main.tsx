/**
 * The curation page (`/admin`): the template, a workbook's check and its load, over the API's admin
 * routes (/admin/curate/*) with a token the admin pastes. The same steps as `npm run cli -- curate`.
 */
import "../dashboard/dashboard.css";
import "./admin.css";
import { type FormEvent, type ReactNode, useId, useState } from "react";
import { createRoot } from "react-dom/client";
import {
  ApiError,
  type ChangeKind,
  type CurationReport,
  fetchTemplate,
  sendWorkbook,
  storedToken,
  storeToken,
} from "./curate-api.js";

type Step<T> =
  | { state: "idle" }
  | { state: "running" }
  | { state: "done"; value: T }
  | { state: "failed"; error: ApiError };

const failed = (error: unknown): Step<never> => ({
  state: "failed",
  error: error instanceof ApiError ? error : new ApiError((error as Error).message, 0, undefined),
});

function Failure({ what, error }: { what: string; error: ApiError }) {
  return (
    <div className="status error" role="alert" data-testid="error">
      <strong>{what}</strong> {error.message}
      {error.code ? <code className="code">{error.code}</code> : null}
      {error.problems.length ? <ProblemList problems={error.problems} /> : null}
    </div>
  );
}

function Running({ what }: { what: string }) {
  return (
    <p className="status loading" role="status" aria-live="polite">
      <span className="spinner" aria-hidden="true" /> {what}…
    </p>
  );
}

/** `Memberships!B2: reason` shown as its place and its reason. */
function ProblemList({ problems }: { problems: string[] }) {
  return (
    <ul className="report-list problems" data-testid="problems">
      {problems.map((problem) => {
        const at = problem.indexOf(": ");
        return (
          <li key={problem}>
            {at > 0 ? (
              <>
                <code className="place">{problem.slice(0, at)}</code> {problem.slice(at + 2)}
              </>
            ) : (
              problem
            )}
          </li>
        );
      })}
    </ul>
  );
}

const CHANGE_TITLES: Record<ChangeKind, string> = {
  ADDED: "Added",
  CHANGED: "Changed",
  REMOVED: "Removed",
  KEPT: "No longer the workbook's, kept (other data refers to it)",
};

function Section({ title, count, children }: { title: string; count: number; children: ReactNode }) {
  const id = useId();
  return (
    <section className="report-section" aria-labelledby={id}>
      <h3 id={id}>
        {title} ({count})
      </h3>
      {count ? children : <p className="hint">None.</p>}
    </section>
  );
}

function Changes({ report }: { report: CurationReport }) {
  return (
    <>
      {(["ADDED", "CHANGED", "REMOVED", "KEPT"] as const).map((kind) => {
        const changes = report.changes.filter((c) => c.change === kind);
        if (kind === "KEPT" && !changes.length) return null;
        return (
          <Section key={kind} title={CHANGE_TITLES[kind]} count={changes.length}>
            <ul className="report-list" data-testid={`changes-${kind}`}>
              {changes.map((c) => (
                <li key={`${c.record} ${c.sheet ?? ""} ${c.row ?? ""}`}>
                  <span className="record">{c.record}</span>
                  {c.sheet ? (
                    <span className="hint">
                      {" "}
                      ({c.sheet}
                      {c.row ? ` row ${c.row}` : ""})
                    </span>
                  ) : null}
                  {c.detail ? <span>: {c.detail}</span> : null}
                </li>
              ))}
            </ul>
          </Section>
        );
      })}
    </>
  );
}

function Report({ report }: { report: CurationReport }) {
  const refused = report.status === "REFUSED";
  return (
    <div className="report" data-testid="report">
      <p className={`status ${refused ? "error" : "checked"}`} role="status" data-testid="report-status">
        {refused
          ? `${report.problems.length} problem(s): nothing can be loaded until each is fixed in the workbook.`
          : report.changes.length
            ? `No problem in ${report.rowsRead} row(s). A load would make ${report.counts.added} addition(s), ${report.counts.changed} change(s) and ${report.counts.removed} removal(s).`
            : `No problem in ${report.rowsRead} row(s). The atlas already holds what this workbook states: a load changes nothing.`}
      </p>
      <p className="hint">
        {report.file} · sha256 <code>{report.sha256.slice(0, 16)}…</code>
        {report.source ? (
          <>
            {" "}
            · source <code>{report.source}</code>
          </>
        ) : null}
      </p>
      {refused ? (
        <Section title="Problems" count={report.problems.length}>
          <ProblemList problems={report.problems} />
        </Section>
      ) : null}
      <Section title="Names matched to bodies the atlas knows" count={report.matches.length}>
        <ul className="report-list" data-testid="matches">
          {report.matches.map((m) => (
            <li key={`${m.sheet}!${m.cell}`}>
              <code className="place">
                {m.sheet}!{m.cell}
              </code>{" "}
              “{m.text}” is <span className="record">{m.id}</span> ({m.name})
            </li>
          ))}
        </ul>
      </Section>
      <Section
        title="Already recorded by another source (left as it is)"
        count={report.alreadyRecorded.length}
      >
        <ul className="report-list" data-testid="already-recorded">
          {report.alreadyRecorded.map((r) => (
            <li key={`${r.sheet} ${r.row} ${r.record}`}>
              <code className="place">
                {r.sheet} row {r.row}
              </code>{" "}
              <span className="record">{r.record}</span>
            </li>
          ))}
        </ul>
      </Section>
      {refused ? null : <Changes report={report} />}
    </div>
  );
}

function LoadResult({ report }: { report: CurationReport }) {
  return (
    <div className="report" data-testid="load-result">
      <p className="status checked" role="status">
        {report.status === "LOADED"
          ? `Loaded: ${report.counts.added} added, ${report.counts.changed} changed, ${report.counts.removed} removed${
              report.counts.kept ? `, ${report.counts.kept} kept` : ""
            }${report.importRun ? ` (import run ${report.importRun})` : ""}.`
          : "Nothing changed: the atlas already holds this workbook."}
      </p>
      {report.status === "LOADED" ? <Changes report={report} /> : null}
    </div>
  );
}

function TokenPanel({ token, setToken }: { token: string; setToken: (token: string) => void }) {
  const id = useId();
  return (
    <section className="panel" aria-labelledby={`${id}-title`}>
      <header>
        <h2 id={`${id}-title`}>1. Admin token</h2>
      </header>
      <label className="field" htmlFor={id}>
        Admin token (a JWT with the role <code>admin</code>)
      </label>
      <input
        id={id}
        type="password"
        autoComplete="off"
        spellCheck={false}
        value={token}
        onChange={(event) => setToken(event.target.value)}
        aria-describedby={`${id}-hint`}
      />
      <p className="hint" id={`${id}-hint`}>
        Kept in this tab only (session storage) and sent with each request of this page.{" "}
        {token ? (
          <button type="button" onClick={() => setToken("")}>
            Forget the token
          </button>
        ) : null}
      </p>
    </section>
  );
}

function TemplatePanel({ token }: { token: string }) {
  const [step, setStep] = useState<Step<true>>({ state: "idle" });
  const download = async () => {
    setStep({ state: "running" });
    try {
      const blob = await fetchTemplate(token);
      const url = URL.createObjectURL(blob);
      const link = document.createElement("a");
      link.href = url;
      link.download = "curation-template.xlsx";
      document.body.append(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
      setStep({ state: "done", value: true });
    } catch (error) {
      setStep(failed(error));
    }
  };
  return (
    <section className="panel" aria-labelledby="template-title">
      <header>
        <h2 id="template-title">2. The template</h2>
      </header>
      <p className="description">
        One sheet per kind (funders, memberships, calls, projects, partners, facts) and an About sheet; each
        header has a note saying what to write. Keep every sheet and its header row.
      </p>
      <button type="button" onClick={download} disabled={!token || step.state === "running"}>
        Download the template (.xlsx)
      </button>
      {step.state === "running" ? <Running what="Preparing the template" /> : null}
      {step.state === "failed" ? (
        <Failure what="Could not download the template." error={step.error} />
      ) : null}
    </section>
  );
}

function WorkbookPanel({ token }: { token: string }) {
  const inputId = useId();
  const [file, setFile] = useState<{ name: string; bytes: ArrayBuffer } | null>(null);
  const [check, setCheck] = useState<Step<CurationReport>>({ state: "idle" });
  const [load, setLoad] = useState<Step<CurationReport>>({ state: "idle" });

  const choose = async (chosen: File | undefined) => {
    setCheck({ state: "idle" });
    setLoad({ state: "idle" });
    // The bytes are read once: the check and the load send the very same workbook.
    setFile(chosen ? { name: chosen.name, bytes: await chosen.arrayBuffer() } : null);
  };
  const runCheck = async (event: FormEvent) => {
    event.preventDefault();
    if (!file) return;
    setLoad({ state: "idle" });
    setCheck({ state: "running" });
    try {
      setCheck({ state: "done", value: await sendWorkbook("check", token, file.name, file.bytes) });
    } catch (error) {
      setCheck(failed(error));
    }
  };
  const runLoad = async () => {
    if (!file) return;
    setLoad({ state: "running" });
    try {
      const report = await sendWorkbook("load", token, file.name, file.bytes);
      setLoad({ state: "done", value: report });
      setCheck({ state: "idle" });
    } catch (error) {
      setLoad(failed(error));
    }
  };
  const checked = check.state === "done" && check.value.status === "CHECKED" ? check.value : undefined;

  return (
    <section className="panel" aria-labelledby="workbook-title">
      <header>
        <h2 id="workbook-title">3. Check and load a workbook</h2>
      </header>
      <form onSubmit={runCheck} className="workbook-form">
        <label className="field" htmlFor={inputId}>
          Workbook (.xlsx)
        </label>
        <input
          id={inputId}
          type="file"
          accept=".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
          onChange={(event) => choose(event.target.files?.[0])}
        />
        <button type="submit" disabled={!token || !file || check.state === "running"}>
          Check the workbook
        </button>
      </form>
      <p className="hint">
        A check writes nothing: it lists every problem with its place, and what a load would change.
      </p>
      {check.state === "running" ? <Running what="Checking the workbook" /> : null}
      {check.state === "failed" ? <Failure what="Could not check the workbook." error={check.error} /> : null}
      {check.state === "done" ? <Report report={check.value} /> : null}
      {checked ? (
        <div className="confirm">
          <p>
            Loading writes this workbook in one transaction, with the workbook as the source of every record;
            loading it again changes nothing.
          </p>
          <button type="button" className="primary" onClick={runLoad} disabled={load.state === "running"}>
            Load into the atlas
          </button>
        </div>
      ) : null}
      {load.state === "running" ? <Running what="Loading the workbook" /> : null}
      {load.state === "failed" ? <Failure what="Nothing was loaded." error={load.error} /> : null}
      {load.state === "done" ? <LoadResult report={load.value} /> : null}
    </section>
  );
}

function Admin() {
  const [token, setTokenState] = useState(storedToken);
  const setToken = (value: string) => {
    storeToken(value);
    setTokenState(value);
  };
  return (
    <>
      <header className="page-header">
        <h1>PerMed Atlas · curation</h1>
        <nav>
          <a href="/dashboard">Dashboard</a> · <a href="/">GraphQL playground</a>
        </nav>
      </header>
      <main className="admin">
        <TokenPanel token={token} setToken={setToken} />
        <TemplatePanel token={token} />
        <WorkbookPanel token={token} />
      </main>
      <footer className="page-footer">
        The same as <code>npm run cli -- curate template | check | load</code>; see docs/curation.md.
      </footer>
    </>
  );
}

createRoot(document.getElementById("admin")!).render(<Admin />);
