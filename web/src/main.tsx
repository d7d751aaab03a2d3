import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { App } from "./app/App";
import { loadConfig } from "./config";
import { registerServiceWorker } from "./app/serviceWorker";
import { makeServices } from "./app/services";
import "./styles.css";

registerServiceWorker();

const root = createRoot(document.getElementById("root")!);

loadConfig().then(
  (config) =>
    root.render(
      <StrictMode>
        <App services={makeServices(config)} />
      </StrictMode>,
    ),
  (error: Error) =>
    root.render(
      <main className="join" role="alert">
        <h1>Barkeep can't start</h1>
        <p>{error.message}. Reload the page in a moment.</p>
      </main>,
    ),
);
