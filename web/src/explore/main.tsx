/** The explore pages (`/explore/<id>`): one page per kind of entity, chosen by the id's prefix. */
import "../dashboard/dashboard.css";
import "./explore.css";
import { createRoot } from "react-dom/client";
import { SearchBox } from "../search/search-box.js";
import { exploreKind, parseExploreLocation } from "../shared/links.js";
import { ConsortiumPage } from "./consortium-page.js";
import { CountryPage } from "./country-page.js";
import { FunderPage } from "./funder-page.js";
import { OrganisationPage } from "./organisation-page.js";
import { NotFound } from "./page-frame.js";
import { ProgrammePage } from "./programme-page.js";
import { ProjectPage } from "./project-page.js";

function Explore() {
  const { id, filters } = parseExploreLocation(window.location);
  const kind = exploreKind(id);
  const page =
    kind === "country" ? (
      <CountryPage id={id} filters={filters} />
    ) : kind === "org" ? (
      <OrganisationPage id={id} filters={filters} />
    ) : kind === "cordis" || kind === "project" ? (
      <ProjectPage id={id} filters={filters} />
    ) : kind === "funder" ? (
      <FunderPage id={id} filters={filters} />
    ) : kind === "consortium" ? (
      <ConsortiumPage id={id} filters={filters} />
    ) : kind === "programme" ? (
      <ProgrammePage id={id} filters={filters} />
    ) : (
      <NotFound id={id} />
    );
  return (
    <>
      <header className="page-header">
        <h1>PerMed Atlas · explore</h1>
        <SearchBox />
        <nav>
          <a href="/dashboard">Dashboard</a> · <a href="/">GraphQL playground</a>
        </nav>
      </header>
      <main>{page}</main>
      <footer className="page-footer">
        Every figure comes from <code>/graphql</code> (the generated API and the analysis queries); a
        project's year is its start year.
      </footer>
    </>
  );
}

createRoot(document.getElementById("explore")!).render(<Explore />);
