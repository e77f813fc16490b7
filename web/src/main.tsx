import { render } from "preact";
import { useEffect, useState } from "preact/hooks";
import type { Fleetplane } from "../../sdk";
import { ClusterView } from "./cluster";
import { DriftView } from "./drift";
import { FleetView } from "./fleet";
import { ApplicationsView, RolloutView } from "./rollouts";
import { clientFor, savedToken, signOut } from "./session";
import { SignIn } from "./sign-in";
import { TenantsView, TenantView } from "./tenants";
import "./style.css";

/**
 * `#/` is the fleet, `#/clusters/<name>` one cluster, `…/drift` its drift, `#/applications`
 * the applications, `#/rollouts/<id>` one rollout, `#/tenants(/<name>)` tenants: links that
 * survive a reload.
 */
function useRoute(): string[] {
  const read = () => location.hash.replace(/^#\/?/, "").split("/").filter(Boolean).map(decodeURIComponent);
  const [route, setRoute] = useState(read);
  useEffect(() => {
    const changed = () => setRoute(read());
    addEventListener("hashchange", changed);
    return () => removeEventListener("hashchange", changed);
  }, []);
  return route;
}

function App() {
  const [fp, setFp] = useState<Fleetplane | undefined>(() => {
    const token = savedToken();
    return token ? clientFor(token) : undefined;
  });
  const route = useRoute();
  if (!fp) return <SignIn onSignedIn={setFp} />;
  const [section, name, detail] = route;
  return (
    <>
      <header class="top">
        <a class="brand" href="#/">
          Fleetplane
        </a>
        <nav aria-label="Sections">
          <a href="#/" aria-current={section === undefined ? "page" : undefined}>
            Fleet
          </a>
          <a
            href="#/applications"
            aria-current={section === "applications" || section === "rollouts" ? "page" : undefined}
          >
            Applications
          </a>
          <a href="#/tenants" aria-current={section === "tenants" ? "page" : undefined}>
            Tenants
          </a>
        </nav>
        <button
          type="button"
          class="quiet"
          onClick={() => {
            signOut();
            setFp(undefined);
          }}
        >
          Sign out
        </button>
      </header>
      <main>
        {section === "tenants" && name ? (
          <TenantView fp={fp} name={name} />
        ) : section === "tenants" ? (
          <TenantsView fp={fp} />
        ) : section === "applications" ? (
          <ApplicationsView fp={fp} />
        ) : section === "rollouts" && name ? (
          <RolloutView fp={fp} id={name} />
        ) : section === "clusters" && name && detail === "drift" ? (
          <DriftView fp={fp} name={name} />
        ) : section === "clusters" && name ? (
          <ClusterView fp={fp} name={name} />
        ) : (
          <FleetView fp={fp} />
        )}
      </main>
    </>
  );
}

render(<App />, document.getElementById("app") as HTMLElement);
